"""Per dimension, its strengths and weaknesses: scored questions, each in one sentence.

Rule (one place): among a dimension's scored questions,
- weaknesses are the two lowest (ties: the heavier weight, then the id); severity by how far
  the question is below the dimension's target: 2 levels or more high, 1 or more medium,
  less low (levels of a 1-5 scale; the same share of the span on any other scale); a
  question at or above the target is no weakness;
- strengths are the two highest at or above the target; when none reaches it, the highest
  one is named as the strongest point, below target.
Pure: no files, no terminal.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from mcpscale.formats.results import QuestionScore, Result

Severity = Literal["high", "medium", "low"]
HIGH_SHORTFALL = 2.0
MEDIUM_SHORTFALL = 1.0
PER_KIND = 2


@dataclass(frozen=True)
class DimensionPoint:
    kind: Literal["strength", "weakness"]
    question: str
    text: str  # the question's text
    score: float
    level_name: str | None
    shortfall: float  # target minus score (<= 0: at or above the target)
    severity: Severity | None  # weaknesses only
    disagreement: bool


def severity_of(result: Result, shortfall: float) -> Severity:
    if shortfall >= result.on_scale(HIGH_SHORTFALL):
        return "high"
    return "medium" if shortfall >= result.on_scale(MEDIUM_SHORTFALL) else "low"


def dimension_points(result: Result, dimension_id: str) -> list[DimensionPoint]:
    """Strengths first, then weaknesses worst first."""
    dimension = next(d for d in result.dimensions if d.id == dimension_id)
    scored = [q for q in result.questions if q.dimension == dimension_id and q.score is not None]

    def point(q: QuestionScore, kind: Literal["strength", "weakness"]) -> DimensionPoint:
        score = q.score or 0.0
        shortfall = dimension.target - score
        return DimensionPoint(
            kind,
            q.id,
            q.text,
            score,
            q.level_name,
            shortfall,
            severity_of(result, shortfall) if kind == "weakness" else None,
            q.disagreement,
        )

    best = sorted(scored, key=lambda q: (-(q.score or 0), -q.weight, q.id))
    strengths = [q for q in best if (q.score or 0) >= dimension.target][:PER_KIND] or best[:1]
    worst = sorted(scored, key=lambda q: (q.score or 0, -q.weight, q.id))
    weaknesses = [
        q
        for q in worst
        if (q.score or 0) < dimension.target and q.id not in {s.id for s in strengths}
    ][:PER_KIND]
    return [point(q, "strength") for q in strengths] + [point(q, "weakness") for q in weaknesses]
