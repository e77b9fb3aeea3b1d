"""The TEI risk adjustment taken from the assessment: the pack's figure, plus what low answer
confidence, disagreement, evidence conflicts and blocked gate criteria add, up to the pack's
maximum. The rule and its defaults are in docs/methodology.md, section 6.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from mcpscale.formats.pack import RISK_FACTORS, RiskAdjustment, RiskFactor
from mcpscale.formats.results import Result
from mcpscale.plan.gates import GateReadiness

# How much doubt each stated confidence carries: none when high, all when low.
DOUBT = {"high": 0.0, "medium": 0.5, "low": 1.0}
SIDES = ("benefits", "costs")
RULE = (
    "each side is the pack's figure plus, for every factor, its weight times its measure "
    "(0 = nothing to doubt, 1 = the worst), at most the pack's maximum; a side the "
    "organisation profile sets is used as given"
)


@dataclass(frozen=True)
class Factor:
    """One thing the assessment found, as a share from 0 (nothing to doubt) to 1 (the worst)."""

    name: RiskFactor
    measure: float
    detail: str  # the count behind the measure, in words


@dataclass(frozen=True)
class Side:
    """How the adjustment of benefits (or of costs) was reached."""

    default: float  # the pack's figure: an assessment with nothing to doubt
    contributions: dict[str, float]  # per factor: its weight x its measure
    maximum: float
    computed: float  # default + contributions, at most the maximum
    result: float  # what the plan uses: `computed`, or the profile's figure
    set_by: str  # "assessment" or "profile"


@dataclass(frozen=True)
class RiskBasis:
    factors: tuple[Factor, ...]
    benefits: Side
    costs: Side

    def side(self, name: str) -> Side:
        return self.benefits if name == "benefits" else self.costs


def assessment_factors(
    result: Result, gates: Sequence[GateReadiness] | None = None
) -> tuple[Factor, ...]:
    """The four factors of the risk adjustment, measured on a scored assessment."""
    scored = [q for q in result.questions if q.scored]
    answers = [a for q in scored for a in q.answers if a.level is not None]
    stated = [a.confidence for a in answers if a.confidence is not None and a.confidence in DOUBT]
    counts = ", ".join(
        f"{stated.count(level)} {level}" for level in ("high", "medium", "low") if level in stated
    )
    confidence = Factor(
        "confidence",
        _mean([DOUBT[c] for c in stated]),
        f"{len(stated)} of {len(answers)} answers state a confidence ({counts})"
        if stated
        else "no answer states a confidence",
    )
    compared = [q for q in scored if sum(a.level is not None for a in q.answers) >= 2]
    disagreeing = [q for q in compared if q.disagreement]
    disagreement = Factor(
        "disagreement",
        _share(len(disagreeing), len(compared)),
        f"{len(disagreeing)} of {len(compared)} questions answered by two or more respondents "
        f"are in disagreement (a spread of {result.disagreement_spread:g} {result.unit} or more)"
        if compared
        else "no question has two respondents' answers to compare",
    )
    answered = [q for q in scored if q.status == "scored"]
    conflicted = {c.question for c in result.evidence_conflicts} & {q.id for q in answered}
    conflicts = Factor(
        "evidence_conflicts",
        _share(len(conflicted), len(answered)),
        f"{len(conflicted)} of {len(answered)} answered questions have an answer that claims "
        "more than the evidence supports",
    )
    entry = [check for gate in gates or () for check in gate.entry]
    blocked = [check for check in entry if not check.met]
    blocking = Factor(
        "blocked_criteria",
        _share(len(blocked), len(entry)),
        f"{len(blocked)} of {len(entry)} gate entry criteria are not met today"
        if entry
        else "no gate entry criteria",
    )
    return (confidence, disagreement, conflicts, blocking)


def adjusted(
    pack: RiskAdjustment, factors: Sequence[Factor], fixed: Mapping[Any, float] | None = None
) -> RiskBasis:
    """The pack's adjustment moved by the factors; a side in `fixed` (the profile's figure)
    is used as given."""
    measures = {factor.name: factor.measure for factor in factors}
    sides = {}
    for side in SIDES:
        default, maximum = getattr(pack, side), getattr(pack.maximum, side)
        contributions: dict[str, float] = {
            name: getattr(pack.weights[name], side) * measures.get(name, 0.0)
            for name in RISK_FACTORS
            if name in pack.weights
        }
        computed = min(maximum, default + math.fsum(contributions.values()))
        given = (fixed or {}).get(side)
        sides[side] = Side(
            default=default,
            contributions=contributions,
            maximum=maximum,
            computed=computed,
            result=computed if given is None else given,
            set_by="assessment" if given is None else "profile",
        )
    return RiskBasis(tuple(factors), sides["benefits"], sides["costs"])


def _share(count: int, total: int) -> float:
    return count / total if total else 0.0


def _mean(values: Sequence[float]) -> float:
    return math.fsum(values) / len(values) if values else 0.0
