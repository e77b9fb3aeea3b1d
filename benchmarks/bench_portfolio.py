"""Time `mcpscale portfolio` at 10, 100 and 1,000 business units x 5 respondents.

Run: python benchmarks/bench_portfolio.py [--units 10 100 1000] [--respondents 5] [--jobs N]

Generates each portfolio (seeded: every run scores the same answers) in a temporary
folder, then times `mcpscale portfolio ROOT` end to end in a fresh process, as a user
runs it (interpreter start, imports, parsing, scoring, CSV/JSON and the heat map), and
prints the time per unit so growth can be read off: linear growth keeps it flat.
A second column times the same run on one process (--jobs 1) to show what the pool buys,
and the last libyaml's C loader parsing the same files on one process, the floor.
The budget is 5 s wall for 1,000 units on two cores; on a machine other work shares, the
CPU seconds of all processes say more (two cores give at most two CPU seconds a second).
mcpscale's modules are compiled first, as an installed wheel has them: otherwise every
fresh process would compile them again. With --phases, the largest portfolio is also
timed step by step in this process (one core), to show where the time goes.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# This checkout's mcpscale, even where another copy is installed; and bench_score beside us.
sys.path[:0] = [str(Path(__file__).resolve().parent.parent), str(Path(__file__).parent)]

import yaml  # noqa: E402
from bench_score import QUESTIONNAIRE, generate  # noqa: E402

from mcpscale.inputs.packs import resolve_pack  # noqa: E402

CHECKOUT = Path(__file__).resolve().parent.parent


def generate_portfolio(root: Path, units: int, respondents: int) -> None:
    for unit in range(units):
        generate(root / f"unit-{unit:04d}", respondents, seed=unit)


def time_portfolio(root: Path, output_dir: Path, jobs: int | None) -> tuple[float, float]:
    """Wall-clock and CPU seconds (all processes) of one `mcpscale portfolio` run."""
    command = [sys.executable, "-m", "mcpscale", "portfolio", str(root)]
    command += ["--output-dir", str(output_dir), "--keep-going"]
    if jobs is not None:
        command += ["--jobs", str(jobs)]
    env = {**os.environ, "PYTHONPATH": str(CHECKOUT)}
    before = _children_cpu()
    start = time.perf_counter()
    subprocess.run(command, check=True, env=env, capture_output=True)
    return time.perf_counter() - start, _children_cpu() - before


def parse_floor(texts: list[str]) -> float:
    """Seconds libyaml's C loader takes to parse the files' text, in this one process: the
    floor reading answers has, measured beside each run so the ratio holds under load."""
    start = time.perf_counter()
    for text in texts:
        yaml.load(text, Loader=yaml.CSafeLoader)
    return time.perf_counter() - start


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def phases(root: Path, output_dir: Path) -> dict[str, float]:
    """CPU seconds per step of `portfolio` on one process: where the time goes.

    Unit by unit, as portfolio works, so nothing piles up in memory: each unit's files are
    parsed, then read into models and checked (parsing again), then scored, each with the
    cycle collector paused as the pipeline pauses it.
    """
    from mcpscale.assess.scoring import score_answers
    from mcpscale.history.portfolio import Portfolio, UnitScore
    from mcpscale.inputs.answers import load_answer_sets
    from mcpscale.inputs.bulk import cycle_collection_paused
    from mcpscale.inputs.yaml import iter_yaml_files, load_yaml
    from mcpscale.pipeline import Options, UnitJob, score_unit
    from mcpscale.render.portfolio import write_outputs

    times = dict.fromkeys(
        ["parse YAML", "parse + build models + check answers", "score", "write outputs"], 0.0
    )
    start = time.process_time()
    import matplotlib.pyplot  # noqa: F401
    import pandas  # noqa: F401

    times["import pandas and matplotlib"] = time.process_time() - start
    units = sorted(p for p in root.iterdir() if p.is_dir())
    for unit in units:
        with cycle_collection_paused():
            start = time.process_time()
            for file in iter_yaml_files([unit]):
                load_yaml(file)
            times["parse YAML"] += time.process_time() - start
            start = time.process_time()
            questionnaire, answer_sets = load_answer_sets([unit], None)
            times["parse + build models + check answers"] += time.process_time() - start
            start = time.process_time()
            score_answers(questionnaire, answer_sets)
            times["score"] += time.process_time() - start
    scored = [score_unit(UnitJob(u, Options())) for u in units]
    start = time.process_time()
    write_outputs(Portfolio(tuple(s for s in scored if isinstance(s, UnitScore)), ()), output_dir)
    times["write outputs"] = time.process_time() - start
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, nargs="+", default=[10, 100, 1000])
    parser.add_argument("--respondents", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--phases", action="store_true", help="time each step, largest size")
    args = parser.parse_args()
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(CHECKOUT / "mcpscale")])
    questions = len(resolve_pack(QUESTIONNAIRE).questionnaire.questions)
    print(
        f"{os.cpu_count()} CPUs; {args.respondents} respondents per unit; best of {args.repeat}; "
        f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}"
    )
    print(
        f"{'units':>6} {'answers':>8} {'wall':>7} {'CPU':>7} {'per unit':>9} {'1 process':>10} "
        f"{'C parse':>8} {'wall/C parse':>12}"
    )
    for units in args.units:
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp) / "units"
            generate_portfolio(root, units, args.respondents)
            texts = [p.read_text(encoding="utf-8") for p in sorted(root.rglob("*.yaml"))]
            answers = len(texts) * questions
            out = Path(tmp) / "out"
            pooled, serials, floors = [], [], []
            for _ in range(args.repeat):  # in turns, so all three see the same load
                pooled.append(time_portfolio(root, out, None))
                serials.append(time_portfolio(root, out, 1)[0])
                floors.append(parse_floor(texts))
            wall, cpu = min(pooled)
            serial, floor = min(serials), min(floors)
            steps = {}
            if args.phases and units == max(args.units):
                steps = phases(root, out)
        print(
            f"{units:>6} {answers:>8} {wall:>6.2f}s {cpu:>6.2f}s {wall / units * 1000:>7.1f}ms "
            f"{serial:>9.2f}s {floor:>7.2f}s {wall / floor:>11.2f}x"
        )
        for step, seconds in steps.items():
            print(f"    {step:<45} {seconds:6.2f} s")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
