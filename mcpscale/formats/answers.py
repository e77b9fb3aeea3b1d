"""An answers file (`kind: answers`): one respondent and what they chose."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, field_validator, model_validator

from mcpscale.formats.strict import Date, Id, Strict, _text_id


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
    consensus: str | None = Field(
        None,
        description="The choice id the workshop room agreed on for this question, kept beside "
        "this respondent's own choice (the same in every respondent's file).",
    )
    rounds: list[dict[str, str]] = Field(
        default_factory=list,
        description="Earlier workshop votes on this question, oldest first: respondent name -> "
        "choice id, one mapping per round that was re-voted.",
    )

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
    assessed_at: Date
    answers: dict[Id, Answer] = Field(default_factory=dict)

    @property
    def questionnaire_id(self) -> str:
        return self.questionnaire.partition("@")[0]

    @property
    def questionnaire_version(self) -> str | None:
        return self.questionnaire.partition("@")[2] or None
