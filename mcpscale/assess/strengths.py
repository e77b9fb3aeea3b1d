"""Per dimension, its strengths and weaknesses: scored questions, each in one sentence.

Rule (one place): among a dimension's scored questions (informational ones left out), each
held against its own target where the questionnaire sets one, else the dimension's,
- weaknesses are the two lowest (ties: the heavier weight, then the id); severity by how far
  the question is below its target: 2 levels or more high, 1 or more medium,
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
    target: float  # the question's own target, else its dimension's
    severity: Severity | None  # weaknesses only
    disagreement: bool


def severity_of(result: Result, shortfall: float) -> Severity:
    if shortfall >= result.on_scale(HIGH_SHORTFALL):
        return "high"
    return "medium" if shortfall >= result.on_scale(MEDIUM_SHORTFALL) else "low"


def dimension_points(result: Result, dimension_id: str) -> list[DimensionPoint]:
    """Strengths first, then weaknesses worst first."""
    dimension = next(d for d in result.dimensions if d.id == dimension_id)
    scored = [
        q
        for q in result.questions
        if q.dimension == dimension_id and q.score is not None and q.scored
    ]

    def target_of(q: QuestionScore) -> float:
        return dimension.target if q.target is None else q.target

    def point(q: QuestionScore, kind: Literal["strength", "weakness"]) -> DimensionPoint:
        score = q.score or 0.0
        shortfall = target_of(q) - score
        return DimensionPoint(
            kind,
            q.id,
            q.text,
            score,
            q.level_name,
            shortfall,
            target_of(q),
            severity_of(result, shortfall) if kind == "weakness" else None,
            q.disagreement,
        )

    best = sorted(scored, key=lambda q: (-(q.score or 0), -q.weight, q.id))
    strengths = [q for q in best if (q.score or 0) >= target_of(q)][:PER_KIND] or best[:1]
    worst = sorted(scored, key=lambda q: (q.score or 0, -q.weight, q.id))
    weaknesses = [
        q for q in worst if (q.score or 0) < target_of(q) and q.id not in {s.id for s in strengths}
    ][:PER_KIND]
    return [point(q, "strength") for q in strengths] + [point(q, "weakness") for q in weaknesses]
