"""Time the demo report end to end against WeasyPrint alone rendering the same HTML.

Run: python benchmarks/bench_report.py [--repeat R]

  report total   load + score + plan (10,000 draws) + charts + templates + PDF, as
                 `mcpscale demo` does it
  weasyprint     HTML -> PDF only, for the same HTML: the floor no report can beat
The report's total should stay within 1.5x of the floor.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from mcpscale.demo import example_dir
from mcpscale.pipeline import Options, run
from mcpscale.render.report.context import assessment_context
from mcpscale.render.report.html import render_html, render_pdf
from mcpscale.render.report.options import ReportOptions


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    options = ReportOptions()
    example = example_dir()
    totals, floors = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(args.repeat):
            start = time.perf_counter()
            prepared = run([example / "answers"], Options(profile=example / "profile.yaml"))
            context = assessment_context(
                prepared.result, prepared.questionnaire, options, prepared.plan
            )
            html = render_html(context, options)
            pdf = render_pdf(html, options)
            (Path(tmp) / "report.pdf").write_bytes(pdf)
            totals.append(time.perf_counter() - start)
            start = time.perf_counter()
            render_pdf(html, options)
            floors.append(time.perf_counter() - start)
    total, floor = min(totals), min(floors)
    print(f"report total  {total:.2f} s")
    print(f"weasyprint    {floor:.2f} s")
    print(f"ratio         {total / floor:.2f}x (budget 1.5x)")


if __name__ == "__main__":
    main()
