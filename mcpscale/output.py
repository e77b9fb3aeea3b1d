"""Results as people and programs read them: rich tables, JSON and CSV text."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from rich import box
from rich.table import Table

from .scoring import Result, result_to_dict


def to_json(data: Any) -> str:
    """Stable JSON: sorted keys, two-space indent, trailing newline, so results diff in git."""
    return json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def fmt_score(value: float | None, digits: int = 2) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def fmt_percent(value: float | None) -> str:
    return "-" if value is None else f"{value:.0%}"


def fmt_money(amount: float | None, currency: str) -> str:
    """The report's one style for amounts: "EUR 3,790,000", to the nearest thousand
    (the inputs are estimates; more digits would claim a precision they do not have)."""
    if amount is None:
        return "-"
    rounded = round(amount, -3) if abs(amount) >= 1000 else round(amount)
    sign = "-" if rounded < 0 else ""
    return f"{sign}{currency} {abs(rounded):,.0f}"


def fmt_months(months: int | None) -> str:
    if months is None:
        return "-"
    return "1 month" if months == 1 else f"{months} months"


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


def csv_text(columns: Sequence[str], rows: Iterable[Mapping[str, Any]]) -> str:
    """CSV with a header row; keys beyond `columns` are ignored."""
    buffer = io.StringIO()
    writer = csv.DictWriter(
        buffer, fieldnames=list(columns), lineterminator="\n", extrasaction="ignore"
    )
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


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
        title=title,
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        caption=f"{people} respondent{'s' * (people != 1)}, "
        f"{result.aggregate} of levels; {len(result.disagreements)} disagreement"
        f"{'s' * (len(result.disagreements) != 1)}\nCov. = scored / applicable questions; "
        "Unk. = questions only answered 'unknown'; N/A = not applicable",
    )
    table.add_column("Dimension", min_width=20)
    for name in ("Score", "Level", "Target", "Gap", "Cov.", "Unk.", "N/A"):
        table.add_column(name, justify="left" if name == "Level" else "right", no_wrap=True)
    for d in result.dimensions:
        table.add_row(
            d.name,
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


def disagreements_table(result: Result) -> Table:
    table = Table(title="Disagreements: levels span 2 or more", title_justify="left")
    table.add_column("Question")
    table.add_column("Levels")
    for d in result.disagreements:
        levels = ", ".join(f"{name} {level}" for name, level in sorted(d.levels.items()))
        table.add_row(d.question, levels)
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
            c.question,
            c.respondent,
            str(c.answered_level),
            str(c.supported_level),
            f"{c.finding} ({c.source})",
        )
    return table


def _level(level: int | None, name: str | None) -> str:
    return "-" if level is None else f"{level} {name}"
