"""Selecting and scheduling initiatives: dependencies, phases, team capacity, the critical path."""

from __future__ import annotations

from typing import Any

import pytest

from mcpscale.errors import UserError
from mcpscale.formats.pack import GateSet, Initiative
from mcpscale.plan.roadmap import (
    QuestionLinks,
    build_roadmap,
    derive_team_size,
    topological_order,
)

GATES = GateSet.model_validate(
    {
        "kind": "gates",
        "phases": [
            {"phase": 1, "name": "Foundation", "duration_months": {"low": 3, "high": 6}},
            {"phase": 2, "name": "Expansion", "duration_months": {"low": 6, "high": 9}},
            {"phase": 3, "name": "Scale", "duration_months": {"low": 6, "high": 12}},
        ],
    }
)


def initiative(
    id: str, phase: int = 1, low: int = 2, high: int = 4, effort: float = 2, **extra: Any
) -> Initiative:
    return Initiative.model_validate(
        {
            "id": id,
            "title": id,
            "dimension": "tech",
            "triggers": extra.pop("triggers", {"question.q": "< 3"}),
            "phase": phase,
            "duration_months": {"low": low, "high": high},
            "effort_fte_months": effort,
            **extra,
        }
    )


LOW = {"question.q": 1.0}
TOP = {"question.q": 5.0}


def test_nothing_fires_when_every_score_is_at_the_top() -> None:
    roadmap = build_roadmap([initiative("a"), initiative("b", phase=2)], GATES, TOP, 5)
    assert roadmap.initiatives == ()
    assert all(p.duration_months == 0 for p in roadmap.phases)


def test_a_fired_initiative_brings_its_dependencies_and_runs_after_them() -> None:
    never = {"question.other": "< 0"}
    items = [
        initiative("base", phase=2, triggers=never),
        initiative("top", phase=1, depends_on=["base"]),
    ]
    roadmap = build_roadmap(items, GATES, LOW, 5)
    by_id = {i.id: i for i in roadmap.initiatives}
    assert not by_id["base"].fired and by_id["base"].required_by == ("top",)
    assert by_id["top"].phase == 2  # it cannot run before what it needs
    assert by_id["top"].start_month >= by_id["base"].end_month


def test_the_core_team_capacity_serialises_work() -> None:
    # Each needs 4 people for 2 months; a team of 5 can run only one at a time.
    items = [initiative(name, effort=8, low=2, high=2) for name in ("a", "b", "c")]
    roadmap = build_roadmap(items, GATES, LOW, 5)
    assert [(i.start_month, i.end_month) for i in roadmap.initiatives] == [(0, 2), (2, 4), (4, 6)]
    wide = build_roadmap(items, GATES, LOW, 12)
    assert all(i.start_month == 0 for i in wide.initiatives)


def test_phases_last_at_least_their_low_and_flag_work_beyond_their_high() -> None:
    short = build_roadmap([initiative("a", low=1, high=1)], GATES, LOW, 5)
    assert short.phases[0].duration_months == 3 and short.phases[0].note is None
    long = build_roadmap([initiative("a", low=8, high=8)], GATES, LOW, 5)
    assert long.phases[0].duration_months == 8
    assert "more than the usual 6" in (long.phases[0].note or "")


def test_later_phases_start_at_the_previous_gate() -> None:
    roadmap = build_roadmap([initiative("a"), initiative("b", phase=2)], GATES, LOW, 5)
    b = next(i for i in roadmap.initiatives if i.id == "b")
    assert b.start_month == roadmap.phases[0].end_month == 3
    a = next(i for i in roadmap.initiatives if i.id == "a")
    # a ends before the gate (the phase's minimum length holds it): a did not hold b up
    assert a.end_month < 3 and roadmap.critical_path == ("b",)


def test_the_critical_path_follows_what_really_held_each_step_up() -> None:
    items = [
        initiative("a", low=5, high=6),  # ends at the gate: it holds phase 2 up
        initiative("slow", low=1, high=2),  # ends early: on no path
        initiative("b", phase=2, depends_on=["a"]),
        initiative("c", phase=2, low=1, high=1),
    ]
    roadmap = build_roadmap(items, GATES, LOW, 5)
    ends = {i.id: i.end_month for i in roadmap.initiatives}
    starts = {i.id: i.start_month for i in roadmap.initiatives}
    assert starts["b"] == ends["a"]
    assert roadmap.critical_path[-2:] == ("a", "b")
    assert "slow" not in roadmap.critical_path


def test_a_dependency_cycle_is_an_error_naming_the_cycle() -> None:
    items = [
        initiative("a", depends_on=["c"]),
        initiative("b", depends_on=["a"]),
        initiative("c", depends_on=["b"]),
    ]
    with pytest.raises(UserError, match=r"cycle: a -> c -> b -> a"):
        topological_order(items)


@pytest.mark.parametrize(
    ("size", "team"), [(None, 10), (200, 5), (1000, 5), (12_000, 11), (50_000, 15), (10**6, 15)]
)
def test_team_size_is_derived_from_headcount_within_5_to_15(size: int | None, team: int) -> None:
    assert derive_team_size(size) == team


def test_a_question_that_builds_on_another_orders_their_initiatives() -> None:
    # reviews.q depends_on builds.q in the questionnaire: the initiative that lifts reviews
    # waits for the one that lifts builds, though neither names the other in depends_on
    items = [
        initiative("lift-reviews", triggers={"question.reviews": "< 3"}),
        initiative("lift-builds", triggers={"question.builds": "< 3"}),
    ]
    facts = {"question.reviews": 1.0, "question.builds": 1.0}
    alone = {i.id: i for i in build_roadmap(items, GATES, facts, 10).initiatives}
    assert alone["lift-reviews"].start_month == alone["lift-builds"].start_month == 0
    links = {"reviews": QuestionLinks(depends_on=("builds",))}
    linked = {i.id: i for i in build_roadmap(items, GATES, facts, 10, links).initiatives}
    assert linked["lift-reviews"].start_month == linked["lift-builds"].end_month


def test_the_questionnaires_order_never_overrides_the_packs_dependencies() -> None:
    # the pack says builds waits for reviews; the questionnaire's opposite hint is dropped
    items = [
        initiative("lift-reviews", triggers={"question.reviews": "< 3"}),
        initiative("lift-builds", triggers={"question.builds": "< 3"}, depends_on=["lift-reviews"]),
    ]
    facts = {"question.reviews": 1.0, "question.builds": 1.0}
    links = {"reviews": QuestionLinks(depends_on=("builds",))}
    by_id = {i.id: i for i in build_roadmap(items, GATES, facts, 10, links).initiatives}
    assert by_id["lift-builds"].start_month == by_id["lift-reviews"].end_month


def test_high_priority_questions_get_the_team_first() -> None:
    # a team of 2 fits one 2-person initiative at a time: the high-priority one goes first
    items = [
        initiative("a-low", effort=4, triggers={"question.x": "< 3"}),
        initiative("b-high", effort=4, triggers={"question.y": "< 3"}),
    ]
    facts = {"question.x": 1.0, "question.y": 1.0}
    plain = {i.id: i for i in build_roadmap(items, GATES, facts, 2).initiatives}
    assert plain["a-low"].start_month == 0 and plain["b-high"].start_month > 0
    links = {"x": QuestionLinks(priority="low"), "y": QuestionLinks(priority="high")}
    ranked = {i.id: i for i in build_roadmap(items, GATES, facts, 2, links).initiatives}
    assert ranked["b-high"].start_month == 0 and ranked["a-low"].start_month > 0
