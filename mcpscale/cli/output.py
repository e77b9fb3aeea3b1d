"""Where command output goes: the terminal, an --output file, a progress display, gate lines."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import typer

from mcpscale.errors import GateFailed, UserError


def stdout_console() -> Any:
    from rich.console import Console

    return Console(soft_wrap=False)


STDOUT = Path("-")


def is_stdout(output: Path | None) -> bool:
    """True when --output is `-`: standard output, as for cat and curl."""
    return output is not None and str(output) == "-"


def emit(content: str | bytes, output: Path | None) -> None:
    """Write to --output through the one writer, or to standard output (no --output, or `-`).

    Bytes (a PDF, a workbook) are refused when standard output is a terminal."""
    if output is None or is_stdout(output):
        if isinstance(content, str):
            sys.stdout.write(content)
            sys.stdout.flush()
            return
        if sys.stdout.isatty():
            raise UserError(
                "will not write binary output to the terminal; redirect it "
                "(--output - > file) or name a file with --output"
            )
        sys.stdout.flush()
        sys.stdout.buffer.write(content)
        sys.stdout.buffer.flush()
        return
    from mcpscale.inputs.write import write_atomic

    write_atomic(output, content)
    typer.echo(f"wrote {output}", err=True)


def print_renderables(renderables: list[Any], output: Path | None) -> None:
    """Print rich renderables to the terminal, or as plain text to --output; a table too
    wide for either is stacked, one block per row, rather than cropped (render.tables)."""
    from mcpscale.render.tables import fitted

    if output is None:
        console = stdout_console()
        for renderable in renderables:
            console.print(fitted(renderable))
        return
    import io

    from rich.console import Console

    buffer = io.StringIO()
    console = Console(file=buffer, width=110, no_color=True)
    for renderable in renderables:
        console.print(fitted(renderable))
    emit(buffer.getvalue(), output)


def finish_gates(checks: list[Any], junit: Path | None, suite: str) -> None:
    """Report every gate (stderr, and --junit), then exit 1 if any failed."""
    if junit is not None:
        from mcpscale.history.junit import junit_xml

        emit(junit_xml(suite, checks), junit)
    for check in checks:
        typer.echo(f"{'PASS' if check.passed else 'FAIL'} {check.message}", err=True)
    failed = [c.message for c in checks if not c.passed]
    if failed:
        raise GateFailed("; ".join(failed))


@contextlib.contextmanager
def progress(quiet: bool) -> Iterator[Callable[[str], None]]:
    """A step callback that draws the pipeline's steps on stderr, or does nothing in CI."""
    from mcpscale.pipeline import STEPS

    if quiet or not sys.stderr.isatty():
        yield lambda step: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description:<8}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as bar:
        task = bar.add_task(STEPS[0], total=len(STEPS))

        def step(name: str) -> None:
            bar.update(task, description=name, completed=STEPS.index(name))

        yield step
