"""Start a server script from this folder on a free loopback port, and stop it afterwards.

The scripts run forked from a warm parent (warm.py) that has imported the SDK already; each is
still its own process, serving real HTTP on 127.0.0.1 until the test stops it."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

from .warm import command as warm_command

SERVERS = Path(__file__).parent


def free_port() -> int:
    with socket.socket() as probe_socket:
        probe_socket.bind(("127.0.0.1", 0))
        return int(probe_socket.getsockname()[1])


@contextlib.contextmanager
def serving(script: str, kind: str, *args: str, port: int | None = None) -> Iterator[int]:
    """`python tests/servers/SCRIPT KIND PORT ARGS` listening on 127.0.0.1: yields PORT."""
    port = port or free_port()
    command = warm_command(script, kind, str(port), *args)
    with running(command, port, f"{script} {kind}") as listening:
        yield listening


@contextlib.contextmanager
def running(command: Sequence[str], port: int, what: str, cwd: Path | None = None) -> Iterator[int]:
    """COMMAND until the block ends, once it listens on 127.0.0.1:port."""
    process = subprocess.Popen(
        command,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        cwd=cwd,
    )
    try:
        for _ in range(750):  # up to 15 s for the server to listen
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if process.poll() is not None:
                    stderr = process.stderr.read().decode() if process.stderr else ""
                    raise RuntimeError(f"{what} exited: {stderr}") from None
                time.sleep(0.02)
        else:
            raise RuntimeError(f"{what} did not start listening")
        yield port
    finally:
        # The test is done with it: how it ends is not under test, and a graceful stop waits.
        process.kill()
        process.wait(timeout=5)
        if process.stderr:
            process.stderr.close()


@contextlib.contextmanager
def era_server(kind: str) -> Iterator[str]:
    """One of era_server.py's servers (modern-only, legacy-only, sse, paged): yields its URL."""
    with serving("era_server.py", kind) as port:
        yield f"http://127.0.0.1:{port}/{'sse' if kind == 'sse' else 'mcp'}"
