"""The one bounded reader: only regular files are read, and never past a limit.

A limit on the size `stat` reports is not enough: /dev/zero has size 0 and never ends, a FIFO
blocks the open until a writer comes, and a file may grow while it is read. So the type is
checked before opening (and again on the open descriptor, which O_NONBLOCK keeps from
blocking), and no more than limit + 1 bytes are ever read.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from mcpscale.errors import UserError

MB = 1024 * 1024

_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISFIFO, "a FIFO"),
    (stat.S_ISSOCK, "a socket"),
)


class NotRegularFile(OSError):
    """The path is a directory, device, FIFO or socket; `kind` says which ('a FIFO')."""

    def __init__(self, path: str | Path, kind: str) -> None:
        super().__init__(errno.EINVAL, f"not a regular file ({kind})", str(path))
        self.kind = kind


def file_kind(mode: int) -> str | None:
    """'a FIFO', 'a directory', ... for anything but a regular file; None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    return next((kind for test, kind in _KINDS if test(mode)), "not a file")


def read_at_most(path: str | Path, count: int) -> bytes:
    """Up to `count` bytes of a regular file (symlinks followed), without ever blocking.

    Raises NotRegularFile for a directory, device, FIFO or socket, and OSError as open does.
    """
    kind = file_kind(os.stat(path).st_mode)
    if kind is not None:
        raise NotRegularFile(path, kind)
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(path, flags)
    try:
        kind = file_kind(os.fstat(fd).st_mode)  # replaced between the stat and the open
        if kind is not None:
            raise NotRegularFile(path, kind)
        chunks: list[bytes] = []
        left = count
        while left > 0:
            chunk = os.read(fd, min(left, MB))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def regular_file_size(path: Path, expected: str) -> int:
    """The size of a regular file (symlinks followed); a UserError for anything else.

    `expected` names what the user should pass instead ("a YAML file").
    """
    try:
        status = os.stat(path)
    except FileNotFoundError:
        raise UserError.at(path, "no such file or directory") from None
    except OSError as exc:
        raise UserError.at(path, f"cannot read file: {exc.strerror}") from None
    kind = file_kind(status.st_mode)
    if kind == "a directory":
        raise UserError.at(path, f"is a directory, expected {expected}")
    if kind is not None:
        raise UserError.at(path, f"not a regular file ({kind}); pass {expected}")
    return status.st_size


def read_bounded(path: Path, limit: int, expected: str) -> bytes:
    """The bytes of a regular file of at most `limit` bytes; every refusal is a UserError."""
    size = regular_file_size(path, expected)
    try:
        data = read_at_most(path, limit + 1 if size <= limit else 0)
    except FileNotFoundError:
        raise UserError.at(path, "no such file or directory") from None
    except NotRegularFile as exc:  # swapped for a FIFO or device since the stat
        raise UserError.at(path, f"not a regular file ({exc.kind}); pass {expected}") from None
    except OSError as exc:
        raise UserError.at(path, f"cannot read file: {exc.strerror}") from None
    if size > limit or len(data) > limit:
        shown = f"{size / MB:.1f} MB" if size > limit else f"over {limit / MB:g} MB"
        raise UserError.at(
            path,
            f"file is {shown}; mcpscale reads {expected.removeprefix('a ').removeprefix('an ')}s "
            f"up to {limit / MB:g} MB - is this the right file?",
        )
    return data
