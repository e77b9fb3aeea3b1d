"""The live workshop room on a pack of another shape: a 0-3 scale, a multi-select question with
an exclusive "None of these", choice ids u and n that are choices (not "don't know" or "not
applicable"), depends_on and an informational question. Three people walk it to the summary;
the files they leave validate and score to the levels the room agreed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from mcpscale.formats.answers import Respondent
from mcpscale.interview.room import Room, RoomError

from .conftest import ROOT
from .test_room import saved as saved_answers

FEATURES = ROOT / "tests" / "data" / "generality" / "features" / "questionnaire.yaml"
PEOPLE = [
    Respondent(name="Ana", role="Lead"),
    Respondent(name="Ben", role="Engineer"),
    Respondent(name="Chloé", role="Security"),
]


def open_room(folder: Path) -> Room:
    return Room.open(folder, PEOPLE, str(FEATURES))


def everyone(room: Room, *choices: str | list[str]) -> None:
    for seat, choice in enumerate(choices):
        room.vote(seat, choice)


def saved(folder: Path) -> dict[str, dict[str, Any]]:
    return saved_answers(folder, str(FEATURES))


def walk_to(room: Room, question_id: str) -> None:
    while room.current.id != question_id:
        room.next()


def test_a_multi_select_is_voted_refused_revealed_revoted_and_agreed(tmp_path: Path) -> None:
    room = open_room(tmp_path)
    walk_to(room, "controls.practices")
    room.vote(0, ["a", "b", "c"])
    room.vote(1, ["n"])  # "None of these", alone
    with pytest.raises(RoomError) as refused:
        room.vote(2, ["a", "n"])
    assert str(refused.value) == room.current.selection_problem(["a", "n"])
    assert "'n' (None of these) is selected on its own" in str(refused.value)
    with pytest.raises(RoomError, match="takes a selection"):
        room.vote(2, "a")  # one id is not a selection
    with pytest.raises(RoomError, match="unknown choice 'e'"):
        room.vote(2, ["a", "e"])
    room.vote(2, ["a", "b"])
    assert room.voted() == [True, True, True]

    shown = room.reveal()
    counted = [(row.choice, row.names) for row in shown.rows]
    assert counted == [
        ("a", ["Ana", "Chloé"]),
        ("b", ["Ana", "Chloé"]),
        ("c", ["Ana"]),
        ("d", []),
        ("n", ["Ben"]),
    ]
    by_level = [(s.name, s.level, s.labels) for s in shown.selections]
    assert by_level == [
        ("Ben", 0, ["None of these"]),
        ("Chloé", 2, ["Threat modelling", "Dependency scanning"]),
        ("Ana", 3, ["Threat modelling", "Dependency scanning", "Secret scanning"]),
    ]
    assert shown.spread == 3 and shown.disagreement  # 3 >= 40% of the 0-3 scale

    room.revote()
    everyone(room, ["a", "b"], ["a", "b", "d"], ["a", "b"])
    again = room.reveal()
    assert [s.level for s in again.selections] == [2, 2, 2] and not again.disagreement
    with pytest.raises(RoomError, match="selected on its own"):
        room.agree(["n", "d"])
    room.agree(["a", "b"])
    assert room.consensus() == ["a", "b"]
    first_round = {"Ana": ["a", "b", "c"], "Ben": ["n"], "Chloé": ["a", "b"]}
    assert saved(tmp_path)["Ben"]["controls.practices"] == {
        "choice": ["a", "b", "d"],
        "consensus": ["a", "b"],
        "rounds": [first_round],
    }


def test_choice_ids_u_and_n_are_choices_not_dont_know_or_not_applicable(tmp_path: Path) -> None:
    room = open_room(tmp_path)
    walk_to(room, "controls.review")
    assert room.valid_choices() == ["a", "b", "c", "d", "q", "u", "n", "unknown"]
    everyone(room, "u", "n", "unknown")
    room.vote(2, "q")  # changed before the reveal
    with pytest.raises(RoomError, match="unknown choice 'na'"):
        room.vote(2, "na")  # this question does not allow not applicable
    with pytest.raises(RoomError, match="takes one choice"):
        room.vote(2, ["q"])
    shown = room.reveal()
    assert [(r.choice, r.level, r.names) for r in shown.rows if r.names] == [
        ("q", 2, ["Chloé"]),
        ("u", 1, ["Ana"]),
        ("n", 0, ["Ben"]),
    ]
    assert not any(row.special for row in shown.rows) and shown.selections == ()
    room.agree("n")
    assert {name: a["controls.review"] for name, a in saved(tmp_path).items()} == {
        "Ana": {"choice": "u", "consensus": "n"},
        "Ben": {"choice": "n", "consensus": "n"},
        "Chloé": {"choice": "q", "consensus": "n"},
    }


def test_the_room_shows_what_a_question_builds_on(tmp_path: Path) -> None:
    room = open_room(tmp_path)
    assert room.builds_on() == []
    room.next()
    assert [q.text for q in room.builds_on()] == ["Is code reviewed before merge?"]
    walk_to(room, "context.team")
    assert not room.current.scored and room.builds_on() == []


def test_the_whole_pack_walked_by_three_people_scores_as_the_room_agreed(tmp_path: Path) -> None:
    room = open_room(tmp_path)
    votes: dict[str, tuple[str | list[str], ...]] = {
        "activities.l1": ("yes", "yes", "yes"),
        "activities.l2": ("yes", "yes", "partly"),
        "activities.l3": ("no", "no", "no"),
        "controls.base1": ("yes", "yes", "yes"),
        "controls.base2": ("partly", "partly", "partly"),
        "controls.practices": (["a", "b", "c"], ["n"], ["a", "b"]),
        "controls.review": ("u", "n", "q"),
        "odd.q": ("unknown", "yes", "yes"),
        "context.team": ("small", "small", "large"),
    }
    agreed: dict[str, str | list[str]] = {"controls.practices": ["a", "b"], "controls.review": "n"}
    for question_id, choices in votes.items():
        assert room.current.id == question_id
        everyone(room, *choices)
        if question_id in agreed:
            room.reveal()
            room.agree(agreed[question_id])
        room.next()
    assert room.done
    summary = room.summary()
    # levels 2 or more apart; context.team too, but it is informational: never flagged
    disagreed = ["activities.l2", "controls.practices", "controls.review"]
    assert [q.id for q in summary.disagreed] == disagreed
    assert [p.name for p in summary.files] == ["ana.yaml", "ben.yaml", "chloe.yaml"]

    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    scored = subprocess.run(
        [sys.executable, "-m", "mcpscale", "score", str(tmp_path), "--questionnaire",
         str(FEATURES), "--format", "json"],
        capture_output=True, text=True, env=env,
    )  # fmt: skip
    assert scored.returncode == 0, scored.stderr
    result = json.loads(scored.stdout)
    questions = {q["id"]: q for q in result["questions"]}
    practices = questions["controls.practices"]
    assert [a["level"] for a in practices["answers"]] == [3, 0, 2]
    assert practices["consensus"] == ["a", "b"] and practices["consensus_level"] == 2
    review = questions["controls.review"]
    assert [(a["choice"], a["level"]) for a in review["answers"]] == [
        ("u", 1),
        ("n", 0),
        ("q", 2),
    ]
    assert review["consensus"] == "n" and review["consensus_level"] == 0
    assert questions["context.team"]["scored"] is False
    dimensions = {
        d["id"]: (None if d["score"] is None else round(d["score"], 2), d["level"])
        for d in result["dimensions"]
    }
    assert dimensions == {
        "activities": (1.0, 1),  # gated: level 3's question answered "no" by all
        "controls": (1.17, 1),  # baseline (gated) 1 and 1, practices 5/3, review 1
        "x/../../y": (3.0, 3),
        "context": (None, None),  # informational only
    }
