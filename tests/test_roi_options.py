"""The simulation's schedule, payback percentiles, correlated inputs and gates as options:
properties that hold for all inputs, and what the example's plan, terminal and report show."""

from __future__ import annotations

import math
import shutil
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mcpscale.formats.pack import ECONOMIC_INPUTS, Correlation, Estimate
from mcpscale.inputs.packs import data_dir
from mcpscale.plan.roi import (
    STREAMS,
    RoiResult,
    Stage,
    Stages,
    draw_inputs,
    payback_month,
    payback_months,
    pert,
    project,
)
from mcpscale.render.style import fmt_money

from .conftest import ACME, TINY, Cli, examples
from .test_plan_cli import make_custom_pack

PACK = data_dir("questionnaires") / "mcp-enterprise-readiness"
ACME_ARGS = (ACME / "answers", "--profile", ACME / "profile.yaml", "--simulations", "2000")
MONTHS = 36

estimates = st.tuples(st.floats(0.0, 1.0), st.floats(0.0, 0.5), st.floats(0.0, 0.5)).map(
    lambda t: Estimate(low=t[0], likely=t[0] + t[1], high=t[0] + t[1] + t[2])
)
inputs = st.fixed_dictionaries(
    {
        **{name: estimates for name in ECONOMIC_INPUTS},
        "time_to_market_speedup": estimates.map(
            lambda e: Estimate(low=1 + e.low, likely=1 + e.likely, high=1 + e.high)
        ),
        "cost_overrun": estimates.map(
            lambda e: Estimate(low=0.5 + e.low, likely=0.5 + e.likely, high=0.5 + e.high)
        ),
    }
)


def three_stages(
    lengths: tuple[int, int, int],
    slowest: tuple[int, int, int],
    costs: tuple[float, float, float],
    chances: tuple[float, float],
) -> Stages:
    """Three phases one after the other; each pays `costs[k]` a month while it runs."""
    stages, start = [], 0
    for phase in range(3):
        monthly = [0.0] * MONTHS
        for month in range(start, min(start + lengths[phase], MONTHS)):
            monthly[month] = costs[phase]
        chance = chances[phase] if phase < 2 else 1.0
        stages.append(
            Stage(
                phase + 1,
                f"Phase {phase + 1}",
                lengths[phase],
                max(lengths[phase], slowest[phase]),
                1000.0 if phase == 0 else 0.0,  # run() invests 1000 at the start
                monthly,
                pass_probability=chance,
            )
        )
        start += lengths[phase]
    full = {name: [100.0] * MONTHS for name in STREAMS}
    return Stages(tuple(stages), (0.0, 0.3, 0.6, 1.0), full)


def run(
    assumptions: dict[str, Estimate],
    stages: Stages,
    seed: int,
    correlations: tuple[Correlation, ...] = (),
    draws: int = 300,
) -> RoiResult:
    lengths = [s.planned_months for s in stages.phases]
    shares = [0.0] * lengths[0] + [0.3] * lengths[1] + [0.6] * lengths[2]
    ramp = (shares + [1.0] * MONTHS)[:MONTHS]
    streams = {
        name: [r * v for r, v in zip(ramp, stages.full_streams[name], strict=True)]
        for name in STREAMS
    }
    monthly = [math.fsum(s.monthly_costs[m] for s in stages.phases) for m in range(MONTHS)]
    return project(
        1000.0,
        monthly,
        streams,
        assumptions,
        3,
        0.08,
        0.15,
        0.1,
        draws,
        seed,
        stages,
        correlations,
    )


correlation_sets = st.sampled_from(
    [
        (),
        (Correlation(between=("developer_productivity_gain", "cost_overrun"), coefficient=0.7),),
        (
            Correlation(
                between=("development_cycle_reduction", "time_to_market_speedup"),
                coefficient=-0.5,
            ),
            Correlation(
                between=("developer_productivity_gain", "context_work_share"), coefficient=0.9
            ),
        ),
    ]
)
plans = st.tuples(
    st.tuples(st.integers(1, 6), st.integers(0, 6), st.integers(0, 6)),
    st.tuples(st.integers(1, 12), st.integers(0, 12), st.integers(0, 12)),
    st.tuples(st.floats(0, 500), st.floats(0, 500), st.floats(0, 500)),
    st.tuples(st.floats(0, 1), st.floats(0, 1)),
)


@settings(max_examples=examples(40), deadline=None)
@given(inputs, plans, st.integers(0, 2**32 - 1), correlation_sets)
def test_flexibility_is_never_negative(
    assumptions: dict[str, Estimate], plan: tuple, seed: int, correlations: tuple
) -> None:
    roi = run(assumptions, three_stages(*plan), seed, correlations)
    flexibility = roi.simulation.flexibility
    assert flexibility is not None
    assert flexibility.value >= 0
    assert flexibility.staged_npv >= flexibility.committed_npv - 1e-6 * (
        1 + abs(flexibility.committed_npv)
    )


@settings(max_examples=examples(40), deadline=None)
@given(inputs, plans, st.integers(0, 2**32 - 1), correlation_sets)
def test_p10_p50_p90_are_in_order_for_npv_roi_and_payback(
    assumptions: dict[str, Estimate], plan: tuple, seed: int, correlations: tuple
) -> None:
    simulation = run(assumptions, three_stages(*plan), seed, correlations).simulation
    assert simulation.npv[0] <= simulation.npv[1] <= simulation.npv[2]
    assert simulation.roi[0] <= simulation.roi[1] <= simulation.roi[2]
    payback = [math.inf if p is None else p for p in simulation.payback]
    assert payback[0] <= payback[1] <= payback[2]
    assert 0 <= simulation.prob_payback <= 1


@settings(max_examples=examples(40), deadline=None)
@given(inputs, st.integers(0, 2**32 - 1), st.integers(1, 400))
def test_without_correlations_the_draws_are_the_independent_ones(
    assumptions: dict[str, Estimate], seed: int, draws: int
) -> None:
    rng = np.random.default_rng(seed)
    independent = {
        name: pert(rng, e.low, e.likely, e.high, draws)
        for name in ECONOMIC_INPUTS
        for e in [assumptions[name]]
    }
    for declared in (
        (),
        (Correlation(between=("cost_overrun", "context_work_share"), coefficient=0.0),),
    ):
        drawn = draw_inputs(assumptions, draws, seed, declared)
        for name in ECONOMIC_INPUTS:
            assert np.array_equal(drawn[name], independent[name]), name


def test_without_correlations_the_simulation_equals_the_independent_model() -> None:
    assumptions = {name: Estimate(low=0.1, likely=0.2, high=0.4) for name in ECONOMIC_INPUTS}
    assumptions["time_to_market_speedup"] = Estimate(low=1.5, likely=2, high=3)
    stages = three_stages((3, 6, 6), (6, 9, 12), (50, 80, 80), (0.8, 0.7))
    none = run(assumptions, stages, 7, ()).simulation
    zero = Correlation(between=("cost_overrun", "context_work_share"), coefficient=0.0)
    same = run(assumptions, stages, 7, (zero,)).simulation
    assert (none.npv, none.roi, none.payback, none.flexibility) == (
        same.npv,
        same.roi,
        same.payback,
        same.flexibility,
    )
    strong = Correlation(
        between=("developer_productivity_gain", "context_work_share"), coefficient=0.9
    )
    moved = run(assumptions, stages, 7, (strong,)).simulation
    assert moved.npv != none.npv


def test_declared_correlations_move_the_inputs_together_and_keep_their_ranges() -> None:
    assumptions = {name: Estimate(low=0.1, likely=0.2, high=0.4) for name in ECONOMIC_INPUTS}
    pair = Correlation(
        between=("developer_productivity_gain", "development_cycle_reduction"), coefficient=0.8
    )
    independent = draw_inputs(assumptions, 5000, 11)
    together = draw_inputs(assumptions, 5000, 11, (pair,))
    for name in ECONOMIC_INPUTS:  # the same values, only paired differently
        assert np.array_equal(np.sort(together[name]), np.sort(independent[name]))

    def ranks(values: np.ndarray) -> np.ndarray:
        return np.argsort(np.argsort(values)).astype(float)

    def rank_correlation(a: str, b: str, drawn: dict) -> float:
        return float(np.corrcoef(ranks(drawn[a]), ranks(drawn[b]))[0, 1])

    a, b = pair.between
    assert rank_correlation(a, b, together) == pytest.approx(0.8, abs=0.03)
    assert abs(rank_correlation(a, b, independent)) < 0.05
    assert abs(rank_correlation(a, "cost_overrun", together)) < 0.05


def test_slow_phases_delay_payback_and_lower_the_npv() -> None:
    assumptions = {name: Estimate(low=0.3, likely=0.3, high=0.3) for name in ECONOMIC_INPUTS}
    assumptions["time_to_market_speedup"] = Estimate(low=2, likely=2, high=2)
    assumptions["cost_overrun"] = Estimate(low=1, likely=1, high=1)
    on_time = run(assumptions, three_stages((3, 6, 6), (3, 6, 6), (50, 50, 50), (1, 1)), 5)
    slow = run(assumptions, three_stages((3, 6, 6), (6, 9, 12), (50, 50, 50), (1, 1)), 5)
    fast_sim, slow_sim = on_time.simulation, slow.simulation
    assert fast_sim.payback[0] == fast_sim.payback[2] == on_time.payback_months
    assert slow_sim.payback[2] > fast_sim.payback[2]
    assert slow_sim.npv[1] < fast_sim.npv[1]
    assert slow_sim.finish_months[2] > 15 == fast_sim.finish_months[2]
    rows = {s.input: s for s in slow.sensitivity}
    assert rows["schedule_months"].npv_at_high < rows["schedule_months"].npv_at_low


def test_a_gate_sure_to_pass_is_worth_nothing_and_one_sure_to_fail_saves_the_later_costs() -> None:
    assumptions = {name: Estimate(low=0.3, likely=0.3, high=0.3) for name in ECONOMIC_INPUTS}
    assumptions["time_to_market_speedup"] = Estimate(low=2, likely=2, high=2)
    assumptions["cost_overrun"] = Estimate(low=1, likely=1, high=1)
    sure = run(assumptions, three_stages((3, 6, 6), (3, 6, 6), (50, 80, 80), (1, 1)), 5)
    assert sure.simulation.flexibility.value == 0
    assert sure.simulation.npv[1] == pytest.approx(sure.npv)
    fails = run(assumptions, three_stages((3, 6, 6), (3, 6, 6), (50, 80, 80), (0, 1)), 5)
    flexibility = fails.simulation.flexibility
    saved = 1.1 * math.fsum(80 / 1.08 ** (m // 12 + 1) for m in range(3, 15))
    assert flexibility.value == pytest.approx(saved)
    assert [g.stopped for g in flexibility.gates] == [1.0, 0.0]


def test_the_example_plan_carries_payback_percentiles_and_the_gates_as_options(
    cli: Cli,
) -> None:
    roi = cli.json("plan", *ACME_ARGS)["roi"]
    payback = roi["simulation"]["payback_months"]
    assert {"p10", "p50", "p90", "prob_within_horizon", "convention"} <= set(payback)
    assert payback["p10"] <= payback["p50"]
    flexibility = roi["flexibility"]
    assert flexibility["value"] == pytest.approx(
        flexibility["staged_npv"] - flexibility["committed_npv"]
    )
    assert flexibility["value"] > 0
    gates = flexibility["gates"]
    assert [g["name"] for g in gates] == ["Foundation -> Expansion", "Expansion -> Scale"]
    assert all(0 < g["pass_probability"] < 1 for g in gates)
    assert {"schedule_months", "gate_1_passed", "gate_2_passed"} <= {
        s["input"] for s in roi["sensitivity"]
    }
    terminal = " ".join(cli("plan", *ACME_ARGS).stdout.split())
    value = fmt_money(flexibility["value"], "EUR")
    assert f"Flexibility value {value} (staged - committed)" in terminal
    assert "Gate 1: Foundation -> Expansion" in terminal
    assert f"simulated median {payback['p50']} months" in terminal


def test_the_report_shows_payback_percentiles_and_the_value_of_stopping(
    acme_report: dict[str, str],
) -> None:
    text = " ".join(acme_report["md"].replace("\\", "").split())
    assert "**Schedule and gates as options**" in text
    assert "| Flexibility value | EUR " in text
    assert "Payback: simulated median" in text
    assert "gate after phase 1 passed" in text


def test_correlations_in_economics_change_the_simulation_and_bad_ones_are_named(
    cli: Cli, tmp_path: Path
) -> None:
    pack = tmp_path / "pack"
    shutil.copytree(PACK, pack)
    economics = pack / "economics.yaml"
    original = economics.read_text("utf-8")
    args = (*ACME_ARGS, "--questionnaire", pack)
    before = cli.json("plan", *args)["roi"]["simulation"]
    economics.write_text(
        original
        + "correlations:\n"
        + "  - {between: [developer_productivity_gain, development_cycle_reduction], "
        + "coefficient: 0.8}\n",
        "utf-8",
    )
    after = cli.json("plan", *args)["roi"]["simulation"]
    assert after["correlations"][0]["coefficient"] == 0.8
    assert after["p50"] != before["p50"]
    economics.write_text(
        original + "correlations:\n  - {between: [roi_benchmark, cost_overrun], coefficient: 2}\n",
        "utf-8",
    )
    result = cli("plan", *args)
    assert result.exit_code == 2
    assert "economics.yaml" in result.output and "coefficient" in result.output
    line = len(original.splitlines()) + 2  # the first pair, under correlations:
    economics.write_text(
        original
        + "correlations:\n"
        + "  - {between: [developer_productivity_gain, cost_overrun], coefficient: 0.9}\n"
        + "  - {between: [cost_overrun, context_work_share], coefficient: 0.9}\n"
        + "  - {between: [developer_productivity_gain, context_work_share], coefficient: -0.9}\n",
        "utf-8",
    )
    result = cli("plan", *args)
    assert result.exit_code == 2
    assert f"economics.yaml:{line}:" in result.output
    assert "the coefficients contradict each other" in result.output


@settings(max_examples=examples(200), deadline=None)
@given(
    st.floats(-1000, 1000),
    st.lists(st.floats(-500, 500), min_size=1, max_size=40),
)
def test_payback_of_every_draw_at_once_equals_the_month_by_month_rule(
    initial: float, monthly: list[float]
) -> None:
    months = payback_months(np.array([initial]), np.array([monthly]))[0]
    expected = payback_month(initial, monthly)
    assert (None if math.isinf(months) else int(months)) == expected


def test_a_gate_before_a_phase_with_no_work_is_always_passed(cli: Cli, tmp_path: Path) -> None:
    pack = make_custom_pack(tmp_path)  # only phase 2 has work; phases 1 and 3 are empty
    roi = cli.json(
        "plan", TINY / "answers", "--profile", TINY / "profile.yaml", "--questionnaire", pack
    )["roi"]
    phases = roi["simulation"]["schedule"]["phases"]
    assert [p["planned_months"] for p in phases][0::2] == [0, 0]
    first, second = roi["flexibility"]["gates"]
    assert first["pass_probability"] < 1  # it guards phase 2's work
    assert (second["pass_probability"], second["stopped"]) == (1.0, 0.0)
