"""The plan's finance as a reader sees it, in the terminal and the report alike: the budget by
phase, one-off against running costs and calendar year, cost per initiative, benefits by
source, the ROI headline (most likely case beside the simulated median) and the sentences
that reconcile the TCO with the ROI and state the P10/P90 convention.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from mcpscale.formats.pack import BenefitRamp, Reference
from mcpscale.plan.budget import COST_KINDS, by_calendar_year
from mcpscale.plan.compose import Plan, add_months
from mcpscale.plan.document import CONVENTION
from mcpscale.plan.risk_adjustment import RiskBasis
from mcpscale.plan.roi import STREAM_TITLES, CostBases, RoiResult, Simulation, cost_bases
from mcpscale.render.style import (
    and_list,
    fmt_money,
    fmt_months,
    fmt_percent,
    fmt_points,
    fmt_probability,
)

KIND_TITLES = {"one_off": "One-off (build)", "running": "Running (operate)"}
RISK_FACTOR_TITLES = {
    "confidence": "Answer confidence",
    "disagreement": "Disagreement",
    "evidence_conflicts": "Evidence conflicts",
    "blocked_criteria": "Blocked gate criteria",
}
Money = Callable[[float | None], str]


def _rounded(amount: float) -> float:
    """As fmt_money shows it, so that shown amounts add up to the shown totals."""
    return round(amount, -3) if abs(amount) >= 1000 else round(amount)


def own_assumption(reference: Reference | None) -> str:
    """The source of a figure the pack sets without the reference document."""
    where = "mcpscale assumption in the pack's economics.yaml"
    return f"{where}; {reference.title} gives no figure" if reference else where


def ramp_text(ramp: BenefitRamp) -> str:
    after = "then the full benefit" if ramp.after == 1 else f"then {fmt_percent(ramp.after)}"
    return (
        f"phase 1 {fmt_percent(ramp.phase_1)}, phase 2 {fmt_percent(ramp.phase_2)}, "
        f"phase 3 {fmt_percent(ramp.phase_3)}, {after}"
    )


def reconciliation(bases: CostBases, currency: str) -> str:
    """One sentence: the TCO and the ROI's costs, each from the same budget, and why they differ."""

    def money(amount: float) -> str:
        return fmt_money(amount, currency)

    contingency, risk = fmt_percent(bases.contingency_rate), fmt_percent(bases.cost_risk)
    overrun = (
        "" if bases.cost_overrun == 1 else f" and the most likely overrun (x{bases.cost_overrun:g})"
    )
    difference = _rounded(bases.tco) - _rounded(bases.roi_costs)
    if difference == 0:
        why = "the same as the total cost of ownership"
    else:
        side = "below" if difference > 0 else "above"
        why = (
            f"{money(abs(difference))} {side} the total cost of ownership: the ROI replaces the "
            f"{contingency} contingency, a reserve, by its {risk} risk adjustment{overrun}, so "
            "that the uncertainty is not counted twice"
        )
    return (
        f"One cost base: the total cost of ownership, {money(bases.tco)}, is the budget "
        f"{money(bases.budget)} plus {contingency} contingency, the sum to approve; the ROI "
        f"counts the same budget plus a {risk} risk adjustment{overrun}, "
        f"{money(bases.roi_costs)} undiscounted ({money(bases.roi_present_costs)} discounted), "
        f"{why}."
    )


def risk_basis_rows(basis: RiskBasis) -> list[dict[str, str]]:
    """The risk adjustment as a table: the pack's figure, what each factor of the assessment
    adds to benefits and to costs, and the result."""
    benefits, costs = basis.benefits, basis.costs
    rows = [
        {
            "factor": "The pack's figure",
            "found": "for an assessment that leaves nothing to doubt",
            "benefits": fmt_percent(benefits.default),
            "costs": fmt_percent(costs.default),
        }
    ]
    for factor in basis.factors:
        rows.append(
            {
                "factor": RISK_FACTOR_TITLES[factor.name],
                "found": factor.detail,
                "benefits": fmt_points(benefits.contributions.get(factor.name, 0.0)),
                "costs": fmt_points(costs.contributions.get(factor.name, 0.0)),
            }
        )
    notes = [
        f"{name} capped at the pack's maximum of {fmt_percent(side.maximum)}"
        for name in ("benefits", "costs")
        for side in [basis.side(name)]
        if side.set_by == "assessment" and side.computed == side.maximum
    ] + [
        f"{name} set by the organisation profile (the assessment gives "
        f"{fmt_percent(side.computed)})"
        for name in ("benefits", "costs")
        for side in [basis.side(name)]
        if side.set_by == "profile"
    ]
    rows.append(
        {
            "factor": "Risk adjustment",
            "found": "; ".join(notes),
            "benefits": f"-{fmt_percent(benefits.result)}",
            "costs": f"+{fmt_percent(costs.result)}",
        }
    )
    return rows


def risk_basis_text(basis: RiskBasis) -> str:
    """The risk adjustment and where it comes from, in one sentence."""
    benefits, costs = basis.benefits, basis.costs
    raised = [
        RISK_FACTOR_TITLES[f.name].lower()
        for f in basis.factors
        if benefits.contributions.get(f.name) or costs.contributions.get(f.name)
    ]
    text = (
        f"Benefits -{fmt_percent(benefits.result)}, costs +{fmt_percent(costs.result)}: the "
        f"pack's {fmt_percent(benefits.default)} and {fmt_percent(costs.default)}, "
        + (
            f"raised by {and_list(raised)}"
            if raised
            else "as the assessment leaves nothing to doubt"
        )
    )
    fixed = [name for name in ("benefits", "costs") if basis.side(name).set_by == "profile"]
    if fixed:
        text += f"; {and_list(fixed)} set by the organisation profile"
    return text + "."


def convention(simulation: Simulation | None) -> str:
    """The P10/P90 convention in words."""
    if simulation is None:
        return "No simulation was run (--simulations 0): the figures are the most likely case."
    return (
        f"Most likely case: every assumption at its most likely value. The simulation draws "
        f"every assumption {simulation.draws:,} times from its range. {CONVENTION}"
    )


def positive_roi(simulation: Simulation) -> str:
    """The chance of a positive ROI: "P(ROI > 0) = 87%", or "P(ROI > 0) > 99%" at the ends."""
    probability = fmt_probability(simulation.prob_positive)
    relation = "" if probability[0] in "<>" else "= "
    return f"P(ROI > 0) {relation}{probability}"


def probability_text(simulation: Simulation) -> str:
    return f"{simulation.draws:,} PERT draws, seed {simulation.seed}; {positive_roi(simulation)}"


def payback_range(simulation: Simulation, horizon_months: int) -> str:
    """The simulated payback in words: median, the 80% range, the chance within the horizon."""

    def months(value: int | None) -> str:
        return "not within the horizon" if value is None else fmt_months(value)

    fast, median, slow = simulation.payback
    within = fmt_probability(simulation.prob_payback)
    return (
        f"simulated median {months(median)}; 80% of draws between {months(fast)} (fast end) "
        f"and {months(slow)} (slow end); paid back within the {horizon_months}-month horizon "
        f"in {within} of draws"
    )


def option_rows(simulation: Simulation, currency: str) -> list[tuple[str, str]]:
    """Schedule and gates as options, as (measure, value in words) rows."""
    rows: list[tuple[str, str]] = []
    fast, median, slow = simulation.finish_months
    if slow:
        rows.append(
            ("Last phase ends", f"month {median} (median); 80% of draws between {fast} and {slow}")
        )
    flexibility = simulation.flexibility
    if flexibility is None:
        return rows
    rows += [
        (
            "Committed NPV, mean",
            f"{fmt_money(flexibility.committed_npv, currency)}: every phase runs and is paid for",
        ),
        (
            "Staged NPV, mean",
            f"{fmt_money(flexibility.staged_npv, currency)}: the programme stops at a gate "
            "not passed",
        ),
        (
            "Flexibility value",
            f"{fmt_money(flexibility.value, currency)} (staged - committed): what the right "
            "to stop at a gate is worth",
        ),
    ]
    for gate in flexibility.gates:
        rows.append(
            (
                f"Gate {gate.phase}: {gate.name}",
                f"{gate.criteria_met} of {gate.criteria} criteria met today; passed with "
                f"probability {fmt_probability(gate.pass_probability)} when reached; "
                f"the programme stops here in {fmt_probability(gate.stopped)} of draws",
            )
        )
    return rows


def period(plan_start: dt.date, year: int) -> str:
    """What a plan year covers: year 0 is the start; year 1 the first twelve months."""
    if year == 0:
        return "at start"
    first = add_months(plan_start, 12 * (year - 1))
    if first.month == 1:
        return str(first.year)
    last = add_months(plan_start, 12 * year - 1)
    return f"{first:%b %Y}-{last:%b %Y}"


def budget_context(plan: Plan, money: Money) -> dict[str, Any]:
    """The budget section: by phase, kind and calendar year summing to the TCO; by category
    and kind; per initiative."""
    budget = plan.budget
    assert budget is not None
    start = plan.plan_start
    years = budget.calendar_years(start)
    rate = budget.contingency_rate
    phase_names = {p.phase: p.name for p in plan.roadmap.phases} if plan.roadmap else {}
    titles = (
        {item.id: (item.initiative.title, item.phase) for item in plan.roadmap.initiatives}
        if plan.roadmap
        else {}
    )

    def cell(amount: float) -> str:
        return money(amount) if amount else "-"

    def amounts(values: list[float]) -> dict[str, Any]:
        return {"amounts": [cell(v) for v in values], "total": money(sum(values))}

    phase_rows = []
    for phase in (1, 2, 3):
        rows = [
            {"kind": KIND_TITLES[kind], **amounts(budget.by_calendar_year(start, phase, kind))}
            for kind in COST_KINDS
        ]
        phase_rows.append({"phase": f"{phase} {phase_names.get(phase, '')}".strip(), "rows": rows})
    by_year = budget.by_calendar_year(start)
    by_kind = budget.by_kind()
    by_category = budget.by_category_kind()
    per_initiative = budget.by_initiative()
    return {
        # the one-line figures the summary uses
        "total": money(budget.total),
        "contingency_rate": fmt_percent(rate),
        "contingency": money(budget.contingency),
        "tco": money(budget.total_cost_of_ownership),
        "horizon": f"{plan.horizon_years}-year",
        "one_off": money(by_kind["one_off"]),
        "running": money(by_kind["running"]),
        "calendar_years": [str(year) for year in years],
        "phases": phase_rows,
        "kinds": [
            {"kind": KIND_TITLES[kind], **amounts(budget.by_calendar_year(start, kind=kind))}
            for kind in COST_KINDS
        ],
        "budget_row": amounts(by_year),
        "contingency_row": amounts([rate * v for v in by_year]),
        "tco_row": amounts([(1 + rate) * v for v in by_year]),
        "categories": [
            {
                "category": category,
                "one_off": cell(costs["one_off"]),
                "running": cell(costs["running"]),
                "total": money(costs["one_off"] + costs["running"]),
            }
            for category, costs in by_category.items()
            if costs["one_off"] or costs["running"]
        ],
        "initiatives": [
            {
                "title": titles.get(initiative, (initiative, 0))[0],
                "phase": titles.get(initiative, (initiative, ""))[1],
                "one_off": cell(costs["one_off"]),
                "running": cell(costs["running"]),
                "total": money(costs["one_off"] + costs["running"]),
            }
            for initiative, costs in per_initiative.items()
        ],
        "reconciliation": reconciliation(cost_bases(budget, plan.roi), plan.profile.currency)
        if plan.roi
        else "",
    }


def roi_context(plan: Plan, money: Money) -> dict[str, Any]:
    """The ROI section: headline (most likely and median), cash flows with both cumulative
    columns, benefits by source and calendar year, and the sentences around them."""
    roi = plan.roi
    assert roi is not None
    sim = roi.simulation
    start = plan.plan_start
    benefits = {
        stream: by_calendar_year(monthly, start)
        for stream, monthly in roi.monthly_benefits_by_stream.items()
    }
    years = sorted({year for per_year in benefits.values() for year in per_year})
    return {
        "npv": money(roi.npv),
        "roi": fmt_percent(roi.roi),
        "npv_median": money(sim.npv[1]) if sim else "",
        "roi_median": fmt_percent(sim.roi[1]) if sim else "",
        "npv_mean": money(sim.npv_mean) if sim else "",
        "roi_mean": fmt_percent(sim.roi_mean) if sim else "",
        "bcr": "-" if roi.benefit_cost_ratio is None else f"{roi.benefit_cost_ratio:.2f}",
        "irr": fmt_percent(roi.irr),
        "payback": "not within the horizon"
        if roi.payback_months is None
        else fmt_months(roi.payback_months),
        "npv_range": f"{money(sim.npv[0])} to {money(sim.npv[2])}" if sim else "",
        "roi_range": f"{fmt_percent(sim.roi[0])} to {fmt_percent(sim.roi[2])}" if sim else "",
        "simulation": probability_text(sim) if sim else "no simulation (--simulations 0)",
        "probability": positive_roi(sim) if sim else "",
        "convention": convention(sim),
        "payback_range": payback_range(sim, 12 * plan.horizon_years) if sim else "",
        "options": [
            {"measure": measure, "value": value}
            for measure, value in (option_rows(sim, plan.profile.currency) if sim else [])
        ],
        "benefit_risk": fmt_percent(roi.benefit_risk),
        "cost_risk": fmt_percent(roi.cost_risk),
        "risk_basis": risk_basis_rows(plan.risk_basis) if plan.risk_basis else [],
        "risk_basis_text": risk_basis_text(plan.risk_basis) if plan.risk_basis else "",
        "discount_rate": fmt_percent(roi.discount_rate),
        "cash_flows": [
            {
                "year": c.year,
                "period": period(start, c.year),
                "costs": money(c.costs),
                "benefits": money(c.benefits),
                "net": money(c.net),
                "cumulative": money(c.cumulative_net),
                "present": money(c.present_benefits - c.present_costs),
                "cumulative_present": money(c.cumulative_present_net),
            }
            for c in roi.cash_flows
        ],
        "benefit_years": [str(year) for year in years],
        "benefits_by_source": [
            {
                "source": STREAM_TITLES[stream],
                "amounts": [money(per_year.get(year, 0.0)) for year in years],
                "total": money(sum(per_year.values())),
            }
            for stream, per_year in benefits.items()
        ],
        "benefits_total": {
            "amounts": [money(sum(b.get(year, 0.0) for b in benefits.values())) for year in years],
            "total": money(sum(sum(b.values()) for b in benefits.values())),
        },
        "reconciliation": reconciliation(cost_bases(plan.budget, roi), plan.profile.currency)
        if plan.budget
        else "",
        "sensitivity": [
            {
                "input": sensitivity_label(s.input),
                "low": f"{s.low:g}",
                "high": f"{s.high:g}",
                "npv_at_low": money(s.npv_at_low),
                "npv_at_high": money(s.npv_at_high),
                "swing": money(s.swing),
            }
            for s in roi.sensitivity
        ],
    }


def sensitivity_label(name: str) -> str:
    """A tornado row's name in words: an assumption's name, the schedule or a gate."""
    if name == "schedule_months":
        return "schedule (months)"
    if name.startswith("gate_") and name.endswith("_passed"):
        return f"gate after phase {name.split('_')[1]} passed"
    return name.replace("_", " ")


def headline(roi: RoiResult, currency: str) -> str:
    """NPV and ROI in the most likely case with the simulated median beside them."""
    sim = roi.simulation
    text = (
        f"NPV {fmt_money(roi.npv, currency)} and ROI {fmt_percent(roi.roi)} in the most likely case"
    )
    if sim:
        text += (
            f"; simulated median NPV {fmt_money(sim.npv[1], currency)}, "
            f"ROI {fmt_percent(sim.roi[1])}"
        )
    return text
