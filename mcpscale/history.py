"""Results over time: read saved result JSON, compare two of them, and follow a trend.

Everything here works on the saved `mcpscale/result@1` documents (dicts), so a result
scored a year ago compares with one scored today without re-reading any answers.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from .errors import UserError
from .output import fmt_score
from .scoring import RESULT_SCHEMA
from .thresholds import GateCheck

COMPARE_SCHEMA = "mcpscale/compare@1"
TREND_SCHEMA = "mcpscale/trend@1"
# Scores are means of whole levels; a drop of exactly --max-drop must pass even when
# floating point makes it 0.25000000000000006.
_TOLERANCE = 1e-9


class SavedResult(NamedTuple):
    """One result document as `mcpscale score --format json` wrote it."""

    path: Path
    data: dict[str, Any]

    @property
    def questionnaire_id(self) -> str:
        return str(self.data["questionnaire"]["id"])

    @property
    def assessed_at(self) -> str:
        return self.data.get("assessed_at") or ""

    @property
    def overall(self) -> float | None:
        return self.data["overall"]["score"]

    @property
    def dimensions(self) -> list[dict[str, Any]]:
        return list(self.data["dimensions"])


def load_result(path: Path) -> SavedResult:
    """Read a result JSON file; anything but a `mcpscale/result@1` document is a UserError."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UserError.at(path, "no such file or directory") from None
    except IsADirectoryError:
        raise UserError.at(path, "is a directory, expected a result JSON file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError.at(path, f"cannot read file: {exc}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise UserError.at(path, f"invalid JSON: {exc.msg}", exc.lineno, exc.colno) from None
    return parse_result(data, path)


def parse_result(data: Any, path: Path) -> SavedResult:
    schema = data.get("schema") if isinstance(data, dict) else None
    if schema != RESULT_SCHEMA:
        found = f"'{schema}'" if schema else "no schema"
        raise UserError.at(
            path,
            f'not an mcpscale result ({found}, expected "schema": "{RESULT_SCHEMA}"); '
            "write results with mcpscale score --format json --output FILE",
        )
    try:
        for key in ("questionnaire", "overall", "dimensions", "questions"):
            data[key]  # noqa: B018 - presence check
        for dimension in data["dimensions"]:
            dimension["id"], dimension["score"], dimension["target"]  # noqa: B018
    except (KeyError, TypeError):
        raise UserError.at(
            path, "result is incomplete or edited by hand; score the answers again"
        ) from None
    return SavedResult(path, data)


# ---------------------------------------------------------------- compare


class Change(NamedTuple):
    """One score in two results: a dimension, a question, or the overall score."""

    id: str
    name: str
    old: float | None
    new: float | None

    @property
    def delta(self) -> float | None:
        return None if self.old is None or self.new is None else self.new - self.old

    @property
    def direction(self) -> int:
        """+1 improved, -1 regressed (a score that disappears counts), 0 unchanged."""
        if self.old is None and self.new is None:
            return 0
        if self.new is None:
            return -1
        if self.old is None:
            return 1
        delta = self.new - self.old
        return 0 if abs(delta) <= _TOLERANCE else (1 if delta > 0 else -1)


@dataclass(frozen=True)
class Comparison:
    base: SavedResult
    new: SavedResult
    overall: Change
    dimensions: tuple[Change, ...]
    questions: tuple[Change, ...]

    @property
    def improvements(self) -> list[Change]:
        return [c for c in (*self.dimensions, *self.questions) if c.direction > 0]

    @property
    def regressions(self) -> list[Change]:
        return [c for c in (*self.dimensions, *self.questions) if c.direction < 0]


def compare_results(base: SavedResult, new: SavedResult) -> Comparison:
    """Per dimension and per question: old, new, delta. Both must answer one questionnaire."""
    if base.questionnaire_id != new.questionnaire_id:
        raise UserError(
            f"{base.path} scores questionnaire '{base.questionnaire_id}' but {new.path} "
            f"scores '{new.questionnaire_id}'; compare results of the same questionnaire"
        )
    return Comparison(
        base=base,
        new=new,
        overall=Change("overall", "Overall", base.overall, new.overall),
        dimensions=_changes(base.dimensions, new.dimensions),
        questions=_changes(base.data["questions"], new.data["questions"]),
    )


def _changes(
    old: Sequence[Mapping[str, Any]], new: Sequence[Mapping[str, Any]]
) -> tuple[Change, ...]:
    """Old order first, then anything only the new result has."""
    old_by_id = {item["id"]: item for item in old}
    new_by_id = {item["id"]: item for item in new}
    ids = list(old_by_id) + [i for i in new_by_id if i not in old_by_id]
    changes = []
    for item_id in ids:
        before, after = old_by_id.get(item_id, {}), new_by_id.get(item_id, {})
        name = after.get("name") or before.get("name") or after.get("text") or before.get("text")
        changes.append(
            Change(item_id, str(name or item_id), before.get("score"), after.get("score"))
        )
    return tuple(changes)


def check_regressions(comparison: Comparison, max_drop: float) -> list[GateCheck]:
    """One gate for the overall score and one per dimension: fail when it drops > max_drop."""
    if max_drop < 0:
        raise UserError(f"--max-drop {max_drop:g}: a drop is a positive number, e.g. 0.25")
    return [
        _regression_check(change, max_drop)
        for change in (comparison.overall, *comparison.dimensions)
    ]


def _regression_check(change: Change, max_drop: float) -> GateCheck:
    name = f"regression:{change.id}"
    label = "overall score" if change.id == "overall" else change.id
    if change.old is None:
        return GateCheck(name, True, f"{label} has no baseline score to drop from")
    if change.new is None:
        return GateCheck(name, False, f"{label} was {change.old:.2f} and is no longer scored")
    drop = change.old - change.new
    passed = drop <= max_drop + _TOLERANCE
    verb = "rose" if drop < -_TOLERANCE else ("held" if abs(drop) <= _TOLERANCE else "dropped")
    amount = "" if verb == "held" else f" by {abs(drop):.2f}"
    return GateCheck(
        name,
        passed,
        f"{label} {verb}{amount} ({change.old:.2f} -> {change.new:.2f}); "
        f"{'within' if passed else 'exceeds'} --max-drop {max_drop:g}",
    )


def comparison_to_dict(comparison: Comparison, checks: Sequence[GateCheck]) -> dict[str, Any]:
    def side(saved: SavedResult) -> dict[str, Any]:
        return {
            "file": str(saved.path),
            "assessed_at": saved.data.get("assessed_at"),
            "profile": saved.data.get("profile"),
            "questionnaire": saved.data["questionnaire"],
        }

    def change(c: Change) -> dict[str, Any]:
        return {"id": c.id, "name": c.name, "old": c.old, "new": c.new, "delta": c.delta}

    return {
        "schema": COMPARE_SCHEMA,
        "base": side(comparison.base),
        "new": side(comparison.new),
        "overall": change(comparison.overall),
        "dimensions": [change(c) for c in comparison.dimensions],
        "questions": [change(c) for c in comparison.questions],
        "improvements": [c.id for c in comparison.improvements],
        "regressions": [c.id for c in comparison.regressions],
        "gates": [{"name": g.name, "passed": g.passed, "message": g.message} for g in checks],
        "passed": all(g.passed for g in checks),
    }


def comparison_markdown(comparison: Comparison, checks: Sequence[GateCheck]) -> str:
    """A pull-request comment: the dimension table, what moved, and the gate."""
    base, new = comparison.base, comparison.new
    lines = [
        f"### mcpscale: {_label(base)} → {_label(new)}",
        "",
        "| Dimension | Base | New | Change |",
        "| --- | ---: | ---: | ---: |",
    ]
    for c in comparison.dimensions:
        lines.append(f"| {c.name} | {fmt_score(c.old)} | {fmt_score(c.new)} | {_signed(c)} |")
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
            f"- `{c.id}` {fmt_score(c.old)} → {fmt_score(c.new)} ({_signed(c)})" for c in changes
        ]
        if not changes:
            lines.append("- none")
    if checks:
        failed = [g for g in checks if not g.passed]
        lines += ["", f"**Gate: {'failed' if failed else 'passed'}**", ""]
        lines += [f"- {'❌' if not g.passed else '✅'} {g.message}" for g in checks]
    return "\n".join(lines) + "\n"


def comparison_renderables(comparison: Comparison) -> list[Any]:
    from rich import box
    from rich.table import Table

    table = Table(
        title=f"{_label(comparison.base)} -> {_label(comparison.new)}", box=box.SIMPLE_HEAD
    )
    for column, justify in (
        ("Dimension", "left"),
        ("Base", "right"),
        ("New", "right"),
        ("Change", "right"),
    ):
        table.add_column(column, justify=justify)  # type: ignore[arg-type]
    for c in comparison.dimensions:
        table.add_row(c.name, fmt_score(c.old), fmt_score(c.new), _signed(c))
    table.add_section()
    o = comparison.overall
    table.add_row("Overall", fmt_score(o.old), fmt_score(o.new), _signed(o))
    renderables: list[Any] = [table]
    questions = [c for c in comparison.questions if c.direction]
    if questions:
        moved = Table(title="Questions that moved", title_justify="left", box=box.SIMPLE_HEAD)
        for column in ("Question", "Base", "New", "Change"):
            moved.add_column(column, justify="left" if column == "Question" else "right")
        for c in sorted(questions, key=lambda c: (c.direction, c.id)):
            moved.add_row(c.id, fmt_score(c.old), fmt_score(c.new), _signed(c))
        renderables.append(moved)
    return renderables


def _label(saved: SavedResult) -> str:
    return f"{saved.path.name} ({saved.assessed_at or 'undated'})"


def _signed(change: Change) -> str:
    if change.delta is None:
        return {1: "new", -1: "gone", 0: "-"}[change.direction]
    return f"{change.delta:+.2f}"


# ---------------------------------------------------------------- trend


def collect_results(paths: Sequence[Path]) -> list[SavedResult]:
    """Result files named directly, plus every result JSON in named folders.

    A named file must be a result; in a folder, other JSON (a saved comparison) is skipped.
    Ordered by assessment date, then by file name, so the same files always give one order.
    """
    found: dict[Path, SavedResult] = {}
    for path in paths:
        if path.is_dir():
            for file in sorted(path.glob("*.json")):
                try:
                    data = json.loads(file.read_text(encoding="utf-8"))
                except (json.JSONDecodeError, UnicodeDecodeError):
                    continue
                if isinstance(data, dict) and data.get("schema") == RESULT_SCHEMA:
                    found.setdefault(file.resolve(), parse_result(data, file))
        else:
            found.setdefault(path.resolve(), load_result(path))
    if not found:
        raise UserError(
            f'no result files ("schema": "{RESULT_SCHEMA}") in {", ".join(map(str, paths))}'
        )
    results = sorted(found.values(), key=lambda r: (r.assessed_at, r.path.name, str(r.path)))
    ids = sorted({r.questionnaire_id for r in results})
    if len(ids) > 1:
        raise UserError(
            f"these results score different questionnaires ({', '.join(ids)}); "
            "follow one questionnaire per trend"
        )
    return results


class TrendPoint(NamedTuple):
    file: str
    assessed_at: str
    overall: float | None
    overall_delta: float | None
    scores: dict[str, float | None]
    deltas: dict[str, float | None]


@dataclass(frozen=True)
class Trend:
    questionnaire: dict[str, Any]
    dimensions: tuple[tuple[str, str, float], ...]  # id, name, target (from the latest result)
    points: tuple[TrendPoint, ...]
    scale: tuple[int, int]  # lowest and highest level


def build_trend(results: Sequence[SavedResult]) -> Trend:
    latest = results[-1]
    dimensions = tuple((d["id"], d["name"], float(d["target"])) for d in latest.dimensions)
    points: list[TrendPoint] = []
    previous: TrendPoint | None = None
    for saved in results:
        scores = {d["id"]: d["score"] for d in saved.dimensions}
        deltas = {
            dim_id: _delta(previous.scores.get(dim_id) if previous else None, scores.get(dim_id))
            for dim_id, _, _ in dimensions
        }
        point = TrendPoint(
            file=saved.path.name,
            assessed_at=saved.assessed_at,
            overall=saved.overall,
            overall_delta=_delta(previous.overall if previous else None, saved.overall),
            scores={dim_id: scores.get(dim_id) for dim_id, _, _ in dimensions},
            deltas=deltas,
        )
        points.append(point)
        previous = point
    levels = [step["level"] for step in latest.data.get("scale") or []] or [0, 1]
    return Trend(
        latest.data["questionnaire"], dimensions, tuple(points), (min(levels), max(levels))
    )


def _delta(old: float | None, new: float | None) -> float | None:
    return None if old is None or new is None else new - old


def trend_to_dict(trend: Trend) -> dict[str, Any]:
    return {
        "schema": TREND_SCHEMA,
        "questionnaire": trend.questionnaire,
        "dimensions": [{"id": i, "name": n, "target": t} for i, n, t in trend.dimensions],
        "points": [
            {
                "file": p.file,
                "assessed_at": p.assessed_at,
                "overall": {"score": p.overall, "delta": p.overall_delta},
                "dimensions": {
                    dim_id: {"score": p.scores[dim_id], "delta": p.deltas[dim_id]}
                    for dim_id, _, _ in trend.dimensions
                },
            }
            for p in trend.points
        ],
    }


def trend_csv(trend: Trend) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    dim_ids = [dim_id for dim_id, _, _ in trend.dimensions]
    writer.writerow(
        ["file", "assessed_at", "overall", "overall_delta"]
        + [column for dim_id in dim_ids for column in (dim_id, f"{dim_id}_delta")]
    )
    for p in trend.points:
        writer.writerow(
            [p.file, p.assessed_at, _cell(p.overall), _cell(p.overall_delta)]
            + [_cell(v) for dim_id in dim_ids for v in (p.scores[dim_id], p.deltas[dim_id])]
        )
    return buffer.getvalue()


def _cell(value: float | None) -> str:
    return "" if value is None else repr(value)


def trend_table(trend: Trend) -> Any:
    from rich import box
    from rich.table import Table

    table = Table(title=f"{trend.questionnaire.get('title', '')}: trend", box=box.SIMPLE_HEAD)
    table.add_column("Assessed")
    table.add_column("File")
    table.add_column("Overall", justify="right")
    for _, name, target in trend.dimensions:
        table.add_column(f"{name} (target {target:g})", justify="right")
    for p in trend.points:
        table.add_row(
            p.assessed_at,
            p.file,
            _with_delta(p.overall, p.overall_delta),
            *(_with_delta(p.scores[i], p.deltas[i]) for i, _, _ in trend.dimensions),
        )
    return table


def _with_delta(score: float | None, delta: float | None) -> str:
    return fmt_score(score) + ("" if delta is None else f" ({delta:+.2f})")


def trend_chart(trend: Trend, image_format: str) -> bytes:
    """A line per dimension and the overall score, each target as a dashed line."""
    from .figures import figure_bytes, pyplot

    plt = pyplot()
    positions = list(range(len(trend.points)))
    figure, axes = plt.subplots(figsize=(8, 4.5))
    try:
        colours = plt.rcParams["axes.prop_cycle"].by_key()["color"]
        for index, (dim_id, name, target) in enumerate(trend.dimensions):
            colour = colours[index % len(colours)]
            values = [p.scores[dim_id] for p in trend.points]
            axes.plot(positions, _nan(values), marker="o", color=colour, label=name)
            axes.axhline(target, color=colour, linestyle="--", linewidth=0.8, alpha=0.7)
        axes.plot(
            positions,
            _nan([p.overall for p in trend.points]),
            marker="s",
            color="black",
            linewidth=2.2,
            label="Overall",
        )
        axes.set_xticks(positions, [p.assessed_at or p.file for p in trend.points])
        axes.set_ylim(trend.scale[0] - 0.1, trend.scale[1] + 0.1)
        axes.set_ylabel("score (dashed: target)")
        axes.set_title(f"{trend.questionnaire.get('title', '')}: trend")
        axes.grid(axis="y", alpha=0.3)
        axes.legend(loc="best", fontsize="small")
        figure.tight_layout()
        return figure_bytes(figure, image_format)
    finally:
        plt.close(figure)


def _nan(values: Sequence[float | None]) -> list[float]:
    return [float("nan") if v is None else v for v in values]


def image_format_of(path: Path) -> str:
    suffix = path.suffix.lower().lstrip(".")
    if suffix not in ("svg", "png"):
        raise UserError.at(path, "write charts as .svg or .png")
    return suffix
