"""Builds the report: template context from a Result, jinja2 rendering, WeasyPrint to PDF.

Everything users wrote is escaped (autoescape is on for every template), and WeasyPrint
may load nothing but files inside the bundled templates and the --template-dir: a note
holding `<img src="file:///etc/passwd">` renders as text and fetches nothing.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import __version__
from .errors import UserError
from .output import fmt_percent, fmt_score
from .packs import data_dir
from .scoring import DimensionScore, Result, Trust

if TYPE_CHECKING:
    from .models import Questionnaire
    from .plan import Plan

# Backslash-escaped in Markdown output; < > & are escaped as HTML.
MARKDOWN_SPECIALS = set("\\`*_{}[]()#+!|~")
# The steps a report goes through, in order; `Step` is told each one as it starts.
STEPS = ("load", "score", "plan", "charts", "render")
Step = Callable[[str], None]


def _no_progress(step: str) -> None:
    pass


REPORT_TEMPLATES = "report"
DEFAULT_CLASSIFICATION = "Confidential"
DEFAULT_BRAND_COLOUR = "#0b3d91"


@dataclass(frozen=True)
class ReportOptions:
    title: str = "MCP readiness assessment"
    classification: str = DEFAULT_CLASSIFICATION
    assessor: str | None = None
    brand_name: str = "mcpscale"
    brand_colour: str = DEFAULT_BRAND_COLOUR
    template_dir: Path | None = None
    logo_uri: str | None = None  # a data: URI, so the HTML stays self-contained


LOGO_TYPES = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".svg": "image/svg+xml",
}
MAX_LOGO_BYTES = 1024 * 1024


def report_options(
    title: str,
    classification: str | None,
    assessor: str | None,
    template_dir: Path | None,
    brand_path: Path | None,
) -> ReportOptions:
    """Options from the command line, with a brand file's values where none were given."""
    if brand_path is None:
        return ReportOptions(
            title=title,
            classification=classification or DEFAULT_CLASSIFICATION,
            assessor=assessor,
            template_dir=template_dir,
        )
    from .models import Brand
    from .validate import load_model

    brand = load_model(brand_path, Brand)
    return ReportOptions(
        title=title,
        classification=classification or brand.classification or DEFAULT_CLASSIFICATION,
        assessor=assessor,
        brand_name=brand.name,
        brand_colour=brand.colour,
        template_dir=template_dir,
        logo_uri=None
        if brand.logo is None
        else _logo_uri(brand_path.parent / brand.logo, brand_path),
    )


def _logo_uri(logo: Path, brand_path: Path) -> str:
    import base64

    media_type = LOGO_TYPES.get(logo.suffix.lower())
    if media_type is None:
        raise UserError.at(brand_path, f"logo {logo.name}: use a PNG, JPEG or SVG file")
    try:
        data = logo.read_bytes()
    except OSError as exc:
        raise UserError.at(brand_path, f"logo {logo}: {exc.strerror}") from None
    if len(data) > MAX_LOGO_BYTES:
        raise UserError.at(brand_path, f"logo {logo.name} is over 1 MB; use a smaller file")
    return f"data:{media_type};base64,{base64.b64encode(data).decode('ascii')}"


def report_date() -> dt.date:
    """SOURCE_DATE_EPOCH when set (reproducible builds), else today."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date()
        except ValueError:
            raise UserError(
                f"SOURCE_DATE_EPOCH={epoch!r} is not a number of seconds since 1970"
            ) from None
    return dt.date.today()


def template_dirs(options: ReportOptions) -> list[Path]:
    """Where templates and assets come from, first match wins: the override, then ours."""
    bundled = data_dir("templates") / REPORT_TEMPLATES
    if options.template_dir is None:
        return [bundled]
    if not options.template_dir.is_dir():
        raise UserError.at(options.template_dir, "--template-dir is not a directory")
    return [options.template_dir.resolve(), bundled]


def _dimension_view(d: DimensionScore) -> dict[str, Any]:
    return {
        "id": d.id,
        "name": d.name,
        "score_text": fmt_score(d.score),
        "level_text": "-" if d.level is None else f"{d.level} {d.level_name}",
        "target_text": f"{d.target:g}",
        "gap_text": fmt_score(d.gap),
        "coverage_text": fmt_percent(d.coverage),
        "unknown": d.unknown,
        "not_applicable": d.not_applicable,
        "answered": d.answered,
        "applicable": d.applicable,
    }


def build_context(
    result: Result,
    options: ReportOptions,
    area_names: dict[str, dict[str, str]],
    dimension_descriptions: dict[str, str],
    scale_descriptions: dict[int, str],
    with_charts: bool = True,
    plan: Plan | None = None,
) -> dict[str, Any]:
    """Everything the templates show, as plain data; text is escaped by the templates."""
    from . import charts
    from .report_plan import plan_context, plan_toc

    dimensions = []
    for d in result.dimensions:
        view = _dimension_view(d)
        view["description"] = dimension_descriptions.get(d.id, "")
        questions = [q for q in result.questions if q.dimension == d.id]
        areas: dict[str | None, list[dict[str, Any]]] = {}
        for q in questions:
            areas.setdefault(q.area, []).append(
                {
                    "id": q.id,
                    "text": q.text,
                    "status": q.status,
                    "score_text": fmt_score(q.score),
                    "disagreement": q.disagreement,
                    "answers": [
                        {
                            "respondent": a.respondent,
                            "answer_text": (
                                f"{a.level} ({a.choice})"
                                if a.level is not None
                                else {"unknown": "don't know", "na": "not applicable"}.get(
                                    a.choice, a.choice
                                )
                            ),
                            "note": a.note,
                        }
                        for a in q.answers
                    ],
                }
            )
        names = area_names.get(d.id, {})
        view["areas"] = [
            {"name": names.get(area, area) if area else "Questions", "questions": qs}
            for area, qs in areas.items()
        ]
        view["chart"] = charts.question_spread(result, d.id) if with_charts and d.answered else ""
        dimensions.append(view)
    gaps = sorted((d for d in result.dimensions if d.gap), key=lambda d: (-(d.gap or 0), d.id))[:3]
    groups = sorted({r.group for r in result.respondents if r.group})
    overall = result.overall
    question_texts = {q.id: q.text for q in result.questions}
    toc = [
        {"id": "summary", "title": "Executive summary"},
        {"id": "maturity", "title": "Maturity by dimension"},
        *({"id": f"dimension-{d.id}", "title": d.name} for d in result.dimensions),
        {"id": "disagreements", "title": "Disagreements to resolve"},
        *(
            [{"id": "evidence-conflicts", "title": "Evidence conflicts"}]
            if result.evidence_conflicts
            else []
        ),
        *plan_toc(),
        {"id": "appendix", "title": "Appendix: method, assumptions, respondents, evidence"},
    ]
    plan_view = plan_context(plan, with_charts)
    return {
        "version": __version__,
        "title": options.title,
        "organisation": result.profile_name or "Unnamed organisation",
        "classification": options.classification,
        "assessor": options.assessor,
        "brand_name": options.brand_name,
        "brand_colour": options.brand_colour,
        "logo_uri": options.logo_uri,
        "report_date": report_date().isoformat(),
        "created": report_date().isoformat(),
        "questionnaire": {
            "title": result.questionnaire_title,
            "version": result.questionnaire_version,
        },
        "aggregate": result.aggregate,
        "overall": {
            "score_text": fmt_score(overall.score),
            "level_text": "-" if overall.level is None else f"{overall.level} {overall.level_name}",
        },
        "groups_text": ", ".join(groups) if groups else "",
        "verdict": None,
        "summary_lines": [],
        "largest_gaps": [_dimension_view(d) for d in gaps],
        "dimensions": dimensions,
        "disagreements": [
            {"question": d.question, "text": d.text, "levels": sorted(d.levels.items())}
            for d in result.disagreements
        ],
        "trust": result.trust,
        "evidence_conflicts": [
            {
                "question": c.question,
                "text": question_texts.get(c.question, c.question),
                "respondent": c.respondent,
                "answered": c.answered_level,
                "supported": c.supported_level,
                "finding": c.finding,
                "source": c.source,
                "says": c.says,
            }
            for c in result.evidence_conflicts
        ],
        "respondents": [
            {
                "name": r.name,
                "role": r.role,
                "group": r.group,
                "assessed_at": r.assessed_at,
                "answered": r.answered,
            }
            for r in result.respondents
        ],
        "evidence": [
            {"question": q.id, "respondent": a.respondent, "link": link}
            for q in result.questions
            for a in q.answers
            for link in a.evidence
        ],
        "scale": [
            {"level": level, "name": name, "description": scale_descriptions.get(level, "")}
            for level, name in result.scale
        ],
        "charts": {
            "radar": charts.maturity_radar(result) if with_charts else "",
            **plan_view["charts"],
        },
        "toc": toc,
        "plan": plan_view,
    }


def render_html(context: dict[str, Any], options: ReportOptions) -> str:
    import jinja2

    dirs = template_dirs(options)
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(d) for d in dirs]),
        autoescape=True,  # everything, whatever the template's name
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    try:
        css = environment.loader.get_source(environment, "print.css")[0]  # type: ignore[union-attr]
    except jinja2.TemplateError as exc:
        raise UserError(f"report template error: {exc}") from None
    return _render(environment, "base.html", {**context, "css": css})


def _render(environment: Any, name: str, context: dict[str, Any]) -> str:
    """Render one template; a broken override is a located user error, not a traceback."""
    import jinja2

    try:
        return environment.get_template(name).render(**context)  # type: ignore[no-any-return]
    except jinja2.TemplateSyntaxError as exc:
        raise UserError.at(
            exc.filename or exc.name or "template", exc.message or "", exc.lineno
        ) from None
    except jinja2.TemplateError as exc:
        raise UserError(f"report template error: {exc}") from None


def locked_url_fetcher(allowed_roots: Sequence[Path]) -> Any:
    """A WeasyPrint URL fetcher that serves only files below `allowed_roots` (and data:)."""
    from urllib.parse import unquote, urlparse

    from weasyprint.urls import URLFetcher

    roots = [root.resolve() for root in allowed_roots]

    class LockedFetcher(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> Any:
            parsed = urlparse(url)
            if parsed.scheme == "data":
                return super().fetch(url, headers)
            if parsed.scheme == "file":
                path = Path(unquote(parsed.path)).resolve()
                if path.is_file() and any(path.is_relative_to(root) for root in roots):
                    return super().fetch(url, headers)
            raise ValueError(f"mcpscale reports load only their own assets, not {url}")

    return LockedFetcher(allowed_protocols={"file", "data"}, allow_redirects=False)


def render_pdf(html: str, options: ReportOptions) -> bytes:
    import logging

    from weasyprint import HTML

    logging.getLogger("weasyprint").setLevel(logging.ERROR)  # refused fetches are expected
    dirs = template_dirs(options)
    document = HTML(string=html, base_url=str(dirs[-1]) + "/", url_fetcher=locked_url_fetcher(dirs))
    return document.write_pdf(pdf_identifier=b"mcpscale-report", uncompressed_pdf=False)  # type: ignore[no-any-return]


def report_format(output: Path, requested: str | None) -> str:
    """--format, or the output's suffix."""
    if requested:
        return requested
    suffix = output.suffix.lower().lstrip(".")
    if suffix in ("pdf", "html", "md"):
        return suffix
    if suffix == "htm":
        return "html"
    if suffix == "markdown":
        return "md"
    raise UserError(
        f"cannot tell the report format from '{output.name}'; name it .pdf, .html or "
        ".md, or pass --format pdf|html|md"
    )


def assessment_context(
    result: Result,
    questionnaire: Questionnaire,
    options: ReportOptions,
    plan: Plan | None = None,
) -> dict[str, Any]:
    return build_context(
        result,
        options,
        {d.id: {a.id: a.name for a in d.areas} for d in questionnaire.dimensions},
        {d.id: d.description for d in questionnaire.dimensions},
        {s.level: s.description for s in questionnaire.scale},
        plan=plan,
    )


@dataclass(frozen=True)
class Prepared:
    questionnaire: Questionnaire
    result: Result
    plan: Plan | None  # None without a profile


def prepare(
    answer_paths: Sequence[Path],
    profile_path: Path | None,
    questionnaire_ref: str | None = None,
    simulations: int | None = None,
    seed: int | None = None,
    step: Step = _no_progress,
    evidence_paths: Sequence[Path] = (),
    trust: Trust = "answers",
) -> Prepared:
    """Load, score and plan, as `mcpscale plan` does; no plan without a profile."""
    from .evidence import caps_for
    from .plan import load_plan_inputs, plan_inputs
    from .scoring import score_answers

    step("load")
    inputs = load_plan_inputs(answer_paths, profile_path, questionnaire_ref)
    caps = caps_for(evidence_paths, inputs.questionnaire, questionnaire_ref)
    step("score")
    result = score_answers(
        inputs.questionnaire, inputs.answer_sets, inputs.profile, "mean", caps, trust
    )
    step("plan")
    return Prepared(
        inputs.questionnaire, result, plan_inputs(inputs, result, None, simulations, seed)
    )


def write_reports(
    prepared: Prepared,
    outputs: dict[str, Path],
    options: ReportOptions,
    step: Step = _no_progress,
) -> list[Path]:
    """Build the context once and write each requested format ({"pdf": path, ...})."""
    from .yamlio import write_atomic, write_atomic_bytes

    step("charts")
    context = assessment_context(prepared.result, prepared.questionnaire, options, prepared.plan)
    step("render")
    written = []
    html = render_html(context, options) if {"pdf", "html"} & set(outputs) else ""
    for fmt, path in outputs.items():
        if fmt == "html":
            write_atomic(path, html)
        elif fmt == "pdf":
            write_atomic_bytes(path, render_pdf(html, options))
        else:
            written += write_markdown(context, path, options)
            continue
        written.append(path)
    return written


def chart_files(context: dict[str, Any]) -> dict[str, str]:
    """Every chart in the context by a file-safe name: the report's own, then per dimension."""
    files = {name: svg for name, svg in context["charts"].items() if svg}
    for dimension in context["dimensions"]:
        if dimension["chart"]:
            files[f"dimension-{dimension['id']}"] = dimension["chart"]
    return files


def render_markdown(context: dict[str, Any], options: ReportOptions, chart_dir: str) -> str:
    """The report as Markdown; `chart_dir` is where the SVGs are linked from, relatively."""
    import jinja2
    from markupsafe import Markup

    def cell(value: Any) -> Markup:
        # Escaped as HTML (Markdown renderers pass HTML through) and as Markdown, so a note
        # holding ![x](http://...) stays text and fetches nothing; kept on one line, one cell.
        raw = "" if value is None else str(value)
        text = "".join(f"\\{char}" if char in MARKDOWN_SPECIALS else char for char in raw)
        text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        return Markup(" ".join(text.split()))

    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(d) for d in template_dirs(options)]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["cell"] = cell
    links = {name: f"{chart_dir}/{name}.svg" for name in chart_files(context)}
    return _render(environment, "report.md", {**context, "chart_links": links})


def write_markdown(context: dict[str, Any], path: Path, options: ReportOptions) -> list[Path]:
    """report.md and, beside it, report-charts/*.svg that it links to."""
    from .yamlio import write_atomic

    chart_dir = f"{path.stem}-charts"
    written = []
    for name, svg in chart_files(context).items():
        chart_path = path.parent / chart_dir / f"{name}.svg"
        write_atomic(chart_path, svg)
        written.append(chart_path)
    write_atomic(path, render_markdown(context, options, chart_dir))
    return [path, *written]
