"""Many business units at once: score each unit's answers, then a units x dimensions table.

ROOT holds one folder per unit; a unit's answers files may sit anywhere below its folder,
and with --profile-per-unit its `profile.yaml` sits at the top of it. A unit whose files
are broken is reported by name and the others are still scored.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple

PORTFOLIO_SCHEMA = "mcpscale/portfolio@1"


class DimensionCell(NamedTuple):
    id: str
    name: str
    score: float | None
    target: float


class UnitScore(NamedTuple):
    """What the portfolio keeps of one unit's result (small: it crosses process bounds)."""

    unit: str
    questionnaire: tuple[str, str, str]  # id, version, title
    scale: tuple[int, int]  # lowest and highest level
    profile: str | None
    respondents: int
    assessed_at: str | None
    overall: float | None
    dimensions: tuple[DimensionCell, ...]
    subject: str = ""  # what the questionnaire assesses (Questionnaire.subject_name)


class UnitFailure(NamedTuple):
    unit: str
    message: str


@dataclass(frozen=True)
class Portfolio:
    units: tuple[UnitScore, ...]
    failures: tuple[UnitFailure, ...]

    @property
    def dimensions(self) -> list[DimensionCell]:
        return list(self.units[0].dimensions) if self.units else []

    @property
    def subject(self) -> str:
        """What the units were assessed on, e.g. "MCP readiness"; empty without units."""
        return self.units[0].subject if self.units else ""


def failures_message(portfolio: Portfolio) -> str:
    """Every broken unit by name, then its problems, indented."""
    lines = [
        f"{len(portfolio.failures)} of {len(portfolio.units) + len(portfolio.failures)} units "
        "could not be scored:"
    ]
    for failure in portfolio.failures:
        lines.append(f"unit '{failure.unit}':")
        lines += [f"  {line}" for line in failure.message.splitlines()]
    return "\n".join(lines)


def portfolio_to_dict(portfolio: Portfolio) -> dict[str, Any]:
    frame = portfolio_frame(portfolio)
    dimension_ids = [d.id for d in portfolio.dimensions]
    first = portfolio.units[0] if portfolio.units else None
    summary = frame[["overall", *dimension_ids]].agg(["mean", "min", "max"]) if first else None
    return {
        "schema": PORTFOLIO_SCHEMA,
        "questionnaire": None
        if first is None
        else dict(zip(("id", "version", "title"), first.questionnaire, strict=True)),
        "dimensions": [{"id": d.id, "name": d.name} for d in portfolio.dimensions],
        "units": [
            {
                "unit": u.unit,
                "profile": u.profile,
                "respondents": u.respondents,
                "assessed_at": u.assessed_at,
                "overall": u.overall,
                "dimensions": {d.id: d.score for d in u.dimensions},
                "targets": {d.id: d.target for d in u.dimensions},
            }
            for u in portfolio.units
        ],
        "summary": None
        if summary is None
        else {
            column: {
                stat: _none_if_nan(summary.at[stat, column]) for stat in ("mean", "min", "max")
            }
            for column in summary.columns
        },
        "failures": [{"unit": f.unit, "message": f.message} for f in portfolio.failures],
    }


def portfolio_frame(portfolio: Portfolio) -> Any:
    """Units x dimensions as a pandas DataFrame: one row per scored unit, full precision."""
    import pandas as pd

    dimension_ids = [d.id for d in portfolio.dimensions]
    rows = [
        {
            "unit": u.unit,
            "profile": u.profile,
            "respondents": u.respondents,
            "assessed_at": u.assessed_at,
            "overall": u.overall,
            **{d.id: d.score for d in u.dimensions},
        }
        for u in portfolio.units
    ]
    columns = ["unit", "profile", "respondents", "assessed_at", "overall", *dimension_ids]
    return pd.DataFrame(rows, columns=columns).set_index("unit")


def _none_if_nan(value: Any) -> float | None:
    """A summary figure as JSON: None for a column no unit has a score in (None or NaN)."""
    if value is None:
        return None
    number = float(value)
    return None if number != number else number
