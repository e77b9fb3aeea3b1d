"""Costs of the roadmap by category, phase and year, with contingency and total cost of ownership.

Where each cost falls (docs/methodology.md):
- one-off costs are paid in the month an initiative starts; those of initiatives that
  start in month 0 are the initial investment (year 0);
- the core team's effort (effort_fte_months) is personnel cost, spread evenly over the
  initiative's months at the loaded developer cost, raised by salary inflation each year;
- recurring costs are paid monthly (a twelfth of the yearly figure) from the month the
  initiative ends until the horizon ends.
Costs after the horizon are left out; pack costs are multiplied by cost_multiplier.

One-off costs (the pack's one_off costs and the core team's effort: building) are kept apart
from running costs (the pack's recurring costs: operating), and both can be read by calendar
year from the plan's start date.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from mcpscale.formats.pack import COST_CATEGORIES
from mcpscale.plan.roadmap import ScheduledInitiative


@dataclass(frozen=True)
class CostInputs:
    developer_annual_cost: float
    salary_inflation: float
    cost_multiplier: float
    horizon_years: int
    contingency_rate: float


CostKind = Literal["one_off", "running"]
COST_KINDS: tuple[CostKind, ...] = ("one_off", "running")


def calendar_year(plan_start: dt.date, month: int) -> int:
    """The calendar year of a month counted from the plan start (-1, the initial
    investment, is paid at the start)."""
    return plan_start.year + (plan_start.month - 1 + max(month, 0)) // 12


def by_calendar_year(monthly: Sequence[float], plan_start: dt.date) -> dict[int, float]:
    """Monthly amounts (month 0 = the plan start) summed per calendar year, in order."""
    totals: dict[int, list[float]] = {}
    for month, amount in enumerate(monthly):
        totals.setdefault(calendar_year(plan_start, month), []).append(amount)
    return {year: math.fsum(amounts) for year, amounts in totals.items()}


@dataclass(frozen=True)
class CostLine:
    initiative: str
    category: str
    phase: int
    month: int  # from the plan start; -1 is the initial investment (year 0)
    amount: float
    kind: CostKind = "one_off"  # one_off: building (incl. the core team); running: operating

    @property
    def year(self) -> int:
        return 0 if self.month < 0 else self.month // 12 + 1


@dataclass(frozen=True)
class Budget:
    lines: tuple[CostLine, ...]
    horizon_years: int
    contingency_rate: float

    @property
    def years(self) -> list[int]:
        return list(range(self.horizon_years + 1))

    @property
    def total(self) -> float:
        return math.fsum(line.amount for line in self.lines)

    @property
    def contingency(self) -> float:
        return self.total * self.contingency_rate

    @property
    def total_cost_of_ownership(self) -> float:
        return self.total + self.contingency

    def cell(self, category: str, phase: int, year: int) -> float:
        return math.fsum(
            line.amount
            for line in self.lines
            if line.category == category and line.phase == phase and line.year == year
        )

    def by_year(self) -> list[float]:
        totals = [0.0] * (self.horizon_years + 1)
        for line in self.lines:
            totals[line.year] += line.amount
        return totals

    def by_category(self) -> dict[str, float]:
        return {
            category: math.fsum(line.amount for line in self.lines if line.category == category)
            for category in COST_CATEGORIES
        }

    def by_phase(self) -> dict[int, float]:
        return {
            phase: math.fsum(line.amount for line in self.lines if line.phase == phase)
            for phase in (1, 2, 3)
        }

    def by_category_kind(self) -> dict[str, dict[CostKind, float]]:
        return {
            category: {
                kind: math.fsum(
                    line.amount
                    for line in self.lines
                    if line.category == category and line.kind == kind
                )
                for kind in COST_KINDS
            }
            for category in COST_CATEGORIES
        }

    def by_kind(self) -> dict[CostKind, float]:
        return {
            kind: math.fsum(line.amount for line in self.lines if line.kind == kind)
            for kind in COST_KINDS
        }

    def calendar_years(self, plan_start: dt.date) -> list[int]:
        """Every calendar year the horizon touches, from the plan start's."""
        last = calendar_year(plan_start, 12 * self.horizon_years - 1)
        return list(range(plan_start.year, last + 1))

    def by_calendar_year(
        self,
        plan_start: dt.date,
        phase: int | None = None,
        kind: CostKind | None = None,
        initiative: str | None = None,
    ) -> list[float]:
        """Costs per calendar year (as `calendar_years`), optionally of one phase, kind or
        initiative; before contingency."""
        years = self.calendar_years(plan_start)
        amounts: list[list[float]] = [[] for _ in years]
        for line in self.lines:
            if (
                (phase is None or line.phase == phase)
                and (kind is None or line.kind == kind)
                and (initiative is None or line.initiative == initiative)
            ):
                amounts[calendar_year(plan_start, line.month) - years[0]].append(line.amount)
        return [math.fsum(values) for values in amounts]

    def by_initiative(self) -> dict[str, dict[CostKind, float]]:
        """Each initiative's one-off and running costs over the horizon, in plan order."""
        amounts: dict[str, dict[CostKind, list[float]]] = {}
        for line in self.lines:
            costs = amounts.setdefault(line.initiative, {kind: [] for kind in COST_KINDS})
            costs[line.kind].append(line.amount)
        return {
            initiative: {kind: math.fsum(values) for kind, values in costs.items()}
            for initiative, costs in amounts.items()
        }

    def monthly(self, phase: int | None = None) -> tuple[float, list[float]]:
        """The initial investment and the cost of each month of the horizon (of one phase)."""
        months = [0.0] * (12 * self.horizon_years)
        initial = 0.0
        for line in self.lines:
            if phase is not None and line.phase != phase:
                continue
            if line.month < 0:
                initial += line.amount
            else:
                months[line.month] += line.amount
        return initial, months


def build_budget(initiatives: Sequence[ScheduledInitiative], inputs: CostInputs) -> Budget:
    horizon_months = 12 * inputs.horizon_years
    lines: list[CostLine] = []
    for item in initiatives:
        costs = item.initiative.costs
        one_off_month = -1 if item.start_month == 0 else item.start_month
        if item.start_month < horizon_months:
            for category, amount in sorted(costs.one_off.items()):
                lines.append(
                    CostLine(
                        item.id,
                        category,
                        item.phase,
                        one_off_month,
                        amount * inputs.cost_multiplier,
                    )
                )
        for month in range(item.start_month, min(item.end_month, horizon_months)):
            inflation = (1 + inputs.salary_inflation) ** (month // 12)
            amount = item.fte * inputs.developer_annual_cost / 12 * inflation
            lines.append(CostLine(item.id, "personnel", item.phase, month, amount))
        for category, yearly in sorted(costs.recurring.items()):
            for month in range(item.end_month, horizon_months):
                amount = yearly / 12 * inputs.cost_multiplier
                lines.append(CostLine(item.id, category, item.phase, month, amount, "running"))
    return Budget(tuple(lines), inputs.horizon_years, inputs.contingency_rate)
