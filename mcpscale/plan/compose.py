"""A scored assessment plus a profile and a pack's planning files -> the plan.

Composes plan/roadmap.py, gates.py, budget.py, roi.py, risks.py and priorities.py. A pack
without some planning files still gets a plan: the sections those files feed are left out, and
`missing` says which files would add them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from mcpscale.errors import UserError
from mcpscale.formats.facts import score_facts
from mcpscale.formats.kinds import PLAN_KINDS
from mcpscale.formats.pack import Economics, Estimate, merged_risk_adjustment
from mcpscale.formats.profile import Profile
from mcpscale.formats.results import Result
from mcpscale.inputs.clock import today
from mcpscale.inputs.packs import PlanContent
from mcpscale.plan.budget import Budget, CostInputs, build_budget
from mcpscale.plan.gates import GateReadiness, gate_pass_probability, gate_readiness
from mcpscale.plan.priorities import PhaseTarget, Priority, phase_targets, priorities
from mcpscale.plan.risk_adjustment import RiskBasis, adjusted, assessment_factors
from mcpscale.plan.risks import FiredRisk, fired_risks
from mcpscale.plan.roadmap import QuestionLinks, Roadmap, build_roadmap, derive_team_size
from mcpscale.plan.roi import (
    DEFAULT_SEED,
    DEFAULT_SIMULATIONS,
    BenefitInputs,
    RoiResult,
    Stage,
    Stages,
    project,
    ramp_by_month,
    unit_streams,
)

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
    priorities: tuple[Priority, ...] | None = None  # value against effort, per initiative
    phase_targets: tuple[PhaseTarget, ...] | None = None  # level per dimension by each gate
    risk_basis: RiskBasis | None = None  # why the ROI's risk adjustment is what it is


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
        links = {q.id: QuestionLinks(q.depends_on, q.priority) for q in result.questions}
        roadmap = build_roadmap(
            content.initiatives.initiatives, content.gates, facts, team_size, links
        )
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
    gates = gate_readiness(content.gates, facts) if content.gates else None
    roi = risk_basis = None
    if roadmap is not None and budget is not None and economics is not None:
        assumptions = merged_assumptions(economics, profile)
        check_risk_adjustment(economics, profile)
        risk_basis = adjusted(
            economics.risk_adjustment, assessment_factors(result, gates), profile.risk_adjustment
        )
        ramp = ramp_by_month(roadmap.phases, economics.benefit_ramp, 12 * horizon)
        if not roadmap.initiatives:  # nothing to do: the plan adds no benefit
            ramp = [0.0] * len(ramp)
        ai_inputs = BenefitInputs(
            ai_developers=ai_developers,
            developer_annual_cost=profile.developer_annual_cost,
            salary_inflation=profile.salary_inflation,
            ai_compute_annual_spend=compute_spend,
            new_ai_applications_per_year=profile.new_ai_applications_per_year,
            annual_value_per_application=profile.annual_value_per_application,
            application_build_months=profile.application_build_months,
            developers_per_application=profile.developers_per_application,
        )
        streams = unit_streams(ai_inputs, ramp)
        initial, monthly = budget.monthly()
        stages = plan_stages(roadmap, budget, economics, content, facts, ramp, ai_inputs)
        roi = project(
            initial,
            monthly,
            streams,
            assumptions,
            horizon,
            profile.discount_rate,
            risk_basis.benefits.result,
            risk_basis.costs.result,
            simulations,
            seed,
            stages,
            economics.correlations,
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
        gates=gates,
        budget=budget,
        roi=roi,
        risks=fired_risks(
            content.risks.risks,
            facts,
            roadmap,
            {i.id: i.title for i in content.initiatives.initiatives}
            if content.initiatives
            else None,
        )
        if content.risks
        else None,
        missing=tuple(kind for kind in PLAN_KINDS if getattr(content, kind) is None),
        economics=economics,
        priorities=priorities(roadmap, budget) if roadmap and budget else None,
        phase_targets=phase_targets(result, content.gates) if content.gates else None,
        risk_basis=risk_basis,
    )


def plan_stages(
    roadmap: Roadmap,
    budget: Budget,
    economics: Economics,
    content: PlanContent,
    facts: Mapping[str, Any],
    ramp: Sequence[float],
    inputs: BenefitInputs,
) -> Stages:
    """The phases for the simulation: lengths from the roadmap and the gates' ranges, costs
    from the budget, and each gate's pass probability from its criteria met today."""
    readiness = gate_readiness(content.gates, facts) if content.gates else ()
    by_phase = {gate.phase: gate for gate in readiness}
    stages = []
    spans = list(roadmap.phases)
    for position, span in enumerate(spans):
        initial, monthly = budget.monthly(span.phase)
        # A gate before a phase with no work cannot stop anything: it is passed.
        guards_work = position + 1 < len(spans) and spans[position + 1].duration_months > 0
        checks: list[bool] = []
        if span.phase in by_phase and span.phase + 1 in by_phase:
            checks = [c.met for c in by_phase[span.phase].exit] + [
                c.met for c in by_phase[span.phase + 1].entry
            ]
        stages.append(
            Stage(
                span.phase,
                span.name,
                span.duration_months,
                max(span.high, span.duration_months) if span.duration_months else 0,
                initial,
                monthly,
                len(checks),
                sum(checks),
                gate_pass_probability(sum(checks), len(checks), economics.gate_pass)
                if guards_work
                else 1.0,
            )
        )
    shares = economics.benefit_ramp
    working = any(ramp)  # no initiative: the plan adds no benefit
    by_phase_share = (shares.phase_1, shares.phase_2, shares.phase_3, shares.after)
    return Stages(
        tuple(stages),
        by_phase_share if working else (0.0, 0.0, 0.0, 0.0),
        unit_streams(inputs, [1.0] * len(ramp)),
    )


def merged_assumptions(economics: Economics, profile: Profile) -> dict[str, Estimate]:
    """The pack's ranges with the profile's `economics:` overrides applied.

    inputs.load.load_plan_profile has checked the overrides with line numbers already."""
    merged = dict(economics.assumptions)
    for name, override in profile.economics.items():
        if name not in merged:
            raise UserError(f"profile '{profile.name}': economics: unknown assumption '{name}'")
        try:
            merged[name] = merged[name].merged_for(name, override)
        except ValueError as exc:
            raise UserError(f"profile '{profile.name}': economics: {name}: {exc}") from None
    return merged


def check_risk_adjustment(economics: Economics, profile: Profile) -> None:
    """The profile's risk_adjustment figures are in range (inputs/checks.py has told the user
    with line numbers already)."""
    try:
        merged_risk_adjustment(economics.risk_adjustment, profile.risk_adjustment)
    except ValueError as exc:
        raise UserError(f"profile '{profile.name}': risk_adjustment: {exc}") from None


def _month_after(assessed_at: str | None) -> dt.date:
    day = dt.date.fromisoformat(assessed_at) if assessed_at else today()
    return dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)


def add_months(start: dt.date, months: int) -> dt.date:
    index = start.month - 1 + months
    year = start.year + index // 12
    if year > dt.MAXYEAR:  # inputs keep years below 2200, but a pack may chain long initiatives
        raise UserError(
            f"the plan would run past year {dt.MAXYEAR} ({months:,} months after "
            f"{start.isoformat()}); shorten the initiatives' duration_months"
        )
    return dt.date(year, index % 12 + 1, 1)
