"""Return on investment in the style of Forrester's Total Economic Impact, with its uncertainty.

Benefit streams, costs, risk adjustment, discounting, NPV, ROI, benefit-cost ratio, IRR,
payback, the Monte Carlo (correlated inputs, drawn phase lengths, gates as options) and the
sensitivity table are written out in docs/methodology.md, section 8. Every benefit stream is
linear in one factor drawn from the economic ranges, so each draw's month-by-month flows are
array arithmetic over the draws: nothing loops in Python per draw.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from mcpscale.formats.pack import (
    ECONOMIC_INPUTS,
    BenefitRamp,
    Correlation,
    Estimate,
    Reference,
    cholesky,
    correlation_matrix,
)

if TYPE_CHECKING:
    import numpy as np

    from mcpscale.plan.budget import Budget
    from mcpscale.plan.roadmap import PhaseSpan

DEFAULT_SIMULATIONS = 10_000
DEFAULT_SEED = 20261
STREAMS = ("developer_productivity", "development_cycles", "compute_savings", "time_to_market")
STREAM_TITLES = {
    "developer_productivity": "Developer productivity",
    "development_cycles": "Shorter development cycles",
    "compute_savings": "Lower compute costs",
    "time_to_market": "Faster time to market",
}


@dataclass(frozen=True)
class BenefitInputs:
    ai_developers: int
    developer_annual_cost: float
    salary_inflation: float
    ai_compute_annual_spend: float
    new_ai_applications_per_year: int
    annual_value_per_application: float | None
    application_build_months: float
    developers_per_application: float


# How each stream's factor follows from the assumptions (names in economics.yaml).
FACTORS: dict[str, Callable[[Mapping[str, Any]], Any]] = {
    "developer_productivity": lambda a: a["developer_productivity_gain"] * a["context_work_share"],
    "development_cycles": lambda a: a["development_cycle_reduction"],
    "compute_savings": lambda a: a["compute_cost_reduction"],
    "time_to_market": lambda a: 1 - 1 / a["time_to_market_speedup"],
}


@dataclass(frozen=True)
class CashFlow:
    year: int
    costs: float  # risk-adjusted
    benefits: float  # risk-adjusted
    net: float
    discount_factor: float
    present_costs: float
    present_benefits: float
    cumulative_net: float  # undiscounted
    cumulative_present_net: float = 0.0  # discounted: the last year's is the NPV


@dataclass(frozen=True)
class Stage:
    """One phase as the simulation sees it: its length and costs, and the gate at its end."""

    phase: int
    name: str
    planned_months: int  # the plan's length, the most likely
    slowest_months: int  # the pack's high end (or the plan's length when longer)
    initial_cost: float
    monthly_costs: Sequence[float]  # before risk adjustment, in the plan's months
    # The gate at the end of this phase (its exit and the next phase's entry criteria).
    criteria: int = 0
    criteria_met: int = 0
    pass_probability: float = 1.0


@dataclass(frozen=True)
class Stages:
    """The three phases, the benefit ramp's shares and the streams at full benefit."""

    phases: tuple[Stage, ...]
    shares: tuple[float, float, float, float]  # while phase 1, 2, 3 runs; after
    full_streams: Mapping[str, Sequence[float]]  # per month at factor 1 and share 1


@dataclass(frozen=True)
class GateOption:
    """The gate at the end of `phase`: the right to stop before the next phase."""

    phase: int
    name: str  # "Foundation -> Expansion"
    criteria: int
    criteria_met: int
    pass_probability: float  # when the gate is reached
    reached: float  # share of draws that reach it
    stopped: float  # share of draws that stop there


@dataclass(frozen=True)
class Flexibility:
    """Committed (every phase, no stopping) against staged (stop at a gate not passed)."""

    committed_npv: float  # mean over the draws
    staged_npv: float
    gates: tuple[GateOption, ...]
    staged: tuple[float, float, float] = (0.0, 0.0, 0.0)  # P10, P50, P90 of the staged NPV

    @property
    def value(self) -> float:
        """What the right to stop is worth; never negative, as stopping only saves costs."""
        return max(0.0, self.staged_npv - self.committed_npv)


@dataclass(frozen=True)
class Simulation:
    draws: int
    seed: int
    npv: tuple[float, float, float]  # P10, P50, P90
    roi: tuple[float, float, float]
    prob_positive: float  # share of draws with ROI > 0
    # P10, P50, P90 of the undiscounted cumulative net cash flow at the end of each year.
    cumulative: tuple[tuple[float, float, float], ...] = ()
    # P10, P50, P90 of the months to payback (fewer is better); None: not within the horizon.
    payback: tuple[int | None, int | None, int | None] = (None, None, None)
    prob_payback: float = 0.0  # share of draws paid back within the horizon
    npv_mean: float = 0.0
    roi_mean: float = 0.0
    correlations: tuple[Correlation, ...] = ()
    flexibility: Flexibility | None = None
    # P10, P50, P90 of the months until the last phase ends (all gates passed).
    finish_months: tuple[int, int, int] = (0, 0, 0)


@dataclass(frozen=True)
class Sensitivity:
    input: str
    low: float
    high: float
    npv_at_low: float
    npv_at_high: float

    @property
    def swing(self) -> float:
        return abs(self.npv_at_high - self.npv_at_low)


@dataclass(frozen=True)
class RoiResult:
    discount_rate: float
    benefit_risk: float
    cost_risk: float
    cash_flows: tuple[CashFlow, ...]
    benefits_by_stream: dict[str, list[float]]  # risk-adjusted, per year
    present_costs: float
    present_benefits: float
    npv: float
    roi: float | None
    benefit_cost_ratio: float | None
    irr: float | None
    payback_months: int | None
    simulation: Simulation | None
    sensitivity: tuple[Sensitivity, ...]
    assumptions: dict[str, Estimate]
    model: NpvModel  # NPV as a function of the assumptions, for simulation and sensitivity
    # Risk-adjusted benefits per stream and month (month 0 = the plan start).
    monthly_benefits_by_stream: dict[str, list[float]] = dataclasses.field(default_factory=dict)

    @property
    def cost_overrun(self) -> float:
        """The most likely cost overrun factor the headline figures use."""
        estimate = self.assumptions.get("cost_overrun")
        return estimate.likely if estimate else 1.0

    @property
    def costs(self) -> float:
        """The risk-adjusted costs over the horizon, undiscounted."""
        return math.fsum(c.costs for c in self.cash_flows)


@dataclass(frozen=True)
class CostBases:
    """The budget's total cost of ownership beside the ROI's costs, so that they reconcile:
    TCO = budget x (1 + contingency); ROI costs = budget x (1 + cost risk) x overrun."""

    budget: float  # before contingency and risk adjustment, undiscounted
    contingency_rate: float
    tco: float
    cost_risk: float
    cost_overrun: float  # most likely factor
    roi_costs: float  # undiscounted
    roi_present_costs: float

    @property
    def difference(self) -> float:
        """TCO minus the ROI's undiscounted costs."""
        return self.tco - self.roi_costs


def cost_bases(budget: Budget, roi: RoiResult) -> CostBases:
    return CostBases(
        budget=budget.total,
        contingency_rate=budget.contingency_rate,
        tco=budget.total_cost_of_ownership,
        cost_risk=roi.cost_risk,
        cost_overrun=roi.cost_overrun,
        roi_costs=roi.costs,
        roi_present_costs=roi.present_costs,
    )


def citation(estimate: Estimate, reference: Reference | None) -> str:
    """Where an assumption comes from: the reference document by title and section, or that
    the document gives no figure for it (the pack's own assumption)."""
    source = estimate.source.strip()
    if reference is None:
        return source or "-"
    if estimate.section:
        return f"{reference.title}, section {estimate.section}" + (f": {source}" if source else "")
    return f"mcpscale assumption, no figure in {reference.title}" + (
        f": {source}" if source else ""
    )


# ---------------------------------------------------------------- the formulas


def npv(rate: float, flows: Sequence[float]) -> float:
    """Sum of flows[t] / (1 + rate)^t; flows[0] is today (year 0), undiscounted."""
    return math.fsum(flow / (1 + rate) ** year for year, flow in enumerate(flows))


def irr(flows: Sequence[float], low: float = -0.99, high: float = 100.0) -> float | None:
    """The rate where NPV is zero, by bisection; None when NPV does not change sign."""
    npv_low, npv_high = npv(low, flows), npv(high, flows)
    if npv_low == 0:
        return low
    if npv_low * npv_high > 0:
        return None
    for _ in range(200):
        middle = (low + high) / 2
        npv_middle = npv(middle, flows)
        if npv_middle == 0 or high - low < 1e-12:
            return middle
        if (npv_middle > 0) == (npv_low > 0):
            low, npv_low = middle, npv_middle
        else:
            high = middle
    return (low + high) / 2


def payback_month(initial: float, monthly_net: Sequence[float]) -> int | None:
    """Months until the cumulative net flow, starting from `initial` (negative for an
    investment), first climbs back to zero or above; 0 when it is never negative, None
    when it is still negative at the end of the horizon."""
    cumulative = initial
    went_negative = cumulative < 0
    for month, value in enumerate(monthly_net, start=1):
        if went_negative and cumulative >= 0:
            return month - 1
        cumulative += value
        went_negative = went_negative or cumulative < 0
    if went_negative:
        return len(monthly_net) if cumulative >= 0 else None
    return 0


def pert(rng: np.random.Generator, low: float, likely: float, high: float, size: int) -> np.ndarray:
    """PERT draws: low + (high - low) * Beta(1 + 4 (m - a)/(b - a), 1 + 4 (b - m)/(b - a))."""
    import numpy as np

    if high <= low:
        return np.full(size, likely, dtype=float)
    span = high - low
    alpha = 1 + 4 * (likely - low) / span
    beta = 1 + 4 * (high - likely) / span
    return low + span * rng.beta(alpha, beta, size)


# ---------------------------------------------------------------- the model


def ramp_by_month(phases: Sequence[PhaseSpan], ramp: BenefitRamp, months: int) -> list[float]:
    """Share of the full benefit realised in each month, by the phase running then."""
    shares = {1: ramp.phase_1, 2: ramp.phase_2, 3: ramp.phase_3}
    result = []
    for month in range(months):
        running = [p for p in phases if p.start_month <= month < p.end_month]
        result.append(shares[running[0].phase] if running else ramp.after)
    return result


def unit_streams(inputs: BenefitInputs, ramp: Sequence[float]) -> dict[str, list[float]]:
    """Each stream's value per month when its factor is 1 (before risk adjustment)."""
    monthly_salary = inputs.developer_annual_cost / 12
    build_cost = (
        inputs.developers_per_application * inputs.application_build_months * monthly_salary
    )
    new_apps_per_month = inputs.new_ai_applications_per_year / 12
    streams: dict[str, list[float]] = {name: [] for name in STREAMS}
    for month, share in enumerate(ramp):
        inflation = (1 + inputs.salary_inflation) ** (month // 12)
        streams["developer_productivity"].append(
            share * inputs.ai_developers * monthly_salary * inflation
        )
        streams["development_cycles"].append(share * new_apps_per_month * build_cost * inflation)
        streams["compute_savings"].append(share * inputs.ai_compute_annual_spend / 12)
        # An app built faster earns its value for the months it no longer waits.
        value = inputs.annual_value_per_application or 0.0
        streams["time_to_market"].append(
            share * new_apps_per_month * value * inputs.application_build_months / 12
        )
    return streams


def _yearly(monthly: Sequence[float], horizon_years: int) -> list[float]:
    """[year 0, year 1, ...]: benefits start in year 1."""
    return [0.0] + [math.fsum(monthly[12 * y : 12 * (y + 1)]) for y in range(horizon_years)]


def project(
    initial_cost: float,
    monthly_costs: Sequence[float],
    streams: Mapping[str, Sequence[float]],
    assumptions: Mapping[str, Estimate],
    horizon_years: int,
    discount_rate: float,
    benefit_risk: float,
    cost_risk: float,
    simulations: int = DEFAULT_SIMULATIONS,
    seed: int = DEFAULT_SEED,
    stages: Stages | None = None,
    correlations: Sequence[Correlation] = (),
) -> RoiResult:
    """NPV, ROI, BCR, IRR and payback at the most likely values; then the uncertainty.

    `stages` gives the phases' lengths, costs and gates for the schedule and the gates as
    options; without it the simulation keeps the given months and has no gate."""
    likely = {name: estimate.likely for name, estimate in assumptions.items()}
    factors = {name: FACTORS[name](likely) for name in STREAMS}
    cost_factor = (1 + cost_risk) * likely["cost_overrun"]
    benefit_factor = 1 - benefit_risk
    monthly_benefits = [
        benefit_factor * math.fsum(factors[name] * streams[name][m] for name in STREAMS)
        for m in range(len(monthly_costs))
    ]
    yearly_costs = [
        cost_factor * c for c in [initial_cost, *_yearly(monthly_costs, horizon_years)[1:]]
    ]
    yearly_benefits = _yearly(monthly_benefits, horizon_years)
    cash_flows = []
    cumulative = cumulative_present = 0.0
    for year in range(horizon_years + 1):
        discount = 1 / (1 + discount_rate) ** year
        net = yearly_benefits[year] - yearly_costs[year]
        cumulative += net
        cumulative_present += yearly_benefits[year] * discount - yearly_costs[year] * discount
        cash_flows.append(
            CashFlow(
                year,
                yearly_costs[year],
                yearly_benefits[year],
                net,
                discount,
                yearly_costs[year] * discount,
                yearly_benefits[year] * discount,
                cumulative,
                cumulative_present,
            )
        )
    present_costs = math.fsum(c.present_costs for c in cash_flows)
    present_benefits = math.fsum(c.present_benefits for c in cash_flows)
    net_present_value = present_benefits - present_costs
    monthly_net = [
        b - cost_factor * c for b, c in zip(monthly_benefits, monthly_costs, strict=True)
    ]
    unit_present = {
        name: npv(discount_rate, _yearly(streams[name], horizon_years)) for name in STREAMS
    }
    base_present_costs = present_costs / cost_factor if cost_factor else 0.0
    model = NpvModel(
        unit_present,
        base_present_costs,
        benefit_factor,
        1 + cost_risk,
        {name: _yearly(streams[name], horizon_years) for name in STREAMS},
        [initial_cost, *_yearly(monthly_costs, horizon_years)[1:]],
        stages or fixed_stages(initial_cost, monthly_costs, streams),
        discount_rate,
    )
    invested = present_costs > 0
    return RoiResult(
        discount_rate=discount_rate,
        benefit_risk=benefit_risk,
        cost_risk=cost_risk,
        cash_flows=tuple(cash_flows),
        benefits_by_stream={
            name: _yearly(
                [benefit_factor * factors[name] * value for value in streams[name]],
                horizon_years,
            )
            for name in STREAMS
        },
        present_costs=present_costs,
        present_benefits=present_benefits,
        npv=net_present_value,
        roi=net_present_value / present_costs if invested else None,
        benefit_cost_ratio=present_benefits / present_costs if invested else None,
        irr=irr([c.net for c in cash_flows]) if invested else None,
        payback_months=payback_month(-cost_factor * initial_cost, monthly_net)
        if invested
        else None,
        simulation=simulate(model, assumptions, simulations, seed, correlations)
        if invested and simulations
        else None,
        sensitivity=sensitivity(model, assumptions) if invested else (),
        assumptions=dict(assumptions),
        model=model,
        monthly_benefits_by_stream={
            name: [benefit_factor * factors[name] * value for value in streams[name]]
            for name in STREAMS
        },
    )


@dataclass(frozen=True)
class NpvModel:
    """NPV as a function of the assumptions: sum of factor x unit PV, minus scaled costs."""

    unit_present: Mapping[str, float]
    base_present_costs: float
    benefit_factor: float
    cost_risk_factor: float
    unit_yearly: Mapping[str, Sequence[float]] = dataclasses.field(default_factory=dict)
    base_yearly_costs: Sequence[float] = ()
    stages: Stages | None = None
    discount_rate: float = 0.0

    def npv_and_cost(self, values: Mapping[str, Any]) -> tuple[Any, Any]:
        """Works on floats and, element-wise, on numpy arrays of draws alike."""
        benefits: Any = 0.0
        for name in STREAMS:
            benefits = benefits + FACTORS[name](values) * self.unit_present[name]
        costs = self.cost_risk_factor * values["cost_overrun"] * self.base_present_costs
        return self.benefit_factor * benefits - costs, costs


def fixed_stages(
    initial_cost: float, monthly_costs: Sequence[float], streams: Mapping[str, Sequence[float]]
) -> Stages:
    """No schedule to move and no gate: the given streams and costs as they are."""
    none = [0.0] * len(monthly_costs)
    return Stages(
        (
            Stage(1, "", 0, 0, initial_cost, monthly_costs),
            Stage(2, "", 0, 0, 0.0, none),
            Stage(3, "", 0, 0, 0.0, none),
        ),
        (1.0, 1.0, 1.0, 1.0),
        streams,
    )


def draw_inputs(
    assumptions: Mapping[str, Estimate],
    draws: int,
    seed: int,
    correlations: Sequence[Correlation] = (),
) -> dict[str, np.ndarray]:
    """PERT draws of the model's inputs; with correlations, reordered so that their ranks
    correlate as declared (Iman-Conover: a Gaussian copula over the same draws). Without
    correlations the draws are exactly the independent ones of the same seed."""
    import numpy as np

    rng = np.random.default_rng(seed)
    # Only the model's inputs are drawn, in a fixed order, so that adding an informational
    # assumption to economics.yaml does not change the draws.
    values = {
        name: pert(rng, estimate.low, estimate.likely, estimate.high, draws)
        for name in ECONOMIC_INPUTS
        for estimate in [assumptions[name]]
    }
    paired = [c for c in correlations if c.coefficient != 0]
    if not paired or draws < 2:
        return values
    lower = cholesky(correlation_matrix(paired))
    if lower is None:  # formats/pack.py rejects such files; a guard for direct callers
        raise ValueError("the correlations contradict each other")
    # A stream of its own, so that the inputs' draws stay those of the independent model.
    normal = np.random.default_rng([seed, 3]).standard_normal((draws, len(ECONOMIC_INPUTS)))
    scores = normal @ np.asarray(lower).T
    moved = {name for pair in paired for name in pair.between}
    for position, name in enumerate(ECONOMIC_INPUTS):
        if name in moved:  # the k-th smallest draw goes where the k-th smallest score is
            reordered = np.empty(draws)
            reordered[np.argsort(scores[:, position])] = np.sort(values[name])
            values[name] = reordered
    return values


def draw_schedule(stages: Stages, draws: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Each phase's slip in whole months (PERT from the plan's length, the most likely, to
    the slowest) and whether each of the two gates is passed, one row per draw."""
    import numpy as np

    rng = np.random.default_rng([seed, 1])
    slips = np.zeros((draws, 3), dtype=np.int64)
    for position, stage in enumerate(stages.phases):
        if stage.slowest_months > stage.planned_months:
            months = pert(
                rng, stage.planned_months, stage.planned_months, stage.slowest_months, draws
            )
            slips[:, position] = np.rint(months).astype(np.int64) - stage.planned_months
    chance = np.random.default_rng([seed, 2]).random((draws, 2))
    passed = chance < np.array(
        [stages.phases[0].pass_probability, stages.phases[1].pass_probability]
    )
    return slips, passed


@dataclass(frozen=True)
class Outcomes:
    """Per draw: committed NPV and present costs, staged NPV, the committed monthly net."""

    npv: np.ndarray
    present_costs: np.ndarray
    staged_npv: np.ndarray
    initial: np.ndarray  # the committed initial investment (negative)
    monthly_net: np.ndarray  # draws x months, committed


def outcomes(
    model: NpvModel, values: Mapping[str, Any], slips: np.ndarray, passed: np.ndarray
) -> Outcomes:
    """The programme in every draw. Phase k ends at the sum of the drawn lengths; benefits
    follow the ramp's share of the phase running then. A gate not passed ends the ramp at
    the level reached (the share of the phase that would come next); committed, the later
    phases' costs are paid all the same; staged, they are not. Later phases' costs move
    with the earlier phases' slips; costs moved past the horizon drop out."""
    import numpy as np

    stages = model.stages
    assert stages is not None
    full = np.asarray([stages.full_streams[name] for name in STREAMS], dtype=float)
    months = full.shape[1]
    month = np.arange(months)
    overrun = np.atleast_1d(np.asarray(values["cost_overrun"], dtype=float))
    draws = len(overrun)
    factors = np.stack(
        [
            np.broadcast_to(np.asarray(FACTORS[name](values), dtype=float), (draws,))
            for name in STREAMS
        ],
        axis=1,
    )
    # Draws share few distinct schedules (whole-month slips, two gates): work out each
    # distinct one once, then give every draw its row.
    base = int(slips.max(initial=0)) + 1
    code = ((slips[:, 0] * base + slips[:, 1]) * base + slips[:, 2]) * 4 + passed @ [2, 1]
    _, first_draw, which = np.unique(code, return_index=True, return_inverse=True)
    slip, gate = slips[first_draw], passed[first_draw]
    planned = np.array([stage.planned_months for stage in stages.phases])
    ends = np.cumsum(planned + slip, axis=1)
    gate_1, gate_2 = gate[:, 0], gate[:, 0] & gate[:, 1]
    never = months + 1
    end_2 = np.where(gate_1, ends[:, 1], never)[:, None]
    end_3 = np.where(gate_2, ends[:, 2], never)[:, None]
    first, second, third, after = stages.shares
    share = np.where(
        month < ends[:, [0]],
        first,
        np.where(month < end_2, second, np.where(month < end_3, third, after)),
    )
    discount = 1 / (1 + model.discount_rate) ** (month // 12 + 1)
    shifts = (np.zeros(len(slip), dtype=np.int64), slip[:, 0], slip[:, 0] + slip[:, 1])
    costs = np.zeros((len(slip), months))
    present = []
    for stage, shift in zip(stages.phases, shifts, strict=True):
        padded = np.concatenate([np.zeros(int(shift.max())), stage.monthly_costs])
        moved = padded[int(shift.max()) + month[None, :] - shift[:, None]]
        costs += moved
        present.append(stage.initial_cost + moved @ discount)
    committed = (present[0] + present[1] + present[2])[which]
    staged = (present[0] + gate_1 * present[1] + gate_2 * present[2])[which]
    scale = model.cost_risk_factor * overrun
    committed_costs, staged_costs = scale * committed, scale * staged
    benefits = (model.benefit_factor * share)[which]
    benefits *= factors @ full
    present_benefits = benefits @ discount
    initial = -scale * math.fsum(stage.initial_cost for stage in stages.phases)
    spent = costs[which]
    spent *= scale[:, None]
    monthly_net = benefits
    monthly_net -= spent
    return Outcomes(
        npv=present_benefits - committed_costs,
        present_costs=committed_costs,
        staged_npv=present_benefits - staged_costs,
        initial=initial,
        monthly_net=monthly_net,
    )


def payback_months(initial: np.ndarray, monthly_net: np.ndarray) -> np.ndarray:
    """payback_month for every draw at once; inf where not within the horizon."""
    import numpy as np

    # Summed in the order payback_month sums, so that the two agree to the last bit.
    cumulative = np.cumsum(np.concatenate([initial[:, None], monthly_net], axis=1), axis=1)[:, 1:]
    negative = cumulative < 0
    # Under water at some month up to this one (or at the start).
    seen = np.logical_or.accumulate(negative, axis=1, out=negative.copy())
    seen |= (initial < 0)[:, None]
    back = seen > negative  # under water before, not now: paid back this month
    first = back.argmax(axis=1)
    found = back[np.arange(len(first)), first]
    return np.where(found, first + 1.0, np.where(seen[:, -1], np.inf, 0.0))


def _percentiles(array: np.ndarray) -> tuple[float, float, float]:
    import numpy as np

    band = np.percentile(array, [10, 50, 90])
    return float(band[0]), float(band[1]), float(band[2])


def simulate(
    model: NpvModel,
    assumptions: Mapping[str, Estimate],
    draws: int,
    seed: int,
    correlations: Sequence[Correlation] = (),
) -> Simulation:
    import numpy as np

    values = draw_inputs(assumptions, draws, seed, correlations)
    stages = model.stages
    assert stages is not None, "project() gives every model its stages"
    slips, passed = draw_schedule(stages, draws, seed)
    result = outcomes(model, values, slips, passed)
    roi_array = result.npv / result.present_costs
    months = payback_months(result.initial, result.monthly_net)
    payback = np.percentile(months, [10, 50, 90], method="inverted_cdf")
    finish = np.percentile(
        np.sum(slips, axis=1) + sum(stage.planned_months for stage in stages.phases),
        [10, 50, 90],
        method="inverted_cdf",
    )
    return Simulation(
        draws=draws,
        seed=seed,
        npv=_percentiles(result.npv),
        roi=_percentiles(roi_array),
        prob_positive=float(np.mean(roi_array > 0)),
        cumulative=cumulative_percentiles(result, len(model.base_yearly_costs)),
        payback=(_month(payback[0]), _month(payback[1]), _month(payback[2])),
        prob_payback=float(np.mean(np.isfinite(months))),
        npv_mean=float(np.mean(result.npv)),
        roi_mean=float(np.mean(roi_array)),
        correlations=tuple(correlations),
        flexibility=_flexibility(stages, result, passed),
        finish_months=(int(finish[0]), int(finish[1]), int(finish[2])),
    )


def _month(value: float) -> int | None:
    return int(value) if math.isfinite(value) else None


def _flexibility(stages: Stages, result: Outcomes, passed: np.ndarray) -> Flexibility | None:
    import numpy as np

    named = [stage for stage in stages.phases if stage.name]
    if len(named) < 3:  # no phases to stop between
        return None
    reached_2 = passed[:, 0]
    gates = (
        GateOption(
            1,
            f"{stages.phases[0].name} -> {stages.phases[1].name}",
            stages.phases[0].criteria,
            stages.phases[0].criteria_met,
            stages.phases[0].pass_probability,
            1.0,
            float(np.mean(~passed[:, 0])),
        ),
        GateOption(
            2,
            f"{stages.phases[1].name} -> {stages.phases[2].name}",
            stages.phases[1].criteria,
            stages.phases[1].criteria_met,
            stages.phases[1].pass_probability,
            float(np.mean(reached_2)),
            float(np.mean(reached_2 & ~passed[:, 1])),
        ),
    )
    # Per draw the staged NPV is the committed one plus the costs a stop saves (>= 0).
    saved = np.maximum(result.staged_npv - result.npv, 0.0)
    committed = float(np.mean(result.npv))
    return Flexibility(
        committed_npv=committed,
        staged_npv=committed + float(np.mean(saved)),
        gates=gates,
        staged=_percentiles(result.npv + saved),
    )


def cumulative_percentiles(result: Outcomes, years: int) -> tuple[tuple[float, float, float], ...]:
    """Per year, P10/P50/P90 of the cumulative net cash flow over the draws."""
    import numpy as np

    if not years:
        return ()
    draws, months = result.monthly_net.shape
    yearly = np.zeros((draws, years))
    yearly[:, 0] = result.initial
    for year in range(1, years):
        yearly[:, year] = result.monthly_net[:, 12 * (year - 1) : 12 * year].sum(axis=1)
    band = np.percentile(np.cumsum(yearly, axis=1), [10, 50, 90], axis=0)
    return tuple((float(band[0, y]), float(band[1, y]), float(band[2, y])) for y in range(years))


def sensitivity(model: NpvModel, assumptions: Mapping[str, Estimate]) -> tuple[Sensitivity, ...]:
    """Each model input at its low and its high, the others at most likely; then the schedule
    (every phase as planned against every phase at its slowest) and each gate (not passed,
    the programme stopping there, against passed). Largest swing first."""
    import numpy as np

    likely = {name: estimate.likely for name, estimate in assumptions.items()}
    rows = []
    for name in sorted(set(ECONOMIC_INPUTS) & set(assumptions)):
        estimate = assumptions[name]
        at_low, _ = model.npv_and_cost({**likely, name: estimate.low})
        at_high, _ = model.npv_and_cost({**likely, name: estimate.high})
        rows.append(Sensitivity(name, estimate.low, estimate.high, float(at_low), float(at_high)))
    stages = model.stages
    if stages is not None and any(stage.name for stage in stages.phases):
        point = {name: np.array([likely[name]]) for name in ECONOMIC_INPUTS}
        on_time = np.zeros((1, 3), dtype=np.int64)
        slowest = np.array([[s.slowest_months - s.planned_months for s in stages.phases]])
        all_pass = np.array([[True, True]])
        planned = sum(stage.planned_months for stage in stages.phases)
        if slowest.any():
            rows.append(
                Sensitivity(
                    "schedule_months",
                    planned,
                    planned + int(slowest.sum()),
                    float(outcomes(model, point, on_time, all_pass).npv[0]),
                    float(outcomes(model, point, slowest, all_pass).npv[0]),
                )
            )
        passed_npv = float(outcomes(model, point, on_time, all_pass).npv[0])
        for gate, stop in ((1, [[False, True]]), (2, [[True, False]])):
            stopped = outcomes(model, point, on_time, np.array(stop)).staged_npv[0]
            rows.append(Sensitivity(f"gate_{gate}_passed", 0, 1, float(stopped), passed_npv))
    return tuple(sorted(rows, key=lambda row: (-row.swing, row.input)))
