"""The live workshop's seat cookies: only the session's key makes one, a freed seat's stops;
its pages show a questionnaire's texts as written; its forms treat a choice id as data."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any, NamedTuple

from mcpscale.formats.answers import Respondent
from mcpscale.interview.room import ROOM_FILE, Room
from mcpscale.web.app import Workshop, create_app, environment
from mcpscale.web.security import SEAT_COOKIE, csrf_token, read_seat_cookie, seat_cookie

from .conftest import ROOT

KEY = "session-key"


def test_a_seat_cookie_proves_its_seat_until_the_seat_is_freed() -> None:
    cookie = seat_cookie(KEY, 1, "nonce")
    assert read_seat_cookie(KEY, cookie, [None, "nonce"]) == 1
    assert read_seat_cookie(KEY, cookie, [None, None]) is None  # freed
    assert read_seat_cookie(KEY, cookie, [None, "other"]) is None  # taken again by another


def test_a_forged_or_mangled_cookie_proves_nothing() -> None:
    claims: list[str | None] = ["a", "b"]
    forged = seat_cookie("another-key", 0, "a")
    moved = seat_cookie(KEY, 1, "b").replace("1.", "0.", 1)
    for value in (forged, moved, "", "0.a", "x.a.sig", "9.a.sig", "².a.sig", None):
        assert read_seat_cookie(KEY, value, claims) is None, value


# ---------------------------------------------------------------- the routes, without a browser

FEATURES = ROOT / "tests" / "data" / "generality" / "features" / "questionnaire.yaml"
HOST = "room.test:80"


class Reply(NamedTuple):
    status: int
    text: str


def call(app: Any, method: str, path: str, body: str = "", cookie: str = "") -> Reply:
    """One request through the ASGI app, as a browser on the same origin sends it."""
    headers = [(b"host", HOST.encode()), (b"content-length", str(len(body)).encode())]
    if cookie:
        headers.append((b"cookie", f"{SEAT_COOKIE}={cookie}".encode()))
    scope = {"type": "http", "method": method, "path": path, "raw_path": path.encode(),
             "query_string": b"", "headers": headers, "scheme": "http",
             "server": ("room.test", 80), "client": ("127.0.0.1", 5000), "root_path": "",
             "http_version": "1.1"}  # fmt: skip
    messages: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": body.encode(), "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        messages.append(message)

    asyncio.run(app(scope, receive, send))
    status = next(m["status"] for m in messages if m["type"] == "http.response.start")
    text = b"".join(m.get("body", b"") for m in messages if m["type"] == "http.response.body")
    return Reply(status, text.decode())


def features_room(
    folder: Path, questionnaire: Path = FEATURES, anonymous: bool = False
) -> tuple[Any, Room, str]:
    """The web app over a room at the features pack's multi-select question; Ana's cookie."""
    state = {"room": 1, "questionnaire": "features@1", "question": "controls.practices"}
    (folder / ROOM_FILE).write_text(json.dumps(state))
    people = [Respondent(name="Ana", role="Lead"), Respondent(name="Ben", role="Engineer")]
    room = Room.open(folder, people, str(questionnaire))
    workshop = Workshop(room, anonymous=anonymous)
    cookie = seat_cookie(workshop.key, 0, room.claim(0))
    return create_app(workshop, {HOST}), room, cookie


def form(room: Room, text: str) -> str:
    return f"csrf={csrf_token(room.tokens['key'])}&{text}"


def test_question_texts_and_labels_reach_the_pages_as_written(tmp_path: Path) -> None:
    text = FEATURES.read_text().replace(
        "label: Threat modelling", 'label: "Threat <b>modelling</b> [/x]"'
    )
    questionnaire = tmp_path / "questionnaire.yaml"
    questionnaire.write_text(text)
    folder = tmp_path / "room"
    folder.mkdir()
    app, room, cookie = features_room(folder, questionnaire)
    assert environment().autoescape is True
    seat = call(app, "GET", "/seat", cookie=cookie)
    board = call(app, "GET", f"/facilitate/{room.tokens['facilitator']}")
    for page in (seat, board):
        assert page.status == 200
        assert "Threat &lt;b&gt;modelling&lt;/b&gt; [/x]" in page.text
        assert "<b>modelling" not in page.text


def test_a_selection_is_a_list_and_u_and_n_are_choices_on_the_web(tmp_path: Path) -> None:
    app, room, cookie = features_room(tmp_path)
    ticked = form(room, "question=controls.practices&selected=a&selected=b&note=")
    assert call(app, "POST", "/seat/vote", ticked, cookie).status == 303
    assert room.answers[0]["controls.practices"].choice == ["a", "b"]
    mixed = form(room, "question=controls.practices&selected=a&selected=n")
    refused = call(app, "POST", "/seat/vote", mixed, cookie)
    assert refused == (409, "'n' (None of these) is selected on its own")
    unsure = form(room, "question=controls.practices&selected=a&choice=unknown")
    assert call(app, "POST", "/seat/vote", unsure, cookie).status == 303
    assert room.answers[0]["controls.practices"].choice == "unknown"

    board = f"/facilitate/{room.tokens['facilitator']}"
    agreed = form(room, "question=controls.practices&selected=a&selected=b")
    assert call(app, "POST", f"{board}/agree", agreed).status == 303
    assert room.consensus() == ["a", "b"]
    assert call(app, "POST", f"{board}/next", form(room, "")).status == 303

    # A page still showing the multi-select question: its vote must not land on this one.
    late = call(app, "POST", "/seat/vote", ticked, cookie)
    assert late == (409, "the room has moved to another question; your page will update")
    for choice_id in ("u", "n"):
        sent = form(room, f"question=controls.review&choice={choice_id}")
        assert call(app, "POST", "/seat/vote", sent, cookie).status == 303
        assert room.answers[0]["controls.review"].choice == choice_id
    assert call(app, "POST", f"{board}/agree", form(room, "choice=n")).status == 303
    assert room.consensus() == "n"


def test_an_anonymous_reveal_of_a_multi_select_shows_levels_and_counts_not_names(
    tmp_path: Path,
) -> None:
    app, room, cookie = features_room(tmp_path, anonymous=True)
    room.vote(0, ["a", "b", "c"])
    room.vote(1, ["n"])
    room.reveal()
    board = call(app, "GET", f"/facilitate/{room.tokens['facilitator']}")
    seat = call(app, "GET", "/seat", cookie=cookie)
    for page in (board, seat):  # Ana's own page names her, nobody else
        assert "Each vote's level" in page.text and "3 · Optimised" in page.text
        assert "Ben" not in page.text
    assert "Ana" not in board.text
