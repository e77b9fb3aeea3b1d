"""Priorities: each scheduled initiative's value against its effort, and the maturity each
phase should reach per dimension.

Value is the gap an initiative closes, in maturity levels: for every check of its trigger
that holds, how far today's score is from the level the check asks for
(`question.gov.mtls: "< 3"` at 1.75 closes 1.25; `gap.technical: "> 1"` closes the
dimension's whole gap, `question_gap.gov.mtls: "> 0"` the question's own). A dependency
scheduled only because another initiative needs it closes no gap of its own: value 0, an
*enabler*.

Effort is what it costs over the horizon: its lines in the budget (one-off, recurring and
the core team's time at the loaded developer cost), before contingency.

Quadrants, against the medians of the scheduled initiatives (value: of those that close a
gap; effort: of all): a *quick win* closes at least the median gap for at most the median
effort; a *major project* closes at least the median gap for more; a *fill-in* closes
less for at most the median effort; a *heavy lift* closes less for more.

Phase targets: the level a dimension should reach by each phase's gate is the highest
level that phase's exit criteria and the next phase's entry criteria ask of it
(`dimension.technical: ">= 3"` asks 3; `gap.technical: "<= 0"` asks the dimension's
target), never below the previous phase's, never below the scale level today's score has
reached.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from mcpscale.formats.conditions import comparisons, parse_condition
from mcpscale.formats.pack import GateSet
from mcpscale.formats.results import Result
from mcpscale.plan.budget import Budget
from mcpscale.plan.roadmap import Check, Roadmap

Quadrant = Literal["quick win", "major project", "fill-in", "heavy lift", "enabler"]


@dataclass(frozen=True)
class Priority:
    initiative: str
    value: float  # maturity levels closed
    effort: float  # cost over the horizon, before contingency
    quadrant: Quadrant


@dataclass(frozen=True)
class PhaseTarget:
    dimension: str
    today: float | None
    target: float
    by_phase: tuple[float, ...]  # the level to reach by the gate of phase 1, 2, 3


def gap_closed(check: Check) -> float:
    """How far today's score is from what a holding check asks for, in levels."""
    if not check.holds or check.score is None or not isinstance(check.value, int | float):
        return 0.0
    if check.fact.startswith(("gap.", "question_gap.")):  # the whole gap to a target
        return max(float(check.score), 0.0)
    if check.op in ("<", "<="):
        return max(float(check.value) - float(check.score), 0.0)
    return 0.0


def priorities(roadmap: Roadmap, budget: Budget) -> tuple[Priority, ...]:
    effort_of: dict[str, float] = {}
    for line in budget.lines:
        effort_of[line.initiative] = effort_of.get(line.initiative, 0.0) + line.amount
    value_of = {
        item.id: math.fsum(gap_closed(c) for c in item.reasons) if item.fired else 0.0
        for item in roadmap.initiatives
    }
    valued = [v for v in value_of.values() if v > 0]
    value_median = statistics.median(valued) if valued else 0.0
    efforts = [effort_of.get(i.id, 0.0) for i in roadmap.initiatives]
    effort_median = statistics.median(efforts) if efforts else 0.0
    result = []
    for item in roadmap.initiatives:
        value, effort = value_of[item.id], effort_of.get(item.id, 0.0)
        quadrant: Quadrant
        if value <= 0:
            quadrant = "enabler"
        elif value >= value_median:
            quadrant = "quick win" if effort <= effort_median else "major project"
        else:
            quadrant = "fill-in" if effort <= effort_median else "heavy lift"
        result.append(Priority(item.id, value, effort, quadrant))
    return tuple(result)


def phase_targets(result: Result, gates: GateSet) -> tuple[PhaseTarget, ...]:
    ordered = sorted(gates.phases, key=lambda g: g.phase)
    targets = []
    for dimension in result.dimensions:
        lowest = min((level for level, _ in result.scale), default=0)
        level = float(dimension.level if dimension.level is not None else lowest)
        by_phase = []
        for index, gate in enumerate(ordered):
            following = ordered[index + 1].entry if index + 1 < len(ordered) else []
            for criterion in [*gate.exit, *following]:
                for c in comparisons(parse_condition(criterion.condition)):
                    if c.fact == f"dimension.{dimension.id}" and c.op in (">=", ">"):
                        level = max(level, float(c.value))
                    elif c.fact == f"gap.{dimension.id}" and c.op in ("<=", "<"):
                        level = max(level, dimension.target - float(c.value))
            by_phase.append(level)
        targets.append(
            PhaseTarget(dimension.id, dimension.score, dimension.target, tuple(by_phase))
        )
    return tuple(targets)


def quick_wins(items: Sequence[Priority]) -> list[str]:
    return [p.initiative for p in items if p.quadrant == "quick win"]
