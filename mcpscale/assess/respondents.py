"""Respondents as a source of evidence: who rates above or below the room, and by how much.

The rules (pinned by tests/test_story.py):
- a respondent's mean level is the plain mean of the levels they gave on questions that
  apply (`unknown` and `na` left out); the room's is the same mean over everyone else's;
- a respondent sits alone at one end of a disagreement when they are the only one giving
  its highest (or its lowest) level;
- an outlier is a respondent, among at least OUTLIER_MIN_RESPONDENTS, whose mean level is at
  least OUTLIER_MIN_DIFFERENCE (levels of a 1-5 scale; the same share of any other scale's
  span, Result.on_scale) from the room's and who sits alone at the same end (high, or
  low) of at least OUTLIER_MIN_SHARE of the disagreements; if several qualify, the one
  furthest from the room. The overall is then also computed without them, by the same rules
  as the score (scoring.py), so the two figures can be read side by side.
"""

from __future__ import annotations

import math
import statistics
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass

from mcpscale.assess.scoring import weighted_mean
from mcpscale.formats.results import Disagreement, Result

OUTLIER_MIN_RESPONDENTS = 3
OUTLIER_MIN_DIFFERENCE = 0.75  # levels
OUTLIER_MIN_SHARE = 0.5  # of the disagreements
CONFIDENCES = ("high", "medium", "low")


@dataclass(frozen=True)
class Standing:
    """One respondent against the room."""

    name: str
    role: str
    levels: int  # how many levels they gave on applicable questions
    mean_level: float | None
    room_mean: float | None  # everyone else's mean level
    alone_high: int  # disagreements where they alone give the highest level
    alone_low: int
    confidence: dict[str, int]  # high/medium/low -> how many of their answers say so

    @property
    def difference(self) -> float | None:
        if self.mean_level is None or self.room_mean is None:
            return None
        return self.mean_level - self.room_mean


@dataclass(frozen=True)
class RespondentReading:
    standings: tuple[Standing, ...]
    disagreements: int
    outlier: Standing | None
    overall: float | None
    overall_without_outlier: float | None


def _applicable_levels(result: Result, leave_out: Collection[str] = ()) -> list[tuple[str, int]]:
    return [
        (a.respondent, a.level)
        for q in result.questions
        if q.status != "not_applicable"
        for a in q.answers
        if a.level is not None and a.respondent not in leave_out
    ]


def _mean(values: list[int]) -> float | None:
    return math.fsum(values) / len(values) if values else None


def lone_ends(disagreement: Disagreement) -> tuple[str | None, str | None]:
    """(who alone gives the highest level, who alone gives the lowest), None where shared."""
    levels = disagreement.levels
    top = [name for name, level in levels.items() if level == disagreement.max_level]
    bottom = [name for name, level in levels.items() if level == disagreement.min_level]
    return (top[0] if len(top) == 1 else None, bottom[0] if len(bottom) == 1 else None)


def overall_without(result: Result, leave_out: Collection[str]) -> float | None:
    """The overall score as scoring.py computes it, over everyone's answers but these."""
    combine = statistics.median if result.aggregate == "median" else statistics.fmean
    dimension_pairs = []
    for dimension in result.dimensions:
        pairs = []
        for q in result.questions:
            if q.dimension != dimension.id or q.status == "not_applicable":
                continue
            levels = [
                a.level for a in q.answers if a.level is not None and a.respondent not in leave_out
            ]
            if levels:
                pairs.append((float(combine(levels)), q.weight))
        score = weighted_mean(pairs)
        if score is not None:
            dimension_pairs.append((score, dimension.weight))
    return weighted_mean(dimension_pairs)


def read_respondents(result: Result) -> RespondentReading:
    everyone = _applicable_levels(result)
    ends = [lone_ends(d) for d in result.disagreements]
    standings = []
    for respondent in result.respondents:
        name = respondent.name
        own = [level for who, level in everyone if who == name]
        others = [level for who, level in everyone if who != name]
        confidence = Counter(
            a.confidence
            for q in result.questions
            for a in q.answers
            if a.respondent == name and a.confidence
        )
        standings.append(
            Standing(
                name=name,
                role=respondent.role,
                levels=len(own),
                mean_level=_mean(own),
                room_mean=_mean(others),
                alone_high=sum(1 for high, _ in ends if high == name),
                alone_low=sum(1 for _, low in ends if low == name),
                confidence={c: confidence.get(c, 0) for c in CONFIDENCES},
            )
        )
    outlier = _outlier(
        standings, len(result.disagreements), result.on_scale(OUTLIER_MIN_DIFFERENCE)
    )
    return RespondentReading(
        standings=tuple(standings),
        disagreements=len(result.disagreements),
        outlier=outlier,
        overall=result.overall.score,
        overall_without_outlier=None
        if outlier is None
        else overall_without(result, {outlier.name}),
    )


def _outlier(
    standings: list[Standing], disagreements: int, min_difference: float
) -> Standing | None:
    if len(standings) < OUTLIER_MIN_RESPONDENTS or not disagreements:
        return None
    candidates = []
    for s in standings:
        difference = s.difference
        if difference is None or abs(difference) < min_difference:
            continue
        alone = s.alone_high if difference > 0 else s.alone_low
        if alone >= OUTLIER_MIN_SHARE * disagreements:
            candidates.append((-abs(difference), s.name, s))
    return min(candidates, key=lambda c: (c[0], c[1]))[2] if candidates else None
