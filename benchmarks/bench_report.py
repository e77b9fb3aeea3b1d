"""Time reports end to end against WeasyPrint alone rendering the same HTML, with peak memory.

Run: PYTHONPATH=. python benchmarks/bench_report.py [--model demo|large|both] [--repeat N]
     PYTHONPATH=. python benchmarks/bench_report.py --model large --profile   (where time goes)

Scenarios:
  demo    `mcpscale demo`: the bundled Acme example with its profile, plan (10,000 draws)
          and evidence
  large   a model generated here (seeded): 20 dimensions x 10 questions on a 0/25/50/75/100
          scale with named levels, 5 respondents, no profile (its pack has no planning files)

Each run is a fresh process, so its peak memory (ru_maxrss of that child) is its own:
  report total   from the first import of mcpscale to the PDF written: load, score, plan,
                 charts, templates, WeasyPrint, as a user's `mcpscale report` waits for it
  weasyprint     `import weasyprint` and HTML -> PDF for the same HTML: the floor
Both are best of N, taken alternately in the same run. Budgets: demo 1.2x, large 1.5x and
under 300 MB.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUDGETS = {"demo": (1.2, None), "large": (1.5, 300)}  # ratio, peak MB

LEVELS = [
    (0, "Not started"),
    (25, "Started"),
    (50, "Half done"),
    (75, "Mostly done"),
    (100, "Done"),
]
TOPICS = [
    "Identity and access",
    "Secrets handling",
    "Server inventory",
    "Change control",
    "Logging and audit",
    "Data protection",
    "Supply chain",
    "Network boundaries",
    "Incident response",
    "Vendor management",
    "Testing practice",
    "Release engineering",
    "Observability",
    "Cost control",
    "Training and skills",
    "Governance and policy",
    "Privacy reviews",
    "Model evaluation",
    "Resilience and recovery",
    "Documentation",
]
VERBS = ["reviewed", "automated", "measured", "documented", "owned", "tested", "enforced"]
OBJECTS = ["servers", "tools", "prompts", "credentials", "pipelines", "teams", "vendors"]


def generate_large(folder: Path, dimensions: int = 20, per_dimension: int = 10) -> Path:
    """A 0-100 questionnaire of `dimensions` x `per_dimension` questions and 5 respondents."""
    rng = random.Random(20261)
    lines = [
        "kind: questionnaire",
        "id: bench-large",
        "version: '1'",
        "title: Large benchmark model",
        "subject: platform practice",
        "scale:",
    ]
    for level, name in LEVELS:
        lines += [f"- level: {level}", f"  name: {name}", f"  description: {name} in every team."]
    lines.append("dimensions:")
    for d in range(dimensions):
        lines += [
            f"- id: d{d:02d}",
            f"  name: {TOPICS[d % len(TOPICS)]}",
            f"  description: How far {TOPICS[d % len(TOPICS)].lower()} has come across teams.",
            "  areas:",
            "  - {id: basics, name: Basics}",
            "  - {id: depth, name: Depth}",
        ]
    lines.append("questions:")
    question_ids = []
    for d in range(dimensions):
        for q in range(per_dimension):
            qid = f"d{d:02d}.q{q:02d}"
            question_ids.append(qid)
            text = (
                f"How many {rng.choice(OBJECTS)} are {rng.choice(VERBS)} and "
                f"{rng.choice(VERBS)} in {TOPICS[d % len(TOPICS)].lower()} (item {q + 1})?"
            )
            lines += [
                f"- id: {qid}",
                f"  dimension: d{d:02d}",
                f"  area: {'basics' if q < per_dimension // 2 else 'depth'}",
                f"  text: {text}",
                "  choices:",
            ]
            for level, name in LEVELS:
                lines.append(f"  - {{id: l{level}, label: {name}., level: {level}}}")
    (folder / "questionnaire.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    answers = folder / "answers"
    answers.mkdir()
    base = {qid: rng.randrange(len(LEVELS)) for qid in question_ids}
    for index, name in enumerate(["Ana", "Ben", "Chen", "Dara", "Eli"]):
        body = [
            "kind: answers",
            "questionnaire: bench-large",
            f"respondent: {{name: {name}, role: Engineer}}",
            "assessed_at: '2026-11-02'",
            "answers:",
        ]
        for qid in question_ids:
            # most agree with the question's own level, some a step or two away
            step = rng.choices([0, -1, 1, -2, 2], weights=[60, 15, 15, 5, 5])[0]
            level = LEVELS[min(max(base[qid] + step, 0), len(LEVELS) - 1)][0]
            if rng.random() < 0.1:
                note = f"Seen in audit {index + 1}."
                body.append(f"  {qid}: {{choice: l{level}, note: {note}}}")
            else:
                body.append(f"  {qid}: l{level}")
        (answers / f"{name.lower()}.yaml").write_text("\n".join(body) + "\n", encoding="utf-8")
    return folder


def child_report(scenario: str, folder: Path, out: Path) -> None:
    """One report, timed from the first mcpscale import; prints its phases as JSON."""
    phases: dict[str, float] = {}
    start = last = time.perf_counter()

    def mark(name: str) -> None:
        nonlocal last
        now = time.perf_counter()
        phases[name] = now - last
        last = now

    from mcpscale.pipeline import Options, run
    from mcpscale.render.report.context import assessment_context
    from mcpscale.render.report.html import render_html, render_pdf
    from mcpscale.render.report.options import ReportOptions, for_questionnaire

    if scenario == "demo":
        from mcpscale.demo import example_dir

        example = example_dir()
        answers = example / "answers"
        options = Options(profile=example / "profile.yaml", evidence=(example / "evidence",))
        report_options = ReportOptions(assessor="mcpscale demo")
    else:
        answers = folder / "answers"
        options = Options(questionnaire=str(folder / "questionnaire.yaml"))
        report_options = ReportOptions()
    mark("imports")
    assessment = run([answers], options)
    mark("load, score, plan")
    report_options = for_questionnaire(report_options, assessment.questionnaire)
    context = assessment_context(
        assessment.result,
        assessment.questionnaire,
        report_options,
        assessment.plan,
        assessment.plan_files,
        assessment.coverage,
    )
    mark("context and charts")
    html = render_html(context, report_options)
    mark("templates")
    pdf = render_pdf(html, report_options)
    out.write_bytes(pdf)
    mark("weasyprint")
    out.with_suffix(".html").write_text(html, encoding="utf-8")
    print(json.dumps({"total": last - start, "phases": phases}))


def child_weasyprint(html_path: Path, out: Path, tuned: bool = False) -> None:
    """WeasyPrint alone on the same HTML, with the report's base URL: the floor. `tuned`:
    with the garbage collector set as the report sets it while WeasyPrint works."""
    import contextlib

    start = time.perf_counter()
    from weasyprint import HTML

    collector: contextlib.AbstractContextManager[None] = contextlib.nullcontext()
    if tuned:
        from mcpscale.render.report.html import fewer_collections

        collector = fewer_collections()
    html = html_path.read_text(encoding="utf-8")
    base = ROOT / "templates" / "report"
    document = HTML(string=html, base_url=str(base) + "/")
    with collector:
        pdf = document.write_pdf(pdf_identifier=b"mcpscale-report", uncompressed_pdf=False)
    out.write_bytes(pdf)
    print(json.dumps({"total": time.perf_counter() - start}))


def spawn(args: list[str]) -> tuple[dict[str, object], float]:
    """Run this script as a child; its JSON line and its peak memory in MB."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(
        [sys.executable, __file__, *args], stdout=subprocess.PIPE, env=env, cwd=ROOT
    )
    assert process.stdout is not None
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise SystemExit(f"child {args[0]} failed ({process.returncode})")
    figures = json.loads(output.decode().strip().splitlines()[-1])
    figures["cpu"] = usage.ru_utime + usage.ru_stime  # steadier than wall time on a busy machine
    return figures, usage.ru_maxrss / 1024


def measure(scenario: str, folder: Path, repeat: int) -> dict[str, object]:
    out = folder / f"{scenario}.pdf"
    floor_out = folder / f"{scenario}-weasyprint.pdf"
    reports, floors, tuned = [], [], []
    html = str(out.with_suffix(".html"))
    for _ in range(repeat):  # alternate, so a busy moment hurts all alike
        reports.append(spawn(["--child-report", scenario, str(folder), str(out)]))
        floors.append(spawn(["--child-weasyprint", html, str(floor_out)]))
        tuned.append(spawn(["--child-weasyprint-tuned", html, str(floor_out)]))
    best_report = min(reports, key=lambda r: float(r[0]["total"]))  # type: ignore[arg-type]
    best_floor = min(floors, key=lambda r: float(r[0]["total"]))  # type: ignore[arg-type]
    return {
        "scenario": scenario,
        "total": best_report[0]["total"],
        "phases": best_report[0]["phases"],
        "floor": best_floor[0]["total"],
        "tuned": min(float(r[0]["total"]) for r in tuned),  # type: ignore[arg-type]
        "cpu": min(float(r[0]["cpu"]) for r in reports),  # type: ignore[arg-type]
        "floor_cpu": min(float(r[0]["cpu"]) for r in floors),  # type: ignore[arg-type]
        "peak_mb": max(r[1] for r in reports),
        "floor_peak_mb": max(r[1] for r in floors),
        "pages": _pages(out),
        "html_kb": out.with_suffix(".html").stat().st_size / 1024,
    }


def _pages(pdf: Path) -> int:
    try:
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        return 0
    for line in info.stdout.splitlines():
        if line.startswith("Pages:"):
            return int(line.split()[1])
    return 0


def profile(scenario: str, folder: Path) -> None:
    """cProfile of one report in this process (after a warm-up run), top functions by own
    and cumulative time."""
    import cProfile
    import pstats

    out = folder / f"{scenario}-profile.pdf"
    child_report(scenario, folder, out)  # warm: imports and font caches
    profiler = cProfile.Profile()
    profiler.enable()
    child_report(scenario, folder, out)
    profiler.disable()
    stats = pstats.Stats(profiler).strip_dirs()
    stats.sort_stats("cumulative").print_stats(45)
    stats.sort_stats("tottime").print_stats(25)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--model", choices=["demo", "large", "both"], default="both")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--profile", action="store_true", help="cProfile one report instead")
    parser.add_argument("--keep", type=Path, help="leave the PDFs and HTML in this folder")
    parser.add_argument("--child-report", nargs=3, help=argparse.SUPPRESS)
    parser.add_argument("--child-weasyprint", nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("--child-weasyprint-tuned", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_report:
        scenario, folder, out = args.child_report
        child_report(scenario, Path(folder), Path(out))
        return
    if args.child_weasyprint:
        child_weasyprint(Path(args.child_weasyprint[0]), Path(args.child_weasyprint[1]))
        return
    if args.child_weasyprint_tuned:
        html, out = args.child_weasyprint_tuned
        child_weasyprint(Path(html), Path(out), tuned=True)
        return
    # An installed wheel has bytecode; a checkout run with PYTHONDONTWRITEBYTECODE has not.
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "mcpscale")], check=True)
    scenarios = ["demo", "large"] if args.model == "both" else [args.model]
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        if "large" in scenarios and not (folder / "questionnaire.yaml").exists():
            generate_large(folder)
        if args.profile:
            for scenario in scenarios:
                profile(scenario, folder)
            return
        results = [measure(scenario, folder, args.repeat) for scenario in scenarios]
    print(f"load average {' '.join(f'{v:.2f}' for v in os.getloadavg())}, best of {args.repeat}")
    for r in results:
        ratio_budget, memory_budget = BUDGETS[str(r["scenario"])]
        total, floor = float(r["total"]), float(r["floor"])  # type: ignore[arg-type]
        print(f"\n{r['scenario']}: {r['pages']} pages, HTML {float(r['html_kb']):.0f} kB")  # type: ignore[arg-type]
        print(f"  report total   {total:6.2f} s   peak {float(r['peak_mb']):5.0f} MB", end="")  # type: ignore[arg-type]
        print(f"  (budget {memory_budget} MB)" if memory_budget else "")
        print(f"  weasyprint     {floor:6.2f} s   peak {float(r['floor_peak_mb']):5.0f} MB")  # type: ignore[arg-type]
        print(f"  ratio          {total / floor:6.2f}x  (budget {ratio_budget}x)")
        tuned = float(r["tuned"])  # type: ignore[arg-type]
        print(f"  weasyprint, collector as the report sets it {tuned:.2f} s: {total / tuned:.2f}x")
        cpu, floor_cpu = float(r["cpu"]), float(r["floor_cpu"])  # type: ignore[arg-type]
        print(f"  CPU seconds    {cpu:6.2f} s against {floor_cpu:.2f} s: {cpu / floor_cpu:.2f}x")
        for name, seconds in dict(r["phases"]).items():  # type: ignore[call-overload]
            print(f"    {name:<20} {seconds:6.2f} s")


if __name__ == "__main__":
    main()
