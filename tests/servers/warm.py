"""Run this folder's server scripts as real processes, without importing the MCP SDK each time.

Every server script here imports the MCP SDK, uvicorn and starlette: about a second of CPU
before it serves anything, paid again by every test that starts one. A warm parent (this file,
run as `python warm.py FD SOCKET`) imports them once, then forks one child per server.

`command(SCRIPT, ARGS)` is the command line a test starts instead of `python SCRIPT ARGS`: a
tiny launcher (forked.py) that hands its standard streams, working folder and environment to
the warm parent over a unix socket. The parent forks a child wired to them, which runs SCRIPT as
`python SCRIPT ARGS` would. The launcher lives exactly as long as that child: it exits with the
child's status (or dies of the same signal), passes on SIGTERM, SIGINT and SIGHUP, and if it
dies itself, even by SIGKILL, the parent kills the child. The parent exits, killing whatever it
forked, when the test process that started it ends (its standard input closes); a child dies
with the parent. So a test, a probe or the SDK's shutdown deal with the launcher exactly as
they would with the server, and nothing outlives the test run.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import selectors
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

SERVERS = Path(__file__).parent
LAUNCHER = SERVERS / "forked.py"


def command(script: str, *args: str) -> list[str]:
    """`python SCRIPT ARGS` (SCRIPT in this folder) forked from this test process's warm parent."""
    return [sys.executable, "-I", "-S", str(LAUNCHER), _shared(), str(SERVERS / script), *args]


_STARTED: list[tuple[subprocess.Popen[bytes], str]] = []


def _shared() -> str:
    """The socket of this test process's warm parent, started on first use.

    The socket listens before the parent starts: a launcher connects at once and waits there
    while the parent imports, so the test goes on meanwhile (importing the SDK itself, often)."""
    if not _STARTED:
        folder = tempfile.mkdtemp(prefix="warm-")
        path = os.path.join(folder, "socket")
        with socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET) as listener:
            listener.bind(path)
            listener.listen(64)
            parent = subprocess.Popen(
                [sys.executable, str(Path(__file__)), str(listener.fileno()), path],
                stdin=subprocess.PIPE,  # its lifeline: it exits when this process closes it
                stdout=subprocess.DEVNULL,
                pass_fds=(listener.fileno(),),
                start_new_session=True,  # Ctrl-C in the terminal is for the tests, not for it
            )
        _STARTED.append((parent, folder))
        atexit.register(_stop)
    return os.path.join(_STARTED[0][1], "socket")


def _stop() -> None:
    parent, folder = _STARTED.pop()
    assert parent.stdin is not None
    parent.stdin.close()
    try:
        parent.wait(timeout=10)
    except subprocess.TimeoutExpired:
        parent.kill()
        parent.wait()
    shutil.rmtree(folder, ignore_errors=True)


# What the parent imports before it forks anything: what the servers here import, and what the
# SDK, uvicorn and runpy import lazily once serving (found by listing what children imported).
PRELOAD = (
    "argparse",
    "ctypes",
    "pkgutil",
    "anyio",
    "anyio._backends._asyncio",
    "anyio.streams.stapled",
    "anyio.streams.tls",
    "httpx2",
    "mcp.server.auth.provider",
    "mcp.server.auth.settings",
    "mcp.server.lowlevel.server",
    "mcp.server.mcpserver",
    "mcp.server.sse",
    "mcp.server.stdio",
    "mcp.server.streamable_http",
    "mcp.server.streamable_http_manager",
    "mcp_types",
    "mcp_types.version",
    "rich.console",
    "rich.logging",
    "starlette.applications",
    "starlette.requests",
    "starlette.responses",
    "starlette.routing",
    "uvicorn",
    "uvicorn.config",
    "uvicorn.lifespan.on",
    "uvicorn.loops.asyncio",
    "uvicorn.loops.auto",
    "uvicorn.main",
    "uvicorn.protocols.http.auto",
    "uvicorn.protocols.http.h11_impl",
    "uvicorn.protocols.websockets.auto",
    "uvicorn.server",
)


@dataclass
class _Child:
    pid: int
    connection: socket.socket
    pidfd: int
    launcher_alive: bool = True


def serve(listening: int, path: str) -> None:
    """The warm parent: fork a child per launcher that connects to the socket LISTENING (fd)
    until standard input closes."""
    import gc
    import importlib
    import json
    import threading

    for name in PRELOAD:
        with contextlib.suppress(ImportError):  # only a head start: a child imports what it needs
            importlib.import_module(name)
    if threading.active_count() != 1:
        raise SystemExit("warm.py: an import started a thread; forking would not be safe")
    listener = socket.socket(fileno=listening)
    selector = selectors.DefaultSelector()
    selector.register(0, selectors.EVENT_READ, ("lifeline", 0))
    selector.register(listener, selectors.EVENT_READ, ("listener", 0))
    children: dict[int, _Child] = {}
    while True:
        for key, _ in selector.select():
            kind, pid = key.data
            if kind == "lifeline":
                if not os.read(0, 4096):  # the tests are over, however they ended
                    for child in children.values():
                        _kill(child.pid)
                    for child in children.values():
                        os.waitpid(child.pid, 0)
                    with contextlib.suppress(OSError):
                        os.unlink(path)
                        os.rmdir(os.path.dirname(path))
                    return
            elif kind == "listener":
                connection, _ = listener.accept()
                selector.register(connection, selectors.EVENT_READ, ("request", 0))
            elif kind == "request":
                connection = key.fileobj  # type: ignore[assignment]
                selector.unregister(connection)
                try:
                    message, fds, _, _ = socket.recv_fds(connection, 1 << 20, 3)
                except OSError:
                    message, fds = b"", []
                if not message or len(fds) != 3:
                    for fd in fds:
                        os.close(fd)
                    connection.close()
                    continue
                gc.freeze()  # the child's collections skip what it inherits (see tests/zygote.py)
                pid = os.fork()
                if pid == 0:
                    _child(json.loads(message), fds, connection, listener, selector, children)
                for fd in fds:
                    os.close(fd)
                child = _Child(pid, connection, os.pidfd_open(pid))
                children[pid] = child
                selector.register(connection, selectors.EVENT_READ, ("launcher", pid))
                selector.register(child.pidfd, selectors.EVENT_READ, ("exited", pid))
                with contextlib.suppress(OSError):  # a launcher gone already: its hang-up is next
                    connection.send(json.dumps({"pid": pid}).encode())
            elif kind == "launcher" and pid in children:
                child = children[pid]
                try:
                    said = child.connection.recv(4096)
                except OSError:
                    said = b""
                if not said:  # the launcher died, or was killed: so is its server
                    selector.unregister(child.connection)
                    child.launcher_alive = False
                    _kill(pid)
            elif kind == "exited" and pid in children:
                child = children.pop(pid)
                _, status = os.waitpid(pid, 0)
                selector.unregister(child.pidfd)
                os.close(child.pidfd)
                if child.launcher_alive:
                    selector.unregister(child.connection)
                    with contextlib.suppress(OSError):
                        child.connection.send(json.dumps({"status": status}).encode())
                child.connection.close()


def _kill(pid: int) -> None:
    for kill in (os.killpg, os.kill):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            kill(pid, signal.SIGKILL)


def _child(
    request: dict[str, object],
    fds: list[int],
    connection: socket.socket,
    listener: socket.socket,
    selector: selectors.BaseSelector,
    children: dict[int, _Child],
) -> None:
    """In the forked child: become `python SCRIPT ARGS` in the launcher's place, then exit."""
    code = 1
    try:
        parent = os.getppid()
        os.setsid()  # its own group: killing it kills whatever it starts
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        if os.getppid() != parent:
            os._exit(1)
        selector.close()
        listener.close()
        connection.close()
        for other in children.values():
            other.connection.close()
            os.close(other.pidfd)
        for target, fd in enumerate(fds):
            os.dup2(fd, target)
            os.close(fd)
        # As a new interpreter has them: Ctrl-C raises KeyboardInterrupt, SIGPIPE is ignored.
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGHUP, signal.SIG_DFL)
        signal.signal(signal.SIGPIPE, signal.SIG_IGN)
        code = _run(request)
    finally:
        os._exit(code)


def _run(request: dict[str, object]) -> int:
    import atexit
    import runpy
    import time
    import traceback

    os.chdir(str(request["cwd"]))
    os.environ.clear()
    os.environ.update(request["env"])  # type: ignore[call-overload]
    time.tzset()
    script = str(request["script"])
    sys.argv = [script, *request["args"]]  # type: ignore[misc]
    sys.path[0] = os.path.dirname(script)
    code = 0
    try:
        runpy.run_path(script, run_name="__main__")
    except SystemExit as stop:
        if stop.code is None:
            code = 0
        elif isinstance(stop.code, int):
            code = stop.code
        else:
            print(stop.code, file=sys.stderr)
            code = 1
    except KeyboardInterrupt:
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGINT)
    except BaseException:
        traceback.print_exc()
        code = 1
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    return code


if __name__ == "__main__":
    serve(int(sys.argv[1]), sys.argv[2])
