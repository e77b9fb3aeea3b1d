"""Results as people and programs read them: rich tables, JSON and CSV text."""

from __future__ import annotations

from rich import box
from rich.table import Table

from mcpscale.formats.answers import choice_text
from mcpscale.formats.results import Result, result_to_dict
from mcpscale.formats.serialize import csv_text, to_json
from mcpscale.render.style import fmt_percent, fmt_score
from mcpscale.render.text import rich_markup, rich_text


def result_json(result: Result) -> str:
    return to_json(result_to_dict(result))


DIMENSION_COLUMNS = [
    "id",
    "name",
    "score",
    "level",
    "level_name",
    "target",
    "gap",
    "coverage",
    "answered",
    "unknown",
    "unanswered",
    "not_applicable",
]


def result_csv(result: Result) -> str:
    """One row per dimension plus an `overall` row first; full precision."""
    overall = {
        "id": "overall",
        "name": "Overall",
        "score": result.overall.score,
        "level": result.overall.level,
        "level_name": result.overall.level_name,
    }
    dimensions = (
        {column: getattr(d, column) for column in DIMENSION_COLUMNS} for d in result.dimensions
    )
    return csv_text(DIMENSION_COLUMNS, [overall, *dimensions])


def result_table(result: Result) -> Table:
    title = f"{result.questionnaire_title} {result.questionnaire_version}"
    if result.profile_name:
        title = f"{result.profile_name}: {title}"
    people = len(result.respondents)
    table = Table(
        title=rich_text(title),
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        caption=f"{people} respondent{'s' * (people != 1)}, "
        f"{result.aggregate} of levels; {len(result.disagreements)} disagreement"
        f"{'s' * (len(result.disagreements) != 1)}\nCov. = scored / applicable questions; "
        "Unk. = questions only answered 'unknown'; N/A = not applicable",
    )
    table.add_column("Dimension", min_width=16)
    for name in ("Score", "Level", "Target", "Gap", "Cov.", "Unk.", "N/A"):
        # a long level name wraps at its spaces; numbers never do
        table.add_column(
            name, justify="left" if name == "Level" else "right", no_wrap=name != "Level"
        )
    for d in result.dimensions:
        table.add_row(
            rich_text(d.name),
            fmt_score(d.score),
            _level(d.level, d.level_name),
            f"{d.target:g}",
            fmt_score(d.gap),
            fmt_percent(d.coverage),
            str(d.unknown),
            str(d.not_applicable),
        )
    table.add_section()
    table.add_row(
        "[bold]Overall[/bold]",
        f"[bold]{fmt_score(result.overall.score)}[/bold]",
        _level(result.overall.level, result.overall.level_name),
        "",
        "",
        "",
        "",
        "",
    )
    return table


def consensus_text(
    result: Result, choice: str | tuple[str, ...] | None, level: int | None
) -> str | None:
    """What a workshop room agreed on, as every output says it: '2 Established',
    "don't know", 'not applicable'; None when the room recorded no consensus."""
    if choice is None:
        return None
    if level is None:
        shown = choice_text(choice)
        return {"unknown": "don't know", "na": "not applicable"}.get(shown, shown)
    name = dict(result.scale).get(level)
    return f"{level} {name}" if name else str(level)


def disagreements_table(result: Result) -> Table:
    table = Table(
        title=f"Disagreements: levels span {result.disagreement_spread:g} or more",
        title_justify="left",
    )
    table.add_column("Question")
    table.add_column("Levels")
    agreed = any(d.consensus is not None for d in result.disagreements)
    if agreed:
        table.add_column("Room agreed")
    for d in result.disagreements:
        levels = ", ".join(f"{name} {level}" for name, level in sorted(d.levels.items()))
        row = [rich_text(d.question), rich_text(levels)]
        if agreed:
            row.append(rich_text(consensus_text(result, d.consensus, d.consensus_level) or "-"))
        table.add_row(*row)
    return table


def evidence_conflicts_table(result: Result) -> Table:
    verb = "scored at" if result.trust == "evidence" else "supports"
    table = Table(
        title=f"Evidence conflicts: answers above what the evidence {verb}",
        title_justify="left",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
    )
    table.add_column("Question", no_wrap=True)
    table.add_column("Respondent")
    table.add_column("Said", justify="right")
    table.add_column("Max", justify="right")
    table.add_column("Evidence", overflow="fold")
    for c in result.evidence_conflicts:
        table.add_row(
            rich_text(c.question),
            rich_text(c.respondent),
            str(c.answered_level),
            str(c.supported_level),
            rich_text(f"{c.finding} ({c.source})"),
        )
    return table


def _level(level: int | None, name: str | None) -> str:
    return "-" if level is None else rich_markup(f"{level} {name}")
