"""The file formats (questionnaire, answers, profile) as pydantic models.

These models are the public interface: `mcpscale schema KIND` prints their JSON
Schema. They check shape only; cross-references (does this answer's question
exist?) are checked in `validate.py`, where the YAML line numbers are at hand.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import Field, field_validator, model_validator

from .evidence_models import Evidence, EvidenceRules
from .pack_models import Economics, GateSet, InitiativeSet, RiskSet
from .strict import Id, Strict, _text_id

UNKNOWN = "unknown"
NOT_APPLICABLE = "na"
RESERVED_CHOICE_IDS = frozenset({UNKNOWN, NOT_APPLICABLE, "u", "n", "b", "q"})


class ScaleLevel(Strict):
    level: int = Field(description="Numeric maturity level; higher is more mature.")
    name: str = Field(min_length=1, description="Short name, e.g. 'Defined'.")
    description: str = ""


class Area(Strict):
    id: Id = Field(min_length=1)
    name: str = Field(min_length=1)
    description: str = ""


class Dimension(Strict):
    id: Id = Field(min_length=1)
    name: str = Field(min_length=1)
    weight: float = Field(1.0, gt=0, description="Weight in the overall score.")
    target: float | None = Field(
        None,
        description="Target level; a profile may override it. Defaults to the top of the scale.",
    )
    description: str = ""
    areas: list[Area] = Field(default_factory=list)

    _ids = field_validator("id", mode="before")(_text_id)


class Choice(Strict):
    id: Id = Field(min_length=1, description="Short id typed in answers files, e.g. 'partial'.")
    label: str = Field(min_length=1, description="What an organisation at this level does.")
    level: int

    _ids = field_validator("id", mode="before")(_text_id)


class Question(Strict):
    id: Id = Field(min_length=1)
    dimension: Id
    area: Id | None = None
    text: str = Field(min_length=1)
    help: str = ""
    weight: float = Field(1.0, gt=0)
    choices: list[Choice] = Field(min_length=2)
    allow_na: bool = False
    applies_if: dict[str, Any] | None = Field(
        None, description="Condition on the profile, e.g. {regulations: contains GDPR}."
    )
    tags: list[str] = Field(default_factory=list)

    _ids = field_validator("id", mode="before")(_text_id)

    def choice(self, choice_id: str) -> Choice | None:
        return next((c for c in self.choices if c.id == choice_id), None)


class Questionnaire(Strict):
    kind: Literal["questionnaire"]
    id: Id = Field(min_length=1)
    version: str = Field(min_length=1)
    title: str = Field(min_length=1)
    description: str = ""
    scale: list[ScaleLevel] = Field(min_length=2)
    dimensions: list[Dimension] = Field(min_length=1)
    questions: list[Question] = Field(min_length=1)

    _ids = field_validator("id", "version", mode="before")(_text_id)

    @property
    def ref(self) -> str:
        return f"{self.id}@{self.version}"

    @property
    def min_level(self) -> int:
        return min(s.level for s in self.scale)

    @property
    def max_level(self) -> int:
        return max(s.level for s in self.scale)

    def level_name(self, level: int) -> str:
        """Name of the highest scale level at or below `level`."""
        at_or_below = [s for s in self.scale if s.level <= level]
        return max(at_or_below, key=lambda s: s.level).name if at_or_below else self.scale[0].name

    def question(self, question_id: str) -> Question | None:
        return self.questions_by_id.get(question_id)

    @property
    def questions_by_id(self) -> dict[str, Question]:
        cached = self.__dict__.get("_questions_by_id")
        if cached is None:
            cached = {q.id: q for q in self.questions}
            self.__dict__["_questions_by_id"] = cached
        return cached


class Answer(Strict):
    choice: str = Field(
        description="A choice id, 'unknown' (don't know) or 'na' "
        "(not applicable, where the question allows it)."
    )
    reason: str | None = Field(
        None, description="Why not applicable: out-of-scope, owned-elsewhere, ..."
    )
    confidence: Literal["low", "medium", "high"] | None = None
    note: str | None = None
    evidence: list[str] = Field(default_factory=list)

    _ids = field_validator("choice", mode="before")(_text_id)

    @classmethod
    def __get_pydantic_json_schema__(cls, core_schema: Any, handler: Any) -> Any:
        """Editors must accept the shorthand too: a bare choice id is an answer."""
        return {
            "anyOf": [
                {"type": "string", "description": "Shorthand for {choice: <id>}."},
                handler(core_schema),
            ]
        }

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, value: Any) -> Any:
        """A bare choice id stands for {choice: id}."""
        if isinstance(value, str | int | float) and not isinstance(value, bool):
            return {"choice": str(value)}
        return value


class Respondent(Strict):
    name: str = Field(min_length=1)
    role: str = Field(min_length=1)
    group: str | None = Field(
        None, description="e.g. it-operations, security, data-governance, business"
    )


class AnswerSet(Strict):
    kind: Literal["answers"]
    questionnaire: str = Field(description="Questionnaire id, optionally id@version.")
    respondent: Respondent
    assessed_at: dt.date
    answers: dict[Id, Answer] = Field(default_factory=dict)

    @property
    def questionnaire_id(self) -> str:
        return self.questionnaire.partition("@")[0]

    @property
    def questionnaire_version(self) -> str | None:
        return self.questionnaire.partition("@")[2] or None


class Profile(Strict):
    kind: Literal["profile"]
    name: str = Field(min_length=1)
    industry: str | None = None
    size: int | None = Field(None, ge=1, description="Number of employees.")
    regions: list[str] = Field(default_factory=list)
    regulations: list[str] = Field(default_factory=list)
    targets: dict[Id, float] = Field(
        default_factory=dict,
        description="Target level per dimension id; overrides the questionnaire's.",
    )
    # Financial inputs for `mcpscale plan`; every one is optional (defaults in README).
    currency: str = Field("EUR", min_length=1, description="Label for every amount.")
    ai_developers: int | None = Field(
        None, ge=1, description="AI developer headcount; default 1% of size (at least 5), or 25."
    )
    developer_annual_cost: float = Field(
        150_000, gt=0, description="Loaded annual cost of one developer."
    )
    ai_compute_annual_spend: float | None = Field(
        None, ge=0, description="Yearly AI compute bill; default 50,000 per AI application."
    )
    ai_applications: int = Field(10, ge=0, description="AI applications in production today.")
    new_ai_applications_per_year: int = Field(4, ge=0)
    annual_value_per_application: float | None = Field(
        None,
        ge=0,
        description="Yearly value of one AI application; without it, no "
        "time-to-market benefit is counted.",
    )
    application_build_months: float = Field(6, gt=0, description="Months to build one AI app.")
    developers_per_application: float = Field(4, gt=0, description="Developers building one app.")
    core_team_size: int | None = Field(
        None, ge=1, description="Core MCP team; default derived from size within 5-15."
    )
    salary_inflation: float = Field(0.03, ge=0, lt=1, description="Yearly rise of salaries.")
    discount_rate: float = Field(0.10, ge=0, lt=1)
    horizon_years: int = Field(3, ge=1, le=10)
    cost_multiplier: float = Field(
        1.0, gt=0, description="Scales the pack's initiative costs (exchange rate, size)."
    )
    plan_start: dt.date | None = Field(
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


class Brand(Strict):
    """A consultancy's look for reports: `mcpscale report --brand brand.yaml`."""

    kind: Literal["brand"]
    name: str = Field(min_length=1, description="Shown above the title on the cover.")
    colour: str = Field(
        "#0b3d91",
        pattern=r"^#[0-9a-fA-F]{6}$",
        description="Headings and accents, as #RRGGBB.",
    )
    logo: str | None = Field(
        None, description="PNG, JPEG or SVG file, relative to this file; at most 1 MB."
    )
    classification: str | None = Field(
        None, description="Marking on the cover and every page, e.g. 'Client confidential'."
    )


MODELS: dict[str, type[Strict]] = {
    "questionnaire": Questionnaire,
    "answers": AnswerSet,
    "profile": Profile,
    "initiatives": InitiativeSet,
    "gates": GateSet,
    "risks": RiskSet,
    "economics": Economics,
    "brand": Brand,
    "evidence": Evidence,
    "evidence-rules": EvidenceRules,
}
PLAN_KINDS = ("initiatives", "gates", "risks", "economics")
