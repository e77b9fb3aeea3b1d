"""A pack's migrations file (`kind: migrations`): how answers to one version carry over to the next.

Each step maps the question ids and choice ids of version `from` onto version `to`; steps chain
(1.0 -> 1.1 -> 1.2) and are applied in order. Applying them is assess/migrate.py; checking the
ids against the pack's questionnaire is inputs/migrations.py.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, field_validator, model_validator

from mcpscale.formats.answers import _text_ids
from mcpscale.formats.strict import Id, Strict, _text_id

WILDCARD = "*"  # in a merge's choice pair: any choice of that old question


def _text_keys(value: Any) -> Any:
    """Choice and question ids are text, as keys and values (YAML reads `1` as a number)."""
    if isinstance(value, bool):
        raise ValueError(
            f"{str(value).lower()} is not an id: YAML reads yes/no/on/off as true/false; quote it"
        )
    if isinstance(value, dict):
        return {str(_text_keys(key)): _text_keys(item) for key, item in value.items()}
    return _text_id(value)


ChoiceMap = dict[Id, Id]
"""Old choice id -> new choice id; an old choice left out does not carry over."""


class SplitPart(Strict):
    id: Id = Field(min_length=1, description="A question of the new version.")
    choices: ChoiceMap | None = Field(
        None,
        description="Old choice id -> this question's choice id. Without it, choice ids carry "
        "over unchanged; an old choice left out is listed for the respondent to answer again.",
    )

    _ids = field_validator("id", mode="before")(_text_id)
    _maps = field_validator("choices", mode="before")(_text_keys)


class Merge(Strict):
    from_: list[Id] = Field(
        alias="from", min_length=2, description="The old questions answered as one new question."
    )
    to: Id = Field(min_length=1, description="The new question.")
    choices: dict[str, Id] = Field(
        description="The old choices, one per `from` question in that order and joined by "
        "', ' -> the new choice id, e.g. {'none, partial': none}. '*' stands for any choice. "
        "The first key that matches wins; a pair no key matches is listed for the respondent "
        "to answer again."
    )

    _ids = field_validator("from_", mode="before")(_text_ids)
    _maps = field_validator("choices", mode="before")(_text_keys)

    @model_validator(mode="after")
    def _pairs(self) -> Merge:
        if len(set(self.from_)) != len(self.from_):
            raise ValueError(f"merge into {self.to} names a question twice in from")
        for key in self.choices:
            if len(choice_pair(key)) != len(self.from_):
                raise ValueError(
                    f"merge into {self.to}: choice key '{key}' needs {len(self.from_)} choice "
                    f"ids joined by ', ', one for each of {', '.join(self.from_)}"
                )
        return self


def choice_pair(key: str) -> list[str]:
    """A merge's choice key ('none, partial') as its choice ids."""
    return [part.strip() for part in key.split(",")]


class Migration(Strict):
    from_: str = Field(alias="from", min_length=1, description="The version answers start at.")
    to: str = Field(min_length=1, description="The version they move to.")
    renamed: dict[Id, Id] = Field(
        default_factory=dict, description="Old question id -> new question id, same meaning."
    )
    split: dict[Id, list[SplitPart]] = Field(
        default_factory=dict,
        description="Old question id -> the new questions that each take part of it.",
    )
    merged: list[Merge] = Field(
        default_factory=list, description="Old questions answered together as one new one."
    )
    choices: dict[Id, ChoiceMap] = Field(
        default_factory=dict,
        description="Old question id -> {old choice: new choice}, for questions that carry over "
        "(renamed or not) with changed choice ids; unlisted choices keep their id.",
    )
    dropped: dict[Id, str] = Field(
        default_factory=dict,
        description="Old question id -> why it went; shown to the respondent with their answer.",
    )
    added: list[Id] = Field(
        default_factory=list,
        description="Questions new in this version: listed for the respondent to answer.",
    )

    _versions = field_validator("from_", "to", mode="before")(_text_id)
    _maps = field_validator("renamed", "split", "choices", "dropped", mode="before")(_text_keys)
    _added = field_validator("added", mode="before")(_text_ids)

    @model_validator(mode="after")
    def _each_question_once(self) -> Migration:
        if self.from_ == self.to:
            raise ValueError(
                f"a migration goes from one version to another, not {self.to} to itself"
            )
        claimed: dict[str, str] = {}
        sources = [
            *(("renamed", old) for old in self.renamed),
            *(("split", old) for old in self.split),
            *(("merged", old) for merge in self.merged for old in merge.from_),
            *(("dropped", old) for old in self.dropped),
        ]
        for how, old in sources:
            if old in claimed:
                raise ValueError(f"question {old} is both {claimed[old]} and {how}; pick one")
            claimed[old] = how
        for old in self.choices:
            if claimed.get(old, "renamed") != "renamed":
                raise ValueError(
                    f"choices: question {old} is {claimed[old]}; give its choice map there"
                )
        targets = [
            *self.renamed.values(),
            *(part.id for parts in self.split.values() for part in parts),
            *(merge.to for merge in self.merged),
        ]
        twice = sorted({new for new in targets if targets.count(new) > 1})
        if twice:
            raise ValueError(f"more than one old question becomes {', '.join(twice)}")
        return self


class MigrationSet(Strict):
    kind: Literal["migrations"]
    questionnaire: Id = Field(min_length=1, description="The questionnaire id these answers name.")
    migrations: list[Migration] = Field(
        min_length=1, description="Steps between versions; answers follow them in order."
    )

    @model_validator(mode="after")
    def _one_step_per_version(self) -> MigrationSet:
        starts = [step.from_ for step in self.migrations]
        twice = sorted({version for version in starts if starts.count(version) > 1})
        if twice:
            raise ValueError(f"more than one migration starts at version {', '.join(twice)}")
        return self

    def path(self, start: str, end: str) -> list[Migration] | None:
        """The steps from version `start` to `end`, in order; None when they do not lead there."""
        by_start = {step.from_: step for step in self.migrations}
        steps: list[Migration] = []
        version = start
        while version != end:
            step = by_start.get(version)
            if step is None or step in steps:
                return None
            steps.append(step)
            version = step.to
        return steps
