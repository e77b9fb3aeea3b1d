"""`mcpscale migrate`: answers files moved to a newer questionnaire version, in place."""

from __future__ import annotations

from typing import Annotated

import typer

from mcpscale.cli.options import AnswersArgument, QuestionnaireOption


def migrate(
    answers: AnswersArgument,
    to: Annotated[
        str,
        typer.Option(
            "--to", metavar="VERSION", help="The questionnaire version to move the answers to."
        ),
    ],
    questionnaire: QuestionnaireOption = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what would change; write nothing.")
    ] = False,
) -> None:
    """Move answers to a newer questionnaire version along the pack's migrations.yaml.

    Notes, evidence and workshop votes move with their answers; every answer that cannot
    carry over is listed with its note, for the respondent to answer again.
    """
    from mcpscale.pipeline import migrate_files, write_migrations
    from mcpscale.render.migration import migration_lines, migration_summary

    files = migrate_files(answers, to, questionnaire)
    for file in files:
        for line in migration_lines(
            str(file.path),
            file.migrated,
            file.answer_set.respondent,
            file.comments_kept,
            file.comments_lost,
        ):
            typer.echo(line)
    if not dry_run:
        write_migrations(files)
    typer.echo(
        migration_summary([f.migrated for f in files], to, not dry_run),
        err=True,
    )
