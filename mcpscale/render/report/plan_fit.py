"""How the plan fits what exists, as report text: why each initiative is in the plan, what
was left out because it exists, value against effort, and the level each phase should reach.

Facts are named as a reader knows them (the question's text, the dimension's name), never
by id; the rules themselves live in plan/roadmap.py and plan/priorities.py.
"""

from __future__ import annotations

from typing import Any

from mcpscale.plan.compose import Plan
from mcpscale.render.check_words import describe
from mcpscale.render.style import fmt_money, fmt_score

QUADRANT_ORDER = ("quick win", "major project", "fill-in", "heavy lift", "enabler")
QUADRANT_MEANING = {
    "quick win": "closes at least the median gap for at most the median cost",
    "major project": "closes at least the median gap for more than the median cost",
    "fill-in": "closes less than the median gap for at most the median cost",
    "heavy lift": "closes less than the median gap for more than the median cost",
    "enabler": "closes no gap of its own; other initiatives need it",
}


def fit_context(plan: Plan) -> dict[str, Any]:
    """Keys: reasons and after (by initiative id), left_out, priorities (and grid: them by
    quadrant), quick_wins, phase_targets, quadrants, dimension_names, title_of."""
    dimension_names = {d.id: d.name for d in plan.result.dimensions}
    roadmap = plan.roadmap
    title_of: dict[str, str] = {}
    context: dict[str, Any] = {
        "reasons": {},
        "after": {},
        "left_out": [],
        "priorities": [],
        "quick_wins": [],
        "grid": {},
        "phase_targets": [],
        "quadrants": [{"name": q, "meaning": QUADRANT_MEANING[q]} for q in QUADRANT_ORDER],
        "dimension_names": dimension_names,
    }
    if roadmap is not None:
        title_of = {i.id: i.initiative.title for i in roadmap.initiatives}
        title_of.update({i.id: i.initiative.title for i in roadmap.left_out})
        scheduled = {i.id for i in roadmap.initiatives}
        context["after"] = {
            i.id: [title_of[d] for d in i.initiative.depends_on if d in scheduled]
            for i in roadmap.initiatives
        }
        for item in roadmap.initiatives:
            if item.fired:
                text = "; ".join(describe(c, plan) for c in item.reasons)
                lines = [text[:1].upper() + text[1:]]
            else:
                needs = ", ".join(title_of.get(r, r) for r in item.required_by)
                unknown = "; ".join(describe(c, plan) for c in item.reasons)
                lines = [
                    f"Needed by: {needs}" + (f". Not shown in place: {unknown}" if unknown else "")
                ]
            context["reasons"][item.id] = lines
        context["left_out"] = [
            {
                "title": item.initiative.title,
                "dimension": dimension_names.get(item.initiative.dimension, ""),
                "reason": item.reason,
                "why": (
                    f"Gate criterion met: {item.criterion} ("
                    + "; ".join(describe(c, plan) for c in item.checks)
                    + ")"
                    if item.reason == "gate criterion met"
                    else "In place: " + "; ".join(describe(c, plan) for c in item.checks)
                ),
                "needed_by": ", ".join(title_of.get(r, r) for r in item.needed_by),
            }
            for item in roadmap.left_out
        ]
    if plan.priorities is not None and roadmap is not None:
        phase_of = {i.id: i.phase for i in roadmap.initiatives}
        dimension_of = {i.id: i.initiative.dimension for i in roadmap.initiatives}
        rows = sorted(
            plan.priorities,
            key=lambda p: (QUADRANT_ORDER.index(p.quadrant), -p.value, p.effort, p.initiative),
        )
        context["priorities"] = [
            {
                "title": title_of.get(p.initiative, p.initiative),
                "dimension": dimension_names.get(dimension_of[p.initiative], ""),
                "phase": phase_of[p.initiative],
                "value": f"{p.value:.2f}",
                "effort": fmt_money(p.effort, plan.profile.currency),
                "quadrant": p.quadrant,
            }
            for p in rows
        ]
        context["grid"] = {
            quadrant: [row for row in context["priorities"] if row["quadrant"] == quadrant]
            for quadrant in QUADRANT_ORDER
        }
        context["quick_wins"] = [
            title_of.get(p.initiative, p.initiative) for p in rows if p.quadrant == "quick win"
        ]
    if plan.phase_targets is not None:
        context["phase_targets"] = [
            {
                "dimension": dimension_names.get(t.dimension, t.dimension),
                "today": fmt_score(t.today),
                "phases": [f"{level:g}" for level in t.by_phase],
                "target": f"{t.target:g}",
            }
            for t in plan.phase_targets
        ]
    context["title_of"] = title_of
    return context
