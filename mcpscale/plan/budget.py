"""Costs of the roadmap by category, phase and year, with contingency and total cost of ownership.

Where each cost falls (docs/methodology.md):
- one-off costs are paid in the month an initiative starts; those of initiatives that
  start in month 0 are the initial investment (year 0);
- the core team's effort (effort_fte_months) is personnel cost, spread evenly over the
  initiative's months at the loaded developer cost, raised by salary inflation each year;
- recurring costs are paid monthly (a twelfth of the yearly figure) from the month the
  initiative ends until the horizon ends.
Costs after the horizon are left out; pack costs are multiplied by cost_multiplier.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from mcpscale.formats.pack import COST_CATEGORIES
from mcpscale.plan.roadmap import ScheduledInitiative


@dataclass(frozen=True)
class CostInputs:
    developer_annual_cost: float
    salary_inflation: float
    cost_multiplier: float
    horizon_years: int
    contingency_rate: float


@dataclass(frozen=True)
class CostLine:
    initiative: str
    category: str
    phase: int
    month: int  # from the plan start; -1 is the initial investment (year 0)
    amount: float

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

    def monthly(self) -> tuple[float, list[float]]:
        """The initial investment and the cost of each month of the horizon."""
        months = [0.0] * (12 * self.horizon_years)
        initial = 0.0
        for line in self.lines:
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
                lines.append(CostLine(item.id, category, item.phase, month, amount))
    return Budget(tuple(lines), inputs.horizon_years, inputs.contingency_rate)
