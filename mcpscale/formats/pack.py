"""The planning files of a content pack (initiatives, gates, risks, economics) as pydantic models.

Like the other formats these check shape only; cross-references (does this dimension,
question or initiative exist? does the trigger parse?) are checked, with line numbers, in
inputs/plan_checks.py.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any, Literal

from pydantic import Field, ValidationError, field_validator, model_validator

from mcpscale.formats.strict import MAX_MONTHS, MAX_PEOPLE, Id, Strict, _text_id

CostCategory = Literal[
    "infrastructure", "software", "cloud", "personnel", "training", "consulting", "operations"
]
COST_CATEGORIES: tuple[str, ...] = (
    "infrastructure",
    "software",
    "cloud",
    "personnel",
    "training",
    "consulting",
    "operations",
)
RiskCategory = Literal["technical", "security", "compliance", "operational", "organisational"]


class MonthRange(Strict):
    low: int = Field(ge=1, le=MAX_MONTHS, description="Shortest duration in months.")
    high: int = Field(ge=1, le=MAX_MONTHS, description="Longest duration in months.")

    @model_validator(mode="after")
    def _ordered(self) -> MonthRange:
        if self.low > self.high:
            raise ValueError(f"low ({self.low}) is above high ({self.high})")
        return self


class Costs(Strict):
    one_off: dict[CostCategory, float] = Field(
        default_factory=dict, description="Paid once, when the initiative starts."
    )
    recurring: dict[CostCategory, float] = Field(
        default_factory=dict, description="Paid every year from the month the initiative ends."
    )

    @field_validator("one_off", "recurring")
    @classmethod
    def _not_negative(cls, value: dict[str, float]) -> dict[str, float]:
        for category, amount in value.items():
            if amount < 0:
                raise ValueError(f"{category}: a cost cannot be negative ({amount:g})")
        return value


class Initiative(Strict):
    id: Id = Field(min_length=1)
    title: str = Field(min_length=1)
    description: str = ""
    dimension: Id = Field(description="The questionnaire dimension this initiative improves.")
    triggers: dict[str, Any] = Field(
        description="Condition on scores that selects it, e.g. {question.gov.mtls: '< 3'}."
    )
    phase: Literal[1, 2, 3]
    duration_months: MonthRange
    effort_fte_months: float = Field(
        gt=0, le=MAX_PEOPLE, description="Core-team effort in person-months."
    )
    costs: Costs = Field(default_factory=Costs)
    depends_on: list[Id] = Field(default_factory=list)
    success_criteria: list[str] = Field(default_factory=list)

    _ids = field_validator("id", mode="before")(_text_id)


class InitiativeSet(Strict):
    kind: Literal["initiatives"]
    initiatives: list[Initiative] = Field(min_length=1)


class Criterion(Strict):
    name: str = Field(min_length=1, description="What must hold, in words.")
    condition: dict[str, Any] = Field(description="The same condition language as triggers.")
    satisfies: list[Id] = Field(
        default_factory=list,
        description="Initiative ids this criterion shows done: while it is met, they are "
        "not scheduled (e.g. a met sponsor criterion satisfies 'name a sponsor').",
    )


class Gate(Strict):
    phase: Literal[1, 2, 3]
    name: str = Field(min_length=1)
    focus: list[str] = Field(default_factory=list)
    duration_months: MonthRange
    entry: list[Criterion] = Field(default_factory=list)
    exit: list[Criterion] = Field(default_factory=list)
    source: str = ""


class GateSet(Strict):
    kind: Literal["gates"]
    phases: list[Gate] = Field(min_length=3, max_length=3)

    @model_validator(mode="after")
    def _one_per_phase(self) -> GateSet:
        if sorted(g.phase for g in self.phases) != [1, 2, 3]:
            raise ValueError("phases must be 1, 2 and 3, once each")
        return self

    def gate(self, phase: int) -> Gate:
        return next(g for g in self.phases if g.phase == phase)


class Risk(Strict):
    id: Id = Field(min_length=1)
    title: str = Field(min_length=1)
    description: str = ""
    category: RiskCategory
    probability: int = Field(ge=1, le=5)
    impact: int = Field(ge=1, le=5)
    trigger: dict[str, Any] = Field(description="Condition on scores under which the risk is live.")
    mitigations: list[Id] = Field(default_factory=list, description="Initiative ids.")

    _ids = field_validator("id", mode="before")(_text_id)


class RiskSet(Strict):
    kind: Literal["risks"]
    risks: list[Risk] = Field(min_length=1)


class Estimate(Strict):
    """An uncertain figure as (low, most likely, high), with where it comes from."""

    low: float
    likely: float
    high: float
    unit: str = ""
    source: str = ""
    section: str = Field(
        "",
        description="The section of the economics file's reference document the figure comes "
        "from; empty when the figure is the pack's own assumption.",
    )

    @model_validator(mode="after")
    def _ordered(self) -> Estimate:
        if not self.low <= self.likely <= self.high:
            raise ValueError(
                f"expected low <= likely <= high, found {self.low:g}, {self.likely:g}, "
                f"{self.high:g}"
            )
        return self

    def merged(self, override: Mapping[Any, float]) -> Estimate:
        """This estimate with some of low, likely, high replaced; ValueError if out of order."""
        fields: dict[str, Any] = self.model_dump()
        fields.update((str(key), value) for key, value in override.items())
        try:
            return Estimate(**fields)
        except ValidationError as exc:
            raise ValueError(exc.errors()[0]["msg"].removeprefix("Value error, ")) from None

    def merged_for(self, name: str, override: Mapping[Any, float]) -> Estimate:
        """`merged`, then the model's own rules for the assumption `name`."""
        merged = self.merged(override)
        problem = assumption_problem(name, merged)
        if problem:
            raise ValueError(problem.removeprefix(f"{name}: "))
        return merged


# What the assessment says that moves the risk adjustment (plan/risk_adjustment.py).
RiskFactor = Literal["confidence", "disagreement", "evidence_conflicts", "blocked_criteria"]
RISK_FACTORS: tuple[RiskFactor, ...] = (
    "confidence",
    "disagreement",
    "evidence_conflicts",
    "blocked_criteria",
)


class RiskSides(Strict):
    """One figure for the benefits' adjustment and one for the costs'."""

    benefits: float = Field(ge=0, lt=1)
    costs: float = Field(ge=0)


def _default_weights() -> dict[RiskFactor, RiskSides]:
    # mcpscale assumptions (docs/methodology.md, section 6): what each factor adds, at its
    # worst (every answer held with low confidence, every question in disagreement...).
    return {
        "confidence": RiskSides(benefits=0.10, costs=0.05),
        "disagreement": RiskSides(benefits=0.10, costs=0.05),
        "evidence_conflicts": RiskSides(benefits=0.25, costs=0.10),
        "blocked_criteria": RiskSides(benefits=0.05, costs=0.05),
    }


class RiskAdjustment(Strict):
    benefits: float = Field(
        0.15,
        ge=0,
        lt=1,
        description="Share by which benefits are reduced when the assessment leaves nothing "
        "to doubt; the assessment's factors add to it.",
    )
    costs: float = Field(
        0.10, ge=0, description="Share by which costs are raised, on the same terms."
    )
    source: str = ""
    weights: dict[RiskFactor, RiskSides] = Field(
        default_factory=_default_weights,
        description="What each factor of the assessment adds at its worst, to benefits and "
        "costs: " + ", ".join(RISK_FACTORS) + ". A factor left out adds nothing.",
    )
    maximum: RiskSides = Field(
        default_factory=lambda: RiskSides(benefits=0.40, costs=0.30),
        description="The largest adjustment the assessment can lead to.",
    )
    weights_source: str = Field(
        "", description="Where the weights and the maximum come from, in words."
    )

    @model_validator(mode="after")
    def _within_maximum(self) -> RiskAdjustment:
        for side in ("benefits", "costs"):
            if getattr(self, side) > getattr(self.maximum, side):
                raise ValueError(
                    f"{side} ({getattr(self, side):g}) is above maximum.{side} "
                    f"({getattr(self.maximum, side):g}); raise the maximum or lower {side}"
                )
        return self


def merged_risk_adjustment(
    default: RiskAdjustment, override: Mapping[Any, float]
) -> RiskAdjustment:
    """The pack's risk adjustment with a profile's overrides; ValueError if out of range."""
    fields: dict[str, Any] = default.model_dump()
    fields.update((str(key), value) for key, value in override.items())
    # A profile's figure fixes that side: the pack's maximum bounds only what the assessment adds.
    for side, value in override.items():
        if isinstance(value, int | float):
            fields["maximum"][str(side)] = max(fields["maximum"][str(side)], value)
    try:
        return RiskAdjustment(**fields)
    except ValidationError as exc:
        error = exc.errors()[0]
        where = ".".join(str(step) for step in error["loc"])
        raise ValueError(f"{where}: {error['msg'][0].lower()}{error['msg'][1:]}") from None


class BenefitRamp(Strict):
    """Share of the full yearly benefit realised while each phase runs, and after."""

    phase_1: float = Field(0.0, ge=0, le=1)
    phase_2: float = Field(0.3, ge=0, le=1)
    phase_3: float = Field(0.6, ge=0, le=1)
    after: float = Field(1.0, ge=0, le=1)


def assumption_problem(name: str, estimate: Estimate) -> str | None:
    """Values the ROI model cannot use: a speed-up below 1, a negative share or factor."""
    if name == "time_to_market_speedup" and estimate.low < 1:
        return f"{name}: low must be at least 1 (a speed-up below 1 is a slow-down)"
    if name in ECONOMIC_INPUTS and estimate.low < 0:
        return f"{name}: low must be 0 or more"
    return None


# The assumptions the ROI model reads; an economics file must give each one.
ECONOMIC_INPUTS = (
    "developer_productivity_gain",
    "context_work_share",
    "development_cycle_reduction",
    "compute_cost_reduction",
    "time_to_market_speedup",
    "cost_overrun",
)


class Correlation(Strict):
    """Two model inputs that move together, as a rank (Spearman) correlation."""

    between: tuple[Id, Id] = Field(description="Two assumption names the ROI model reads.")
    coefficient: float = Field(ge=-1, le=1, description="Rank correlation, -1 to 1.")
    source: str = ""


class GatePass(Strict):
    """The chance of passing a gate, from the share of its criteria met today (mcpscale
    assumption): `none_met` when none is met, `all_met` when all are, linear between."""

    all_met: float = Field(0.95, ge=0, le=1)
    none_met: float = Field(0.75, ge=0, le=1)
    source: str = ""

    @model_validator(mode="after")
    def _ordered(self) -> GatePass:
        if self.none_met > self.all_met:
            raise ValueError(f"none_met ({self.none_met:g}) is above all_met ({self.all_met:g})")
        return self


def pearson_for_rank(coefficient: float) -> float:
    """The normal correlation whose ranks correlate by `coefficient` (Spearman):
    r = 2 sin(pi rho / 6)."""
    return 2 * math.sin(math.pi * coefficient / 6)


def correlation_matrix(correlations: Sequence[Correlation]) -> list[list[float]]:
    """The normal correlation matrix over ECONOMIC_INPUTS, in their order."""
    index = {name: position for position, name in enumerate(ECONOMIC_INPUTS)}
    matrix = [[float(i == j) for j in range(len(index))] for i in range(len(index))]
    for pair in correlations:
        i, j = index[pair.between[0]], index[pair.between[1]]
        matrix[i][j] = matrix[j][i] = pearson_for_rank(pair.coefficient)
    return matrix


def cholesky(matrix: Sequence[Sequence[float]]) -> list[list[float]] | None:
    """The lower triangle L with L L^T = matrix; None when the matrix is not positive definite
    (the coefficients contradict each other)."""
    size = len(matrix)
    lower = [[0.0] * size for _ in range(size)]
    for i in range(size):
        for j in range(i + 1):
            total = matrix[i][j] - math.fsum(lower[i][k] * lower[j][k] for k in range(j))
            if i == j:
                if total <= 1e-12:
                    return None
                lower[i][i] = math.sqrt(total)
            else:
                lower[i][j] = total / lower[j][j]
    return lower


def correlations_problem(correlations: Sequence[Correlation]) -> str | None:
    seen: set[frozenset[str]] = set()
    for number, pair in enumerate(correlations, start=1):
        where = f"pair {number}"
        for name in pair.between:
            if name not in ECONOMIC_INPUTS:
                return (
                    f"{where}: '{name}' is not an input of the ROI model "
                    f"(inputs: {', '.join(ECONOMIC_INPUTS)})"
                )
        if pair.between[0] == pair.between[1]:
            return f"{where}: name two different assumptions"
        key = frozenset(pair.between)
        if key in seen:
            return f"{where}: {pair.between[0]} and {pair.between[1]} are paired twice"
        seen.add(key)
    if cholesky(correlation_matrix(correlations)) is None:
        return (
            "the coefficients contradict each other (no set of inputs can "
            "move together like this); make the strongest ones weaker"
        )
    return None


class Reference(Strict):
    """The document an economics file's figures come from."""

    title: str = Field(min_length=1, description="The document's title, as readers cite it.")
    note: str = Field("", description="What the document is, in a few words.")


class Economics(Strict):
    kind: Literal["economics"]
    reference: Reference | None = Field(
        None, description="The document the assumptions' sections refer to."
    )
    assumptions: dict[Id, Estimate] = Field(
        description="Named ranges; the ROI model reads " + ", ".join(ECONOMIC_INPUTS) + "."
    )
    risk_adjustment: RiskAdjustment = Field(default_factory=RiskAdjustment)
    contingency: float = Field(0.15, ge=0, description="Budget reserve as a share of costs.")
    benefit_ramp: BenefitRamp = Field(default_factory=BenefitRamp)
    correlations: list[Correlation] = Field(
        default_factory=list,
        description="Pairs of model inputs that move together; none: every input independent.",
    )
    gate_pass: GatePass = Field(default_factory=GatePass)

    @model_validator(mode="after")
    def _complete(self) -> Economics:
        missing = [name for name in ECONOMIC_INPUTS if name not in self.assumptions]
        if missing:
            raise ValueError(f"assumptions lack {', '.join(missing)}")
        for name, estimate in self.assumptions.items():
            problem = assumption_problem(name, estimate)
            if problem:
                raise ValueError(problem)
        return self

    @field_validator("correlations")
    @classmethod
    def _consistent(cls, value: list[Correlation]) -> list[Correlation]:
        problem = correlations_problem(value)
        if problem:
            raise ValueError(problem)
        return value


def find_cycle(graph: Mapping[str, Sequence[str]]) -> list[str] | None:
    """A dependency cycle as [a, b, ..., a], or None; edges to unknown nodes are ignored."""
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for target in graph.get(node, ()):
            if target not in graph:
                continue
            if state.get(target) == 1:
                return [*path[path.index(target) :], target]
            if target not in state:
                found = visit(target)
                if found:
                    return found
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state:
            found = visit(node)
            if found:
                return found
    return None


def cycle_message(cycle: Sequence[str]) -> str:
    return (
        f"initiatives depend on each other in a cycle: {' -> '.join(cycle)}; "
        "remove one of these depends_on"
    )
