"""The file formats (questionnaire, answers, profile) as pydantic models.

These models are the public interface: `mcpscale schema KIND` prints their JSON
Schema. They check shape only; cross-references (does this answer's question
exist?) are checked in `inputs/checks.py`, where the YAML line numbers are at hand.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, field_validator

from mcpscale.formats.strict import Id, Strict, _text_id

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
