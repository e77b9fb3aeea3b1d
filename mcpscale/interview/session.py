"""The interview as a UI-free state machine: which question is current, what a key means.

`terminal.py` draws it and reads keys; everything here is pure and testable without a terminal.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, NamedTuple

from mcpscale.assess.scoring import answer_level, question_applies
from mcpscale.errors import did_you_mean
from mcpscale.formats.answers import Answer, AnswerSet, Respondent, answer_data, choice_text
from mcpscale.formats.profile import Profile
from mcpscale.formats.questionnaire import NOT_APPLICABLE, UNKNOWN, Question, Questionnaire

Action = Literal["answer", "keep", "help", "back", "quit", "invalid"]
WORKSHOP_NOTE_PREFIX = "Workshop discussion: "


class Key(NamedTuple):
    """What one line typed at the answer prompt means."""

    action: Action
    choice: str | list[str] | None = None  # for "answer"
    hint: str = ""  # for "invalid": a short reason and what to type instead


COMMAND_PREFIX = ":"
# The keys besides the choices. A choice id may be one of these letters (choice ids are data):
# then the letter typed alone answers that choice, and the key needs the prefix (':q' quits).
ACTION_KEYS: dict[str, Action] = {"?": "help", "b": "back", "q": "quit"}
ANSWER_KEYS = {"u": UNKNOWN, "n": NOT_APPLICABLE}
KEYS = ("u", "n", "?", "b", "q")
SELECTION_SEPARATORS = re.compile(r"[,;\n]")


def shadowed_keys(question: Question) -> list[str]:
    """The keys that are also choice ids of `question`: typed alone they answer the choice."""
    ids = {c.id.casefold() for c in question.choices}
    return [key for key in KEYS if key in ids]


def key_name(question: Question, key: str) -> str:
    """What to type for `key` at this question: 'q', or ':q' where a choice is called q."""
    return COMMAND_PREFIX + key if key in shadowed_keys(question) else key


def key_help(question: Question) -> str:
    """The keys a question accepts, as one short line."""
    count = len(question.choices)
    if question.multi:
        ids = [c.id for c in question.choices]
        second = min(3, count)
        keys = (
            f"one or more of 1-{count} or choice ids (e.g. 1 {second} or "
            f"{ids[0]},{ids[second - 1]})"
        )
    else:
        keys = f"1-{count} or a choice id"
    if any(_is_number(c.id) for c in question.choices):
        keys = keys.replace(f"1-{count}", f"1-{count} (by position)", 1)
    shadowed = shadowed_keys(question)
    if shadowed:
        listed = ", ".join(shadowed[:-1]) + " and " * (len(shadowed) > 1) + shadowed[-1]
        keys += f" ({listed} {'are choices' if len(shadowed) > 1 else 'is a choice'} here)"
    keys += f", {key_name(question, 'u')} don't know"
    if question.allow_na:
        keys += f", {key_name(question, 'n')} not applicable"
    return (
        keys + f", {key_name(question, '?')} help, {key_name(question, 'b')} back, "
        f"{key_name(question, 'q')} save and quit"
    )


def _is_number(text: str) -> bool:
    """0-9 only: str.isdigit() also accepts '¹', which int() refuses."""
    return text.isascii() and text.isdigit()


def match_choice(question: Question, typed: str) -> str | None:
    """The answer `typed` names: a choice's number or id (any case), 'unknown' or 'na'.

    A number answers by position, even where choice ids are numbers too.
    'na' is returned even where the question does not allow it, so callers can say so.
    """
    lowered = typed.strip().casefold()
    if _is_number(lowered):
        number = int(lowered)
        return question.choices[number - 1].id if 1 <= number <= len(question.choices) else None
    if lowered in (UNKNOWN, NOT_APPLICABLE):
        return lowered
    return next((c.id for c in question.choices if c.id.casefold() == lowered), None)


def _no_choice(question: Question, typed: str) -> str:
    """Why `typed` names no choice of `question`."""
    if _is_number(typed.casefold()):
        return f"there is no choice {typed}; pick 1-{len(question.choices)}"
    ids = [c.id for c in question.choices]
    return f"unknown choice '{typed}'{did_you_mean(typed, ids)}"


def match_selection(question: Question, typed: str) -> tuple[list[str], str]:
    """The choice ids a multi-select answer names, and '' (or [] and why it is no answer).

    Choices are named by number or id, separated by commas, semicolons, new lines or spaces:
    '1 3', 'a,c', 'a, c'. The selection must pass `Question.selection_problem`.
    """
    selected: list[str] = []
    for part in SELECTION_SEPARATORS.split(typed):
        words = [part.strip()] if match_choice(question, part) else part.split()
        for word in filter(None, words):
            choice = match_choice(question, word)
            if choice in (UNKNOWN, NOT_APPLICABLE):
                return [], f"'{choice}' is an answer on its own, not a choice to select"
            if choice is None:
                return [], _no_choice(question, word)
            selected.append(choice)
    if not selected:
        return [], "select at least one choice"
    problem = question.selection_problem(selected)
    return ([], problem) if problem else (selected, "")


def _typed_key(question: Question, typed: str) -> str | None:
    """The key (u, n, ?, b, q) a typed line means, if any: ':q' always, 'q' unless q is a choice."""
    lowered = typed.casefold()
    if lowered.startswith(COMMAND_PREFIX):
        key = lowered.removeprefix(COMMAND_PREFIX).strip()
        return key if key in KEYS else None
    return lowered if lowered in KEYS and lowered not in shadowed_keys(question) else None


def parse_key(question: Question, text: str, default: str | list[str] | None = None) -> Key:
    """Interpret one typed line for `question`; Enter keeps `default` when there is one.

    A number answers by position, a choice id answers that choice; the keys u, n, ?, b and q
    work alone, or after ':' where a choice id is the same letter."""
    typed = text.strip()
    if not typed:
        if default is not None:
            return Key("keep", default)
        return Key("invalid", hint=f"type an answer: {key_help(question)}")
    key = _typed_key(question, typed)
    if key in ACTION_KEYS:
        return Key(ACTION_KEYS[key])
    choice = ANSWER_KEYS[key] if key is not None else match_choice(question, typed)
    if choice == NOT_APPLICABLE and not question.allow_na:
        return Key(
            "invalid",
            hint="this question cannot be 'not applicable'; pick a choice, or "
            f"{key_name(question, 'u')} if you don't know",
        )
    if choice in (UNKNOWN, NOT_APPLICABLE):
        return Key("answer", choice)
    if typed.startswith(COMMAND_PREFIX):
        return Key("invalid", hint=f"'{typed}' is not a key; {key_help(question)}")
    if question.multi:
        selected, problem = match_selection(question, typed)
        if problem:
            return Key("invalid", hint=problem)
        return Key("answer", selected)
    if choice is not None:
        return Key("answer", choice)
    if _is_number(typed):
        return Key("invalid", hint=_no_choice(question, typed))
    ids = [c.id for c in question.choices]
    return Key(
        "invalid", hint=f"unknown key '{typed}'{did_you_mean(typed, ids)}; {key_help(question)}"
    )


def choice_label(question: Question, choice_id: str | list[str]) -> str:
    """How an answer reads on screen: 'clustered', "unknown (don't know)", 'a, c'."""
    if isinstance(choice_id, list):
        return choice_text(choice_id)
    if choice_id == UNKNOWN:
        return "unknown (don't know)"
    if choice_id == NOT_APPLICABLE:
        return "na (not applicable)"
    return choice_id


def answer_words(question: Question, choice: str | list[str]) -> str:
    """An answer with its choice's label: 'yes - Done everywhere.', 'a, c', 'unknown'."""
    found = question.choice(choice) if isinstance(choice, str) else None
    return f"{choice} - {found.label}" if found else choice_label(question, choice)


def builds_on(
    questionnaire: Questionnaire, question: Question, answers: Mapping[str, Answer] | None = None
) -> list[str]:
    """One line per question `question` depends on, with the answer given to it when
    `answers` are one respondent's: 'Builds on: Are builds reproducible? (your answer: yes)'."""
    lines = []
    for question_id in question.depends_on:
        earlier = questionnaire.question(question_id)
        if earlier is None:
            continue
        line = f"Builds on: {earlier.text}"
        if answers is not None:
            answer = answers.get(question_id)
            given = answer_words(earlier, answer.choice) if answer else "not answered yet"
            line += f" (your answer: {given})"
        lines.append(line)
    return lines


INFORMATIONAL = "Asked for context, not scored."


class QuestionWalk:
    """Where a walk through the questions that apply stands: one respondent's, or a room's."""

    questions: list[Question]
    position: int

    @property
    def done(self) -> bool:
        return self.position >= len(self.questions)

    @property
    def current(self) -> Question:
        return self.questions[self.position]

    @property
    def number(self) -> int:
        """1-based number of the current question among those that apply."""
        return self.position + 1

    @property
    def total(self) -> int:
        return len(self.questions)


@dataclass
class Interview(QuestionWalk):
    """One respondent's walk through the questions that apply to the profile.

    `answers` may start with an existing file's answers; the walk then starts at the first
    unanswered question, or at the first question in review mode.
    """

    questionnaire: Questionnaire
    profile: Profile | None = None
    answers: dict[str, Answer] = field(default_factory=dict)
    review: bool = False
    position: int = 0
    questions: list[Question] = field(init=False)
    skipped: list[Question] = field(init=False)

    def __post_init__(self) -> None:
        applies = [(q, question_applies(q, self.profile)) for q in self.questionnaire.questions]
        self.questions = [q for q, ok in applies if ok]
        self.skipped = [q for q, ok in applies if not ok]
        self.position = 0 if self.review else self._next_unanswered(0)

    def _next_unanswered(self, start: int) -> int:
        """The first unanswered question at or after `start`, wrapping round; len() if none."""
        order = list(range(start, len(self.questions))) + list(range(start))
        return next(
            (i for i in order if self.questions[i].id not in self.answers), len(self.questions)
        )

    @property
    def answered(self) -> int:
        return sum(1 for q in self.questions if q.id in self.answers)

    def default(self) -> str | list[str] | None:
        """The current question's saved choice, kept when the respondent presses Enter."""
        answer = self.answers.get(self.current.id)
        return answer.choice if answer else None

    def record(self, choice: str | list[str]) -> Answer:
        """Answer the current question; a note, evidence and confidence already given stay."""
        previous = self.answers.get(self.current.id)
        kept: dict[str, Any] = {}
        if previous is not None:
            kept = previous.model_dump(exclude={"choice", "reason"}, exclude_defaults=True)
            if previous.choice == choice and choice == NOT_APPLICABLE:
                kept["reason"] = previous.reason
        answer = Answer(choice=choice, **kept)
        self.answers[self.current.id] = answer
        return answer

    def annotate(self, note: str | None = None, evidence: str | None = None) -> None:
        """Set the current answer's note (replacing it) and add one evidence link."""
        answer = self.answers[self.current.id]
        update: dict[str, Any] = {}
        if note:
            update["note"] = note
        if evidence and evidence not in answer.evidence:
            update["evidence"] = [*answer.evidence, evidence]
        if update:
            self.answers[self.current.id] = answer.model_copy(update=update)

    def advance(self) -> None:
        """On to the next question: the next one in review mode, else the next unanswered."""
        if self.review:
            self.position += 1
        else:
            self.position = self._next_unanswered(self.position + 1)

    def back(self) -> bool:
        """Back to the previous question; False when already at the first."""
        if self.done and self.questions:
            self.position = len(self.questions) - 1
            return True
        if self.position == 0:
            return False
        self.position -= 1
        return True


def with_workshop_note(answer: Answer, discussion: str) -> Answer:
    """The answer with the room's discussion note on its own line, replacing an earlier one."""
    lines = [
        line
        for line in (answer.note or "").splitlines()
        if not line.startswith(WORKSHOP_NOTE_PREFIX)
    ]
    lines.append(WORKSHOP_NOTE_PREFIX + discussion)
    return answer.model_copy(update={"note": "\n".join(lines)})


def workshop_note(answer: Answer) -> str | None:
    """The room's discussion note stored with an answer (by `with_workshop_note`), if any."""
    for line in (answer.note or "").splitlines():
        if line.startswith(WORKSHOP_NOTE_PREFIX):
            return line.removeprefix(WORKSHOP_NOTE_PREFIX)
    return None


def level_spread(
    questionnaire: Questionnaire, question: Question, choices: Sequence[str | list[str]]
) -> int | None:
    """max - min level of the given answers; None when fewer than two have a level."""
    levels = [
        level
        for choice in choices
        if (level := answer_level(questionnaire, question, choice)) is not None
    ]
    if len(levels) < 2:
        return None
    return max(levels) - min(levels)


def answers_document(
    questionnaire: Questionnaire,
    respondent: Respondent,
    answers: Mapping[str, Answer],
    assessed_at: dt.date,
) -> dict[str, Any]:
    """The answers file as plain data (kind: answers), answers in questionnaire order.

    A bare choice is written in the shorthand `id: choice`; anything more as a mapping.
    """
    ordered: dict[str, Any] = {}
    known = [q.id for q in questionnaire.questions]
    for question_id in known + [i for i in answers if i not in known]:
        answer = answers.get(question_id)
        if answer is None:
            continue
        ordered[question_id] = answer_data(answer)
    return {
        "kind": "answers",
        "questionnaire": questionnaire.ref,
        "respondent": respondent.model_dump(exclude_none=True),
        "assessed_at": assessed_at,
        "answers": ordered,
    }


def answer_set(
    questionnaire: Questionnaire,
    respondent: Respondent,
    answers: Mapping[str, Answer],
    assessed_at: dt.date,
) -> AnswerSet:
    """The answers as the answer set their saved file would read back as, ready to score."""
    return AnswerSet.model_validate(
        answers_document(questionnaire, respondent, answers, assessed_at)
    )
