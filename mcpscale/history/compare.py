"""Two saved results compared: per dimension and question, old, new and the change.

Everything here works on the saved `mcpscale/result@1` documents (dicts), so a result
scored a year ago compares with one scored today without re-reading any answers.

When the two results score different versions of the questionnaire, only questions that
carry over one to one (kept, or renamed, as the pack's migrations say) are compared, and each
dimension and the overall score are compared as the weighted mean of those questions on
both sides, so a question added or dropped between versions moves no score.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from mcpscale.assess.migrate import carried_id
from mcpscale.assess.scoring import weighted_mean
from mcpscale.assess.thresholds import GateCheck
from mcpscale.errors import UserError
from mcpscale.formats.migration import Migration, MigrationSet
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
class InstrumentChange:
    """Two results of different questionnaire versions: what could be compared."""

    old_version: str
    new_version: str
    compared: int  # question pairs compared
    not_comparable: tuple[str, ...]  # question ids of either side without a counterpart
    migrated: bool  # the pack's migrations said which questions map (else: the same ids)

    @property
    def message(self) -> str:
        text = (
            f"the instrument changed ({self.old_version} -> {self.new_version}): "
            f"{self.compared} question{'s' * (self.compared != 1)} compared, "
            f"{len(self.not_comparable)} not comparable"
        )
        if not self.migrated:
            text += (
                f" (no migration leads from {self.old_version} to {self.new_version}, so "
                "questions with the same id are compared)"
            )
        return text + "; dimension and overall scores are over the questions compared"


@dataclass(frozen=True)
class Comparison:
    base: SavedResult
    new: SavedResult
    overall: Change
    dimensions: tuple[Change, ...]
    questions: tuple[Change, ...]
    instrument: InstrumentChange | None = None  # set when the questionnaire versions differ

    @property
    def improvements(self) -> list[Change]:
        return [c for c in (*self.dimensions, *self.questions) if c.direction > 0]

    @property
    def regressions(self) -> list[Change]:
        return [c for c in (*self.dimensions, *self.questions) if c.direction < 0]


def compare_results(
    base: SavedResult, new: SavedResult, steps: Sequence[Migration] | None = None
) -> Comparison:
    """Per dimension and per question: old, new, delta. Both must answer one questionnaire;
    across its versions, `steps` (the migrations from the base's version to the new one's)
    say which questions map, and without them questions with the same id are compared."""
    if base.questionnaire_id != new.questionnaire_id:
        raise UserError(
            f"{base.path} scores questionnaire '{base.questionnaire_id}' but {new.path} "
            f"scores '{new.questionnaire_id}'; compare results of the same questionnaire"
        )
    if base.questionnaire_version != new.questionnaire_version:
        return _across_versions(base, new, steps)
    return Comparison(
        base=base,
        new=new,
        overall=Change("overall", "Overall", base.overall, new.overall),
        dimensions=_changes(base.dimensions, new.dimensions),
        questions=_changes(base.data["questions"], new.data["questions"]),
    )


def _across_versions(
    base: SavedResult, new: SavedResult, steps: Sequence[Migration] | None
) -> Comparison:
    old_questions = {q["id"]: q for q in base.data["questions"]}
    new_questions = {q["id"]: q for q in new.data["questions"]}
    pairs: dict[str, str] = {}  # old id -> new id
    for old_id in old_questions:
        new_id = carried_id(old_id, steps or ())
        if new_id is not None and new_id in new_questions and new_id not in pairs.values():
            pairs[old_id] = new_id
    old_side = [old_questions[old_id] for old_id in pairs]
    new_side = [new_questions[new_id] for new_id in pairs.values()]
    dimension_ids = [d["id"] for d in base.dimensions]
    dimension_ids += [d["id"] for d in new.dimensions if d["id"] not in dimension_ids]
    names = {d["id"]: d["name"] for d in (*base.dimensions, *new.dimensions)}
    dimensions = tuple(
        Change(
            dimension_id,
            str(names[dimension_id]),
            _mean_of(old_side, dimension_id),
            _mean_of(new_side, dimension_id),
        )
        for dimension_id in dimension_ids
    )
    overall = Change(
        "overall",
        "Overall",
        _overall_of(dimensions, base.dimensions, old=True),
        _overall_of(dimensions, new.dimensions, old=False),
    )
    questions = tuple(
        Change(
            new_id,
            str(new_questions[new_id].get("text") or new_id),
            old_questions[old_id].get("score"),
            new_questions[new_id].get("score"),
        )
        for old_id, new_id in pairs.items()
    )
    not_comparable = [q for q in old_questions if q not in pairs]
    not_comparable += [q for q in new_questions if q not in pairs.values()]
    instrument = InstrumentChange(
        str(base.questionnaire_version or "?"),
        str(new.questionnaire_version or "?"),
        len(pairs),
        tuple(not_comparable),
        steps is not None,
    )
    return Comparison(base, new, overall, dimensions, questions, instrument)


def _mean_of(questions: Sequence[Mapping[str, Any]], dimension_id: str) -> float | None:
    """A dimension's score over the questions compared: their weighted mean."""
    return weighted_mean(
        [
            (q["score"], q.get("weight", 1.0))
            for q in questions
            if q.get("dimension") == dimension_id
            and q.get("score") is not None
            and q.get("scored", True)
        ]
    )


def _overall_of(
    dimensions: Sequence[Change], weights_from: Sequence[Mapping[str, Any]], old: bool
) -> float | None:
    weights = {d["id"]: d.get("weight", 1.0) for d in weights_from}
    pairs = []
    for change in dimensions:
        score = change.old if old else change.new
        if score is not None and change.id in weights:
            pairs.append((score, weights[change.id]))
    return weighted_mean(pairs)


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

    instrument = comparison.instrument
    return {
        "schema": COMPARE_SCHEMA,
        "base": side(comparison.base),
        "new": side(comparison.new),
        "instrument_changed": None
        if instrument is None
        else {
            "from": instrument.old_version,
            "to": instrument.new_version,
            "compared": instrument.compared,
            "not_comparable": list(instrument.not_comparable),
            "migrated": instrument.migrated,
            "message": instrument.message,
        },
        "overall": change(comparison.overall),
        "dimensions": [change(c) for c in comparison.dimensions],
        "questions": [change(c) for c in comparison.questions],
        "improvements": [c.id for c in comparison.improvements],
        "regressions": [c.id for c in comparison.regressions],
        "gates": [{"name": g.name, "passed": g.passed, "message": g.message} for g in checks],
        "passed": all(g.passed for g in checks),
    }


def check_against_baseline(
    baseline: SavedResult,
    result: Result,
    max_drop: float,
    label: Path,
    migrations: MigrationSet | None = None,
) -> list[GateCheck]:
    """`score --baseline`: today's result against a saved one, as `compare` would judge it
    (across questionnaire versions, over the questions `migrations` map)."""
    current = parse_result(result_to_dict(result), label)
    steps = None
    start, end = baseline.questionnaire_version, current.questionnaire_version
    if migrations is not None and start is not None and end is not None:
        steps = migrations.path(start, end)
    return check_regressions(compare_results(baseline, current, steps), max_drop)
