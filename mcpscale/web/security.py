"""What keeps the live workshop safe on a shared Wi-Fi: signed seat cookies, the CSRF token,
the Host and Origin checks, bounded request bodies and the headers every response carries.

The session's secrets (join token, facilitator token, signing key) come from the room
(`interview/room.py`), made with `secrets.token_urlsafe` and kept in its private room file.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import ipaddress
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

SEAT_COOKIE = "mcpscale_seat"
CSRF_HEADER = "x-csrf-token"
BODY_LIMIT = 16 * 1024  # bytes in one request body: a note and a choice fit many times over

# Everything the pages use comes from the app itself; inline SVG needs no source at all.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS = [
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),  # the tokens are in the URLs: never sent away
    (b"x-frame-options", b"DENY"),
    (b"cache-control", b"no-store"),
]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


def sign(key: str, text: str) -> str:
    """HMAC-SHA256 of `text` under the session key, hex."""
    return hmac.new(key.encode(), text.encode(), hashlib.sha256).hexdigest()


def seat_cookie(key: str, seat: int, claim: str) -> str:
    """The cookie value that proves this device holds seat `seat` (claim: the seat's nonce)."""
    return f"{seat}.{claim}.{sign(key, f'seat:{seat}:{claim}')}"


def read_seat_cookie(key: str, value: str | None, claims: list[str | None]) -> int | None:
    """The seat a cookie proves, or None when it is missing, forged, or the seat was freed."""
    if not value or value.count(".") != 2:
        return None
    seat_text, claim, signature = value.split(".")
    if not seat_text.isascii() or not seat_text.isdigit():
        return None
    seat = int(seat_text)
    if seat >= len(claims) or claims[seat] != claim:
        return None
    expected = sign(key, f"seat:{seat}:{claim}")
    return seat if hmac.compare_digest(expected, signature) else None


def csrf_token(key: str) -> str:
    """The session's CSRF token: only pages behind a token or a seat cookie show it."""
    return sign(key, "csrf")


def same_token(given: str, expected: str) -> bool:
    return hmac.compare_digest(given.encode(), expected.encode())


def _plain(status: int, text: str) -> tuple[Message, Message]:
    body = text.encode()
    start = {
        "type": "http.response.start",
        "status": status,
        "headers": [
            (b"content-type", b"text/plain; charset=utf-8"),
            (b"content-length", str(len(body)).encode()),
            *SECURITY_HEADERS,
        ],
    }
    return start, {"type": "http.response.body", "body": body}


class Guard:
    """ASGI middleware: a Host the server answers to, a same-origin POST, a bounded body,
    and the security headers on every response."""

    def __init__(self, app: ASGIApp, hosts: set[str], any_address: bool = False) -> None:
        self.app = app
        self.hosts = hosts
        self.any_address = any_address  # bound to 0.0.0.0 or ::: any IP address, no names

    def answers_to(self, host: str) -> bool:
        if host in self.hosts:
            return True
        if not self.any_address:
            return False
        name = host.rpartition(":")[0] if not host.endswith("]") else host
        with contextlib.suppress(ValueError):
            ipaddress.ip_address(name.strip("[]"))
            return True
        return False

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        host = headers.get("host", "")
        refusal = None
        if not self.answers_to(host):  # a rebound DNS name pointing at us
            refusal = (403, "Forbidden: unknown Host")
        elif scope["method"] not in ("GET", "HEAD", "POST"):
            refusal = (405, "Method not allowed")
        elif scope["method"] == "POST":
            origin = headers.get("origin")
            length = headers.get("content-length", "0")
            if origin is not None and origin != f"http://{host}":
                refusal = (403, "Forbidden: cross-site request")
            elif not length.isdigit() or int(length) > BODY_LIMIT:
                refusal = (413, "Request body too large")
        if refusal is not None:
            for message in _plain(*refusal):
                await send(message)
            return

        received = 0

        async def bounded_receive() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > BODY_LIMIT:  # a body longer than its Content-Length said
                raise ValueError("request body too large")
            return message

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *SECURITY_HEADERS]
            await send(message)

        await self.app(scope, bounded_receive, send_with_headers)
