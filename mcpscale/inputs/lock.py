"""The advisory lock one process holds on an answers file while it may write it.

The lock is a flock on a sidecar file next to the answers file (`answers/.ana.yaml.lock`),
not on the answers file itself: every save replaces the answers file by rename, so a lock
on it would stay with the old inode while a second process locked the new one. The sidecar
holds who has the file (pid, user, host, command, since), shown to the one that must wait.
The kernel drops a flock when its process dies however it dies, so a lock file left behind
by a crash is free and is simply taken over; a clean exit removes it.
"""

from __future__ import annotations

import contextlib
import getpass
import json
import os
import socket
import time
from collections.abc import Iterator
from pathlib import Path

from mcpscale.errors import UserError
from mcpscale.inputs.reader import read_at_most

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no advisory locks, nothing held
    fcntl = None  # type: ignore[assignment]


def lock_path(path: Path) -> Path:
    """answers/ana.yaml -> answers/.ana.yaml.lock"""
    return path.with_name(f".{path.name}.lock")


def _holder(sidecar: Path, path: Path) -> str:
    """'answers/ana.yaml is open in another mcpscale assess (pid 1234, user ana, since 10:02)'"""
    try:
        info = json.loads(read_at_most(sidecar, 4096).decode("utf-8"))  # ours, but bounded
    except (OSError, ValueError):
        info = {}
    if not isinstance(info, dict):
        info = {}
    details = [f"pid {info.get('pid', '?')}", f"user {info.get('user', '?')}"]
    if info.get("host") and info.get("host") != socket.gethostname():
        details.append(f"host {info['host']}")
    if info.get("since"):
        details.append(f"since {info['since']}")
    command = info.get("command") or "command"
    return f"{path} is open in another mcpscale {command} ({', '.join(details)})"


def _user() -> str:
    with contextlib.suppress(Exception):
        return getpass.getuser()
    return str(os.getuid())


@contextlib.contextmanager
def hold_lock(path: Path, command: str) -> Iterator[None]:
    """Hold `path` for `command` until the block ends; UserError when another process has it."""
    if fcntl is None:  # pragma: no cover
        yield
        return
    sidecar = lock_path(path)
    while True:
        try:
            sidecar.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(sidecar, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as error:
            raise UserError.at(
                path,
                f"cannot be locked for writing ({sidecar.name}: {error.strerror}); "
                "is the folder writable?",
            ) from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            raise UserError(f"{_holder(sidecar, path)}; finish or quit that one first") from None
        # The holder before us may have removed the file between our open and our flock:
        # then we hold a lock on a name nobody else sees, so start again.
        try:
            same = os.stat(sidecar).st_ino == os.fstat(fd).st_ino
        except FileNotFoundError:
            same = False
        if same:
            break
        os.close(fd)
    try:
        info = {
            "pid": os.getpid(),
            "user": _user(),
            "host": socket.gethostname(),
            "command": command,
            "since": time.strftime("%H:%M"),
        }
        with contextlib.suppress(OSError):  # who holds it is a courtesy, the flock is the lock
            os.ftruncate(fd, 0)
            os.write(fd, json.dumps(info).encode())
        yield
    finally:
        with contextlib.suppress(OSError):
            os.unlink(sidecar)  # removed while still held, so no one can lock a stale name
        os.close(fd)
