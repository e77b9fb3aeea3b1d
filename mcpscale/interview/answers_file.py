"""Opens and saves the answers file an interview or a workshop writes after every answer.

A save writes only when something changed, and `assessed_at` moves to today only when an
answer (choice, note, evidence) did: opening a file and quitting leaves it byte-identical.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from mcpscale.errors import UserError
from mcpscale.formats.answers import Answer, Respondent
from mcpscale.formats.questionnaire import Questionnaire
from mcpscale.inputs.answers import load_answer_sets
from mcpscale.inputs.clock import today
from mcpscale.inputs.packs import DEFAULT_QUESTIONNAIRE, resolve_pack
from mcpscale.inputs.write import write_atomic
from mcpscale.inputs.yaml import dump_yaml
from mcpscale.interview.session import answers_document

UPDATE_ROLE_FLAG = "--update-role"


class NotSaved(Exception):
    """The writer could not write an answers file (read-only folder, full disk, gone)."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"could not save {path}: {reason}")
        self.path = path


@dataclass
class AnswersFile:
    """One respondent's answers file as last saved: what a save compares against."""

    path: Path
    questionnaire: Questionnaire
    respondent: Respondent
    answers: dict[str, Answer] = field(default_factory=dict)  # as saved
    assessed_at: dt.date | None = None  # None: the file does not exist yet
    saved_respondent: Respondent | None = None  # who the file named when opened

    @property
    def exists(self) -> bool:
        return self.assessed_at is not None

    def role_change(self) -> str | None:
        """'role CTO -> CISO' when the file was saved with another role or group."""
        saved = self.saved_respondent
        if saved is None:
            return None
        changes = [
            f"{what} {old or '(none)'} -> {new or '(none)'}"
            for what, old, new in (
                ("role", saved.role, self.respondent.role),
                ("group", saved.group, self.respondent.group),
            )
            if (old or "") != (new or "")
        ]
        return ", ".join(changes) or None

    def refuse_role_change(self, command: str) -> UserError:
        """The error for a role or group changed without the respondent's say-so."""
        saved = self.saved_respondent
        assert saved is not None
        keep = f"--role '{saved.role}'" + (f" --group '{saved.group}'" if saved.group else "")
        if command == "workshop":
            keep = f"'{saved.name}:{saved.role}" + (f":{saved.group}'" if saved.group else "'")
        return UserError.at(
            self.path,
            f"was saved with {self.role_change()}; pass {keep} as saved, "
            f"or add {UPDATE_ROLE_FLAG} to change it",
        )

    def unsaved(self, answers: dict[str, Answer]) -> list[str]:
        """The question ids whose answer differs from the saved file."""
        return [qid for qid, answer in answers.items() if self.answers.get(qid) != answer]

    def save(self, answers: dict[str, Answer]) -> None:
        """Write `answers` atomically when anything differs from the file as saved.

        Raises NotSaved when the writer cannot write the file (its OSError or UserError);
        the saved state then stays as it was, so a retry writes the same again."""
        changed = answers != self.answers
        if not changed and self.exists and self.respondent == self.saved_respondent:
            return
        assessed_at = today() if changed or self.assessed_at is None else self.assessed_at
        document = answers_document(self.questionnaire, self.respondent, answers, assessed_at)
        text = dump_yaml(document)
        try:
            write_atomic(self.path, text)
        except OSError as error:
            raise NotSaved(self.path, error.strerror or str(error)) from None
        except UserError as error:
            raise NotSaved(self.path, str(error)) from None
        self.answers = dict(answers)
        self.assessed_at = assessed_at
        self.saved_respondent = self.respondent


def open_answers_file(
    output: Path, questionnaire_ref: str | None, respondent: Respondent
) -> AnswersFile:
    """The answers saved so far in `output` (none for a new file); another name is refused."""
    if not output.exists():
        questionnaire = resolve_pack(questionnaire_ref or DEFAULT_QUESTIONNAIRE).questionnaire
        return AnswersFile(output, questionnaire, respondent)
    questionnaire, (answer_set,) = load_answer_sets([output], questionnaire_ref)
    saved = answer_set.respondent
    if saved.name.strip().casefold() != respondent.name.strip().casefold():
        raise UserError.at(
            output,
            f"holds the answers of '{saved.name}', not '{respondent.name}'; "
            "give each respondent their own --output file",
        )
    opened = AnswersFile(
        output, questionnaire, respondent, dict(answer_set.answers), answer_set.assessed_at, saved
    )
    if opened.role_change() is None:
        opened.respondent = saved  # the name as saved, so an unchanged file is not rewritten
    return opened


def open_answers(
    output: Path, questionnaire_ref: str | None, respondent: Respondent
) -> tuple[Questionnaire, dict[str, Answer]]:
    """The questionnaire and the answers saved so far in `output` (none for a new file)."""
    opened = open_answers_file(output, questionnaire_ref, respondent)
    return opened.questionnaire, dict(opened.answers)
