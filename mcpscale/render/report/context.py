"""Builds the report: template context from a Result, jinja2 rendering, WeasyPrint to PDF.

Everything users wrote is escaped (autoescape is on for every template), and WeasyPrint
may load nothing but files inside the bundled templates and the --template-dir: a note
holding `<img src="file:///etc/passwd">` renders as text and fetches nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mcpscale import __version__
from mcpscale.assess.respondents import OUTLIER_MIN_DIFFERENCE
from mcpscale.formats.answers import choice_text
from mcpscale.formats.results import DimensionScore, Result, result_to_dict
from mcpscale.inputs.clock import today
from mcpscale.render.report.dimension_points import dimension_points_view
from mcpscale.render.report.options import ReportOptions
from mcpscale.render.results import consensus_text
from mcpscale.render.style import fmt_percent, fmt_score

if TYPE_CHECKING:
    from mcpscale.assess.coverage import Coverage
    from mcpscale.formats.questionnaire import Questionnaire
    from mcpscale.plan.compose import Plan


APPENDIX_TITLE = "Appendix B: method, assumptions, respondents, evidence"


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
        "gated": d.scoring == "gated",
    }


def build_context(
    result: Result,
    options: ReportOptions,
    area_names: dict[str, dict[str, str]],
    dimension_descriptions: dict[str, str],
    scale_descriptions: dict[int, str],
    with_charts: bool = True,
    plan: Plan | None = None,
    plan_files: tuple[str, ...] | None = None,
) -> dict[str, Any]:
    """Everything the templates show, as plain data; text is escaped by the templates.

    `plan_files`: the kinds of planning files the pack has (pipeline.Assessment.plan_files)."""
    from mcpscale.render import charts
    from mcpscale.render.report.plan_context import plan_context, plan_toc
    from mcpscale.render.report.story import story_context

    question_texts = {q.id: q.text for q in result.questions}
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
                    "consensus_text": consensus_text(result, q.consensus, q.consensus_level),
                    "scored": q.scored,
                    "target_text": None if q.target is None else f"{q.target:g}",
                    "gap_text": None if q.gap is None else fmt_score(q.gap),
                    "priority": q.priority,
                    "builds_on": [question_texts.get(other, other) for other in q.depends_on],
                    "answers": [
                        {
                            "respondent": a.respondent,
                            "answer_text": (
                                f"{a.level} ({choice_text(a.choice)})"
                                if a.level is not None
                                else {"unknown": "don't know", "na": "not applicable"}.get(
                                    choice_text(a.choice), choice_text(a.choice)
                                )
                            )
                            + (f" · {a.confidence} confidence" if a.confidence else ""),
                            "note": a.note,
                            "confidence": a.confidence,
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
        view["points"] = dimension_points_view(result, d.id)  # strengths and weaknesses
        dimensions.append(view)
    gaps = sorted((d for d in result.dimensions if d.gap), key=lambda d: (-(d.gap or 0), d.id))[:3]
    groups = sorted({r.group for r in result.respondents if r.group})
    overall = result.overall
    question_texts = {q.id: q.text for q in result.questions}
    toc = [
        {"id": "summary", "title": "Executive summary"},
        {"id": "maturity", "title": "Maturity by dimension"},
        {"id": "disagreements", "title": "Disagreements to resolve"},
        {"id": "respondents", "title": "Respondents as evidence"},
        *(
            [{"id": "evidence-conflicts", "title": "Evidence conflicts"}]
            if result.evidence_conflicts
            else []
        ),
        *(
            [{"id": "evidence-estate", "title": "Evidence: servers and findings"}]
            if result.evidence_servers
            else []
        ),
        *plan_toc(plan),
        # The per-question detail is an appendix after the plan (templates/report/base.html).
        {"id": "detail", "title": "Appendix A: answers question by question"},
        *({"id": f"dimension-{d.id}", "title": d.name} for d in result.dimensions),
        {"id": "appendix", "title": APPENDIX_TITLE},
    ]
    plan_view = plan_context(plan, with_charts, plan_files)
    return {
        "version": __version__,
        "title": options.title,
        "organisation": result.profile_name or "Unnamed organisation",
        "classification": options.classification,
        "assessor": options.assessor,
        "brand_name": options.brand_name,
        "brand_colour": options.brand_colour,
        "logo_uri": options.logo_uri,
        "report_date": today().isoformat(),
        "created": today().isoformat(),
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
        "largest_gaps": [_dimension_view(d) for d in gaps],
        "dimensions": dimensions,
        "disagreement_spread_text": f"{result.disagreement_spread:g}",
        "outlier_distance_text": f"{result.on_scale(OUTLIER_MIN_DIFFERENCE):g} {result.unit}",
        "disagreements": [
            {
                "question": d.question,
                "text": d.text,
                "levels": sorted(d.levels.items()),
                "consensus_text": consensus_text(result, d.consensus, d.consensus_level),
            }
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
        "estate": _estate_view(result),
        "respondents": result_to_dict(result)["respondents"],
        "evidence": [
            {"question": q.id, "text": q.text, "respondent": a.respondent, "link": link}
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
        **story_context(result, options, plan, toc),
    }


def assessment_context(
    result: Result,
    questionnaire: Questionnaire,
    options: ReportOptions,
    plan: Plan | None = None,
    plan_files: tuple[str, ...] | None = None,
    coverage: Coverage | None = None,
) -> dict[str, Any]:
    from mcpscale.render.coverage import coverage_view
    from mcpscale.render.report.layout import drop_inapplicable_areas, regulation_coverage

    context = build_context(
        result,
        options,
        {d.id: {a.id: a.name for a in d.areas} for d in questionnaire.dimensions},
        {d.id: d.description for d in questionnaire.dimensions},
        {s.level: s.description for s in questionnaire.scale},
        plan=plan,
        plan_files=plan_files,
    )
    regulations = plan.profile.regulations if plan else None
    context["regulations"] = regulation_coverage(questionnaire, regulations)
    context["left_out_areas"] = drop_inapplicable_areas(context["dimensions"])
    # Appendix C, after the method: only for a pack with frameworks.yaml
    context["coverage"] = None if coverage is None else coverage_view(coverage)
    if coverage is not None:
        context["toc"].append({"id": "coverage", "title": context["coverage"]["title"]})
    return context


def _estate_view(result: Result) -> dict[str, Any]:
    """Servers by findings: counts by severity, then the finding ids worst first, so any
    number of ids fits the page."""
    rows = []
    for server in result.evidence_servers:
        counts = dict.fromkeys(("high", "medium", "low"), 0)
        for _finding, level, count in server.findings:
            counts[level] += count
        rows.append(
            {
                "name": server.name,
                "transport": server.transport,
                "error": server.error,
                "counts": counts,
                "findings": [
                    {"id": finding, "severity": level, "count": count}
                    for finding, level, count in server.findings
                ],
            }
        )
    return {
        "rows": rows,
        "clean": sum(1 for s in result.evidence_servers if not s.findings and not s.error),
    }
