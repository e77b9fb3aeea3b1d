"""Time the Monte Carlo of `mcpscale plan`: 10,000 draws over the bundled economic ranges.

Run: PYTHONPATH=. python benchmarks/bench_simulation.py [--draws N] [--repeat R]

Builds the plan for the Acme example once (without simulation), then times, best of R:
  independent  today's independent model before schedules and gates: the PERT draws, NPV and
               ROI per draw from the per-stream present values, P10/P50/P90 (the baseline)
  full         roi.simulate with two declared correlations, the phases' lengths drawn, the
               gates as options, payback per draw, the cumulative band (what `plan` runs)
  plan         the whole plan with the simulation, from files to the Plan (pipeline.plan_files)
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

from mcpscale.formats.pack import Correlation
from mcpscale.inputs.packs import data_dir
from mcpscale.pipeline import Options, plan_files
from mcpscale.plan.roi import draw_inputs, simulate

ACME = data_dir("examples") / "acme"
CORRELATIONS = (
    Correlation(
        between=("developer_productivity_gain", "development_cycle_reduction"), coefficient=0.6
    ),
    Correlation(between=("development_cycle_reduction", "time_to_market_speedup"), coefficient=0.5),
)


def best_of(repeat: int, run: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    import numpy as np

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    answers, profile = [ACME / "answers"], ACME / "profile.yaml"
    plan = plan_files(answers, Options(profile=profile, simulations=0))
    assert plan.roi is not None and plan.budget is not None
    model, assumptions = plan.roi.model, plan.roi.assumptions

    def independent() -> None:
        values = draw_inputs(assumptions, args.draws, 1)
        npv, costs = model.npv_and_cost(values)
        np.percentile(npv, [10, 50, 90])
        np.percentile(npv / costs, [10, 50, 90])

    baseline = best_of(args.repeat, independent)
    full = best_of(args.repeat, lambda: simulate(model, assumptions, args.draws, 1, CORRELATIONS))
    whole = best_of(
        args.repeat, lambda: plan_files(answers, Options(profile=profile, simulations=args.draws))
    )
    print(f"independent simulation, {args.draws:,} draws: {baseline * 1000:.1f} ms")
    print(
        f"with correlations, schedule and gates: {full * 1000:.1f} ms "
        f"(budget 50 ms; {full / baseline:.1f}x the independent simulation)"
    )
    print(f"whole plan with {args.draws:,} draws, from files: {whole * 1000:.0f} ms")


if __name__ == "__main__":
    main()
