"""The main job end to end on the bundled example workshop (Acme Financial Group)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from mcpscale.errors import UserError
from mcpscale.formats.results import Result
from mcpscale.inputs.packs import data_dir
from mcpscale.inputs.validate import check_paths
from mcpscale.inputs.write import make_folder, write_atomic
from mcpscale.render.results import result_json

if TYPE_CHECKING:
    from mcpscale.pipeline import Step


@dataclass(frozen=True)
class DemoOutcome:
    result: Result
    written: list[Path]


def example_dir(name: str = "acme") -> Path:
    return data_dir("examples") / name


def run_demo(output_dir: Path, step: Step | None = None) -> DemoOutcome:
    from mcpscale.pipeline import Options, run
    from mcpscale.render.report.html import require_pdf_support
    from mcpscale.render.report.options import ReportOptions
    from mcpscale.render.report.write import write_reports

    require_pdf_support()  # the demo writes a PDF: refuse before writing anything
    example = example_dir()
    problems = [p for c in check_paths([example]) for p in c.problems]
    if problems:  # the bundled example is ours: this is a packaging bug, say so plainly
        raise UserError.from_problems(problems)
    step = step or (lambda name: None)
    # The bundled scan goes in too: its conflicts and findings are the report's best evidence.
    options = Options(profile=example / "profile.yaml", evidence=(example / "evidence",))
    assessment = run([example / "answers"], options, step=step)
    make_folder(output_dir)
    results_path = output_dir / "results.json"
    write_atomic(results_path, result_json(assessment.result))
    reports = {fmt: output_dir / f"report.{fmt}" for fmt in ("pdf", "html")}
    written = [
        *write_reports(assessment, reports, ReportOptions(assessor="mcpscale demo"), step),
        results_path,
    ]
    return DemoOutcome(assessment.result, written)
