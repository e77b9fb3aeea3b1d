"""The organisation profile (`kind: profile`): facts for `applies_if`, targets, financial inputs."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from mcpscale.formats.strict import MAX_MONTHS, MAX_PEOPLE, Date, Id, Strict


class Profile(Strict):
    kind: Literal["profile"]
    name: str = Field(min_length=1)
    industry: str | None = None
    size: int | None = Field(None, ge=1, le=MAX_PEOPLE, description="Number of employees.")
    regions: list[str] = Field(default_factory=list)
    regulations: list[str] = Field(default_factory=list)
    targets: dict[Id, float] = Field(
        default_factory=dict,
        description="Target level per dimension id; overrides the questionnaire's.",
    )
    # Financial inputs for `mcpscale plan`; every one is optional (defaults in README).
    currency: str = Field("EUR", min_length=1, description="Label for every amount.")
    ai_developers: int | None = Field(
        None,
        ge=1,
        le=MAX_PEOPLE,
        description="AI developer headcount; default 1% of size (at least 5), or 25.",
    )
    developer_annual_cost: float = Field(
        150_000, gt=0, description="Loaded annual cost of one developer."
    )
    ai_compute_annual_spend: float | None = Field(
        None, ge=0, description="Yearly AI compute bill; default 50,000 per AI application."
    )
    ai_applications: int = Field(
        10, ge=0, le=MAX_PEOPLE, description="AI applications in production today."
    )
    new_ai_applications_per_year: int = Field(4, ge=0, le=MAX_PEOPLE)
    annual_value_per_application: float | None = Field(
        None,
        ge=0,
        description="Yearly value of one AI application; without it, no "
        "time-to-market benefit is counted.",
    )
    application_build_months: float = Field(
        6, gt=0, le=MAX_MONTHS, description="Months to build one AI app."
    )
    developers_per_application: float = Field(
        4, gt=0, le=MAX_PEOPLE, description="Developers building one app."
    )
    core_team_size: int | None = Field(
        None,
        ge=1,
        le=MAX_PEOPLE,
        description="The core team that runs the roadmap; by default derived from size "
        "within the pack's range (5-15 for the bundled pack).",
    )
    salary_inflation: float = Field(0.03, ge=0, lt=1, description="Yearly rise of salaries.")
    discount_rate: float = Field(0.10, ge=0, lt=1)
    horizon_years: int = Field(3, ge=1, le=10)
    cost_multiplier: float = Field(
        1.0, gt=0, description="Scales the pack's initiative costs (exchange rate, size)."
    )
    plan_start: Date | None = Field(
        None, description="First day of the roadmap; default the month after the assessment."
    )
    risk_adjustment: dict[Literal["benefits", "costs"], float] = Field(
        default_factory=dict, description="Overrides economics.yaml's risk adjustment."
    )
    economics: dict[Id, dict[Literal["low", "likely", "high"], float]] = Field(
        default_factory=dict,
        description="Overrides of economic ranges, e.g. {compute_cost_reduction: {low: 0.1}}.",
    )

    def facts(self) -> dict[str, Any]:
        """What `applies_if` conditions can test."""
        return {
            "name": self.name,
            "industry": self.industry,
            "size": self.size,
            "regions": self.regions,
            "regulations": self.regulations,
        }


PROFILE_FACTS = ("name", "industry", "size", "regions", "regulations")
