"""Results over time: scores ordered by assessment date, with the change at each step.

Where the questionnaire version changes between two results, the change at that step is
compare's: over the questions that map (history/compare.py), and the trend says so."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from mcpscale.formats.migration import MigrationSet
from mcpscale.formats.results import SavedResult
from mcpscale.history.compare import compare_results

TREND_SCHEMA = "mcpscale/trend@1"


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
    # where the questionnaire version changed: (file of the later result, what compare says)
    instrument_changes: tuple[tuple[str, str], ...] = ()


def build_trend(results: Sequence[SavedResult], migrations: MigrationSet | None = None) -> Trend:
    """The results in the order given; `migrations` say which questions map where the
    questionnaire version changes (without them, questions with the same id are compared)."""
    latest = results[-1]
    dimensions = tuple((d["id"], d["name"], float(d["target"])) for d in latest.dimensions)
    points: list[TrendPoint] = []
    changes: list[tuple[str, str]] = []
    previous: TrendPoint | None = None
    for index, saved in enumerate(results):
        scores = {d["id"]: d["score"] for d in saved.dimensions}
        deltas = {
            dim_id: _delta(previous.scores.get(dim_id) if previous else None, scores.get(dim_id))
            for dim_id, _, _ in dimensions
        }
        overall_delta = _delta(previous.overall if previous else None, saved.overall)
        before = results[index - 1] if index else None
        if before is not None and before.questionnaire_version != saved.questionnaire_version:
            steps = None
            if migrations is not None and before.questionnaire_version is not None:
                steps = migrations.path(
                    before.questionnaire_version, str(saved.questionnaire_version)
                )
            comparison = compare_results(before, saved, steps)
            across = {change.id: change.delta for change in comparison.dimensions}
            deltas = {dim_id: across.get(dim_id) for dim_id, _, _ in dimensions}
            overall_delta = comparison.overall.delta
            if comparison.instrument is not None:
                changes.append((saved.path.name, comparison.instrument.message))
        point = TrendPoint(
            file=saved.path.name,
            assessed_at=saved.assessed_at,
            overall=saved.overall,
            overall_delta=overall_delta,
            scores={dim_id: scores.get(dim_id) for dim_id, _, _ in dimensions},
            deltas=deltas,
        )
        points.append(point)
        previous = point
    levels = [step["level"] for step in latest.data.get("scale") or []] or [0, 1]
    return Trend(
        latest.data["questionnaire"],
        dimensions,
        tuple(points),
        (min(levels), max(levels)),
        tuple(changes),
    )


def _delta(old: float | None, new: float | None) -> float | None:
    return None if old is None or new is None else new - old


def trend_to_dict(trend: Trend) -> dict[str, Any]:
    return {
        "schema": TREND_SCHEMA,
        "questionnaire": trend.questionnaire,
        "instrument_changes": [
            {"file": file, "message": message} for file, message in trend.instrument_changes
        ],
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
