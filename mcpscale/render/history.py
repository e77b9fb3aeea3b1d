"""Comparisons and trends as people read them: rich tables, Markdown and CSV."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from mcpscale.assess.thresholds import GateCheck
from mcpscale.formats.results import SavedResult
from mcpscale.formats.serialize import csv_text
from mcpscale.history.compare import Change, Comparison
from mcpscale.history.trend import Trend
from mcpscale.render.style import fmt_score
from mcpscale.render.text import markdown_code, markdown_text, rich_text


def comparison_markdown(comparison: Comparison, checks: Sequence[GateCheck]) -> str:
    """A pull-request comment: the dimension table, what moved, and the gate."""
    base, new = comparison.base, comparison.new
    lines = [
        f"### mcpscale: {markdown_text(_label(base))} → {markdown_text(_label(new))}",
        "",
    ]
    if comparison.instrument is not None:
        lines += [f"> {markdown_text(_sentence(comparison.instrument.message))}", ""]
    lines += [
        "| Dimension | Base | New | Change |",
        "| --- | ---: | ---: | ---: |",
    ]
    for c in comparison.dimensions:
        lines.append(
            f"| {markdown_text(c.name)} | {fmt_score(c.old)} | {fmt_score(c.new)} | {_signed(c)} |"
        )
    o = comparison.overall
    lines.append(
        f"| **Overall** | **{fmt_score(o.old)}** | **{fmt_score(o.new)}** | **{_signed(o)}** |"
    )
    for title, changes in (
        ("Regressions", comparison.regressions),
        ("Improvements", comparison.improvements),
    ):
        lines += ["", f"**{title}** ({len(changes)})", ""]
        lines += [
            f"- {markdown_code(c.id)} {fmt_score(c.old)} → {fmt_score(c.new)} ({_signed(c)})"
            for c in changes
        ]
        if not changes:
            lines.append("- none")
    if checks:
        failed = [g for g in checks if not g.passed]
        lines += ["", f"**Gate: {'failed' if failed else 'passed'}**", ""]
        lines += [f"- {'❌' if not g.passed else '✅'} {markdown_text(g.message)}" for g in checks]
    return "\n".join(lines) + "\n"


def comparison_renderables(comparison: Comparison) -> list[Any]:
    from rich import box
    from rich.table import Table

    table = Table(
        title=rich_text(f"{_label(comparison.base)} -> {_label(comparison.new)}"),
        box=box.SIMPLE_HEAD,
    )
    for column, justify in (
        ("Dimension", "left"),
        ("Base", "right"),
        ("New", "right"),
        ("Change", "right"),
    ):
        table.add_column(column, justify=justify)  # type: ignore[arg-type]
    for c in comparison.dimensions:
        table.add_row(rich_text(c.name), fmt_score(c.old), fmt_score(c.new), _signed(c))
    table.add_section()
    o = comparison.overall
    table.add_row("Overall", fmt_score(o.old), fmt_score(o.new), _signed(o))
    renderables: list[Any] = [table]
    if comparison.instrument is not None:
        renderables.insert(0, rich_text(_sentence(comparison.instrument.message)))
    questions = [c for c in comparison.questions if c.direction]
    if questions:
        moved = Table(title="Questions that moved", title_justify="left", box=box.SIMPLE_HEAD)
        for column in ("Question", "Base", "New", "Change"):
            moved.add_column(column, justify="left" if column == "Question" else "right")
        for c in sorted(questions, key=lambda c: (c.direction, c.id)):
            moved.add_row(rich_text(c.id), fmt_score(c.old), fmt_score(c.new), _signed(c))
        renderables.append(moved)
    return renderables


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:] + "."


def _label(saved: SavedResult) -> str:
    return f"{saved.path.name} ({saved.assessed_at or 'undated'})"


def _signed(change: Change) -> str:
    if change.delta is None:
        return {1: "new", -1: "gone", 0: "-"}[change.direction]
    return f"{change.delta:+.2f}"


def trend_csv(trend: Trend) -> str:
    """One row per saved result; full precision, empty where there is no score."""
    dim_ids = [dim_id for dim_id, _, _ in trend.dimensions]
    columns = ["file", "assessed_at", "overall", "overall_delta"] + [
        column for dim_id in dim_ids for column in (dim_id, f"{dim_id}_delta")
    ]
    rows = (
        {
            "file": p.file,
            "assessed_at": p.assessed_at,
            "overall": p.overall,
            "overall_delta": p.overall_delta,
            **{dim_id: p.scores[dim_id] for dim_id in dim_ids},
            **{f"{dim_id}_delta": p.deltas[dim_id] for dim_id in dim_ids},
        }
        for p in trend.points
    )
    return csv_text(columns, rows)


def trend_table(trend: Trend) -> Any:
    from rich import box
    from rich.table import Table

    table = Table(
        title=rich_text(f"{trend.questionnaire.get('title', '')}: trend"), box=box.SIMPLE_HEAD
    )
    table.add_column("Assessed")
    table.add_column("File")
    table.add_column("Overall", justify="right")
    for _, name, target in trend.dimensions:
        table.add_column(rich_text(f"{name} (target {target:g})"), justify="right")
    for p in trend.points:
        table.add_row(
            rich_text(p.assessed_at),
            rich_text(p.file),
            _with_delta(p.overall, p.overall_delta),
            *(_with_delta(p.scores[i], p.deltas[i]) for i, _, _ in trend.dimensions),
        )
    if trend.instrument_changes:
        table.caption = rich_text(
            "\n".join(f"At {file}, {message}." for file, message in trend.instrument_changes)
        )
        table.caption_justify = "left"
    return table


def _with_delta(score: float | None, delta: float | None) -> str:
    return fmt_score(score) + ("" if delta is None else f" ({delta:+.2f})")
