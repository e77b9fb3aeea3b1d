"""Gate readiness: each phase's entry and exit criteria, evaluated against today's scores."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from mcpscale.formats.conditions import evaluate, parse_condition
from mcpscale.formats.pack import GatePass, GateSet


@dataclass(frozen=True)
class CriterionCheck:
    name: str
    met: bool


@dataclass(frozen=True)
class GateReadiness:
    phase: int
    name: str
    entry: tuple[CriterionCheck, ...]
    exit: tuple[CriterionCheck, ...]

    @property
    def ready(self) -> bool:
        """Ready to enter the phase: every entry criterion holds today."""
        return all(check.met for check in self.entry)

    @property
    def blocking(self) -> list[str]:
        return [check.name for check in self.entry if not check.met]


def gate_readiness(gates: GateSet, facts: Mapping[str, Any]) -> tuple[GateReadiness, ...]:
    return tuple(
        GateReadiness(
            gate.phase,
            gate.name,
            tuple(
                CriterionCheck(c.name, evaluate(parse_condition(c.condition), facts))
                for c in gate.entry
            ),
            tuple(
                CriterionCheck(c.name, evaluate(parse_condition(c.condition), facts))
                for c in gate.exit
            ),
        )
        for gate in sorted(gates.phases, key=lambda g: g.phase)
    )


def gate_pass_probability(met: int, criteria: int, rule: GatePass) -> float:
    """The chance of passing a gate: `none_met` with none of its criteria met today,
    `all_met` with all of them, linear in the share met (a gate without criteria counts as
    all met). The phase's work is planned to meet the rest; the rule prices the chance
    that it does not."""
    share = met / criteria if criteria else 1.0
    return rule.none_met + (rule.all_met - rule.none_met) * share
