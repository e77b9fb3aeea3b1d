"""The ROI maths against cash flows worked out by hand, and properties that hold for all inputs."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mcpscale.formats.pack import ECONOMIC_INPUTS, Estimate
from mcpscale.plan.roi import STREAMS, irr, npv, payback_month, project

from .conftest import examples

FIXED = {name: Estimate(low=1.0, likely=1.0, high=1.0) for name in ECONOMIC_INPUTS}


def streams(compute_per_month: float, months: int) -> dict[str, list[float]]:
    """Only the compute-savings stream pays, `compute_per_month` per month at factor 1."""
    result = {name: [0.0] * months for name in STREAMS}
    result["compute_savings"] = [compute_per_month] * months
    return result


def test_npv_of_hand_computed_flows() -> None:
    # -100 today, +50 after one year, +60 after two, at 10%: -100 + 45.4545 + 49.5868
    assert npv(0.10, [-100, 50, 60]) == pytest.approx(-4.958677, abs=1e-6)
    assert npv(0.0, [-100, 50, 60]) == pytest.approx(10)


def test_irr_of_hand_computed_flows() -> None:
    # -100 + 50x + 60x^2 = 0 with x = 1/(1+r): x = (-50 + sqrt(2500 + 24000)) / 120
    x = (-50 + math.sqrt(2500 + 24000)) / 120
    assert irr([-100, 50, 60]) == pytest.approx(1 / x - 1, abs=1e-9)
    assert irr([-100, 110]) == pytest.approx(0.10, abs=1e-9)


def test_irr_is_none_when_npv_never_changes_sign() -> None:
    assert irr([-100, -10, -5]) is None
    assert irr([100, 10]) is None


def test_payback_month_counts_months_until_the_investment_is_back() -> None:
    assert payback_month(-100, [30, 30, 30, 30, 30]) == 4  # -100 +120 at month 4
    assert payback_month(-100, [10] * 5) is None  # still 50 short at the horizon
    assert payback_month(0, [-10, 5, 5]) == 3  # an investment in month 1, back by month 3
    assert payback_month(0, [1, 2]) == 0  # never under water


def test_project_matches_hand_computed_cash_flows() -> None:
    # Year 0: 100 invested. Year 1: 12 months x 20 of compute savings, factor 0.5 -> 120.
    assumptions = {**FIXED, "compute_cost_reduction": Estimate(low=0.5, likely=0.5, high=0.5)}
    roi = project(100, [0.0] * 12, streams(20, 12), assumptions, 1, 0.10, 0.0, 0.0, 0)
    assert [c.net for c in roi.cash_flows] == pytest.approx([-100, 120])
    assert roi.npv == pytest.approx(-100 + 120 / 1.1)
    assert roi.roi == pytest.approx((-100 + 120 / 1.1) / 100)
    assert roi.benefit_cost_ratio == pytest.approx(120 / 1.1 / 100)
    assert roi.irr == pytest.approx(0.20)
    assert roi.payback_months == 10  # 10 per month after risk-free factor 0.5


def test_risk_adjustment_cuts_benefits_and_raises_costs() -> None:
    assumptions = {**FIXED, "compute_cost_reduction": Estimate(low=0.5, likely=0.5, high=0.5)}
    roi = project(100, [0.0] * 12, streams(20, 12), assumptions, 1, 0.0, 0.15, 0.10, 0)
    assert roi.cash_flows[0].costs == pytest.approx(110)
    assert roi.cash_flows[1].benefits == pytest.approx(120 * 0.85)


def test_same_seed_same_numbers_other_seed_other_numbers() -> None:
    assumptions = {name: Estimate(low=0.5, likely=1.0, high=2.0) for name in ECONOMIC_INPUTS}

    def run(seed: int) -> object:
        flows = project(
            100, [5.0] * 24, streams(10, 24), assumptions, 2, 0.1, 0.15, 0.1, 10_000, seed
        )
        return flows.simulation

    assert run(7) == run(7)
    assert run(7) != run(8)


estimates = st.tuples(st.floats(0.05, 1.0), st.floats(0.0, 1.0), st.floats(0.0, 1.0)).map(
    lambda t: Estimate(low=t[0], likely=t[0] * (1 + t[1]), high=t[0] * (1 + t[1]) * (1 + t[2]))
)


@settings(max_examples=examples(40), deadline=None)
@given(
    st.fixed_dictionaries({name: estimates for name in ECONOMIC_INPUTS}),
    st.floats(0.0, 1e6),
    st.integers(0, 2**32 - 1),
)
def test_percentiles_are_ordered(assumptions: dict[str, Estimate], cost: float, seed: int) -> None:
    assumptions["time_to_market_speedup"] = Estimate(low=1.5, likely=2.5, high=3.0)
    roi = project(
        cost + 1, [cost / 10] * 12, streams(1000, 12), assumptions, 1, 0.1, 0.15, 0.1, 500, seed
    )
    sim = roi.simulation
    assert sim is not None
    assert sim.npv[0] <= sim.npv[1] <= sim.npv[2]
    assert sim.roi[0] <= sim.roi[1] <= sim.roi[2]
    assert 0 <= sim.prob_positive <= 1
    assert len(sim.cumulative) == len(roi.cash_flows)  # one band point per year
    assert all(low <= mid <= high for low, mid, high in sim.cumulative)


@settings(max_examples=examples(60), deadline=None)
@given(
    st.floats(1.0, 1e6),
    st.lists(st.floats(0.0, 1e5), min_size=24, max_size=24),
    st.floats(1.01, 5.0),
    st.floats(0.0, 0.3),
)
def test_raising_every_cost_lowers_npv(
    initial: float, monthly: list[float], raise_by: float, rate: float
) -> None:
    base = project(initial, monthly, streams(500, 24), FIXED, 2, rate, 0.15, 0.1, 0)
    higher = project(
        initial * raise_by,
        [m * raise_by for m in monthly],
        streams(500, 24),
        FIXED,
        2,
        rate,
        0.15,
        0.1,
        0,
    )
    assert higher.npv < base.npv


def test_sensitivity_lists_the_largest_swing_first() -> None:
    assumptions = {
        **FIXED,
        "compute_cost_reduction": Estimate(low=0.1, likely=0.2, high=0.9),
        "cost_overrun": Estimate(low=0.9, likely=1.0, high=1.1),
    }
    roi = project(100, [0.0] * 12, streams(20, 12), assumptions, 1, 0.1, 0.0, 0.0, 0)
    swings = [row.swing for row in roi.sensitivity]
    assert swings == sorted(swings, reverse=True)
    assert roi.sensitivity[0].input == "compute_cost_reduction"


@settings(max_examples=examples(40), deadline=None)
@given(
    st.fixed_dictionaries({name: estimates for name in ECONOMIC_INPUTS}),
    st.lists(st.floats(0.0, 1e4), min_size=24, max_size=24),
    st.floats(0.0, 0.3),
)
def test_the_simulation_model_agrees_with_the_cash_flows_at_most_likely(
    assumptions: dict[str, Estimate], monthly: list[float], rate: float
) -> None:
    """The vectorised NPV the simulation uses is the NPV of the cash flows it reports."""
    assumptions["time_to_market_speedup"] = Estimate(low=1.5, likely=2.5, high=3.0)
    every_stream = {name: [100.0 * (i + 1)] * 24 for i, name in enumerate(STREAMS)}
    roi = project(1000, monthly, every_stream, assumptions, 2, rate, 0.15, 0.1, 0)
    likely = {name: e.likely for name, e in assumptions.items()}
    model_npv, _ = roi.model.npv_and_cost(likely)
    assert model_npv == pytest.approx(roi.npv, rel=1e-9, abs=1e-6)


@settings(max_examples=examples(40), deadline=None)
@given(
    st.fixed_dictionaries({name: estimates for name in ECONOMIC_INPUTS}),
    st.lists(st.floats(0.0, 1e4), min_size=24, max_size=24),
)
def test_cumulative_band_collapses_onto_the_cash_flows_without_uncertainty(
    assumptions: dict[str, Estimate], monthly: list[float]
) -> None:
    """With every range a single point, each draw is the reported cumulative cash flow."""
    assumptions["time_to_market_speedup"] = Estimate(low=1.5, likely=2.5, high=3.0)
    fixed = {
        name: Estimate(low=e.likely, likely=e.likely, high=e.likely)
        for name, e in assumptions.items()
    }
    every_stream = {name: [100.0 * (i + 1)] * 24 for i, name in enumerate(STREAMS)}
    roi = project(1000, monthly, every_stream, fixed, 2, 0.1, 0.15, 0.1, 50, 3)
    assert roi.simulation is not None
    for flow, band in zip(roi.cash_flows, roi.simulation.cumulative, strict=True):
        assert band == pytest.approx((flow.cumulative_net,) * 3, rel=1e-9, abs=1e-6)
