"""The file formats (questionnaire, answers, profile) as pydantic models.

These models are the public interface: `mcpscale schema KIND` prints their JSON
Schema. They check shape only; cross-references (does this answer's question
exist?) are checked in `inputs/checks.py`, where the YAML line numbers are at hand.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

from pydantic import Field, field_validator

from mcpscale.formats.strict import Id, Strict, _text_id

UNKNOWN = "unknown"
NOT_APPLICABLE = "na"
# The two answers every question accepts besides its choices; the only ids a choice cannot have.
RESERVED_CHOICE_IDS = frozenset({UNKNOWN, NOT_APPLICABLE})
# Disagreement by default: answers whose levels span at least this share of the scale
# (on a 1-5 scale, 40% of 4 is 1.6, so two levels apart, as before 1.1).
DEFAULT_DISAGREEMENT_SHARE = 0.4
Scoring = Literal["mean", "gated"]
Priority = Literal["high", "medium", "low"]


class ScaleLevel(Strict):
    level: int = Field(description="Numeric maturity level; higher is more mature.")
    name: str = Field(min_length=1, description="Short name, e.g. 'Defined'.")
    description: str = ""


class Area(Strict):
    id: Id = Field(min_length=1)
    name: str = Field(min_length=1)
    description: str = ""
    scoring: Scoring | None = Field(
        None,
        description="'gated': this area reaches level N only when every question of level N "
        "and below is met; by default the dimension's scoring.",
    )


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
    scoring: Scoring = Field(
        "mean",
        description="'mean': the weighted mean of its questions' scores; 'gated': level N only "
        "when every question of level N and below is met (each area on its own).",
    )

    _ids = field_validator("id", mode="before")(_text_id)


class Choice(Strict):
    id: Id = Field(min_length=1, description="Short id typed in answers files, e.g. 'partial'.")
    label: str = Field(min_length=1, description="What an organisation at this level does.")
    level: int | None = Field(
        None,
        description="The scale level this choice scores. Required for single-choice questions; "
        "a multi-select question's level comes from its rules instead.",
    )
    exclusive: bool = Field(
        False,
        description="Multi-select only: selected on its own ('None of these').",
    )

    _ids = field_validator("id", mode="before")(_text_id)


class Rule(Strict):
    """One rule of a multi-select question: when the selection matches, it scores `level`.

    Every list must hold (all of `all`, at least one of `any`, none of `none`); a rule with
    no lists matches any selection, so it is the default when written last.
    """

    level: int
    all: list[Id] = Field(default_factory=list, description="Choices that must all be selected.")
    any: list[Id] = Field(
        default_factory=list, description="At least one of these must be selected."
    )
    none: list[Id] = Field(default_factory=list, description="Choices that must not be selected.")

    def matches(self, selected: frozenset[str]) -> bool:
        return (
            all(c in selected for c in self.all)
            and (not self.any or any(c in selected for c in self.any))
            and not any(c in selected for c in self.none)
        )


class Question(Strict):
    id: Id = Field(min_length=1)
    dimension: Id
    area: Id | None = None
    text: str = Field(min_length=1)
    help: str = ""
    weight: float = Field(1.0, gt=0)
    type: Literal["single", "multi"] = Field(
        "single",
        description="'single': one choice; 'multi': any number of choices selected together, "
        "scored by `rules`.",
    )
    choices: list[Choice] = Field(min_length=2)
    rules: list[Rule] = Field(
        default_factory=list,
        description="Multi-select: selection -> level, first match wins; when none matches, "
        "the scale's lowest level.",
    )
    allow_na: bool = False
    applies_if: dict[str, Any] | None = Field(
        None, description="Condition on the profile, e.g. {regulations: contains GDPR}."
    )
    depends_on: list[Id] = Field(
        default_factory=list,
        description="Questions that must be met before this one can be: shown in the interview, "
        "and the roadmap orders initiatives accordingly.",
    )
    level: int | None = Field(
        None,
        description="The maturity level this question belongs to; required in a gated "
        "dimension or area.",
    )
    target: float | None = Field(
        None, description="The score this question should reach; by default its dimension's."
    )
    priority: Priority | None = Field(
        None, description="How much closing this question's gap matters: high, medium or low."
    )
    scored: bool = Field(
        True, description="false: asked and reported, but left out of every score."
    )
    tags: list[str] = Field(default_factory=list)
    mappings: dict[Id, list[str]] = Field(
        default_factory=dict,
        description="Control ids this question meets in external frameworks, by framework id "
        "(the pack's frameworks.yaml), e.g. {owasp-mcp-top-10: [MCP03]}.",
    )

    _ids = field_validator("id", mode="before")(_text_id)

    def choice(self, choice_id: str) -> Choice | None:
        return self.choices_by_id.get(choice_id)

    @property
    def choices_by_id(self) -> dict[str, Choice]:
        """Each choice by its id (the first, should an id repeat), built once: answers look a
        choice up for every respondent."""
        cached = self.__dict__.get("_choices_by_id")
        if cached is None:
            cached = {}
            for choice in self.choices:
                cached.setdefault(choice.id, choice)
            self.__dict__["_choices_by_id"] = cached
        return cached

    @property
    def multi(self) -> bool:
        return self.type == "multi"

    def selection_problem(self, selected: Sequence[str]) -> str | None:
        """Why `selected` is not a valid multi-select answer to this question, or None.

        The one rule the files, the interview, forms and the live room all apply.
        """
        ids = [c.id for c in self.choices]
        unknown = [choice_id for choice_id in selected if choice_id not in ids]
        if unknown:
            return f"unknown choice '{unknown[0]}' (choices: {', '.join(ids)})"
        if len(set(selected)) != len(selected):
            return "a choice is selected twice; list each once"
        exclusive = [c for c in self.choices if c.exclusive and c.id in selected]
        if exclusive and len(selected) > 1:
            return f"'{exclusive[0].id}' ({exclusive[0].label}) is selected on its own"
        none_of_these = next((c for c in self.choices if c.exclusive), None)
        if not selected and none_of_these is not None:
            # with a "None of these" to pick, an empty selection is an answer never given
            return (
                f"nothing is selected; select '{none_of_these.id}' ({none_of_these.label}) "
                "if none holds"
            )
        return None

    def level_of_selection(self, selected: Sequence[str], lowest: int) -> int:
        """A multi-select answer's level: the first rule that matches, else `lowest`."""
        chosen = frozenset(selected)
        return next((rule.level for rule in self.rules if rule.matches(chosen)), lowest)


class DisagreementRule(Strict):
    min_spread: float | None = Field(
        None,
        gt=0,
        description="Answers whose levels span at least this much disagree; by default 40% "
        "of the scale's span.",
    )


class Questionnaire(Strict):
    kind: Literal["questionnaire"]
    id: Id = Field(min_length=1)
    version: str = Field(min_length=1)
    title: str = Field(min_length=1)
    subject: str = Field(
        "",
        description="What is assessed, in a few words, used in report titles and sentences "
        "(e.g. 'MCP readiness'); by default the title.",
    )
    description: str = ""
    scale: list[ScaleLevel] = Field(min_length=2)
    disagreement: DisagreementRule = Field(default_factory=DisagreementRule)
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

    @property
    def subject_name(self) -> str:
        """What is assessed, for titles and sentences: the pack's `subject`, else its title."""
        return self.subject or self.title

    @property
    def disagreement_spread(self) -> float:
        """Answers to one question whose levels span at least this much disagree.

        By default the smallest spread two scale levels can have that reaches 40% of the
        span: the same questions as the share itself, said as a spread that can occur
        (2 on a 1-5 scale, not 1.6; 50 on 0/25/50/75/100, not 40).
        """
        rule = self.disagreement.min_spread
        if rule is not None:
            return rule
        least = DEFAULT_DISAGREEMENT_SHARE * (self.max_level - self.min_level)
        levels = [s.level for s in self.scale]
        spreads = {abs(a - b) for a in levels for b in levels if abs(a - b) >= least - 1e-9}
        return float(min(spreads, default=self.max_level - self.min_level))

    def level_at(self, score: float) -> int:
        """The highest scale level at or below `score` (the lowest level for a score below it).

        Weighted means of exact levels can land a hair under a level (2.9999999...), so a
        score within 1e-9 of a level counts as reaching it.
        """
        reached = [s.level for s in self.scale if s.level <= score + 1e-9]
        return max(reached) if reached else self.min_level

    def level_name(self, level: float) -> str:
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
