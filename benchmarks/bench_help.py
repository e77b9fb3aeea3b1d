"""Time `mcpscale --help` against its floor, a bare `import typer, rich`, as whole processes.

Run: python benchmarks/bench_help.py [--runs 20] [--checkout DIR]

Each figure is a fresh interpreter, as a user starts it: the floor `python -c "import typer,
rich"`, then `python -m mcpscale --help` and the console script's way in (`from mcpscale.cli
import main; main()`), run in turn so a busy moment on the machine hits all three alike; the
best of --runs is kept. The budget is 1.3x the floor (issue 19).

mcpscale is byte-compiled first (`compileall`), as an installed wheel is: where
PYTHONDONTWRITEBYTECODE is set, a fresh process would otherwise compile every module it
imports, every time. --checkout times another copy of the code (e.g. an older commit unpacked
with `git archive`), for before/after figures.
"""

from __future__ import annotations

import argparse
import compileall
import os
import subprocess
import sys
import time
from pathlib import Path

CHECKOUT = Path(__file__).resolve().parent.parent
BUDGET = 1.3
CONSOLE_SCRIPT = (
    "import sys; from mcpscale.cli import main; sys.argv[0] = 'mcpscale'; sys.exit(main())"
)


def commands() -> dict[str, list[str]]:
    python = sys.executable
    return {
        "floor: import typer, rich": [python, "-c", "import typer, rich"],
        "python -m mcpscale --help": [python, "-m", "mcpscale", "--help"],
        "mcpscale --help (console script)": [python, "-c", CONSOLE_SCRIPT, "--help"],
    }


def run(command: list[str], checkout: Path) -> tuple[float, float]:
    """Wall-clock and CPU seconds (user + system) of one process run on `checkout`'s code."""
    env = {**os.environ, "PYTHONPATH": str(checkout)}
    start = time.perf_counter()
    # In the checkout: `-m` and `-c` put the current folder first on the path.
    process = subprocess.Popen(command, cwd=checkout, env=env, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise SystemExit(f"{command} exited {process.returncode}")
    return wall, usage.ru_utime + usage.ru_stime


def best_times(checkout: Path, runs: int) -> dict[str, tuple[float, float]]:
    """The best wall-clock and the best CPU seconds of each command over `runs` rounds, the
    commands taken in turn."""
    best = dict.fromkeys(commands(), (float("inf"), float("inf")))
    for _ in range(runs):
        for label, command in commands().items():
            wall, cpu = run(command, checkout)
            best[label] = (min(best[label][0], wall), min(best[label][1], cpu))
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--checkout", type=Path, default=CHECKOUT, help="the code to time")
    args = parser.parse_args()
    checkout = args.checkout.resolve()
    compileall.compile_dir(checkout / "mcpscale", quiet=1)
    load_before = os.getloadavg()[0]
    best = best_times(checkout, args.runs)
    load_after = os.getloadavg()[0]
    floor_wall, floor_cpu = best["floor: import typer, rich"]
    print(f"{checkout}: best of {args.runs}, load average {load_before:.2f} -> {load_after:.2f}")
    print(f"  {'':34} {'wall':>9} {'ratio':>6} {'CPU':>9} {'ratio':>6}")
    for label, (wall, cpu) in best.items():
        print(
            f"  {label:34} {wall * 1000:6.1f} ms {wall / floor_wall:5.2f}x "
            f"{cpu * 1000:6.1f} ms {cpu / floor_cpu:5.2f}x"
        )
    worst = max(wall for wall, _ in best.values()) / floor_wall
    print(f"  budget {BUDGET}x the floor (wall): {'met' if worst <= BUDGET else 'NOT met'}")


if __name__ == "__main__":
    main()
