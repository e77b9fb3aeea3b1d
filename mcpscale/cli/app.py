"""The root `mcpscale` app: every command registered in the order --help lists them, all run
under the one error policy (mcpscale.cli.errors)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from mcpscale import __version__
from mcpscale.cli import (
    coverage,
    evidence,
    files,
    history,
    imports,
    init,
    interview,
    migrate,
    plan,
    questionnaires,
    report,
    score,
)
from mcpscale.cli.errors import error_policy

_ARGV = "mcpscale.argv"


class _PolicyGroup(TyperGroup):
    """The root group: whatever a command raises meets the error policy, under every runner."""

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: Any = None,
        **extra: Any,
    ) -> Any:
        argv = list(args)  # parsing consumes the list
        ctx = super().make_context(info_name, args, parent, **extra)
        ctx.meta[_ARGV] = argv
        return ctx

    def invoke(self, ctx: Any) -> Any:  # Any: click's Context, vendored by newer typers
        argv: Sequence[str] = ctx.meta.get(_ARGV, ())
        with error_policy(argv):
            return super().invoke(ctx)


app = typer.Typer(
    name="mcpscale",
    cls=_PolicyGroup,
    help="Readiness assessment and phase-gate roadmap planning for scaling MCP across the "
    "enterprise.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"mcpscale {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    """Assess MCP readiness, score maturity and plan the roadmap."""


for command in (
    files.validate,
    score.score,
    report.report,
    history.compare,
    history.trend,
    history.portfolio,
    migrate.migrate,
    init.init,
    report.demo,
    interview.assess,
    interview.workshop,
    plan.plan,
    coverage.coverage,
    files.schema,
):
    app.command()(command)
app.add_typer(questionnaires.app, name="questionnaires")
app.add_typer(interview.form_app, name="form")
app.add_typer(evidence.app, name="evidence")
app.add_typer(imports.app, name="import")


def main() -> None:
    app()
