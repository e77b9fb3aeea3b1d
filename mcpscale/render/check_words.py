"""A plan's checks in words, as the report and the terminal both say them: the facts a
trigger or gate criterion tests, named as a reader knows them (the question's text, the
dimension's name), never by id."""

from __future__ import annotations

from mcpscale.plan.compose import Plan
from mcpscale.plan.roadmap import Check
from mcpscale.render.style import fmt_score

_RELATION = {
    "<": ("below", "at or above"),
    "<=": ("at or below", "above"),
    ">": ("above", "at or below"),
    ">=": ("at or above", "below"),
    "==": ("at", "not at"),
    "!=": ("not at", "at"),
}


def fact_name(fact: str, plan: Plan) -> str:
    """A fact of the condition language (formats/facts.py) as a reader knows it."""
    kind, _, name = fact.partition(".")
    if kind in ("question", "question_gap"):
        text = next((q.text for q in plan.result.questions if q.id == name), name)
        return f"“{text}”" if kind == "question" else f"the gap of “{text}” to its target"
    dimension = next((d.name for d in plan.result.dimensions if d.id == name), name)
    if kind == "dimension":
        return f"the {dimension} score"
    if kind == "gap":
        return f"the {dimension} gap to target"
    return "the overall score" if fact == "overall" else fact


def describe(check: Check, plan: Plan) -> str:
    """One check in words: '“How are secrets managed?” scores 1.75, below 3'."""
    name = fact_name(check.fact, plan)
    if check.score is None:
        return f"{name} has no score (unanswered or not applicable)"
    held, not_held = _RELATION.get(check.op, (check.op, f"not {check.op}"))
    relation = held if check.holds else not_held
    return f"{name} scores {fmt_score(check.score)}, {relation} {check.value:g}"
