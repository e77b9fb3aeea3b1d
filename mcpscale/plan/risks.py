"""The risk register: the pack's risks that today's scores make live, worst first."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from mcpscale.formats.conditions import evaluate, parse_condition
from mcpscale.formats.pack import Risk
from mcpscale.plan.roadmap import Roadmap


@dataclass(frozen=True)
class Mitigation:
    initiative: str
    title: str | None  # None when the pack has no initiatives file
    start_month: int | None  # None when the initiative is not on the roadmap
    end_month: int | None


@dataclass(frozen=True)
class FiredRisk:
    risk: Risk
    mitigations: tuple[Mitigation, ...]

    @property
    def score(self) -> int:
        return self.risk.probability * self.risk.impact


def fired_risks(
    risks: Sequence[Risk],
    facts: Mapping[str, Any],
    roadmap: Roadmap | None,
    titles: Mapping[str, str] | None = None,
) -> tuple[FiredRisk, ...]:
    """Risks whose trigger holds, by score (probability x impact) then id; a mitigation not on
    the roadmap still gets its title from `titles` (the pack's initiatives)."""
    scheduled = {item.id: item for item in roadmap.initiatives} if roadmap else {}
    fired = []
    for risk in risks:
        if not evaluate(parse_condition(risk.trigger), facts):
            continue
        mitigations = []
        for initiative_id in risk.mitigations:
            item = scheduled.get(initiative_id)
            mitigations.append(
                Mitigation(
                    initiative_id,
                    item.initiative.title if item else (titles or {}).get(initiative_id),
                    item.start_month if item else None,
                    item.end_month if item else None,
                )
            )
        fired.append(FiredRisk(risk, tuple(mitigations)))
    return tuple(sorted(fired, key=lambda f: (-f.score, f.risk.id)))
