"""Selects initiatives from today's scores and schedules them into the three phases.

Steps (docs/methodology.md writes them out):
1. select the initiatives whose trigger holds for the score facts (formats/facts.py);
2. add their `depends_on`, transitively; an initiative never runs before what it needs,
   so its phase is raised to the latest phase among its dependencies;
3. order them topologically (a dependency cycle is a UserError naming the cycle);
4. schedule phase by phase: a phase starts at the previous phase's gate; each initiative
   starts at the first month its dependencies are done and the core team has room;
5. a phase lasts as long as its work, but at least the low end of its range; work that
   needs more than the high end is flagged, not squeezed.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from mcpscale.errors import UserError
from mcpscale.formats.conditions import evaluate, parse_condition
from mcpscale.formats.pack import GateSet, Initiative, cycle_message, find_cycle

_EPSILON = 1e-9


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

    @property
    def total_months(self) -> int:
        return self.phases[-1].end_month if self.phases else 0


def select(
    initiatives: Sequence[Initiative], facts: Mapping[str, Any]
) -> tuple[list[Initiative], set[str], dict[str, set[str]]]:
    """The fired initiatives plus everything they need; also who requires each."""
    by_id = {i.id: i for i in initiatives}
    fired = {i.id for i in initiatives if evaluate(parse_condition(i.triggers), facts)}
    required_by: dict[str, set[str]] = {}
    chosen: set[str] = set()
    stack = sorted(fired)
    while stack:
        current = stack.pop()
        if current in chosen:
            continue
        chosen.add(current)
        for dependency in by_id[current].depends_on:
            required_by.setdefault(dependency, set()).add(current)
            if dependency in by_id and dependency not in chosen:
                stack.append(dependency)
    return [i for i in initiatives if i.id in chosen], fired, required_by


def topological_order(initiatives: Sequence[Initiative]) -> list[Initiative]:
    """Dependencies first; ties broken by phase then id, so the order is stable."""
    by_id = {i.id: i for i in initiatives}
    graph = {i.id: [d for d in i.depends_on if d in by_id] for i in initiatives}
    cycle = find_cycle(graph)
    if cycle:
        raise UserError(cycle_message(cycle))
    ordered: list[Initiative] = []
    done: set[str] = set()
    remaining = sorted(initiatives, key=lambda i: (i.phase, i.id))
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
) -> Roadmap:
    chosen, fired, required_by = select(initiatives, facts)
    ordered = topological_order(chosen)
    phase_of: dict[str, int] = {}
    for initiative in ordered:
        phase_of[initiative.id] = max(
            [initiative.phase, *(phase_of[d] for d in initiative.depends_on if d in phase_of)]
        )
    load: list[float] = []
    placed: dict[str, tuple[int, int, float]] = {}
    spans: list[PhaseSpan] = []
    phase_start = 0
    for gate in sorted(gates.phases, key=lambda g: g.phase):
        in_phase = [i for i in ordered if phase_of[i.id] == gate.phase]
        for initiative in in_phase:
            duration, fte = _duration_and_fte(initiative, team_size)
            earliest = max([phase_start, *(placed[d][1] for d in initiative.depends_on)])
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
        )
        for initiative in sorted(ordered, key=lambda i: (placed[i.id][0], phase_of[i.id], i.id))
    )
    return Roadmap(scheduled, tuple(spans), tuple(critical), team_size)


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


def _critical_path(
    ordered: Sequence[Initiative],
    placed: Mapping[str, tuple[int, int, float]],
    phase_of: Mapping[str, int],
) -> list[str]:
    """The chain, through dependencies and phase gates, that finishes last."""
    if not ordered:
        return []
    current = max(ordered, key=lambda i: (placed[i.id][1], i.id))
    path = [current.id]
    while True:
        start = placed[current.id][0]
        candidates = [
            i
            for i in ordered
            if placed[i.id][1] <= start
            and (i.id in current.depends_on or phase_of[i.id] < phase_of[current.id])
        ]
        if not candidates:
            break
        current = max(candidates, key=lambda i: (placed[i.id][1], i.id))
        path.append(current.id)
    return path[::-1]
