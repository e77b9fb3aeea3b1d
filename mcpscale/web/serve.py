"""Starts the live workshop: opens the room, binds the socket, prints the two URLs and the
QR code, and serves until Ctrl-C (uvicorn's handling), then says where the files are."""

from __future__ import annotations

import contextlib
import socket
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from mcpscale.errors import UserError
from mcpscale.formats.answers import Respondent
from mcpscale.interview.room import Room
from mcpscale.web.app import Workshop, create_app

DEFAULT_PORT = 8765  # fixed, so a restarted workshop is at the same address and phones reconnect


def lan_address() -> str:
    """The address other machines on the network reach this one at; 127.0.0.1 without one.

    A UDP "connect" sends nothing: it only asks the kernel which interface would be used."""
    with contextlib.suppress(OSError), socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.connect(("192.0.2.1", 9))  # TEST-NET-1: never routed anywhere real
        address = str(probe.getsockname()[0])
        if address and not address.startswith("0."):
            return address
    return "127.0.0.1"


def bind(host: str, port: int) -> socket.socket:
    """The listening socket; a port in use is a user error naming --port."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    # Answers must reach the projector at once: without this, a response written in two
    # parts waits for the client's delayed ACK (about 40 ms on Linux) before its second part.
    # Connections accepted from this socket inherit it.
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    try:
        sock.bind((host, port))
    except OSError as error:
        sock.close()
        raise UserError(
            f"--host {host} --port {port}: cannot listen there ({error.strerror}); "
            "choose another --port, or --port 0 for any free one"
        ) from None
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


def serve_workshop(
    output_dir: Path,
    respondents: Sequence[Respondent],
    questionnaire_ref: str | None = None,
    profile_path: Path | None = None,
    evidence_paths: Sequence[Path] = (),
    host: str | None = None,
    port: int = DEFAULT_PORT,
    anonymous: bool = False,
    out: TextIO = sys.stdout,
    err: TextIO = sys.stderr,
) -> Room:
    """Serve the room until Ctrl-C; returns it (as saved) for the caller to summarise."""
    import segno
    import uvicorn

    from mcpscale.pipeline import caps_for

    room = Room.open(output_dir, respondents, questionnaire_ref, profile_path=profile_path)
    caps = caps_for(evidence_paths, room.questionnaire, questionnaire_ref)
    bound_host = host or lan_address()
    sock = bind(bound_host, port)
    actual_port = sock.getsockname()[1]
    everywhere = bound_host in ("0.0.0.0", "::")  # all interfaces: show the LAN address
    address = lan_address() if everywhere else bound_host
    shown = f"[{address}]" if ":" in address else address
    base = f"http://{shown}:{actual_port}"
    join_url = f"{base}/join/{room.tokens['join']}"
    hosts = {f"{shown}:{actual_port}"}
    if address == "127.0.0.1":
        hosts.add(f"localhost:{actual_port}")
    workshop = Workshop(room, caps, anonymous, join_url)
    app = create_app(workshop, hosts, any_address=everywhere)
    out.write(f"facilitator: {base}/facilitate/{room.tokens['facilitator']}\n")
    out.write(f"join: {join_url}\n")
    out.flush()
    segno.make(join_url, error="m").terminal(out=err, compact=True)
    err.write(f"Saving to {output_dir}/ as answers arrive; Ctrl-C stops the workshop.\n")
    err.flush()
    config = uvicorn.Config(
        app,
        log_level="warning",
        timeout_graceful_shutdown=1,  # open event streams are cut after a second
        lifespan="off",
        access_log=False,
    )

    class Server(uvicorn.Server):
        def handle_exit(self, sig: int, frame: Any) -> None:
            workshop.hub.close()  # open event streams end, so the server stops at once
            super().handle_exit(sig, frame)

    # Ctrl-C is how a workshop ends: uvicorn stops, then raises the signal again; not an error.
    with contextlib.suppress(KeyboardInterrupt):
        try:
            Server(config).run(sockets=[sock])
        finally:
            sock.close()
    return room
