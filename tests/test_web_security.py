"""The live workshop's seat cookies: only the session's key makes one, a freed seat's stops."""

from __future__ import annotations

from mcpscale.web.security import read_seat_cookie, seat_cookie

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
