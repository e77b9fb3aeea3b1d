"""The live workshop's web app: participants' phones, the facilitator's projector, live updates.

Starlette routes over one `Room` (interview/room.py), which holds the state and saves every
change. Pages are jinja templates from templates/workshop/ (autoescaped); each page listens to
server-sent events and, on each, fetches its state as an HTML fragment and swaps it in.

    GET  /join/<join token>                  the seats, as buttons
    POST /join/<join token>                  take a seat: a signed cookie, then /seat
    GET  /seat  /seat/state  /seat/events    the participant's page, its fragment, its events
    POST /seat/vote                          question, choice (+ note); a multi-select's
                                             selection as repeated `selected` fields
    GET  /facilitate/<token>[/state|/events] the facilitator's page, fragment, events
    POST /facilitate/<token>/<action>        reveal, revote, agree, back, next, note, free
    GET  /static/workshop.js|workshop.css    the app's own assets

A choice id is only ever a form value (`choice` or `selected`), never a route or an action, so
ids like 'u', 'n' or 'next' are choices like any other; 'unknown' and 'na' are the two answers
every question accepts.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import (
    HTMLResponse,
    PlainTextResponse,
    RedirectResponse,
    Response,
    StreamingResponse,
)
from starlette.routing import Route

from mcpscale.errors import UserError
from mcpscale.formats.answers import Choosing, choice_ids, choice_text
from mcpscale.inputs.packs import data_dir
from mcpscale.interview.room import Reveal, Room, RoomError, personal_note
from mcpscale.web.security import (
    CSRF_HEADER,
    SEAT_COOKIE,
    Guard,
    csrf_token,
    read_seat_cookie,
    same_token,
    seat_cookie,
)

if TYPE_CHECKING:
    from mcpscale.assess.evidence import Cap

WORKSHOP_TEMPLATES = "workshop"
ASSETS = {"workshop.js": "text/javascript", "workshop.css": "text/css"}
KEEPALIVE_SECONDS = 15.0
MAX_STREAM_EVENTS = 10_000  # then the browser reconnects (EventSource does so by itself)


class Hub:
    """Tells every open page that the room changed: a version per audience and an event.

    'room' changes (question, reveal, agree, note) reach everyone; 'votes' only the facilitator.
    """

    def __init__(self) -> None:
        self.versions = {"room": 0, "votes": 0}
        self.closed = False
        self._changed = asyncio.Event()
        self._loop: asyncio.AbstractEventLoop | None = None

    def close(self) -> None:
        """End every event stream (the server is stopping); safe from a signal handler."""
        self.closed = True
        if self._loop is not None and not self._loop.is_closed():
            self._loop.call_soon_threadsafe(self._changed.set)

    def bump(self, audience: str) -> None:
        self.versions[audience] += 1
        if audience == "room":
            self.versions["votes"] += 1
        self._changed.set()
        self._changed = asyncio.Event()

    async def wait(self, timeout: float) -> None:
        self._loop = asyncio.get_running_loop()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._changed.wait(), timeout)


@dataclass
class Workshop:
    """What the app serves: the room, what the evidence says, and how to show it."""

    room: Room
    caps: Mapping[str, Cap] = field(default_factory=dict)
    anonymous: bool = False
    join_url: str = ""
    hub: Hub = field(default_factory=Hub)

    @property
    def key(self) -> str:
        return self.room.tokens["key"]

    @property
    def csrf(self) -> str:
        return csrf_token(self.key)


@dataclass
class Form:
    """A POSTed form: a field's last value, or all of a repeated field's (checkboxes)."""

    values: dict[str, list[str]]

    def get(self, name: str, default: str = "") -> str:
        given = self.values.get(name)
        return given[-1] if given else default

    def all(self, name: str) -> list[str]:
        return list(self.values.get(name, []))

    def __contains__(self, name: str) -> bool:
        return name in self.values


def answer_in(room: Room, fields: Form) -> Choosing:
    """The answer a vote or agree form names: `choice` (a choice id, 'unknown' or 'na'), or on
    a multi-select question without `choice`, the ticked `selected` boxes (maybe none)."""
    if not room.done and room.current.multi and "choice" not in fields:
        return fields.all("selected")
    return fields.get("choice")


def environment() -> Any:
    """The workshop's jinja environment: bundled templates, everything autoescaped."""
    import jinja2

    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(data_dir("templates") / WORKSHOP_TEMPLATES)),
        autoescape=True,  # every name, note and label a person typed is escaped
        undefined=jinja2.StrictUndefined,
    )


def qr_svg(url: str) -> str:
    """The join URL's QR code as inline SVG (segno), for the projector."""
    import segno

    return str(segno.make(url, error="m").svg_inline(scale=5, dark="#000", light="#fff"))


def create_app(workshop: Workshop, hosts: set[str], any_address: bool = False) -> Any:
    """The ASGI app for `workshop`, answering only to the Host names in `hosts` (or to any
    IP address with `any_address`, for a server bound to all interfaces)."""
    env = environment()
    room = workshop.room
    qr = qr_svg(workshop.join_url) if workshop.join_url else ""

    def render(name: str, **context: Any) -> HTMLResponse:
        html = env.get_template(name).render(
            room=room, anonymous=workshop.anonymous, csrf=workshop.csrf, **context
        )
        return HTMLResponse(html)

    def facilitator_token(request: Request) -> str:
        token = str(request.path_params["token"])
        if not same_token(token, room.tokens["facilitator"]):
            raise HTTPException(403, "Forbidden: this link is not the facilitator's")
        return token

    def join_token(request: Request) -> str:
        token = str(request.path_params["token"])
        if not same_token(token, room.tokens["join"]):
            raise HTTPException(403, "Forbidden: ask the facilitator for the join link")
        return token

    def seat_of(request: Request) -> int:
        seat = read_seat_cookie(workshop.key, request.cookies.get(SEAT_COOKIE), room.seat_claims())
        if seat is None:
            raise HTTPException(403, "Forbidden: join with the facilitator's link or QR code")
        return seat

    async def form(request: Request) -> Form:
        """The POSTed form (bounded by Guard), after the CSRF token matched."""
        body = (await request.body()).decode("utf-8", "replace")
        fields = Form(parse_qs(body, keep_blank_values=True))
        given = request.headers.get(CSRF_HEADER) or fields.get("csrf")
        if not same_token(given, workshop.csrf):
            raise HTTPException(403, "Forbidden: missing or wrong CSRF token; reload the page")
        return fields

    def done(request: Request, page: str) -> Response:
        """A script's POST gets 204 (it refreshes itself); a plain form goes back to the page."""
        if request.headers.get(CSRF_HEADER):
            return Response(status_code=204)
        return RedirectResponse(page, status_code=303)

    # ------------------------------------------------------------ participants

    async def join_page(request: Request) -> Response:
        token = join_token(request)
        current = read_seat_cookie(
            workshop.key, request.cookies.get(SEAT_COOKIE), room.seat_claims()
        )
        return render("join.html", token=token, claims=room.seat_claims(), current=current)

    async def take_seat(request: Request) -> Response:
        join_token(request)
        fields = await form(request)
        try:
            if "new_name" in fields:  # someone not on --respondents, if the facilitator allows
                seat = room.add_seat(fields.get("new_name"), fields.get("new_role"))
            else:
                seat = room.seat(fields.get("seat"))
            claim = room.claim(seat)
        except RoomError as error:
            raise HTTPException(409, str(error)) from None
        workshop.hub.bump("votes")
        response = RedirectResponse("/seat", status_code=303)
        response.set_cookie(
            SEAT_COOKIE,
            seat_cookie(workshop.key, seat, claim),
            max_age=7 * 24 * 3600,
            httponly=True,
            samesite="lax",
        )
        return response

    def seat_context(seat: int) -> dict[str, Any]:
        answer = room.vote_of(seat)
        saved = None if room.done else room.answers[seat].get(room.current.id)
        context = {
            "seat": seat,
            "me": room.respondents[seat],
            "vote": answer,
            "my_note": personal_note(saved),
            "reveal": room.distribution() if room.revealed and not room.done else None,
        }
        if not room.done:
            context.update(asking(room))
        if answer is not None:
            context.update(
                mine=choice_ids(answer.choice),
                my_labels=room.labels(answer.choice),
                my_level=room.level_of(answer.choice),
            )
        return context

    async def seat_page(request: Request) -> Response:
        return render("seat.html", **seat_context(seat_of(request)))

    async def seat_state(request: Request) -> Response:
        return render("seat_state.html", **seat_context(seat_of(request)))

    def on_question(fields: Form) -> None:
        """A form sent from a page showing another question than the room's is refused: the
        room moved on meanwhile, and the same choice id may mean something else there."""
        shown = fields.get("question")
        if shown and (room.done or shown != room.current.id):
            raise RoomError("the room has moved to another question; your page will update")

    async def vote(request: Request) -> Response:
        seat = seat_of(request)
        fields = await form(request)
        try:
            on_question(fields)
            note = fields.get("note") if "note" in fields else None
            room.vote(seat, answer_in(room, fields), note)
        except RoomError as error:
            raise HTTPException(409, str(error)) from None
        workshop.hub.bump("votes")
        return done(request, "/seat")

    # ------------------------------------------------------------ the facilitator

    def facilitator_context(token: str) -> dict[str, Any]:
        context: dict[str, Any] = {"token": token, "qr": qr, "join_url": workshop.join_url}
        if room.done:
            context["summary"] = room.summary()
            return context
        question = room.current
        reveal = room.distribution() if room.revealed else None
        consensus = room.consensus()
        suggested = consensus if consensus is not None else most_voted(reveal, question.multi)
        dimension = next(d for d in room.questionnaire.dimensions if d.id == question.dimension)
        context.update(asking(room))
        context.update(
            question=question,
            dimension=dimension,
            cap=workshop.caps.get(question.id),
            voted=room.voted(),
            reveal=reveal,
            consensus_text=None if consensus is None else choice_text(consensus),
            suggested=[] if suggested is None else choice_ids(suggested),
            note=room.note(),
            claims=room.seat_claims(),
        )
        return context

    async def facilitate_page(request: Request) -> Response:
        return render("facilitate.html", **facilitator_context(facilitator_token(request)))

    async def facilitate_state(request: Request) -> Response:
        return render("facilitate_state.html", **facilitator_context(facilitator_token(request)))

    def seat_number(text: str) -> int:
        """A seat by its number on the form (names stay off the page with --anonymous)."""
        if not (text.isascii() and text.isdigit()) or int(text) >= len(room.respondents):
            raise RoomError(f"no seat {text!r}")
        return int(text)

    def agree(fields: Form) -> None:
        on_question(fields)
        room.agree(answer_in(room, fields))

    actions: dict[str, Callable[[Form], object]] = {
        "reveal": lambda f: room.reveal(),
        "revote": lambda f: room.revote(),
        "agree": agree,
        "note": lambda f: room.discuss(f.get("note")),
        "back": lambda f: room.back(),
        "next": lambda f: room.next(),
        "free": lambda f: room.release(seat_number(f.get("seat"))),
        "new-names": lambda f: room.open_to_new_names(f.get("allow") == "yes"),
    }

    async def facilitate_action(request: Request) -> Response:
        token = facilitator_token(request)
        action = actions.get(str(request.path_params["action"]))
        if action is None:
            raise HTTPException(404, "Not found")
        fields = await form(request)
        try:
            action(fields)
        except RoomError as error:
            raise HTTPException(409, str(error)) from None
        workshop.hub.bump("room")
        return done(request, f"/facilitate/{token}")

    # ------------------------------------------------------------ live updates and assets

    def events(audience: str) -> Callable[[Request], Awaitable[Response]]:
        async def stream(request: Request) -> Response:
            if audience == "room":
                seat_of(request)
            else:
                facilitator_token(request)
            return StreamingResponse(
                _event_stream(workshop.hub, audience),
                media_type="text/event-stream",
                headers={"x-accel-buffering": "no"},
            )

        return stream

    async def asset(request: Request) -> Response:
        name = str(request.path_params["name"])
        if name not in ASSETS:
            raise HTTPException(404, "Not found")
        path = data_dir("templates") / WORKSHOP_TEMPLATES / name
        return Response(path.read_bytes(), media_type=ASSETS[name])

    async def plain_error(request: Request, exc: Exception) -> Response:
        if isinstance(exc, HTTPException):
            return PlainTextResponse(exc.detail, status_code=exc.status_code)
        if isinstance(exc, UserError):  # a save failed: the room keeps the answers in memory
            return PlainTextResponse(f"Not saved: {exc}", status_code=503)
        return PlainTextResponse("Internal error", status_code=500)

    routes = [
        Route("/join/{token}", join_page, methods=["GET"]),
        Route("/join/{token}", take_seat, methods=["POST"]),
        Route("/seat", seat_page, methods=["GET"]),
        Route("/seat/state", seat_state, methods=["GET"]),
        Route("/seat/events", events("room"), methods=["GET"]),
        Route("/seat/vote", vote, methods=["POST"]),
        Route("/facilitate/{token}", facilitate_page, methods=["GET"]),
        Route("/facilitate/{token}/state", facilitate_state, methods=["GET"]),
        Route("/facilitate/{token}/events", events("votes"), methods=["GET"]),
        Route("/facilitate/{token}/{action}", facilitate_action, methods=["POST"]),
        Route("/static/{name}", asset, methods=["GET"]),
    ]
    app = Starlette(
        routes=routes,
        exception_handlers={HTTPException: plain_error, UserError: plain_error, 500: plain_error},
    )
    return Guard(app, hosts, any_address)


def asking(room: Room) -> dict[str, Any]:
    """What both screens show beside the current question: what it builds on, and whether
    it is scored."""
    return {"builds_on": room.builds_on(), "informational": not room.current.scored}


def most_voted(reveal: Reveal | None, multi: bool) -> Choosing | None:
    """The answer most of the room gave (the consensus form's suggestion): the commonest
    choice, or on a multi-select question the choices more than half the votes selected."""
    if reveal is None:
        return None
    if multi:
        return [r.choice for r in reveal.rows if not r.special and 2 * len(r.names) > reveal.votes]
    return max(reveal.rows, key=lambda row: len(row.names)).choice


async def _event_stream(hub: Hub, audience: str) -> AsyncIterator[str]:
    """The server-sent events one page listens to: the version, whenever it changes."""
    yield "retry: 1000\n\n"
    seen = -1
    for _ in range(MAX_STREAM_EVENTS):
        if hub.closed:
            return
        version = hub.versions[audience]
        if version != seen:
            seen = version
            yield f"data: {version}\n\n"
            continue
        await hub.wait(KEEPALIVE_SECONDS)
        if hub.versions[audience] == seen:
            yield ": still here\n\n"
