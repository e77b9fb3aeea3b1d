"""The live workshop room without a browser: votes, reveal, re-vote, agree, notes, resume."""

from __future__ import annotations

import json
import stat
from pathlib import Path
from typing import Any

import pytest

from mcpscale.formats.answers import Respondent
from mcpscale.inputs.answers import load_answer_sets
from mcpscale.interview.room import ROOM_FILE, Room, RoomError

from .conftest import TINY

PEOPLE = [
    Respondent(name="Ana Silva", role="CTO"),
    Respondent(name="Ben Ode", role="CISO"),
    Respondent(name="Chloé Müller", role="Architect"),
]


def open_room(folder: Path) -> Room:
    return Room.open(folder, PEOPLE, str(TINY))


def saved(folder: Path, questionnaire: str = str(TINY)) -> dict[str, dict[str, Any]]:
    """Each respondent's saved answers, by name, as plain data (as the answers loader reads
    them back)."""
    files = sorted(folder.glob("*.yaml"))
    _, sets = load_answer_sets(files, questionnaire)
    return {
        s.respondent.name: {
            qid: a.model_dump(exclude_defaults=True, exclude_none=True)
            for qid, a in s.answers.items()
        }
        for s in sets
    }


def test_each_vote_is_in_the_files_at_once(tmp_path: Path) -> None:
    room = open_room(tmp_path)
    assert room.current.id == "tech.a" and room.voted() == [False, False, False]
    room.vote(0, "most", "we script it")
    room.vote(2, "unknown")
    assert saved(tmp_path) == {
        "Ana Silva": {"tech.a": {"choice": "most", "note": "we script it"}},
        "Ben Ode": {},  # every file exists from the start
        "Chloé Müller": {"tech.a": {"choice": "unknown"}},
    }
    assert room.voted() == [True, False, True]
    room.vote(0, "all")  # changed before the reveal; the note stays
    assert saved(tmp_path)["Ana Silva"]["tech.a"] == {"choice": "all", "note": "we script it"}


def test_reveal_shows_the_spread_by_the_rule_score_uses(tmp_path: Path) -> None:
    room = open_room(tmp_path)
    for seat, choice in enumerate(["none", "all", "all"]):
        room.vote(seat, choice)
    shown = room.reveal()
    assert shown.spread == 3 and shown.disagreement and shown.votes == 3
    assert [(r.choice, r.names) for r in shown.rows if r.names] == [
        ("none", ["Ana Silva"]),
        ("all", ["Ben Ode", "Chloé Müller"]),
    ]
    with pytest.raises(RoomError, match="revealed"):
        room.vote(0, "some")


def test_revote_keeps_the_round_and_agree_writes_consensus_everywhere(tmp_path: Path) -> None:
    room = open_room(tmp_path)
    room.vote(0, "none")
    room.vote(1, "all")
    room.reveal()
    room.revote()
    assert room.voted() == [False, False, False] and not room.revealed
    room.vote(0, "some")
    room.vote(1, "most")
    room.vote(2, "most")  # did not vote in the first round: gets the room's rounds too
    assert not room.reveal().disagreement
    room.discuss("Pipelines exist for new servers only")
    room.agree("most")
    rounds = [{"Ana Silva": "none", "Ben Ode": "all"}]
    note = "Workshop discussion: Pipelines exist for new servers only"
    assert saved(tmp_path) == {
        "Ana Silva": {
            "tech.a": {"choice": "some", "note": note, "consensus": "most", "rounds": rounds}
        },
        "Ben Ode": {
            "tech.a": {"choice": "most", "note": note, "consensus": "most", "rounds": rounds}
        },
        "Chloé Müller": {
            "tech.a": {"choice": "most", "note": note, "consensus": "most", "rounds": rounds}
        },
    }


def test_a_restarted_room_resumes_at_the_same_question_with_the_same_links(tmp_path: Path) -> None:
    room = open_room(tmp_path)
    for seat in range(3):
        room.vote(seat, "some")
    room.next()
    room.vote(1, "all")
    room.reveal()
    again = open_room(tmp_path)
    assert again.current.id == "tech.b" and again.revealed
    assert again.tokens == room.tokens
    assert again.voted() == [False, True, False]
    assert stat.S_IMODE((tmp_path / ROOM_FILE).stat().st_mode) == 0o600
    assert json.loads((tmp_path / ROOM_FILE).read_text())["question"] == "tech.b"


def test_back_next_and_the_summary(tmp_path: Path) -> None:
    room = open_room(tmp_path)
    assert not room.back()
    for _ in range(room.total):
        for seat, choice in enumerate(["none", "some", "all"]):
            room.vote(seat, choice)
        room.next()
    assert room.done
    summary = room.summary()
    assert [q.id for q in summary.disagreed] == [q.id for q in room.questions]
    names = ["ana-silva.yaml", "ben-ode.yaml", "chloe-muller.yaml"]
    assert [p.name for p in summary.files] == names
    assert room.back() and room.current.id == room.questions[-1].id
    with pytest.raises(RoomError):
        room.agree("nonsense")


def test_a_profile_skips_the_questions_that_do_not_apply(tmp_path: Path) -> None:
    room = Room.open(tmp_path, PEOPLE, str(TINY), profile_path=TINY / "profile.yaml")
    assert [q.id for q in room.skipped] == ["tech.hipaa"]
    assert "tech.hipaa" not in [q.id for q in room.questions]


def test_new_names_join_only_when_allowed_and_stay_after_a_restart(tmp_path: Path) -> None:
    room = open_room(tmp_path)
    with pytest.raises(RoomError, match="not opened the room to new names"):
        room.add_seat("Dana Kim", "Data steward")
    room.open_to_new_names(True)
    seat = room.add_seat("  Dana\tKim ", "Data steward")
    assert seat == 3 and room.respondents[seat].name == "Dana Kim"
    with pytest.raises(RoomError, match="already has a seat"):
        room.add_seat("dana kim", "")  # the same file name
    room.vote(seat, "most")
    assert saved(tmp_path)["Dana Kim"] == {"tech.a": {"choice": "most"}}

    again = open_room(tmp_path)  # --respondents as before: the newcomer is still there
    assert [r.name for r in again.respondents][-1] == "Dana Kim"
    assert again.allow_new and again.answers[3] == {"tech.a": room.answers[3]["tech.a"]}
