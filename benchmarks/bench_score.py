"""Time scoring 1,000 respondents against the bundled questionnaire.

Run: python benchmarks/bench_score.py [--respondents N] [--repeat R]

Generates N answers files (seeded, so every run scores the same answers) in a temporary
folder, then times, best of R runs:
  load+score   reading and checking every YAML file, then scoring (what `mcpscale score` does)
  score only   the scoring maths on answers already in memory
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

from mcpscale.assess.scoring import score_answers
from mcpscale.inputs.answers import load_answer_sets
from mcpscale.inputs.packs import resolve_pack
from mcpscale.inputs.write import write_atomic
from mcpscale.inputs.yaml import dump_yaml
from mcpscale.pipeline import score_files

QUESTIONNAIRE = "mcp-enterprise-readiness"


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


def best_of(repeat: int, work: object) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--respondents", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        generate(folder, args.respondents)
        questionnaire, answer_sets = load_answer_sets([folder], None)
        answers = sum(len(a.answers) for a in answer_sets)
        load_and_score = best_of(args.repeat, lambda: score_files([folder]))
        score_only = best_of(args.repeat, lambda: score_answers(questionnaire, answer_sets))
    print(
        f"{args.respondents} respondents, {len(questionnaire.questions)} questions, "
        f"{answers} answers"
    )
    print(f"load+score  {load_and_score:.3f} s")
    print(f"score only  {score_only:.3f} s")


if __name__ == "__main__":
    main()
