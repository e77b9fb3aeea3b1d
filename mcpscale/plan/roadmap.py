"""Selects initiatives from today's scores and schedules them into the three phases.

Steps (docs/methodology.md writes them out):
1. select the initiatives whose trigger holds for the score facts (formats/facts.py),
   except those a met gate criterion `satisfies` (gates.yaml): the gate page already says
   that capability exists, so the plan does not build it again;
2. add their `depends_on`, transitively, except a dependency whose capability is in place
   (below); an initiative never runs before what it needs, so its phase is raised to the
   latest phase among its dependencies;
3. order them topologically (a dependency cycle is a UserError naming the cycle). The
   questionnaire's own order counts too: an initiative whose trigger tests a question that
   `depends_on` another runs after the initiatives that test that other question (when
   this adds no cycle), and among initiatives free to go, those testing a `priority: high`
   question go first, then medium (or none), then low;
4. schedule phase by phase: a phase starts at the previous phase's gate; each initiative
   starts at the first month its dependencies are done and the core team has room;
5. a phase lasts as long as its work, but at least the low end of its range; work that
   needs more than the high end is flagged, not squeezed.

A capability is *in place* when the answers show it: the initiative that would build it
did not fire, and every score its trigger tests exists, so the trigger is false because
the questions are at or above the level it asks for (not because nobody answered them).
A dependency in place is satisfied, not scheduled; so is an initiative a met gate
criterion satisfies. Both are kept in `Roadmap.left_out` with the checks that show it,
so the plan can say what it did not charge for and why. A dependency whose trigger
tests a question without a score is still scheduled: the answers do not show it exists.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, NamedTuple

from mcpscale.errors import UserError
from mcpscale.formats.conditions import comparisons, evaluate, parse_condition
from mcpscale.formats.pack import GateSet, Initiative, cycle_message, find_cycle

_EPSILON = 1e-9


@dataclass(frozen=True)
class Check:
    """One comparison of a trigger or a gate criterion against today's score."""

    fact: str  # e.g. question.gov.mtls, dimension.technical, gap.skills
    op: str  # < <= > >= == != (or contains, in, eq)
    value: Any
    score: float | None  # None: the fact has no score (unanswered, not applicable)
    holds: bool


@dataclass(frozen=True)
class LeftOut:
    """An initiative the plan would have scheduled but does not: its capability exists."""

    initiative: Initiative
    reason: Literal["in place", "gate criterion met"]
    checks: tuple[Check, ...]  # in place: the trigger's checks (none holds); gate: the criterion's
    criterion: str | None  # the met gate criterion's name
    needed_by: tuple[str, ...]  # the scheduled initiatives that depend on it
    fired: bool  # its own trigger held (only possible when a gate criterion satisfies it)

    @property
    def id(self) -> str:
        return self.initiative.id


@dataclass(frozen=True)
class ScheduledInitiative:
    initiative: Initiative
    phase: int  # the phase it runs in: its own, or later when a dependency runs later
    fired: bool  # selected by its own trigger, not only as a dependency
    required_by: tuple[str, ...]
    start_month: int  # months from the plan start; the initiative runs [start, end)
    end_month: int
    fte: float  # core-team people busy on it each month
    critical: bool
    # Why it is in the plan: the trigger's checks that hold; for a dependency only, the
    # checks without a score (why the answers do not show it in place).
    reasons: tuple[Check, ...] = ()

    @property
    def id(self) -> str:
        return self.initiative.id

    @property
    def duration_months(self) -> int:
        return self.end_month - self.start_month


@dataclass(frozen=True)
class PhaseSpan:
    phase: int
    name: str
    start_month: int
    end_month: int  # the gate: the month the phase's exit criteria are reviewed
    low: int
    high: int
    needed_months: int  # what the scheduled work alone takes
    note: str | None

    @property
    def duration_months(self) -> int:
        return self.end_month - self.start_month


@dataclass(frozen=True)
class Roadmap:
    initiatives: tuple[ScheduledInitiative, ...]
    phases: tuple[PhaseSpan, ...]
    critical_path: tuple[str, ...]
    team_size: int
    left_out: tuple[LeftOut, ...] = ()  # what it does not schedule because it exists

    @property
    def total_months(self) -> int:
        return self.phases[-1].end_month if self.phases else 0


def checks(condition: dict[str, Any], facts: Mapping[str, Any]) -> tuple[Check, ...]:
    """Each comparison in a condition with today's score and whether it holds."""
    return tuple(
        Check(c.fact, c.op, c.value, facts.get(c.fact), evaluate(c, facts))
        for c in comparisons(parse_condition(condition))
    )


def in_place(initiative: Initiative, facts: Mapping[str, Any]) -> bool:
    """The answers show the capability: the trigger is false and every fact it tests is scored."""
    tested = checks(initiative.triggers, facts)
    return (
        bool(tested)
        and not evaluate(parse_condition(initiative.triggers), facts)
        and all(check.score is not None for check in tested)
    )


def met_criteria(gates: GateSet, facts: Mapping[str, Any]) -> dict[str, tuple[str, dict[str, Any]]]:
    """Initiative id -> (name, condition) of the first met gate criterion that satisfies it."""
    satisfied: dict[str, tuple[str, dict[str, Any]]] = {}
    for gate in sorted(gates.phases, key=lambda g: g.phase):
        for criterion in [*gate.entry, *gate.exit]:
            if criterion.satisfies and evaluate(parse_condition(criterion.condition), facts):
                for initiative_id in criterion.satisfies:
                    satisfied.setdefault(initiative_id, (criterion.name, criterion.condition))
    return satisfied


def select(
    initiatives: Sequence[Initiative],
    facts: Mapping[str, Any],
    gates: GateSet | None = None,
) -> tuple[list[Initiative], set[str], dict[str, set[str]], list[LeftOut]]:
    """The fired initiatives plus everything they need that is not in place; who requires
    each; and what was left out because it exists."""
    by_id = {i.id: i for i in initiatives}
    fired = {i.id for i in initiatives if evaluate(parse_condition(i.triggers), facts)}
    satisfied = met_criteria(gates, facts) if gates is not None else {}
    required_by: dict[str, set[str]] = {}
    left_needed_by: dict[str, set[str]] = {i: set() for i in sorted(fired) if i in satisfied}
    chosen: set[str] = set()
    stack = sorted(fired - set(satisfied))
    while stack:
        current = stack.pop()
        if current in chosen:
            continue
        chosen.add(current)
        for dependency in by_id[current].depends_on:
            if dependency in satisfied or (
                dependency in by_id and in_place(by_id[dependency], facts)
            ):
                left_needed_by.setdefault(dependency, set()).add(current)
                continue
            required_by.setdefault(dependency, set()).add(current)
            if dependency in by_id and dependency not in chosen:
                stack.append(dependency)
    left_out = []
    for initiative_id, needed_by in sorted(left_needed_by.items()):
        initiative = by_id[initiative_id]
        if initiative_id in satisfied:
            name, condition = satisfied[initiative_id]
            left_out.append(
                LeftOut(
                    initiative,
                    "gate criterion met",
                    checks(condition, facts),
                    name,
                    tuple(sorted(needed_by)),
                    initiative_id in fired,
                )
            )
        else:
            left_out.append(
                LeftOut(
                    initiative,
                    "in place",
                    checks(initiative.triggers, facts),
                    None,
                    tuple(sorted(needed_by)),
                    False,
                )
            )
    return [i for i in initiatives if i.id in chosen], fired, required_by, left_out


def reasons(initiative: Initiative, facts: Mapping[str, Any], fired: bool) -> tuple[Check, ...]:
    """Why it is scheduled: the checks that hold, or (a dependency) the ones with no score."""
    tested = checks(initiative.triggers, facts)
    if fired:
        return tuple(check for check in tested if check.holds)
    return tuple(check for check in tested if check.score is None)


class QuestionLinks(NamedTuple):
    """What the questionnaire says about one question that orders the plan."""

    depends_on: tuple[str, ...] = ()
    priority: str | None = None


_PRIORITY_RANK = {"high": 0, "medium": 1, None: 1, "low": 2}


def _tested_questions(initiative: Initiative) -> list[str]:
    prefix = "question."
    return [
        c.fact.removeprefix(prefix)
        for c in comparisons(parse_condition(initiative.triggers))
        if c.fact.startswith(prefix)
    ]


def question_order(
    initiatives: Sequence[Initiative], links: Mapping[str, QuestionLinks]
) -> tuple[dict[str, list[str]], dict[str, int]]:
    """The order the questionnaire implies between initiatives, and each one's priority rank.

    An initiative testing question A runs after those testing a question A depends on.
    Edges that would close a cycle with the initiatives' own depends_on are left out: the
    pack's dependencies win, the questionnaire's only order what they leave free.
    """
    testing: dict[str, list[str]] = {}
    for initiative in initiatives:
        for question in _tested_questions(initiative):
            testing.setdefault(question, []).append(initiative.id)
    graph = {i.id: list(i.depends_on) for i in initiatives}
    implied: dict[str, list[str]] = {}
    for initiative in initiatives:
        for question in _tested_questions(initiative):
            for earlier_question in links.get(question, QuestionLinks()).depends_on:
                for earlier in testing.get(earlier_question, ()):
                    if earlier == initiative.id or earlier in graph[initiative.id]:
                        continue
                    graph[initiative.id].append(earlier)
                    if find_cycle(graph):
                        graph[initiative.id].remove(earlier)
                    else:
                        implied.setdefault(initiative.id, []).append(earlier)
    rank = {
        i.id: min(
            (_PRIORITY_RANK[links.get(q, QuestionLinks()).priority] for q in _tested_questions(i)),
            default=_PRIORITY_RANK[None],
        )
        for i in initiatives
    }
    return implied, rank


def topological_order(
    initiatives: Sequence[Initiative],
    implied: Mapping[str, Sequence[str]] | None = None,
    rank: Mapping[str, int] | None = None,
) -> list[Initiative]:
    """Dependencies first (their own, then those the questionnaire implies); ties broken by
    phase, then priority rank, then id, so the order is stable."""
    by_id = {i.id: i for i in initiatives}
    graph = {i.id: [d for d in i.depends_on if d in by_id] for i in initiatives}
    cycle = find_cycle(graph)
    if cycle:
        raise UserError(cycle_message(cycle))
    for initiative_id, earlier in (implied or {}).items():
        graph[initiative_id] += [d for d in earlier if d in by_id]
    ordered: list[Initiative] = []
    done: set[str] = set()
    remaining = sorted(initiatives, key=lambda i: (i.phase, (rank or {}).get(i.id, 1), i.id))
    while remaining:
        ready = next(i for i in remaining if all(d in done for d in graph[i.id]))
        ordered.append(ready)
        done.add(ready.id)
        remaining.remove(ready)
    return ordered


def derive_team_size(size: int | None, low: float = 5, likely: float = 10, high: float = 15) -> int:
    """Core team from headcount: `low` at 1,000 employees or fewer, `high` at 50,000 or more,
    log-linear between; `likely` when the size is unknown."""
    if size is None:
        return round(likely)
    position = (math.log(max(size, 1000)) - math.log(1000)) / (math.log(50_000) - math.log(1000))
    return round(low + min(position, 1.0) * (high - low))


def build_roadmap(
    initiatives: Sequence[Initiative],
    gates: GateSet,
    facts: Mapping[str, Any],
    team_size: int,
    links: Mapping[str, QuestionLinks] | None = None,
) -> Roadmap:
    """`links`: per question id, its depends_on and priority from the questionnaire."""
    chosen, fired, required_by, left_out = select(initiatives, facts, gates)
    implied, rank = question_order(chosen, links or {})
    ordered = topological_order(chosen, implied, rank)
    waits_for = {i.id: [*i.depends_on, *implied.get(i.id, ())] for i in ordered}
    phase_of: dict[str, int] = {}
    for initiative in ordered:
        phase_of[initiative.id] = max(
            [initiative.phase, *(phase_of[d] for d in waits_for[initiative.id] if d in phase_of)]
        )
    load: list[float] = []
    placed: dict[str, tuple[int, int, float]] = {}
    spans: list[PhaseSpan] = []
    phase_start = 0
    for gate in sorted(gates.phases, key=lambda g: g.phase):
        in_phase = [i for i in ordered if phase_of[i.id] == gate.phase]
        for initiative in in_phase:
            duration, fte = _duration_and_fte(initiative, team_size)
            earliest = max(
                [phase_start, *(placed[d][1] for d in waits_for[initiative.id] if d in placed)]
            )
            start = _first_fit(load, earliest, duration, fte, team_size)
            for month in range(start, start + duration):
                load[month] += fte
            placed[initiative.id] = (start, start + duration, fte)
        needed = max((placed[i.id][1] for i in in_phase), default=phase_start) - phase_start
        low, high = gate.duration_months.low, gate.duration_months.high
        note = None
        if not in_phase:
            duration_months = 0
            note = "no initiatives selected: nothing to do in this phase"
        else:
            duration_months = max(low, needed)
            if needed > high:
                note = (
                    f"the work needs {needed} months, more than the usual {high}; "
                    "grow the core team or move initiatives to a later phase"
                )
        spans.append(
            PhaseSpan(
                gate.phase,
                gate.name,
                phase_start,
                phase_start + duration_months,
                low,
                high,
                needed,
                note,
            )
        )
        phase_start += duration_months
    critical = _critical_path(ordered, placed, phase_of)
    scheduled = tuple(
        ScheduledInitiative(
            initiative=initiative,
            phase=phase_of[initiative.id],
            fired=initiative.id in fired,
            required_by=tuple(sorted(required_by.get(initiative.id, ()))),
            start_month=placed[initiative.id][0],
            end_month=placed[initiative.id][1],
            fte=placed[initiative.id][2],
            critical=initiative.id in critical,
            reasons=reasons(initiative, facts, initiative.id in fired),
        )
        for initiative in sorted(ordered, key=lambda i: (placed[i.id][0], phase_of[i.id], i.id))
    )
    return Roadmap(scheduled, tuple(spans), tuple(critical), team_size, tuple(left_out))


def _duration_and_fte(initiative: Initiative, team_size: int) -> tuple[int, float]:
    """As fast as its range allows, slower when that would need more people than the team."""
    low, high = initiative.duration_months.low, initiative.duration_months.high
    duration = low
    if initiative.effort_fte_months / low > team_size:
        duration = min(high, math.ceil(initiative.effort_fte_months / team_size))
    return duration, initiative.effort_fte_months / duration


def _first_fit(load: list[float], earliest: int, duration: int, fte: float, team: int) -> int:
    """First month from `earliest` with room for `fte` people for `duration` months.

    An initiative larger than the whole team runs when nothing else does."""
    start = earliest
    while True:
        if len(load) < start + duration:
            load.extend([0.0] * (start + duration - len(load)))
        window = load[start : start + duration]
        if all(used <= _EPSILON or used + fte <= team + _EPSILON for used in window):
            return start
        start += 1


def _held_by(before: Initiative, step: Initiative, phase_of: Mapping[str, int]) -> int:
    """Why `before` held `step` up: 2 a dependency, 1 its phase's gate, 0 the team's time."""
    if before.id in step.depends_on:
        return 2
    return 1 if phase_of[before.id] < phase_of[step.id] else 0


def _critical_path(
    ordered: Sequence[Initiative],
    placed: Mapping[str, tuple[int, int, float]],
    phase_of: Mapping[str, int],
) -> list[str]:
    """The chain that finishes last, walked back through what really held each step up.

    A step's predecessor ends exactly when the step starts and is, in this order of
    preference: one of its dependencies; an initiative of an earlier phase (the step waited for
    its phase's gate, and that initiative closed it); or one of the same phase (the step waited
    for the core team's time it freed). Where nothing ends when a step starts (a gate held by
    its phase's minimum length, or the plan's start), the chain begins there: an initiative
    that finished earlier is never drawn as its cause."""
    if not ordered:
        return []
    current = max(ordered, key=lambda i: (placed[i.id][1], i.id))
    path = [current.id]
    while True:
        start = placed[current.id][0]
        if start == 0:
            break
        step = current
        candidates = [
            i
            for i in ordered
            if placed[i.id][1] == start and i.id != step.id and phase_of[i.id] <= phase_of[step.id]
        ]
        if not candidates:
            break
        current = max(candidates, key=lambda i: (_held_by(i, step, phase_of), i.id))
        path.append(current.id)
    return path[::-1]
