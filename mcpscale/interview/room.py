"""The live workshop room as a UI-free state machine: seats, the room's question, votes,
reveal, re-vote, agree, the discussion note, back, next and the summary; every change saved.

The web workshop (`mcpscale/web/`) draws it; everything here is testable without a browser.
Answers live only in the respondents' answers files (the ones the terminal workshop writes),
saved atomically as each change arrives. The room's position lives in `ROOM_FILE` beside them:

    {"room": 1, "questionnaire": "id@version", "question": "<question id, or null at the end>",
     "revealed": false, "waiting": ["<names who have not voted since the last re-vote>"],
     "claims": {"<name>": "<nonce of the device holding the seat>"},
     "tokens": {"join": "...", "facilitator": "...", "key": "..."}}

so the same command started again (even after `kill -9`) resumes at the same question, with
the same links and seats. The tokens make the file a secret: it is written mode 0600.

A re-vote appends the round's votes ({name: choice}) to `rounds` of every answer to the
question and keeps each answer (their last vote stands until they vote again); the room only
shows them as not yet voted. Agree writes `consensus` into every answer to the question.

A vote is a choice id, 'unknown' or 'na'; on a multi-select question, the list of choice ids
selected (or 'unknown' or 'na'). Choice ids are data: 'u', 'n' or 'q' are choices like any
other, never a command or a special answer.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from mcpscale.assess.scoring import (
    answer_level,
    is_disagreement,
    question_applies,
    score_answers,
)
from mcpscale.errors import UserError
from mcpscale.formats.answers import Answer, Choosing, Respondent, choice_ids
from mcpscale.formats.profile import Profile
from mcpscale.formats.questionnaire import NOT_APPLICABLE, UNKNOWN, Question, Questionnaire
from mcpscale.formats.results import Result
from mcpscale.inputs.clock import today
from mcpscale.inputs.reader import read_at_most
from mcpscale.inputs.write import write_atomic
from mcpscale.interview.answers_file import AnswersFile, open_answers_file
from mcpscale.interview.session import (
    WORKSHOP_NOTE_PREFIX,
    QuestionWalk,
    answer_set,
    level_spread,
    with_workshop_note,
)
from mcpscale.interview.workshop import answers_files, slugify

ROOM_FILE = ".workshop-room.json"
ROOM_FORMAT = 1
NOTE_LIMIT = 2000  # characters in one typed note
NAME_LIMIT = 80  # characters in a name or role typed at the join page
MAX_SEATS = 200  # people in one room, those on --respondents included
SPECIAL_LABELS = {UNKNOWN: "Don't know", NOT_APPLICABLE: "Not applicable"}


class RoomError(Exception):
    """A change the room refuses (voting after the reveal, an unknown choice): say why."""


class LevelRow(NamedTuple):
    """One choice in the revealed distribution: who picked it."""

    choice: str  # a choice id, 'unknown' or 'na'
    label: str
    level: int | None  # None for a multi-select's choices (its selections have levels)
    names: list[str]
    special: bool = False  # 'unknown' or 'na', not one of the question's choices


class Selection(NamedTuple):
    """One person's vote on a multi-select question, once revealed, and the level it scores."""

    name: str
    choice: Choosing  # the choice ids selected, or 'unknown' / 'na'
    labels: list[str]  # what was selected, as the question words it
    level: int | None


class Reveal(NamedTuple):
    """The room's votes on the current question, once revealed."""

    rows: list[LevelRow]  # every choice of the question in order, then unknown and na if picked
    votes: int
    spread: int | None  # max - min level; None under two levels
    disagreement: bool  # spread >= the questionnaire's disagreement spread, as `score` says
    selections: tuple[Selection, ...] = ()  # multi-select: each vote and its level, by level


class Summary(NamedTuple):
    result: Result
    disagreed: list[Question]  # the questions whose levels spanned DISAGREEMENT_SPREAD or more
    files: list[Path]


def personal_note(answer: Answer | None) -> str:
    """The respondent's own note: their answer's note without the room's discussion line."""
    if answer is None or not answer.note:
        return ""
    lines = answer.note.splitlines()
    return "\n".join(line for line in lines if not line.startswith(WORKSHOP_NOTE_PREFIX))


def discussion_note(answer: Answer | None) -> str:
    """The room's discussion note stored with an answer ('' when none)."""
    for line in (answer.note or "").splitlines() if answer else []:
        if line.startswith(WORKSHOP_NOTE_PREFIX):
            return line.removeprefix(WORKSHOP_NOTE_PREFIX)
    return ""


def _clean(text: str) -> str:
    """A typed note as one stored line: control characters out, bounded length."""
    flat = " ".join(text.split())
    return "".join(c for c in flat if c.isprintable())[:NOTE_LIMIT]


@dataclass
class Room(QuestionWalk):
    """Everyone in the room voting at once on the room's question; the facilitator drives.

    `files` are the respondents' answers files (as saved); `answers` what they hold now.
    Every method that changes answers saves the files it changed before returning.
    """

    questionnaire: Questionnaire
    respondents: list[Respondent]
    files: list[AnswersFile]
    output_dir: Path
    profile: Profile | None = None
    tokens: dict[str, str] = field(default_factory=dict)
    answers: list[dict[str, Answer]] = field(init=False)
    questions: list[Question] = field(init=False)
    skipped: list[Question] = field(init=False)
    position: int = field(init=False, default=0)
    revealed: bool = field(init=False, default=False)
    waiting: set[str] = field(init=False, default_factory=set)  # names yet to re-vote
    claims: dict[str, str] = field(init=False, default_factory=dict)  # name -> device nonce
    allow_new: bool = field(init=False, default=False)  # may people join under a new name?
    added: list[Respondent] = field(init=False, default_factory=list)  # who joined so
    questionnaire_ref: str | None = field(init=False, default=None)  # as the files were opened
    version: int = field(init=False, default=0)  # bumped on every change, for live updates

    def __post_init__(self) -> None:
        self.answers = [dict(file.answers) for file in self.files]
        applies = [(q, question_applies(q, self.profile)) for q in self.questionnaire.questions]
        self.questions = [q for q, ok in applies if ok]
        self.skipped = [q for q, ok in applies if not ok]
        self.position = self._next_open(0)
        for name in ("join", "facilitator", "key"):
            self.tokens.setdefault(name, secrets.token_urlsafe(32 if name == "key" else 18))

    # ------------------------------------------------------------ opening and saving

    @classmethod
    def open(
        cls,
        output_dir: Path,
        respondents: Sequence[Respondent],
        questionnaire_ref: str | None = None,
        profile: Profile | None = None,
        profile_path: Path | None = None,
    ) -> Room:
        """The room as saved in `output_dir` (its answers files and room file), or a new one.

        A resumed room answers the questionnaire its saved files name; new files follow."""
        state = _read_room_file(output_dir / ROOM_FILE)
        added = _added_respondents(state, respondents)
        respondents = [*respondents, *added]
        paths = answers_files(output_dir, respondents)
        pairs = list(zip(paths, respondents, strict=True))
        saved = [open_answers_file(f, questionnaire_ref, r) for f, r in pairs if f.exists()]
        ref = questionnaire_ref or (saved[0].questionnaire.ref if saved else None)
        files = [open_answers_file(f, ref, r) for f, r in pairs]
        if profile_path is not None and profile is None:
            from mcpscale.inputs.load import load_profile

            profile = load_profile(profile_path, files[0].questionnaire)
        tokens = state.get("tokens")
        room = cls(
            files[0].questionnaire,
            [file.respondent for file in files],
            files,
            output_dir,
            profile,
            dict(tokens) if isinstance(tokens, dict) else {},
        )
        room.added = added
        room.questionnaire_ref = ref
        room._restore(state)
        room.save()
        return room

    def _restore(self, state: dict[str, Any]) -> None:
        if state.get("questionnaire") != self.questionnaire.ref:
            return
        names = {r.name for r in self.respondents}
        claims = state.get("claims")
        if isinstance(claims, dict):
            self.claims = {n: c for n, c in claims.items() if n in names and isinstance(c, str)}
        ids = [q.id for q in self.questions]
        question = state.get("question")
        if question is None and "question" in state:
            self.position = len(self.questions)
        elif question in ids:
            self.position = ids.index(question)
        else:
            return
        self.allow_new = state.get("allow_new") is True
        self.revealed = state.get("revealed") is True
        self.waiting = {n for n in state.get("waiting") or [] if n in names}

    @property
    def room_file(self) -> Path:
        return self.output_dir / ROOM_FILE

    def save(self, seats: Sequence[int] | None = None, room: bool = True) -> None:
        """Write every changed answers file (or only those of `seats`), then the room file
        (unless `room` is False: nothing the room file holds changed); UserError when one
        fails."""
        chosen = range(len(self.files)) if seats is None else seats
        for file, answers in ((self.files[i], self.answers[i]) for i in chosen):
            try:
                file.save(answers)
            except Exception as error:  # NotSaved: the room keeps the answers in memory
                raise UserError(str(error)) from None
        if not room:
            return
        state = {
            "room": ROOM_FORMAT,
            "questionnaire": self.questionnaire.ref,
            "question": None if self.done else self.current.id,
            "revealed": self.revealed,
            "waiting": sorted(self.waiting),
            "claims": self.claims,
            "allow_new": self.allow_new,
            "added": [r.model_dump(exclude_none=True) for r in self.added],
            "tokens": self.tokens,
        }
        text = json.dumps(state, indent=2) + "\n"
        path = self.room_file
        if path.exists():
            os.chmod(path, 0o600)
        else:  # create it private before any secret is in it
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        write_atomic(path, text)
        self.version += 1

    # ------------------------------------------------------------ where the room is

    def _next_open(self, start: int) -> int:
        """The first question at or after `start` someone has not answered (wrapping round)."""
        order = list(range(start, len(self.questions))) + list(range(start))
        return next(
            (i for i in order if any(self.questions[i].id not in a for a in self.answers)),
            len(self.questions),
        )

    @property
    def completed(self) -> int:
        """Questions everyone has answered."""
        return sum(1 for q in self.questions if all(q.id in a for a in self.answers))

    def seat(self, name: str) -> int:
        """The index of the seat named `name`; RoomError for a name not in the room."""
        for index, respondent in enumerate(self.respondents):
            if respondent.name == name:
                return index
        raise RoomError(f"no seat named {name!r}")

    def claim(self, seat: int) -> str:
        """A device takes the seat; the nonce its signed cookie carries. RoomError if taken."""
        name = self.respondents[seat].name
        if name in self.claims:
            raise RoomError(f"{name}'s seat is taken; ask the facilitator to free it")
        self.claims[name] = secrets.token_urlsafe(12)
        self.save()
        return self.claims[name]

    def open_to_new_names(self, allow: bool) -> None:
        """The facilitator lets people join under a name not on --respondents (or stops it)."""
        self.allow_new = allow
        self.save(seats=(), room=True)

    def add_seat(self, name: str, role: str) -> int:
        """A new seat for someone not on --respondents, when the facilitator allows it; its
        answers file is opened (or resumed) like the others'. RoomError when not allowed."""
        if not self.allow_new:
            raise RoomError("the facilitator has not opened the room to new names")
        name, role = _clean(name)[:NAME_LIMIT], _clean(role)[:NAME_LIMIT] or "Participant"
        if not name:
            raise RoomError("type your name to join")
        if len(self.respondents) >= MAX_SEATS:
            raise RoomError(f"the room is full ({MAX_SEATS} seats)")
        taken = {slugify(r.name) for r in self.respondents}
        if slugify(name) in taken:
            raise RoomError(f"{name!r} already has a seat (or one with the same file name)")
        respondent = Respondent(name=name, role=role)
        (path,) = answers_files(self.output_dir, [respondent])
        file = open_answers_file(path, self.questionnaire_ref, respondent)
        self.respondents.append(file.respondent)
        self.files.append(file)
        self.answers.append(dict(file.answers))
        self.added.append(file.respondent)
        self.save(seats=(len(self.files) - 1,), room=True)
        return len(self.respondents) - 1

    def release(self, seat: int) -> None:
        """Free a seat (a lost phone): its old cookie no longer works, a new device may take it."""
        if self.claims.pop(self.respondents[seat].name, None) is not None:
            self.save()

    def seat_claims(self) -> list[str | None]:
        return [self.claims.get(r.name) for r in self.respondents]

    def vote_of(self, seat: int) -> Answer | None:
        """The seat's answer to the current question in this round (None: not voted yet)."""
        if self.done or self.respondents[seat].name in self.waiting:
            return None
        return self.answers[seat].get(self.current.id)

    def voted(self) -> list[bool]:
        """Per seat, whether they have voted on the current question in this round."""
        return [self.vote_of(i) is not None for i in range(len(self.respondents))]

    def valid_choices(self) -> list[str]:
        """What a vote on the current question may name: its choice ids, then the specials."""
        question = self.current
        return [c.id for c in question.choices] + [UNKNOWN] + ([NOT_APPLICABLE] * question.allow_na)

    def checked(self, choice: str | Sequence[str]) -> Choosing:
        """`choice` as an answer to the current question (a list for a multi-select's
        selection); RoomError saying why when the question cannot take it."""
        question = self.current
        specials = [UNKNOWN] + [NOT_APPLICABLE] * question.allow_na
        if isinstance(choice, str):
            if question.multi and choice not in specials:
                raise RoomError(
                    "this question takes a selection: tick the choices that hold "
                    f"(or answer {' or '.join(specials)})"
                )
            if choice not in self.valid_choices():
                raise RoomError(
                    f"unknown choice {choice!r} (choices: {', '.join(self.valid_choices())})"
                )
            return choice
        if not question.multi:
            raise RoomError("this question takes one choice, not a selection")
        selected = list(choice)
        problem = question.selection_problem(selected)
        if problem is not None:
            raise RoomError(problem)
        return selected

    def level_of(self, choice: Choosing) -> int | None:
        """The level a vote on the current question scores (None: unknown or na)."""
        return answer_level(self.questionnaire, self.current, choice)

    def builds_on(self) -> list[Question]:
        """The questions the current one depends on (`depends_on`), as the room shows them."""
        found = (self.questionnaire.question(qid) for qid in self.current.depends_on)
        return [q for q in found if q is not None]

    # ------------------------------------------------------------ participants

    def vote(self, seat: int, choice: str | Sequence[str], note: str | None = None) -> Answer:
        """The seat answers the current question (again, until the reveal); saved at once.

        `choice` is a choice id, 'unknown' or 'na', or a multi-select's selection (a list).
        `note` replaces the seat's own note ('' clears it); the room's discussion line stays."""
        if self.done:
            raise RoomError("the workshop is at its summary; there is no question to answer")
        if self.revealed:
            raise RoomError("the answers are revealed; wait for a re-vote or the next question")
        answer_choice = self.checked(choice)
        question = self.current
        previous = self.answers[seat].get(question.id)
        kept: dict[str, Any] = {}
        if previous is not None:
            kept = previous.model_dump(exclude={"choice", "reason"}, exclude_defaults=True)
        elif rounds := self._rounds():
            kept["rounds"] = rounds  # joining a re-vote: the earlier rounds are the room's
        answer = Answer(choice=answer_choice, **kept)
        if note is not None:
            answer = _with_personal_note(answer, _clean(note))
        self.answers[seat][question.id] = answer
        name = self.respondents[seat].name
        was_waiting = name in self.waiting
        self.waiting.discard(name)
        # One vote changes one person's file, and the room file only if they were waiting.
        self.save(seats=(seat,), room=was_waiting)
        return answer

    # ------------------------------------------------------------ the facilitator

    def _answered(self) -> list[tuple[int, Answer]]:
        qid = self.current.id
        return [(i, a[qid]) for i, a in enumerate(self.answers) if qid in a]

    def _rounds(self) -> list[dict[str, Choosing]]:
        """The earlier rounds on the current question, as stored with its answers."""
        return max((a.rounds for _, a in self._answered()), key=len, default=[])

    def reveal(self) -> Reveal:
        """Show the room's votes; no more changes until a re-vote."""
        if self.done:
            raise RoomError("there is no question to reveal at the summary")
        if not self.revealed:
            self.revealed = True
            self.save()
        return self.distribution()

    def distribution(self) -> Reveal:
        """The votes of this round on the current question, by choice."""
        question = self.current
        votes = [
            (i, a) for i, a in self._answered() if self.respondents[i].name not in self.waiting
        ]
        picked: dict[str, list[str]] = {}
        for seat, answer in votes:
            for choice_id in choice_ids(answer.choice):
                picked.setdefault(choice_id, []).append(self.respondents[seat].name)
        rows = [LevelRow(c.id, c.label, c.level, picked.get(c.id, [])) for c in question.choices]
        rows += [
            LevelRow(special, label, None, picked[special], special=True)
            for special, label in SPECIAL_LABELS.items()
            if special in picked
        ]
        spread = level_spread(self.questionnaire, question, [a.choice for _, a in votes])
        disagreement = is_disagreement(self.questionnaire, question, spread)
        selections: tuple[Selection, ...] = ()
        if question.multi:
            shown = [
                Selection(
                    self.respondents[seat].name,
                    answer.choice,
                    self.labels(answer.choice),
                    self.level_of(answer.choice),
                )
                for seat, answer in votes
            ]
            top = self.questionnaire.max_level + 1  # unknown and na after every level
            # by level, then by what was selected: the order says nothing of who sits where
            selections = tuple(
                sorted(shown, key=lambda s: (top if s.level is None else s.level, s.labels))
            )
        return Reveal(rows, len(votes), spread, disagreement, selections)

    def labels(self, choice: Choosing) -> list[str]:
        """A vote as the question words it: the labels of the choices it names."""
        found = [(c, self.current.choice(c)) for c in choice_ids(choice)]
        return [SPECIAL_LABELS.get(c, c) if f is None else f.label for c, f in found]

    def revote(self) -> None:
        """This round's votes go into `rounds` of every answer to the question; all vote again."""
        if self.done:
            raise RoomError("there is no question to re-vote at the summary")
        answered = self._answered()
        this_round = {
            self.respondents[i].name: a.choice
            for i, a in answered
            if self.respondents[i].name not in self.waiting
        }
        if this_round:
            rounds = [*self._rounds(), this_round]
            for seat, answer in answered:
                self.answers[seat][self.current.id] = answer.model_copy(update={"rounds": rounds})
        self.waiting = {r.name for r in self.respondents}
        self.revealed = False
        self.save()

    def agree(self, choice: str | Sequence[str]) -> None:
        """The room's consensus (a choice, or a multi-select's selection), written into every
        answer to the current question."""
        if self.done:
            raise RoomError("there is no question to agree on at the summary")
        consensus = self.checked(choice)
        answered = self._answered()
        if not answered:
            raise RoomError("nobody has answered this question yet")
        for seat, answer in answered:
            self.answers[seat][self.current.id] = answer.model_copy(update={"consensus": consensus})
        self.save()

    def consensus(self) -> Choosing | None:
        return next((a.consensus for _, a in self._answered() if a.consensus is not None), None)

    def discuss(self, note: str) -> None:
        """The room's discussion note, with every answer to the current question."""
        if self.done:
            raise RoomError("there is no question to note at the summary")
        text = _clean(note)
        answered = self._answered()
        if not text or not answered:
            raise RoomError(
                "type a note once someone has answered" if text else "the note is empty"
            )
        for seat, answer in answered:
            self.answers[seat][self.current.id] = with_workshop_note(answer, text)
        self.save()

    def note(self) -> str:
        return next((n for _, a in self._answered() if (n := discussion_note(a))), "")

    def back(self) -> bool:
        """The room returns to the previous question; False at the first."""
        if self.position == 0:
            return False
        self.position = len(self.questions) - 1 if self.done else self.position - 1
        self._moved()
        return True

    def next(self) -> None:
        """On to the next question in order, the summary after the last: the facilitator
        decides (someone absent must not keep the room from its summary)."""
        if self.done:
            raise RoomError("the workshop is already at its summary")
        self.position += 1
        self._moved()

    def _moved(self) -> None:
        self.revealed = False
        self.waiting = set()
        self.save()

    # ------------------------------------------------------------ what the room produced

    def summary(self, assessed_at: dt.date | None = None) -> Summary:
        """The room's scores so far, the questions it disagreed on, and the files."""
        date = assessed_at or today()
        sets = [
            answer_set(self.questionnaire, r, a, date)
            for r, a in zip(self.respondents, self.answers, strict=True)
        ]
        result = score_answers(self.questionnaire, sets, self.profile)
        disagreed_ids = {d.question for d in result.disagreements}
        disagreed = [q for q in self.questions if q.id in disagreed_ids]
        return Summary(result, disagreed, [file.path for file in self.files])


def _with_personal_note(answer: Answer, note: str) -> Answer:
    """The answer with its own note replaced by `note`, the room's discussion line kept."""
    discussion = discussion_note(answer)
    updated = answer.model_copy(update={"note": note or None})
    return with_workshop_note(updated, discussion) if discussion else updated


def _added_respondents(state: dict[str, Any], given: Sequence[Respondent]) -> list[Respondent]:
    """The people who joined under a new name in an earlier run of this room (bounded)."""
    names = {r.name for r in given}
    added: list[Respondent] = []
    for item in (state.get("added") or [])[:MAX_SEATS]:
        try:
            respondent = Respondent.model_validate(item)
        except ValueError:
            continue
        if respondent.name not in names:
            names.add(respondent.name)
            added.append(respondent)
    return added


def _read_room_file(path: Path) -> dict[str, Any]:
    """The saved room state; an unreadable or foreign file is ignored (the room starts over)."""
    try:
        data = json.loads(read_at_most(path, 65536).decode("utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("room") != ROOM_FORMAT:
        return {}
    return data
