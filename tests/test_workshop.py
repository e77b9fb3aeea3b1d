"""The workshop room without a terminal: turns, disagreement, back, resume and the files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from mcpscale.errors import UserError
from mcpscale.formats.answers import Answer, Respondent
from mcpscale.formats.questionnaire import Questionnaire
from mcpscale.inputs.load import load_profile
from mcpscale.inputs.packs import resolve_pack
from mcpscale.interview.workshop import Workshop, answers_files, parse_respondents

from .conftest import TINY

ANA = Respondent(name="Ana Silva", role="CTO")
BEN = Respondent(name="Ben Ode", role="CISO")


@pytest.fixture
def tiny() -> Questionnaire:
    return resolve_pack(str(TINY)).questionnaire


def room(
    tiny: Questionnaire, ana: dict[str, str] | None = None, ben: dict[str, str] | None = None
) -> Workshop:
    saved = [{q: Answer(choice=c) for q, c in (answers or {}).items()} for answers in (ana, ben)]
    profile = load_profile(TINY / "profile.yaml", tiny)
    return Workshop(tiny, [ANA, BEN], saved, profile)


def everyone_answers(workshop: Workshop, *choices: str) -> None:
    for choice in choices:
        turn = workshop.next_turn
        assert turn is not None and turn.asked
        workshop.answer(choice)


def test_after_everyone_answers_a_wide_spread_is_a_disagreement_to_discuss(
    tiny: Questionnaire,
) -> None:
    workshop = room(tiny)
    assert workshop.current.id == "tech.a"
    assert workshop.next_turn == (ANA, None, True)
    workshop.answer("none")
    assert workshop.next_turn == (BEN, None, True)
    assert workshop.disagreement() is None  # one answer is no spread yet
    workshop.answer("all")
    assert workshop.everyone_answered and workshop.next_turn is None
    disagreement = workshop.disagreement()
    assert disagreement is not None
    assert disagreement.spread == 3
    assert disagreement.answers == [(ANA, "none", 0), (BEN, "all", 3)]
    workshop.note_discussion("Ben counts the new pipeline")
    for _, answers in workshop.saves():
        assert answers["tech.a"].note == "Workshop discussion: Ben counts the new pipeline"
    workshop.move_on()
    assert workshop.current.id == "tech.b"
    assert workshop.next_turn == (ANA, None, True)


def test_close_answers_and_unknowns_are_no_disagreement(tiny: Questionnaire) -> None:
    workshop = room(tiny)
    everyone_answers(workshop, "some", "most")  # levels 1 and 2
    assert workshop.disagreement() is None
    workshop.note_discussion("")  # Enter at the note prompt changes nothing
    assert all(answers["tech.a"].note is None for _, answers in workshop.saves())
    workshop.move_on()
    everyone_answers(workshop, "none", "unknown")
    assert workshop.disagreement() is None


def test_back_takes_the_whole_room_to_the_previous_question_to_answer_again(
    tiny: Questionnaire,
) -> None:
    workshop = room(tiny)
    everyone_answers(workshop, "some", "most")
    workshop.move_on()
    workshop.answer("all")  # Ana answers tech.b, then Ben goes back
    assert workshop.back()
    assert workshop.current.id == "tech.a"
    # Everyone is asked again, their own saved answer as the default
    assert workshop.next_turn == (ANA, "some", True)
    workshop.answer("most")
    assert workshop.next_turn == (BEN, "most", True)
    workshop.answer("most")
    workshop.move_on()
    # tech.b: Ana's answer is kept without asking, Ben has not answered yet
    assert workshop.current.id == "tech.b"
    assert workshop.next_turn == (ANA, "all", False)
    workshop.keep()
    assert workshop.next_turn == (BEN, None, True)


def test_back_at_the_first_question_stays_and_asks_everyone_again(tiny: Questionnaire) -> None:
    workshop = room(tiny, ana={"tech.a": "some"})
    assert workshop.current.id == "tech.a"  # Ben has not answered it
    assert workshop.next_turn == (ANA, "some", False)
    assert not workshop.back()
    assert workshop.current.id == "tech.a"
    assert workshop.next_turn == (ANA, "some", True)


def test_resuming_starts_at_the_first_question_someone_has_not_answered(
    tiny: Questionnaire,
) -> None:
    workshop = room(
        tiny,
        ana={"tech.a": "some", "tech.b": "most", "people.a": "all"},
        ben={"tech.a": "most", "people.a": "none"},
    )
    assert workshop.current.id == "tech.b"  # tech.hipaa does not apply to the profile
    assert [q.id for q in workshop.skipped] == ["tech.hipaa"]
    workshop.keep()  # Ana's saved answer stands
    workshop.answer("most")
    workshop.move_on()
    assert workshop.current.id == "people.b"  # people.a: both answered already
    everyone_answers(workshop, "all", "all")
    workshop.move_on()
    assert workshop.done


def test_a_finished_room_scores_everyone_as_a_respondent(tiny: Questionnaire) -> None:
    answered = {"tech.a": "none", "tech.b": "some", "people.a": "most", "people.b": "all"}
    workshop = room(tiny, ana=answered, ben={**answered, "tech.a": "all"})
    assert workshop.done
    result = workshop.result(dt.date(2026, 1, 1))
    assert [r.name for r in result.respondents] == ["Ana Silva", "Ben Ode"]
    assert [d.question for d in result.disagreements] == ["tech.a"]


def test_each_respondent_has_a_file_named_after_them() -> None:
    people = parse_respondents("Ana Silva:CTO:business, Liam O'Connor:Security lead")
    assert people[0] == Respondent(name="Ana Silva", role="CTO", group="business")
    assert answers_files(Path("room"), people) == [
        Path("room/ana-silva.yaml"),
        Path("room/liam-o-connor.yaml"),
    ]
    with pytest.raises(UserError, match="would share the file ana-silva.yaml"):
        parse_respondents("Ana Silva:CTO,ana  silva:CISO")


def test_a_disagreement_left_without_a_note_is_where_a_resumed_room_starts(
    tiny: Questionnaire,
) -> None:
    workshop = room(tiny, ana={"tech.a": "none"}, ben={"tech.a": "all"})
    assert workshop.current.id == "tech.a"  # its discussion was interrupted
    assert workshop.next_turn == (ANA, "none", False)
    workshop.note_discussion("Ben counts the new pipeline")
    assert workshop.earlier_note() == "Ben counts the new pipeline"
    noted = [dict(answers) for _, answers in workshop.saves()]
    profile = load_profile(TINY / "profile.yaml", tiny)
    assert Workshop(tiny, [ANA, BEN], noted, profile).current.id == "tech.b"
    moved_past = room(tiny, ana={"tech.a": "none", "tech.b": "some"}, ben={"tech.a": "all"})
    assert moved_past.current.id == "tech.b"
