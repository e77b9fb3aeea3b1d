"""Time the Monte Carlo of `mcpscale plan`: 10,000 draws over the bundled economic ranges.

Run: PYTHONPATH=. python benchmarks/bench_simulation.py [--draws N] [--repeat R]

Builds the plan for the Acme example once (without simulation), then times, best of R:
  simulation   the PERT draws and the NPV/ROI percentiles only (roi.simulate)
  plan         the whole plan with the simulation, from files to the Plan (pipeline.plan_files)
"""

from __future__ import annotations

import argparse
import time

from mcpscale.inputs.packs import data_dir
from mcpscale.pipeline import Options, plan_files
from mcpscale.plan.roi import simulate

ACME = data_dir("examples") / "acme"


def best_of(repeat: int, run: object) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    answers, profile = [ACME / "answers"], ACME / "profile.yaml"
    plan = plan_files(answers, Options(profile=profile, simulations=0))
    assert plan.roi is not None and plan.budget is not None

    model, assumptions = plan.roi.model, plan.roi.assumptions
    simulation = best_of(args.repeat, lambda: simulate(model, assumptions, args.draws, 1))
    whole = best_of(
        args.repeat, lambda: plan_files(answers, Options(profile=profile, simulations=args.draws))
    )
    print(f"simulation of {args.draws:,} draws: {simulation * 1000:.1f} ms (budget 500 ms)")
    print(f"whole plan with {args.draws:,} draws, from files: {whole * 1000:.0f} ms")


if __name__ == "__main__":
    main()
