"""Two saved results compared: per dimension and question, old, new and the change.

Everything here works on the saved `mcpscale/result@1` documents (dicts), so a result
scored a year ago compares with one scored today without re-reading any answers.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from mcpscale.assess.thresholds import GateCheck
from mcpscale.errors import UserError
from mcpscale.formats.results import Result, SavedResult, parse_result, result_to_dict

COMPARE_SCHEMA = "mcpscale/compare@1"
# Scores are means of whole levels; a drop of exactly --max-drop must pass even when
# floating point makes it 0.25000000000000006.
_TOLERANCE = 1e-9


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


def check_against_baseline(
    baseline: SavedResult, result: Result, max_drop: float, label: Path
) -> list[GateCheck]:
    """`score --baseline`: today's result against a saved one, as `compare` would judge it."""
    current = parse_result(result_to_dict(result), label)
    return check_regressions(compare_results(baseline, current), max_drop)
