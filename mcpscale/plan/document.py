"""The plan as versioned data (`mcpscale/plan@1`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from mcpscale.plan.budget import COST_KINDS, Budget, by_calendar_year
from mcpscale.plan.compose import Plan, add_months
from mcpscale.plan.risk_adjustment import RULE, SIDES, RiskBasis
from mcpscale.plan.roadmap import Check
from mcpscale.plan.roi import (
    Flexibility,
    RoiResult,
    Simulation,
    citation,
    cost_bases,
)

PLAN_SCHEMA = "mcpscale/plan@1"
# What the simulation's percentiles mean, in the words the JSON, the tables and the report use.
CONVENTION = (
    "P10 is the low (pessimistic) end: nine draws in ten do better. P90 is the high "
    "(optimistic) end: only one draw in ten does better. The median (P50) is the middle "
    "draw and the mean the average of the draws; 80% of the outcomes lie between P10 and P90."
)


# ---------------------------------------------------------------- JSON


def _inputs(plan: Plan) -> dict[str, Any]:
    """The profile's inputs the plan used: the core team and its cost where the pack has a
    roadmap, the ROI's inputs where it has economics; a pack without them uses none."""
    inputs: dict[str, Any] = {}
    if plan.roadmap is not None:
        inputs["core_team_size"] = plan.team_size
        inputs["core_team_size_derived"] = plan.team_size_derived
        inputs["developer_annual_cost"] = plan.profile.developer_annual_cost
    if plan.roi is not None:
        inputs["ai_developers"] = plan.ai_developers
        inputs["ai_compute_annual_spend"] = plan.ai_compute_annual_spend
        inputs["discount_rate"] = plan.profile.discount_rate
    return inputs


def plan_to_dict(plan: Plan) -> dict[str, Any]:
    """The versioned JSON shape (`mcpscale/plan@1`); keys are sorted when written."""
    return {
        "schema": PLAN_SCHEMA,
        "questionnaire": {
            "id": plan.result.questionnaire_id,
            "version": plan.result.questionnaire_version,
        },
        "profile": plan.profile.name,
        "currency": plan.profile.currency,
        "plan_start": plan.plan_start.isoformat(),
        "horizon_years": plan.horizon_years,
        "inputs": _inputs(plan),
        "missing": list(plan.missing),
        "assessment": {
            "overall": plan.result.overall.score,
            "dimensions": [
                {"id": d.id, "score": d.score, "target": d.target, "gap": d.gap}
                for d in plan.result.dimensions
            ],
        },
        "roadmap": _roadmap_dict(plan),
        "gates": _gates_dict(plan),
        "priorities": None
        if plan.priorities is None
        else [
            {"id": p.initiative, "value": p.value, "effort": p.effort, "quadrant": p.quadrant}
            for p in plan.priorities
        ],
        "phase_targets": None
        if plan.phase_targets is None
        else [
            {
                "dimension": t.dimension,
                "today": t.today,
                "target": t.target,
                "by_phase": list(t.by_phase),
            }
            for t in plan.phase_targets
        ],
        "budget": _budget_dict(plan.budget, plan.plan_start),
        "roi": _roi_dict(plan),
        "risks": None
        if plan.risks is None
        else [
            {
                "id": f.risk.id,
                "title": f.risk.title,
                "category": f.risk.category,
                "probability": f.risk.probability,
                "impact": f.risk.impact,
                "score": f.score,
                "mitigations": [
                    {
                        "initiative": m.initiative,
                        "title": m.title,
                        "start_month": m.start_month,
                        "end_month": m.end_month,
                    }
                    for m in f.mitigations
                ],
            }
            for f in plan.risks
        ],
    }


def _roadmap_dict(plan: Plan) -> dict[str, Any] | None:
    roadmap = plan.roadmap
    if roadmap is None:
        return None
    return {
        "team_size": roadmap.team_size,
        "total_months": roadmap.total_months,
        "critical_path": list(roadmap.critical_path),
        "phases": [
            {
                "phase": p.phase,
                "name": p.name,
                "start_month": p.start_month,
                "end_month": p.end_month,
                "duration_months": p.duration_months,
                "range_months": [p.low, p.high],
                "needed_months": p.needed_months,
                "gate_date": add_months(plan.plan_start, p.end_month).isoformat(),
                "note": p.note,
            }
            for p in roadmap.phases
        ],
        "initiatives": [
            {
                "id": item.id,
                "title": item.initiative.title,
                "dimension": item.initiative.dimension,
                "phase": item.phase,
                "start_month": item.start_month,
                "end_month": item.end_month,
                "duration_months": item.duration_months,
                "fte": item.fte,
                "effort_fte_months": item.initiative.effort_fte_months,
                "fired": item.fired,
                "required_by": list(item.required_by),
                "depends_on": list(item.initiative.depends_on),
                "critical": item.critical,
                "success_criteria": list(item.initiative.success_criteria),
                "reasons": [_check_dict(c) for c in item.reasons],
            }
            for item in roadmap.initiatives
        ],
        "left_out": [
            {
                "id": item.id,
                "title": item.initiative.title,
                "reason": item.reason,
                "criterion": item.criterion,
                "needed_by": list(item.needed_by),
                "checks": [_check_dict(c) for c in item.checks],
            }
            for item in roadmap.left_out
        ],
    }


def _check_dict(check: Check) -> dict[str, Any]:
    return {
        "fact": check.fact,
        "op": check.op,
        "value": check.value,
        "score": check.score,
        "holds": check.holds,
    }


def _gates_dict(plan: Plan) -> list[dict[str, Any]] | None:
    if plan.gates is None:
        return None
    return [
        {
            "phase": g.phase,
            "name": g.name,
            "ready": g.ready,
            "blocking": g.blocking,
            "entry": [{"name": c.name, "met": c.met} for c in g.entry],
            "exit": [{"name": c.name, "met": c.met} for c in g.exit],
        }
        for g in plan.gates
    ]


def _budget_dict(budget: Budget | None, plan_start: dt.date) -> dict[str, Any] | None:
    if budget is None:
        return None
    from mcpscale.formats.pack import COST_CATEGORIES

    years = budget.calendar_years(plan_start)
    return {
        "calendar_years": years,
        "by_kind": budget.by_kind(),
        "by_phase_kind_calendar_year": [
            {"phase": phase, "kind": kind, "calendar_year": year, "amount": amount}
            for phase in (1, 2, 3)
            for kind in COST_KINDS
            for year, amount in zip(
                years, budget.by_calendar_year(plan_start, phase, kind), strict=True
            )
            if amount
        ],
        "by_initiative": [
            {"id": initiative, **costs, "total": costs["one_off"] + costs["running"]}
            for initiative, costs in budget.by_initiative().items()
        ],
        "by_category_phase_year": [
            {"category": category, "phase": phase, "year": year, "amount": amount}
            for category in COST_CATEGORIES
            for phase in (1, 2, 3)
            for year in budget.years
            for amount in [budget.cell(category, phase, year)]
            if amount
        ],
        "by_year": budget.by_year(),
        "by_category": budget.by_category(),
        "by_phase": {str(phase): amount for phase, amount in budget.by_phase().items()},
        "total": budget.total,
        "contingency_rate": budget.contingency_rate,
        "contingency": budget.contingency,
        "total_cost_of_ownership": budget.total_cost_of_ownership,
    }


def _risk_basis_dict(basis: RiskBasis) -> dict[str, Any]:
    """Why the risk adjustment is what it is: the pack's figure, what each factor of the
    assessment adds (weight x measure), the pack's maximum and the result."""
    return {
        "rule": RULE,
        "factors": [
            {"name": f.name, "measure": f.measure, "detail": f.detail} for f in basis.factors
        ],
        **{
            name: {
                "default": side.default,
                "contributions": side.contributions,
                "maximum": side.maximum,
                "computed": side.computed,
                "result": side.result,
                "set_by": side.set_by,
            }
            for name in SIDES
            for side in [basis.side(name)]
        },
    }


def _roi_dict(plan: Plan) -> dict[str, Any] | None:
    roi = plan.roi
    if roi is None:
        return None
    simulation = roi.simulation
    reference = plan.economics.reference if plan.economics else None
    bases = cost_bases(plan.budget, roi) if plan.budget else None
    return {
        "cost_basis": None
        if bases is None
        else {
            "budget": bases.budget,
            "contingency_rate": bases.contingency_rate,
            "total_cost_of_ownership": bases.tco,
            "risk_adjustment_costs": bases.cost_risk,
            "cost_overrun": bases.cost_overrun,
            "costs": bases.roi_costs,
            "present_costs": bases.roi_present_costs,
            "difference_from_tco": bases.difference,
        },
        "reference": None if reference is None else reference.model_dump(),
        "benefits_by_stream_calendar_year": [
            {"stream": stream, "calendar_year": year, "amount": amount}
            for stream, monthly in roi.monthly_benefits_by_stream.items()
            for year, amount in by_calendar_year(monthly, plan.plan_start).items()
        ],
        "npv": roi.npv,
        "roi": roi.roi,
        "benefit_cost_ratio": roi.benefit_cost_ratio,
        "irr": roi.irr,
        "payback_months": roi.payback_months,
        "present_costs": roi.present_costs,
        "present_benefits": roi.present_benefits,
        "discount_rate": roi.discount_rate,
        "risk_adjustment": {
            "benefits": roi.benefit_risk,
            "costs": roi.cost_risk,
            "basis": None if plan.risk_basis is None else _risk_basis_dict(plan.risk_basis),
        },
        "cash_flows": [
            {
                "year": c.year,
                "costs": c.costs,
                "benefits": c.benefits,
                "net": c.net,
                "discount_factor": c.discount_factor,
                "present_costs": c.present_costs,
                "present_benefits": c.present_benefits,
                "cumulative_net": c.cumulative_net,
                "cumulative_present_net": c.cumulative_present_net,
            }
            for c in roi.cash_flows
        ],
        "benefits_by_stream": roi.benefits_by_stream,
        "simulation": None
        if simulation is None
        else {
            "draws": simulation.draws,
            "seed": simulation.seed,
            "distribution": "pert",
            "convention": CONVENTION,
            "p10": {"npv": simulation.npv[0], "roi": simulation.roi[0]},
            "p50": {"npv": simulation.npv[1], "roi": simulation.roi[1]},
            "p90": {"npv": simulation.npv[2], "roi": simulation.roi[2]},
            "mean": {"npv": simulation.npv_mean, "roi": simulation.roi_mean},
            "prob_positive": simulation.prob_positive,
            "payback_months": _payback_dict(simulation, 12 * plan.horizon_years),
            "schedule": _schedule_dict(roi),
            "correlations": [
                {"between": list(c.between), "coefficient": c.coefficient, "source": c.source}
                for c in simulation.correlations
            ],
            "cumulative_net": [
                {"year": year, "p10": band[0], "p50": band[1], "p90": band[2]}
                for year, band in enumerate(simulation.cumulative)
            ],
        },
        "flexibility": _flexibility_dict(simulation.flexibility if simulation else None),
        "sensitivity": [
            {
                "input": s.input,
                "low": s.low,
                "high": s.high,
                "npv_at_low": s.npv_at_low,
                "npv_at_high": s.npv_at_high,
                "swing": s.swing,
            }
            for s in roi.sensitivity
        ],
        "assumptions": {
            name: {
                "low": e.low,
                "likely": e.likely,
                "high": e.high,
                "source": e.source,
                "section": e.section,
                "citation": citation(e, reference),
            }
            for name, e in roi.assumptions.items()
        },
    }


def _payback_dict(simulation: Simulation, horizon_months: int) -> dict[str, Any]:
    p10, p50, p90 = simulation.payback
    return {
        "convention": "percentiles of the months to payback: fewer months is better, so p10 "
        "is the fast end and p90 the slow (pessimistic) end; null: not paid back within "
        "the horizon",
        "p10": p10,
        "p50": p50,
        "p90": p90,
        "prob_within_horizon": simulation.prob_payback,
        "horizon_months": horizon_months,
    }


def _schedule_dict(roi: RoiResult) -> dict[str, Any] | None:
    stages, simulation = roi.model.stages, roi.simulation
    if stages is None or simulation is None or not any(s.name for s in stages.phases):
        return None
    p10, p50, p90 = simulation.finish_months
    return {
        "phases": [
            {
                "phase": s.phase,
                "name": s.name,
                "planned_months": s.planned_months,
                "slowest_months": s.slowest_months,
            }
            for s in stages.phases
        ],
        "finish_months": {"p10": p10, "p50": p50, "p90": p90},
        "rule": "each phase's length is drawn from PERT(planned, planned, slowest), whole "
        "months; benefits follow the phases, later phases' costs move with the slip",
    }


def _flexibility_dict(flexibility: Flexibility | None) -> dict[str, Any] | None:
    if flexibility is None:
        return None
    p10, p50, p90 = flexibility.staged
    return {
        "committed_npv": flexibility.committed_npv,
        "staged_npv": flexibility.staged_npv,
        "value": flexibility.value,
        "staged_npv_percentiles": {"p10": p10, "p50": p50, "p90": p90},
        "meaning": "committed: every phase runs and is paid for whatever the gates show; "
        "staged: the programme stops at a gate not passed and pays nothing more; value = "
        "staged - committed (means over the draws), what the right to stop is worth",
        "gates": [
            {
                "after_phase": gate.phase,
                "name": gate.name,
                "criteria": gate.criteria,
                "criteria_met_today": gate.criteria_met,
                "pass_probability": gate.pass_probability,
                "reached": gate.reached,
                "stopped": gate.stopped,
            }
            for gate in flexibility.gates
        ],
    }
