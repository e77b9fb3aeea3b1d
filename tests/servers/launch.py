"""Start a fixture server as a subprocess on a free loopback port, and stop it again."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

SERVERS = Path(__file__).parent


def free_port() -> int:
    with socket.socket() as probe_socket:
        probe_socket.bind(("127.0.0.1", 0))
        return int(probe_socket.getsockname()[1])


@contextmanager
def serving(*command: str, port: int, cwd: Path | None = None) -> Iterator[int]:
    """Run command (it must listen on 127.0.0.1:port) until the block ends; yields the port."""
    process = subprocess.Popen(
        [sys.executable, *command],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        cwd=cwd,
    )
    try:
        for _ in range(150):  # up to 15 s for the server to listen
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if process.poll() is not None:
                    raise RuntimeError(process.stderr.read() if process.stderr else b"") from None
                time.sleep(0.1)
        else:
            raise RuntimeError(f"{command} did not start listening on {port}")
        yield port
    finally:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


@contextmanager
def era_server(kind: str) -> Iterator[str]:
    """One of tests/servers/era_server.py's servers; yields its endpoint URL."""
    port = free_port()
    with serving(str(SERVERS / "era_server.py"), kind, str(port), port=port):
        yield f"http://127.0.0.1:{port}/{'sse' if kind == 'sse' else 'mcp'}"
