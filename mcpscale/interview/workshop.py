"""The workshop room as a UI-free state machine: who is in it, the question the room is on,
whose turn it is, moving on and back, the discussion note, and each respondent's file.

`terminal.py` draws it and reads keys; everything here is pure and testable without a terminal.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from anyascii import anyascii

from mcpscale.assess.scoring import answer_level, is_disagreement, score_answers
from mcpscale.errors import UserError
from mcpscale.formats.answers import Answer, Respondent
from mcpscale.formats.profile import Profile
from mcpscale.formats.questionnaire import Question, Questionnaire
from mcpscale.formats.results import Result
from mcpscale.interview.session import (
    Interview,
    answer_set,
    level_spread,
    with_workshop_note,
    workshop_note,
)


def slugify(name: str) -> str:
    """'Chloé Müller' -> 'chloe-muller', '张伟' -> 'zhang-wei': one readable file per respondent.

    Letters are transliterated to ASCII (anyascii), with a break between syllables of scripts
    written without spaces; a name with nothing to transliterate gets 'respondent-<hash>'."""
    words = []
    previous = ""
    for char in unicodedata.normalize("NFC", name):
        ascii_char = anyascii(char) if not char.isascii() else char
        if _is_syllable(ascii_char) and _is_syllable(previous):
            words.append(" ")
        words.append(ascii_char)
        previous = ascii_char if not char.isascii() else ""
    slug = re.sub(r"[^a-z0-9]+", "-", "".join(words).casefold()).strip("-")
    return slug or "respondent-" + hashlib.sha256(name.encode()).hexdigest()[:8]


def _is_syllable(text: str) -> bool:
    """A capitalised syllable anyascii gives for a CJK character: 'Zhang', 'Wei'."""
    return len(text) > 1 and text[0].isupper() and text[1:].islower()


def _ascii_slug(name: str) -> str:
    """The file name before transliteration (0.1.0), so a saved workshop still resumes."""
    return re.sub(r"[^a-z0-9]+", "-", name.casefold()).strip("-") or "respondent"


def answers_files(output_dir: Path, respondents: Sequence[Respondent]) -> list[Path]:
    """The file each respondent's answers are saved in: <output_dir>/<slug of the name>.yaml,
    or the file an earlier version saved under the untransliterated name, if only that exists."""
    files = []
    for respondent in respondents:
        file = output_dir / f"{slugify(respondent.name)}.yaml"
        earlier = output_dir / f"{_ascii_slug(respondent.name)}.yaml"
        files.append(earlier if not file.exists() and earlier.exists() else file)
    return files


def parse_respondents(text: str) -> list[Respondent]:
    """'Ana Silva:CTO:business,Ben Ode:Security lead' -> respondents (group optional)."""
    respondents: list[Respondent] = []
    for item in (part.strip() for part in text.split(",")):
        if not item:
            continue
        fields = [f.strip() for f in item.split(":")]
        if len(fields) not in (2, 3) or not all(fields[:2]):
            raise UserError(
                f"--respondents: '{item}' should be Name:Role or Name:Role:group, "
                "e.g. 'Ana Silva:CTO:business,Ben Ode:Security lead:security'"
            )
        group = fields[2] if len(fields) == 3 and fields[2] else None
        respondents.append(Respondent(name=fields[0], role=fields[1], group=group))
    if not respondents:
        raise UserError(
            "--respondents is empty; e.g. 'Ana Silva:CTO:business,Ben Ode:Security lead'"
        )
    slugs = [slugify(r.name) for r in respondents]
    for index, slug in enumerate(slugs):
        if slug in slugs[:index]:
            raise UserError(
                f"--respondents: two respondents would share the file {slug}.yaml; "
                "give them distinct names"
            )
    return respondents


class Turn(NamedTuple):
    """The respondent whose turn it is at the room's question."""

    respondent: Respondent
    default: str | list[str] | None  # their saved choice, kept on Enter
    asked: bool  # False: their saved answer stands without asking (shown as saved)


class Disagreement(NamedTuple):
    """Answers to one question whose levels span the questionnaire's disagreement spread."""

    question: Question
    spread: int
    answers: list[tuple[Respondent, str | list[str], int | None]]  # respondent, choice, level


@dataclass
class Workshop:
    """The room answering together: each respondent in turn, then a discussion where they differ.

    `answers` holds each respondent's saved answers, in the order of `respondents`. The room
    starts at a discussion it left pending (see `_pending_discussion`), else at the first
    question someone has not answered; each question asks, in order, those who have not
    answered it (everyone after `back`, their saved answer as default).
    """

    questionnaire: Questionnaire
    respondents: list[Respondent]
    answers: list[dict[str, Answer]]
    profile: Profile | None = None
    interviews: list[Interview] = field(init=False)
    turn: int = field(init=False, default=0)  # index into respondents; len() once all answered
    revisit: bool = field(init=False, default=False)  # after back, everyone answers again

    def __post_init__(self) -> None:
        self.interviews = [
            Interview(self.questionnaire, self.profile, answers) for answers in self.answers
        ]
        pending = self._pending_discussion()
        self._go(self._next_open(0) if pending is None else pending)

    # ------------------------------------------------------------ where the room is

    @property
    def room(self) -> Interview:
        """The walk the screen shows: the first respondent's, on the room's question."""
        return self.interviews[0]

    @property
    def position(self) -> int:
        return self.room.position

    @property
    def done(self) -> bool:
        return self.room.done

    @property
    def current(self) -> Question:
        return self.room.current

    @property
    def answered_by_everyone(self) -> int:
        """How many of the questions that apply every respondent has answered."""
        return sum(1 for question in self.room.questions if self._everyone_answered(question))

    def _everyone_answered(self, question: Question) -> bool:
        return all(question.id in interview.answers for interview in self.interviews)

    def answered_by(self, respondent: int) -> int:
        """How many of the questions that apply respondent number `respondent` has answered."""
        return self.interviews[respondent].answered

    @property
    def skipped(self) -> list[Question]:
        return self.room.skipped

    def _go(self, position: int) -> None:
        for interview in self.interviews:
            interview.position = position
        self.turn = 0

    def _next_open(self, start: int) -> int:
        """The first question at or after `start` that someone has not answered (wrapping)."""
        questions = self.room.questions
        order = list(range(start, len(questions))) + list(range(start))
        return next(
            (i for i in order if any(questions[i].id not in iv.answers for iv in self.interviews)),
            len(questions),
        )

    def _pending_discussion(self) -> int | None:
        """The question whose discussion was interrupted, to ask for it again on resume.

        It is the last question anyone has answered, when everyone has answered it and every
        question before it, their
        levels disagree, and it carries neither a workshop note nor a consensus: the files keep
        no other trace of the room's place, so a discussion skipped with Enter and followed by
        no answer at all is asked again (Enter skips it again)."""
        questions = self.room.questions
        touched = [
            index
            for index, question in enumerate(questions)
            if any(question.id in interview.answers for interview in self.interviews)
        ]
        if not touched:
            return None
        last = touched[-1]
        if any(not self._everyone_answered(q) for q in questions[:last]):
            return None  # the room had not walked to it in order
        question = questions[last]
        answers = [interview.answers.get(question.id) for interview in self.interviews]
        if any(answer is None for answer in answers):
            return None
        if any(a.consensus is not None or workshop_note(a) is not None for a in answers if a):
            return None
        return last if self._disagreement_on(question) is not None else None

    # ------------------------------------------------------------ turns

    @property
    def next_turn(self) -> Turn | None:
        """Who answers next at this question; None once everyone has."""
        if self.turn >= len(self.respondents):
            return None
        default = self.interviews[self.turn].default()
        return Turn(self.respondents[self.turn], default, default is None or self.revisit)

    @property
    def everyone_answered(self) -> bool:
        return self.turn >= len(self.respondents)

    def answer(self, choice: str | list[str]) -> Answer:
        """The respondent whose turn it is answers `choice`; the turn passes on."""
        answer = self.interviews[self.turn].record(choice)
        self.turn += 1
        return answer

    def keep(self) -> None:
        """The saved answer of the respondent whose turn it is stands; the turn passes on."""
        self.turn += 1

    def back(self) -> bool:
        """The whole room returns to the previous question, where everyone answers again.

        False at the first question: the room stays there and everyone answers it again.
        """
        moved = self.position > 0
        self._go(max(0, self.position - 1))
        self.revisit = True
        return moved

    # ------------------------------------------------------------ after everyone answered

    def disagreement(self) -> Disagreement | None:
        """The answers to the current question so far, when their levels disagree (the
        questionnaire's disagreement spread)."""
        return self._disagreement_on(self.current)

    def _disagreement_on(self, question: Question) -> Disagreement | None:
        answered = [
            (respondent, answer.choice)
            for respondent, answers in self.saves()
            if (answer := answers.get(question.id)) is not None
        ]
        spread = level_spread(self.questionnaire, question, [choice for _, choice in answered])
        if spread is None or not is_disagreement(self.questionnaire, question, spread):
            return None
        rows = [(r, c, answer_level(self.questionnaire, question, c)) for r, c in answered]
        return Disagreement(question, spread, rows)

    def earlier_note(self) -> str | None:
        """The room's discussion note already stored on the current question, if any."""
        question_id = self.current.id
        return next(
            (
                note
                for interview in self.interviews
                if (answer := interview.answers.get(question_id)) is not None
                and (note := workshop_note(answer)) is not None
            ),
            None,
        )

    def note_discussion(self, note: str) -> None:
        """Store the room's note with everyone's answer to the current question, replacing an
        earlier one (Enter: the earlier note, if any, stays)."""
        if not note:
            return
        question_id = self.current.id
        for interview in self.interviews:
            if (answer := interview.answers.get(question_id)) is not None:
                interview.answers[question_id] = with_workshop_note(answer, note)

    def move_on(self) -> None:
        """On to the next question someone has not answered (wrapping round); done if none."""
        self.revisit = False
        self._go(self._next_open(self.position + 1))

    # ------------------------------------------------------------ what the room produced

    def saves(self) -> list[tuple[Respondent, dict[str, Answer]]]:
        """What to save: each respondent with their answers so far."""
        return [(r, iv.answers) for r, iv in zip(self.respondents, self.interviews, strict=True)]

    def result(self, assessed_at: dt.date) -> Result:
        """The room's scores, each respondent's answers as one answer set."""
        answer_sets = [
            answer_set(self.questionnaire, respondent, answers, assessed_at)
            for respondent, answers in self.saves()
        ]
        return score_answers(self.questionnaire, answer_sets, self.profile)
