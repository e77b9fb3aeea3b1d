"""Time `mcpscale score DIR --format json` on 1,000 respondents against libyaml's C loader.

Run: python benchmarks/bench_score.py [--respondents N] [--repeat R] [--profile]

Generates N answers files (seeded, so every run scores the same answers) for the bundled
questionnaire in a temporary folder, then times, best of R runs, taken in turns so both
see the same load on the machine:
  floor        libyaml's C loader alone parsing the same files' text
               (`yaml.load(text, Loader=yaml.CSafeLoader)`), the parser's floor
  score json   what `mcpscale score DIR --format json` does once started: read, parse and
               check every file, score, and write the result as JSON text
  score only   the scoring maths on answers already in memory
and prints the ratio score json / floor (the budget is 2.0x), in wall-clock and in CPU
seconds. With --profile, the end-to-end run is profiled once and its 25 costliest
functions printed.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

# This checkout's mcpscale, even where another copy is installed.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import yaml  # noqa: E402

from mcpscale.assess.scoring import score_answers  # noqa: E402
from mcpscale.inputs.answers import load_answer_sets  # noqa: E402
from mcpscale.inputs.bulk import cycle_collection_paused  # noqa: E402
from mcpscale.inputs.packs import resolve_pack  # noqa: E402
from mcpscale.inputs.write import write_atomic  # noqa: E402
from mcpscale.inputs.yaml import dump_yaml  # noqa: E402
from mcpscale.pipeline import Options, score_files  # noqa: E402
from mcpscale.render.results import result_json  # noqa: E402

QUESTIONNAIRE = "mcp-enterprise-readiness"
BUDGET = 2.0


def generate(folder: Path, respondents: int, seed: int = 7) -> None:
    q = resolve_pack(QUESTIONNAIRE).questionnaire
    rng = random.Random(seed)
    for i in range(respondents):
        answers: dict[str, object] = {}
        for question in q.questions:
            roll = rng.random()
            if roll < 0.05:
                answers[question.id] = "unknown"
            elif roll < 0.3:
                answers[question.id] = {
                    "choice": rng.choice(question.choices).id,
                    "confidence": "medium",
                    "note": f"note {i}",
                }
            else:
                answers[question.id] = rng.choice(question.choices).id
        document = {
            "kind": "answers",
            "questionnaire": f"{q.id}@{q.version}",
            "respondent": {"name": f"Respondent {i:04d}", "role": "Engineer"},
            "assessed_at": "2026-11-16",
            "answers": answers,
        }
        write_atomic(folder / f"r{i:04d}.yaml", dump_yaml(document))


def score_json(folder: Path) -> str:
    """`mcpscale score FOLDER --format json`, in this process: the text it writes, made as
    mcpscale/cli/score.py makes it."""
    result = score_files([folder], Options())
    with cycle_collection_paused():
        return result_json(result)


def best_in_turns(
    repeat: int, works: dict[str, Callable[[], object]]
) -> tuple[dict[str, float], dict[str, float]]:
    """Best wall-clock and best CPU seconds of each work over `repeat` rounds, the works
    taking turns in each round. CPU seconds move less when other work shares the machine."""
    wall = dict.fromkeys(works, float("inf"))
    cpu = dict.fromkeys(works, float("inf"))
    for _ in range(repeat):
        for name, work in works.items():
            start, start_cpu = time.perf_counter(), time.process_time()
            work()
            wall[name] = min(wall[name], time.perf_counter() - start)
            cpu[name] = min(cpu[name], time.process_time() - start_cpu)
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--respondents", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--profile", action="store_true", help="profile one end-to-end run")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        generate(folder, args.respondents)
        texts = [p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.yaml"))]
        questionnaire, answer_sets = load_answer_sets([folder], None)
        answers = sum(len(a.answers) for a in answer_sets)
        score_json(folder)  # warm: the questionnaire is read once per process, as in the CLI
        best, cpu = best_in_turns(
            args.repeat,
            {
                "floor": lambda: [yaml.load(text, Loader=yaml.CSafeLoader) for text in texts],
                "score json": lambda: score_json(folder),
                "score only": lambda: score_answers(questionnaire, answer_sets),
            },
        )
        if args.profile:
            import cProfile
            import pstats

            profiler = cProfile.Profile()
            profiler.runcall(score_json, folder)
            pstats.Stats(profiler).sort_stats("tottime").print_stats(25)
    ratio = best["score json"] / best["floor"]
    print(
        f"{args.respondents} respondents, {len(questionnaire.questions)} questions, "
        f"{answers} answers; best of {args.repeat}; load average "
        f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}"
    )
    print(f"{'':25}{'wall':>8}{'CPU':>8}")
    for label, name in (
        ("floor: libyaml C loader", "floor"),
        ("score --format json", "score json"),
        ("score only", "score only"),
    ):
        print(f"{label:25}{best[name]:7.3f}s{cpu[name]:7.3f}s")
    cpu_ratio = cpu["score json"] / cpu["floor"]
    print(f"{'ratio':25}{ratio:7.2f}x{cpu_ratio:7.2f}x  (budget {BUDGET:.1f}x)")


if __name__ == "__main__":
    main()
