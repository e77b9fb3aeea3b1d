"""An answers file (`kind: answers`): one respondent and what they chose."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, field_validator, model_validator

from mcpscale.formats.strict import Date, Id, Strict, _text_id

Choosing = str | list[str]
"""A choice id, or for a multi-select question the list of choice ids selected together."""


def _text_ids(value: Any) -> Any:
    """Ids are text, in a list of them too (YAML reads `1` as a number)."""
    if isinstance(value, list):
        return [_text_id(item) for item in value]
    return _text_id(value)


def _unchecked(value: Any) -> Any:
    return value


def _no_number_check(field: str) -> Any:
    """Replaces Strict's number check (a validator of the same name, run on every field)
    in a model none of whose fields can hold a number once validated: ids become text, and
    text, lists of text and dates refuse numbers. An answers file has one Answer per
    question, and checking each of their fields took 40% of reading the file into models."""
    return field_validator(field, mode="after")(_unchecked)


def choice_ids(choosing: Choosing) -> list[str]:
    """The choice ids an answer names: one, or a multi-select's selection."""
    return [choosing] if isinstance(choosing, str) else list(choosing)


def choice_text(choosing: Choosing | tuple[str, ...]) -> str:
    """An answer as text: its choice id, or a multi-select's selection joined ('a, c')."""
    if isinstance(choosing, str):
        return choosing
    return ", ".join(choosing) if choosing else "(none selected)"


class Answer(Strict):
    choice: Choosing = Field(
        description="A choice id, 'unknown' (don't know) or 'na' "
        "(not applicable, where the question allows it); for a multi-select question, "
        "the list of choice ids selected."
    )
    reason: str | None = Field(
        None, description="Why not applicable: out-of-scope, owned-elsewhere, ..."
    )
    confidence: Literal["low", "medium", "high"] | None = None
    note: str | None = None
    evidence: list[str] = Field(default_factory=list)
    consensus: Choosing | None = Field(
        None,
        description="The choice id the workshop room agreed on for this question, kept beside "
        "this respondent's own choice (the same in every respondent's file).",
    )
    rounds: list[dict[str, Choosing]] = Field(
        default_factory=list,
        description="Earlier workshop votes on this question, oldest first: respondent name -> "
        "choice id, one mapping per round that was re-voted.",
    )

    _ids = field_validator("choice", "consensus", mode="before")(_text_ids)
    _sane_numbers = _no_number_check("choice")

    @classmethod
    def __get_pydantic_json_schema__(cls, core_schema: Any, handler: Any) -> Any:
        """Editors must accept the shorthand too: a bare choice id is an answer."""
        return {
            "anyOf": [
                {"type": "string", "description": "Shorthand for {choice: <id>}."},
                {
                    "type": "array",
                    "items": {"type": "string"},
                    "description": "Shorthand for a multi-select's {choice: [<id>, ...]}.",
                },
                handler(core_schema),
            ]
        }

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, value: Any) -> Any:
        """A bare choice id stands for {choice: id}, a bare list for a multi-select's choice."""
        if isinstance(value, str | int | float) and not isinstance(value, bool):
            return {"choice": str(value)}
        if isinstance(value, list):
            return {"choice": value}
        return value


def answer_data(answer: Answer) -> Any:
    """An answer as a file holds it: a bare choice in the shorthand, anything more as a mapping."""
    data = answer.model_dump(exclude_defaults=True, exclude_none=True)
    return data["choice"] if list(data) == ["choice"] else data


class Respondent(Strict):
    name: str = Field(min_length=1)
    role: str = Field(min_length=1)
    group: str | None = Field(
        None, description="e.g. it-operations, security, data-governance, business"
    )

    _sane_numbers = _no_number_check("name")


class AnswerSet(Strict):
    kind: Literal["answers"]
    questionnaire: str = Field(description="Questionnaire id, optionally id@version.")
    respondent: Respondent
    assessed_at: Date
    answers: dict[Id, Answer] = Field(default_factory=dict)

    _sane_numbers = _no_number_check("kind")

    @property
    def questionnaire_id(self) -> str:
        return self.questionnaire.partition("@")[0]

    @property
    def questionnaire_version(self) -> str | None:
        return self.questionnaire.partition("@")[2] or None
