"""The public Python API: what the command line does, as typed functions.

The command line is a skin over these functions, so a notebook, a CI script or another tool
gets the same numbers as `mcpscale score`, `plan`, `report` and `evidence`:

    from mcpscale import api

    assessment = api.assess(["answers/"], api.Options(profile=Path("profile.yaml")))
    print(assessment.result.overall.score)
    api.write_report(assessment, Path("report.pdf"))

Bad input raises `mcpscale.errors.UserError` (its message names the file and line); nothing
here prints. Everything not named in `__all__` is internal and may change between releases.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mcpscale.errors import GateFailed, Problem, UserError
from mcpscale.formats.results import Result, result_to_dict
from mcpscale.pipeline import Assessment, Options

if TYPE_CHECKING:
    from mcpscale.formats.evidence import Evidence
    from mcpscale.plan.compose import Plan

__all__ = [
    "Assessment",
    "GateFailed",
    "Options",
    "Problem",
    "Result",
    "UserError",
    "assess",
    "plan",
    "plan_to_dict",
    "probe",
    "result_to_dict",
    "scan",
    "score",
    "write_report",
]


def _paths(paths: Sequence[str | Path]) -> list[Path]:
    if isinstance(paths, str | Path):
        raise TypeError("pass a list of answers files or folders, e.g. [Path('answers')]")
    return [Path(p) for p in paths]


def score(answers: Sequence[str | Path], options: Options | None = None) -> Result:
    """Score answers files (or folders of them), as `mcpscale score` does."""
    from mcpscale.pipeline import score_files

    return score_files(_paths(answers), options or Options())


def plan(answers: Sequence[str | Path], options: Options) -> Plan:
    """The plan (roadmap, gates, budget, ROI, risks), as `mcpscale plan`; needs a profile."""
    from mcpscale.pipeline import plan_files

    return plan_files(_paths(answers), options)


def assess(answers: Sequence[str | Path], options: Options | None = None) -> Assessment:
    """Load, score and (with `options.profile`) plan: what a report is made from."""
    from mcpscale.pipeline import run

    return run(_paths(answers), options or Options())


def plan_to_dict(built: Plan) -> dict[str, Any]:
    """The plan as the versioned `mcpscale/plan@1` document."""
    from mcpscale.plan.document import plan_to_dict as to_dict

    return to_dict(built)


def write_report(
    assessment: Assessment,
    output: str | Path,
    output_format: str | None = None,
    *,
    title: str | None = None,  # default: "<the questionnaire's subject> assessment"
    classification: str | None = None,
    assessor: str | None = None,
    brand: str | Path | None = None,
    template_dir: str | Path | None = None,
    narrative: str | Path | None = None,
) -> list[Path]:
    """Write the report as PDF, HTML or Markdown (by `output_format` or the suffix).

    Returns the files written: the report, and for Markdown the SVG charts beside it."""
    from mcpscale.render.report.options import report_options
    from mcpscale.render.report.story import with_narrative
    from mcpscale.render.report.write import report_format, write_reports

    path = Path(output)
    options = report_options(
        title,
        classification,
        assessor,
        None if template_dir is None else Path(template_dir),
        None if brand is None else Path(brand),
    )
    options = with_narrative(options, None if narrative is None else Path(narrative))
    return write_reports(assessment, {report_format(path, output_format): path}, options)


def scan(paths: Sequence[str | Path]) -> dict[str, Any]:
    """Inventory the MCP servers client configs under `paths` name, with findings: the
    `kind: evidence` document `mcpscale evidence scan --output` writes. Reads files only."""
    from mcpscale.evidence.scan import evidence_document, scan_paths

    return evidence_document(scan_paths(_paths(paths)))


def probe(
    url: str | None = None,
    headers: Mapping[str, str] | None = None,
    command: Sequence[str] = (),
    *,
    requests: int = 50,
    concurrency: int = 1,
    timeout: float = 10.0,
    resource: str | None = None,
    deadline: float | None = None,
    transport: str | None = None,
    ca_file: str | Path | None = None,
) -> Evidence:
    """Connect to one live MCP server (a streamable-HTTP or HTTP+SSE `url`, or a stdio
    `command`) in whichever protocol era it speaks, and measure its listings, tools, latency
    (one request at a time, then at `concurrency`) and transport security. `timeout` bounds
    each request, `deadline` the whole probe. Header values never appear in the evidence or
    in any error."""
    from mcpscale.evidence.probe import ProbeOptions, make_target
    from mcpscale.evidence.probe import probe as run_probe

    header_lines = [f"{name}: {value}" for name, value in (headers or {}).items()]
    target = make_target(url, header_lines, list(command), transport)
    options = ProbeOptions(
        requests,
        concurrency,
        timeout,
        resource,
        deadline=deadline,
        ca_file=None if ca_file is None else Path(ca_file),
    )
    return run_probe(target, options)
