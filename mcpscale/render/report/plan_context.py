"""The plan's part of the report context: gates, roadmap, budget, ROI and risks as plain data.

Amounts use one style everywhere (render.style.fmt_money: "EUR 3,790,000"). A section whose
planning files the pack lacks is left out, and one line (`note`) says which files would add
it: a pack with no planning files gets one sentence, not a page per missing file.
"""

from __future__ import annotations

from typing import Any

from mcpscale.formats.kinds import PLAN_FILES
from mcpscale.plan.compose import (
    COMPUTE_SPEND_PER_APPLICATION,
    DEVELOPER_SHARE_OF_STAFF,
    MIN_AI_DEVELOPERS,
    Plan,
    add_months,
)
from mcpscale.plan.roi import citation
from mcpscale.render import finance
from mcpscale.render.report.plan_fit import fit_context
from mcpscale.render.style import and_list, fmt_money, fmt_months, fmt_percent

# (section id, TOC title, the pack's planning files it needs)
PLAN_SECTIONS = (
    ("gates", "Gate readiness", ("gates",)),
    ("roadmap", "Roadmap", ("initiatives", "gates")),
    ("budget", "Budget and total cost of ownership", ("initiatives", "gates")),
    ("roi", "Return on investment", ("initiatives", "gates", "economics")),
    ("risks", "Risk register", ("risks",)),
)


NO_PLAN = "No plan: pass --profile with the organisation's profile to add it."


def shown_sections(plan: Plan | None) -> list[str]:
    """The plan's sections the report holds: those whose planning files the pack has."""
    if plan is None:
        return []
    return [
        section
        for section, _, needed in PLAN_SECTIONS
        if not any(name in plan.missing for name in needed)
    ]


def plan_toc(plan: Plan | None) -> list[dict[str, str]]:
    shown = shown_sections(plan)
    return [
        {"id": section, "title": title} for section, title, _ in PLAN_SECTIONS if section in shown
    ]


NO_PLANNING_FILES = (
    f"This pack has no planning files ({', '.join(PLAN_FILES)}), so the report holds the "
    "assessment only."
)


def missing_note(plan: Plan | None, plan_files: tuple[str, ...] | None = None) -> str:
    """One line for every plan section the report leaves out, naming what would add them.

    `plan_files`: the kinds of planning files the pack has, when known without a plan."""
    if plan is None:
        return NO_PLANNING_FILES if plan_files == () else NO_PLAN
    if not plan.missing:
        return ""
    if len(plan.missing) == len(PLAN_FILES):
        return NO_PLANNING_FILES
    shown = shown_sections(plan)
    left_out = [title.lower() for section, title, _ in PLAN_SECTIONS if section not in shown]
    files = and_list(PLAN_FILES[name] for name in plan.missing)
    return f"This pack has no {files}, so the report has no {and_list(left_out)}."


def _unavailable(plan: Plan | None, source: str) -> dict[str, str]:
    """One line per section explaining why it is empty (for templates of earlier versions)."""
    if plan is None:
        return {section: NO_PLAN for section, _, _ in PLAN_SECTIONS}
    reasons = {}
    for section, title, needed in PLAN_SECTIONS:
        lacking = [name for name in needed if name in plan.missing]
        if lacking:
            files = " and ".join(PLAN_FILES[name] for name in lacking)
            reasons[section] = f"{title}: not available, the {source} pack has no {files}."
    return reasons


def plan_context(
    plan: Plan | None, with_charts: bool = True, plan_files: tuple[str, ...] | None = None
) -> dict[str, Any]:
    """Keys: shown (the sections held), note (one line on those left out), unavailable, gates,
    next_gate, roadmap, budget, roi, risks, assumptions, inputs, charts."""
    from mcpscale.render import charts

    source = plan.result.questionnaire_id if plan else ""
    context: dict[str, Any] = {
        "shown": shown_sections(plan),
        "note": missing_note(plan, plan_files),
        "unavailable": _unavailable(plan, source),
        "gates": None,
        "next_gate": None,
        "roadmap": None,
        "budget": None,
        "roi": None,
        "risks": None,
        "assumptions": [],
        "inputs": [],
        "currency": plan.profile.currency if plan else "",
        "charts": {},
    }
    context["fit"] = fit_context(plan) if plan else None  # render/report/plan_fit.py
    if plan is None:
        return context
    currency = plan.profile.currency

    def money(amount: float | None) -> str:
        return fmt_money(amount, currency)

    chart_of: dict[str, Any] = {}
    if plan.gates is not None:
        context["gates"] = [
            {
                "phase": g.phase,
                "name": g.name,
                "ready": g.ready,
                "blocking": list(g.blocking),
                "entry": [{"name": c.name, "met": c.met} for c in g.entry],
                "exit": [{"name": c.name, "met": c.met} for c in g.exit],
            }
            for g in plan.gates
        ]
        context["next_gate"] = _gate_verdict(plan)
    if plan.roadmap is not None:
        roadmap = plan.roadmap
        context["roadmap"] = {
            "team_size": roadmap.team_size,
            "total_months": fmt_months(roadmap.total_months),
            "critical_path": list(roadmap.critical_path),
            "phases": [
                {
                    "phase": p.phase,
                    "name": p.name,
                    "months": f"{p.start_month}-{p.end_month}",
                    "duration": fmt_months(p.duration_months),
                    "range": f"{p.low}-{p.high} months",
                    "gate_date": add_months(plan.plan_start, p.end_month).isoformat(),
                    "note": p.note or "",
                }
                for p in roadmap.phases
            ],
            "initiatives": [
                {
                    "id": item.id,
                    "title": item.initiative.title,
                    "dimension": item.initiative.dimension,
                    "phase": item.phase,
                    "months": f"{item.start_month}-{item.end_month}",
                    "fte": f"{item.fte:.1f}",
                    "critical": item.critical,
                    "fired": item.fired,
                    "depends_on": ", ".join(item.initiative.depends_on),
                }
                for item in roadmap.initiatives
            ],
        }
        if roadmap.initiatives:
            chart_of["gantt"] = charts.roadmap_gantt
    if plan.budget is not None:
        budget = plan.budget
        context["budget"] = finance.budget_context(plan, money)
        if budget.total:
            chart_of["budget"] = charts.budget_by_phase
    if plan.roi is not None:
        roi = plan.roi
        reference = plan.economics.reference if plan.economics else None
        context["roi"] = finance.roi_context(plan, money)
        context["assumptions"] = [
            {
                "name": name.replace("_", " "),
                "low": f"{e.low:g}",
                "likely": f"{e.likely:g}",
                "high": f"{e.high:g}",
                "unit": e.unit,
                "source": citation(e, reference)
                + (
                    "; range set by the organisation profile"
                    if name in plan.profile.economics
                    else ""
                ),
            }
            for name, e in sorted(roi.assumptions.items())
        ]
        context["inputs"] = _planning_inputs(plan)
        if roi.cash_flows and roi.present_costs:
            chart_of["cashflow"] = charts.yearly_cash_flows
            chart_of["cumulative"] = charts.cumulative_cash_flow
        if roi.sensitivity:
            chart_of["tornado"] = charts.npv_tornado
    if plan.risks is not None:
        context["risks"] = [
            {
                "number": f"R{number}",
                "id": f.risk.id,
                "title": f.risk.title,
                "category": f.risk.category,
                "probability": f.risk.probability,
                "impact": f.risk.impact,
                "score": f.score,
                "mitigations": "; ".join(
                    (m.title or m.initiative)
                    + (
                        " (not scheduled)"
                        if m.start_month is None
                        else f" (months {m.start_month}-{m.end_month})"
                    )
                    for m in f.mitigations
                ),
            }
            for number, f in enumerate(plan.risks, start=1)
        ]
        if plan.risks:
            chart_of["heatmap"] = charts.risk_heat_map
    if with_charts:
        context["charts"] = {name: draw(plan) for name, draw in chart_of.items()}
    return context


def _planning_inputs(plan: Plan) -> list[dict[str, str]]:
    """The single-valued inputs of the plan and ROI, each with where it comes from."""
    profile, roi, budget = plan.profile, plan.roi, plan.budget
    assert roi is not None and budget is not None
    economics = plan.economics
    pack = finance.own_assumption(economics.reference if economics else None)
    adjustment_source = economics.risk_adjustment.source if economics else ""
    from_profile = "organisation profile"
    rows = [
        ("Discount rate", fmt_percent(roi.discount_rate), from_profile),
        ("Horizon", f"{plan.horizon_years} years after year 0", from_profile),
        (
            "Developer annual cost",
            fmt_money(profile.developer_annual_cost, profile.currency),
            from_profile,
        ),
        ("Salary inflation", f"{profile.salary_inflation:.1%} a year", from_profile),
        ("Cost multiplier", f"{profile.cost_multiplier:g}", from_profile),
        (
            "AI developers",
            f"{plan.ai_developers:,}",
            from_profile
            if profile.ai_developers
            else (
                f"derived: {DEVELOPER_SHARE_OF_STAFF:.0%} of staff, at least {MIN_AI_DEVELOPERS}"
                if profile.size
                else "default: no size or count in the profile"
            ),
        ),
        (
            "AI compute spend",
            fmt_money(plan.ai_compute_annual_spend, profile.currency) + " a year",
            from_profile
            if profile.ai_compute_annual_spend is not None
            else f"derived: {COMPUTE_SPEND_PER_APPLICATION:,} per AI application",
        ),
        ("New AI applications", f"{profile.new_ai_applications_per_year} a year", from_profile),
        (
            "Value per AI application",
            fmt_money(profile.annual_value_per_application, profile.currency) + " a year"
            if profile.annual_value_per_application is not None
            else "not valued",
            from_profile,
        ),
        (
            "Core team",
            f"{plan.team_size} people",
            "derived from the organisation's size" if plan.team_size_derived else from_profile,
        ),
        (
            "Risk adjustment",
            f"benefits -{fmt_percent(roi.benefit_risk)}, costs +{fmt_percent(roi.cost_risk)}",
            (adjustment_source or pack)
            + (
                f"; the pack's {fmt_percent(economics.risk_adjustment.benefits)} and "
                f"{fmt_percent(economics.risk_adjustment.costs)} moved by the assessment "
                "(Return on investment)"
                + (
                    f"; weights: {economics.risk_adjustment.weights_source}"
                    if economics.risk_adjustment.weights_source
                    else ""
                )
                if economics
                else ""
            )
            + ("; set by the organisation profile" if profile.risk_adjustment else ""),
        ),
        ("Contingency", fmt_percent(budget.contingency_rate), pack),
    ]
    if economics is not None:
        ramp = economics.benefit_ramp
        rows.append(
            (
                "Benefit ramp",
                finance.ramp_text(ramp),
                pack,
            )
        )
    return [{"name": name, "value": value, "source": source} for name, value, source in rows]


def _gate_verdict(plan: Plan) -> dict[str, Any]:
    """The furthest phase the organisation may enter today, and what blocks the next one."""
    gates = sorted(plan.gates or (), key=lambda g: g.phase)
    blocked = next((g for g in gates if not g.ready), None)
    if blocked is None:
        text = "Ready to enter every phase: all gate entry criteria are met."
    else:
        before = [g for g in gates if g.phase < blocked.phase]  # all ready, by definition
        entered = f"Ready to enter phase {before[-1].phase} {before[-1].name}. " if before else ""
        count = len(blocked.blocking)
        text = (
            f"{entered}Not yet ready for phase {blocked.phase} {blocked.name}: "
            f"{count} blocking criteri{'on' if count == 1 else 'a'}."
        )
    return {
        "text": text,
        "ready": blocked is None,
        "blocking": list(blocked.blocking) if blocked else [],
    }
