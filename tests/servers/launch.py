"""Start a server script from this folder on a free loopback port, and stop it afterwards."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

SERVERS = Path(__file__).parent


def free_port() -> int:
    with socket.socket() as probe_socket:
        probe_socket.bind(("127.0.0.1", 0))
        return int(probe_socket.getsockname()[1])


@contextlib.contextmanager
def serving(script: str, kind: str, *args: str, port: int | None = None) -> Iterator[int]:
    """`python tests/servers/SCRIPT KIND PORT ARGS` listening on 127.0.0.1: yields PORT."""
    port = port or free_port()
    process = subprocess.Popen(
        [sys.executable, str(SERVERS / script), kind, str(port), *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        for _ in range(150):  # up to 15 s for the server to listen
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if process.poll() is not None:
                    stderr = process.stderr.read().decode() if process.stderr else ""
                    raise RuntimeError(f"{script} {kind} exited: {stderr}") from None
                time.sleep(0.1)
        else:
            raise RuntimeError(f"{script} {kind} did not start listening")
        yield port
    finally:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
