"""A scored assessment plus a profile and a pack's planning files -> the plan.

Composes roadmap.py, gates.py, budget.py, roi.py and risks.py. A pack without some
planning files still gets a plan: the sections those files feed are left out, and
`missing` says which files would add them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .budget import Budget, CostInputs, build_budget
from .errors import UserError
from .gates import GateReadiness, gate_readiness
from .models import AnswerSet, Profile, Questionnaire
from .pack_models import Economics, Estimate, RiskAdjustment, merged_risk_adjustment
from .risks import FiredRisk, fired_risks
from .roadmap import Roadmap, build_roadmap, derive_team_size
from .roi import (
    DEFAULT_SEED,
    DEFAULT_SIMULATIONS,
    BenefitInputs,
    RoiResult,
    project,
    ramp_by_month,
    unit_streams,
)
from .scorefacts import score_facts
from .scoring import Result, Trust
from .validate import PlanContent

PLAN_SCHEMA = "mcpscale/plan@1"
# Defaults that depend on other inputs (README, "Profile: financial inputs").
DEVELOPER_SHARE_OF_STAFF = 0.01
MIN_AI_DEVELOPERS = 5
AI_DEVELOPERS_WITHOUT_SIZE = 25
COMPUTE_SPEND_PER_APPLICATION = 50_000


@dataclass(frozen=True)
class Plan:
    result: Result
    profile: Profile
    plan_start: dt.date
    horizon_years: int
    team_size: int
    team_size_derived: bool
    ai_developers: int
    ai_compute_annual_spend: float
    roadmap: Roadmap | None
    gates: tuple[GateReadiness, ...] | None
    budget: Budget | None
    roi: RoiResult | None
    risks: tuple[FiredRisk, ...] | None
    missing: tuple[str, ...]  # planning files the pack lacks
    economics: Economics | None = None  # the pack's economics.yaml, for the report's appendix


def build_plan(
    result: Result,
    profile: Profile,
    content: PlanContent,
    horizon_years: int | None = None,
    simulations: int = DEFAULT_SIMULATIONS,
    seed: int = DEFAULT_SEED,
) -> Plan:
    facts = score_facts(result)
    horizon = horizon_years or profile.horizon_years
    economics = content.economics
    team_estimate = economics.assumptions.get("core_team_size") if economics else None
    if profile.core_team_size is not None:
        team_size = profile.core_team_size
    elif team_estimate is not None:
        team_size = derive_team_size(
            profile.size, team_estimate.low, team_estimate.likely, team_estimate.high
        )
    else:
        team_size = derive_team_size(profile.size)
    ai_developers = profile.ai_developers or (
        max(MIN_AI_DEVELOPERS, round(profile.size * DEVELOPER_SHARE_OF_STAFF))
        if profile.size
        else AI_DEVELOPERS_WITHOUT_SIZE
    )
    compute_spend = (
        profile.ai_compute_annual_spend
        if profile.ai_compute_annual_spend is not None
        else profile.ai_applications * COMPUTE_SPEND_PER_APPLICATION
    )
    roadmap = None
    if content.initiatives and content.gates:
        roadmap = build_roadmap(content.initiatives.initiatives, content.gates, facts, team_size)
    budget = None
    if roadmap is not None:
        budget = build_budget(
            roadmap.initiatives,
            CostInputs(
                developer_annual_cost=profile.developer_annual_cost,
                salary_inflation=profile.salary_inflation,
                cost_multiplier=profile.cost_multiplier,
                horizon_years=horizon,
                contingency_rate=economics.contingency if economics else 0.0,
            ),
        )
    roi = None
    if roadmap is not None and budget is not None and economics is not None:
        assumptions = merged_assumptions(economics, profile)
        adjustment = risk_adjustment(economics, profile)
        ramp = ramp_by_month(roadmap.phases, economics.benefit_ramp, 12 * horizon)
        if not roadmap.initiatives:  # nothing to do: the plan adds no benefit
            ramp = [0.0] * len(ramp)
        streams = unit_streams(
            BenefitInputs(
                ai_developers=ai_developers,
                developer_annual_cost=profile.developer_annual_cost,
                salary_inflation=profile.salary_inflation,
                ai_compute_annual_spend=compute_spend,
                new_ai_applications_per_year=profile.new_ai_applications_per_year,
                annual_value_per_application=profile.annual_value_per_application,
                application_build_months=profile.application_build_months,
                developers_per_application=profile.developers_per_application,
            ),
            ramp,
        )
        initial, monthly = budget.monthly()
        roi = project(
            initial,
            monthly,
            streams,
            assumptions,
            horizon,
            profile.discount_rate,
            adjustment.benefits,
            adjustment.costs,
            simulations,
            seed,
        )
    return Plan(
        result=result,
        profile=profile,
        plan_start=profile.plan_start or _month_after(result.assessed_at),
        horizon_years=horizon,
        team_size=team_size,
        team_size_derived=profile.core_team_size is None,
        ai_developers=ai_developers,
        ai_compute_annual_spend=compute_spend,
        roadmap=roadmap,
        gates=gate_readiness(content.gates, facts) if content.gates else None,
        budget=budget,
        roi=roi,
        risks=fired_risks(content.risks.risks, facts, roadmap) if content.risks else None,
        missing=tuple(
            kind
            for kind in ("initiatives", "gates", "risks", "economics")
            if getattr(content, kind) is None
        ),
        economics=economics,
    )


def merged_assumptions(economics: Economics, profile: Profile) -> dict[str, Estimate]:
    """The pack's ranges with the profile's `economics:` overrides applied.

    validate.load_plan_profile has checked the overrides with line numbers already."""
    merged = dict(economics.assumptions)
    for name, override in profile.economics.items():
        if name not in merged:
            raise UserError(f"profile '{profile.name}': economics: unknown assumption '{name}'")
        try:
            merged[name] = merged[name].merged_for(name, override)
        except ValueError as exc:
            raise UserError(f"profile '{profile.name}': economics: {name}: {exc}") from None
    return merged


def risk_adjustment(economics: Economics, profile: Profile) -> RiskAdjustment:
    try:
        return merged_risk_adjustment(economics.risk_adjustment, profile.risk_adjustment)
    except ValueError as exc:
        raise UserError(f"profile '{profile.name}': risk_adjustment: {exc}") from None


def _month_after(assessed_at: str | None) -> dt.date:
    day = dt.date.fromisoformat(assessed_at) if assessed_at else dt.date.today()
    return dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)


def add_months(start: dt.date, months: int) -> dt.date:
    index = start.month - 1 + months
    return dt.date(start.year + index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class PlanInputs:
    """What a plan is made from, read and checked but not yet scored."""

    questionnaire: Questionnaire
    answer_sets: list[AnswerSet]
    profile: Profile | None
    content: PlanContent | None  # None without a profile: there is nothing to plan for


def load_plan_inputs(
    answer_paths: Sequence[Path], profile_path: Path | None, questionnaire_ref: str | None = None
) -> PlanInputs:
    from .packs import resolve_pack
    from .validate import load_answer_sets, load_plan_content, load_plan_profile

    questionnaire, answer_sets = load_answer_sets(answer_paths, questionnaire_ref)
    if profile_path is None:
        return PlanInputs(questionnaire, answer_sets, None, None)
    content = load_plan_content(resolve_pack(questionnaire_ref or questionnaire.id))
    profile = load_plan_profile(profile_path, questionnaire, content.economics)
    return PlanInputs(questionnaire, answer_sets, profile, content)


def plan_from_files(
    answer_paths: Sequence[Path],
    profile_path: Path,
    questionnaire_ref: str | None = None,
    horizon_years: int | None = None,
    simulations: int | None = None,
    seed: int | None = None,
    evidence_paths: Sequence[Path] = (),
    trust: Trust = "answers",
) -> Plan:
    """None for simulations or seed means the default (10,000 draws, seed 20261)."""
    from .evidence import caps_for
    from .scoring import score_answers

    inputs = load_plan_inputs(answer_paths, profile_path, questionnaire_ref)
    caps = caps_for(evidence_paths, inputs.questionnaire, questionnaire_ref)
    result = score_answers(
        inputs.questionnaire, inputs.answer_sets, inputs.profile, "mean", caps, trust
    )
    plan = plan_inputs(inputs, result, horizon_years, simulations, seed)
    assert plan is not None  # a profile was given
    return plan


def plan_inputs(
    inputs: PlanInputs,
    result: Result,
    horizon_years: int | None = None,
    simulations: int | None = None,
    seed: int | None = None,
) -> Plan | None:
    """The plan for scored inputs; None without a profile. None for simulations or seed
    means the default (10,000 draws, seed 20261)."""
    if inputs.profile is None or inputs.content is None:
        return None
    return build_plan(
        result,
        inputs.profile,
        inputs.content,
        horizon_years,
        DEFAULT_SIMULATIONS if simulations is None else simulations,
        DEFAULT_SEED if seed is None else seed,
    )


# ---------------------------------------------------------------- JSON


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
        "inputs": {
            "core_team_size": plan.team_size,
            "core_team_size_derived": plan.team_size_derived,
            "ai_developers": plan.ai_developers,
            "ai_compute_annual_spend": plan.ai_compute_annual_spend,
            "developer_annual_cost": plan.profile.developer_annual_cost,
            "discount_rate": plan.profile.discount_rate,
        },
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
        "budget": _budget_dict(plan.budget),
        "roi": _roi_dict(plan.roi),
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
            }
            for item in roadmap.initiatives
        ],
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


def _budget_dict(budget: Budget | None) -> dict[str, Any] | None:
    if budget is None:
        return None
    from .pack_models import COST_CATEGORIES

    return {
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


def _roi_dict(roi: RoiResult | None) -> dict[str, Any] | None:
    if roi is None:
        return None
    simulation = roi.simulation
    return {
        "npv": roi.npv,
        "roi": roi.roi,
        "benefit_cost_ratio": roi.benefit_cost_ratio,
        "irr": roi.irr,
        "payback_months": roi.payback_months,
        "present_costs": roi.present_costs,
        "present_benefits": roi.present_benefits,
        "discount_rate": roi.discount_rate,
        "risk_adjustment": {"benefits": roi.benefit_risk, "costs": roi.cost_risk},
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
            "p10": {"npv": simulation.npv[0], "roi": simulation.roi[0]},
            "p50": {"npv": simulation.npv[1], "roi": simulation.roi[1]},
            "p90": {"npv": simulation.npv[2], "roi": simulation.roi[2]},
            "prob_positive": simulation.prob_positive,
            "cumulative_net": [
                {"year": year, "p10": band[0], "p50": band[1], "p90": band[2]}
                for year, band in enumerate(simulation.cumulative)
            ],
        },
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
            name: {"low": e.low, "likely": e.likely, "high": e.high, "source": e.source}
            for name, e in roi.assumptions.items()
        },
    }
