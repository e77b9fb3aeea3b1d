"""The main job end to end on the bundled example workshop (Acme Financial Group)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import UserError
from .output import result_json
from .packs import data_dir
from .scoring import Result
from .validate import check_paths
from .yamlio import write_atomic

if TYPE_CHECKING:
    from .report import Step


@dataclass(frozen=True)
class DemoOutcome:
    result: Result
    written: list[Path]


def example_dir(name: str = "acme") -> Path:
    return data_dir("examples") / name


def run_demo(output_dir: Path, step: Step | None = None) -> DemoOutcome:
    from .report import ReportOptions, prepare, write_reports

    example = example_dir()
    problems = [p for c in check_paths([example]) for p in c.problems]
    if problems:  # the bundled example is ours: this is a packaging bug, say so plainly
        raise UserError.from_problems(problems)
    step = step or (lambda name: None)
    prepared = prepare([example / "answers"], example / "profile.yaml", step=step)
    results_path = output_dir / "results.json"
    write_atomic(results_path, result_json(prepared.result))
    reports = {fmt: output_dir / f"report.{fmt}" for fmt in ("pdf", "html")}
    written = [
        *write_reports(prepared, reports, ReportOptions(assessor="mcpscale demo"), step),
        results_path,
    ]
    return DemoOutcome(prepared.result, written)
