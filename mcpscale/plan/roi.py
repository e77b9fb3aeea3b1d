"""Return on investment in the style of Forrester's Total Economic Impact, with its uncertainty.

Benefit streams, costs, risk adjustment, discounting, NPV, ROI, benefit-cost ratio, IRR,
payback, the Monte Carlo and the sensitivity table are written out in docs/methodology.md.
Every benefit stream is linear in one factor drawn from the economic ranges, so the
simulation only scales per-stream present values: it is fully vectorised with numpy.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from mcpscale.formats.pack import ECONOMIC_INPUTS, BenefitRamp, Estimate, Reference

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
class Simulation:
    draws: int
    seed: int
    npv: tuple[float, float, float]  # P10, P50, P90
    roi: tuple[float, float, float]
    prob_positive: float  # share of draws with ROI > 0
    # P10, P50, P90 of the undiscounted cumulative net cash flow at the end of each year.
    cumulative: tuple[tuple[float, float, float], ...] = ()
    npv_mean: float = 0.0
    roi_mean: float = 0.0


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
) -> RoiResult:
    """NPV, ROI, BCR, IRR and payback at the most likely values; then the uncertainty."""
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
        simulation=simulate(model, assumptions, simulations, seed)
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

    def npv_and_cost(self, values: Mapping[str, Any]) -> tuple[Any, Any]:
        """Works on floats and, element-wise, on numpy arrays of draws alike."""
        benefits: Any = 0.0
        for name in STREAMS:
            benefits = benefits + FACTORS[name](values) * self.unit_present[name]
        costs = self.cost_risk_factor * values["cost_overrun"] * self.base_present_costs
        return self.benefit_factor * benefits - costs, costs


def simulate(
    model: NpvModel, assumptions: Mapping[str, Estimate], draws: int, seed: int
) -> Simulation:
    import numpy as np

    rng = np.random.default_rng(seed)
    # Only the model's inputs are drawn, in a fixed order, so that adding an informational
    # assumption to economics.yaml does not change the draws.
    values = {
        name: pert(rng, estimate.low, estimate.likely, estimate.high, draws)
        for name in ECONOMIC_INPUTS
        for estimate in [assumptions[name]]
    }
    npv_draws, cost_draws = model.npv_and_cost(values)
    npv_array = np.asarray(npv_draws, dtype=float)
    roi_array = npv_array / np.asarray(cost_draws, dtype=float)
    npv_p = np.percentile(npv_array, [10, 50, 90])
    roi_p = np.percentile(roi_array, [10, 50, 90])
    return Simulation(
        draws=draws,
        seed=seed,
        npv=(float(npv_p[0]), float(npv_p[1]), float(npv_p[2])),
        roi=(float(roi_p[0]), float(roi_p[1]), float(roi_p[2])),
        prob_positive=float(np.mean(roi_array > 0)),
        cumulative=cumulative_percentiles(model, values),
        npv_mean=float(np.mean(npv_array)),
        roi_mean=float(np.mean(roi_array)),
    )


def cumulative_percentiles(
    model: NpvModel, values: Mapping[str, Any]
) -> tuple[tuple[float, float, float], ...]:
    """Per year, P10/P50/P90 of the cumulative net cash flow over the drawn `values`."""
    import numpy as np

    if not model.base_yearly_costs:
        return ()
    years = len(model.base_yearly_costs)
    draws = len(next(iter(values.values())))
    net = np.zeros((draws, years))
    for name in STREAMS:
        factor = np.asarray(FACTORS[name](values), dtype=float).reshape(-1, 1)
        net += model.benefit_factor * factor * np.asarray(model.unit_yearly[name], dtype=float)
    overrun = np.asarray(values["cost_overrun"], dtype=float).reshape(-1, 1)
    net -= model.cost_risk_factor * overrun * np.asarray(model.base_yearly_costs, dtype=float)
    band = np.percentile(np.cumsum(net, axis=1), [10, 50, 90], axis=0)
    return tuple((float(band[0, y]), float(band[1, y]), float(band[2, y])) for y in range(years))


def sensitivity(model: NpvModel, assumptions: Mapping[str, Estimate]) -> tuple[Sensitivity, ...]:
    """Each model input at its low and its high, the others at most likely; largest swing first."""
    likely = {name: estimate.likely for name, estimate in assumptions.items()}
    rows = []
    for name in sorted(set(ECONOMIC_INPUTS) & set(assumptions)):
        estimate = assumptions[name]
        at_low, _ = model.npv_and_cost({**likely, name: estimate.low})
        at_high, _ = model.npv_and_cost({**likely, name: estimate.high})
        rows.append(Sensitivity(name, estimate.low, estimate.high, float(at_low), float(at_high)))
    return tuple(sorted(rows, key=lambda row: (-row.swing, row.input)))
