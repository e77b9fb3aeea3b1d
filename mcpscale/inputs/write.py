"""The one writer: atomic for files, through symlinks, direct to devices; failures in plain words.

A regular file is replaced by renaming a finished temporary file over it, keeping its mode,
owner and group (a new file gets the mode the umask gives). A symlink is written through to its
final target, the same way, and stays a link. A character device, a FIFO or a socket
(/dev/null, a named pipe) and the names of an open descriptor (/dev/stdout, /dev/stderr,
/dev/fd/N, /proc/self/fd/N) are written directly, never replaced. Any failure is one UserError
naming the path, the reason and the fix; the previous file stays intact and no temporary file
is left behind (only SIGKILL can leave one, named by `is_temp_name`).
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
import sys
import tempfile
from pathlib import Path

from mcpscale.errors import UserError

TEMP_SUFFIX = ".mcpscale-tmp"
# Temporary names stay well inside NAME_MAX (255) whatever the target is called.
_TEMP_STEM = 40
_DESCRIPTOR = re.compile(r"^/(?:dev/fd|proc/self/fd|proc/thread-self/fd)/(\d+)$")
_SYSTEM_FOLDERS = ("/dev", "/proc", "/sys")
_STANDARD = {"/dev/stdout": 1, "/dev/stderr": 2}

# errno -> (what happened, in plain words; the fix)
_REASONS: dict[int, tuple[str, str]] = {
    errno.EACCES: ("the folder or file is read-only", "choose another output path"),
    errno.EPERM: ("the folder or file is read-only", "choose another output path"),
    errno.EROFS: ("the file system is read-only", "choose another output path"),
    errno.ENOSPC: ("the disk is full", "free some space or choose another output path"),
    errno.EDQUOT: ("the disk quota is used up", "free some space or choose another output path"),
    errno.EFBIG: ("the file is too large for this file system", "choose another output path"),
    errno.ENAMETOOLONG: ("the name is too long", "choose a shorter name"),
    errno.EISDIR: ("it is a folder", "name a file inside it"),
    errno.ENOTDIR: ("a part of the path is a file, not a folder", "choose another output path"),
    errno.EEXIST: ("a file is in the way of a folder", "choose another output path"),
    errno.ENOENT: ("its folder does not exist", "create the folder or choose another path"),
    errno.ELOOP: ("it is a loop of symlinks", "fix the link or choose another path"),
    errno.EXDEV: ("the link points to another file system", "choose another output path"),
    errno.EIO: ("the device reported an input/output error", "choose another output path"),
    errno.EPIPE: ("the reader went away", "keep the reader open, or write to a file"),
    errno.ENXIO: ("nothing is reading from it", "start the reader first, or write to a file"),
    errno.ENODEV: ("there is no such device", "choose another output path"),
    errno.EBADF: ("no such descriptor is open", "choose another output path"),
}


def write_atomic(path: Path, text: str | bytes) -> None:
    """Write text (as UTF-8, exactly as given) or bytes to `path`; see the module docstring."""
    write_atomic_bytes(path, text if isinstance(text, bytes) else text.encode("utf-8"))


def write_atomic_bytes(path: Path, data: bytes) -> None:
    """write_atomic for bytes (a PDF)."""
    try:
        _write(Path(path), data)
    except OSError as exc:
        raise write_error(path, exc) from None


def make_folder(folder: Path) -> None:
    """mkdir -p, with any failure as one UserError."""
    try:
        _mkdir(folder)
    except OSError as exc:
        raise write_error(folder, exc) from None


def _mkdir(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError:  # mkdir -p over a file (or a link to one)
        raise OSError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(folder)) from None


def write_error(path: Path | str, exc: OSError) -> UserError:
    """One line: the path, what went wrong in plain words (the system's words), and the fix."""
    reason, fix = _REASONS.get(exc.errno or 0, ("", "choose another output path"))
    if exc.errno == errno.ENOENT and Path(path).parent.is_dir() and not Path(path).is_symlink():
        reason, fix = "the folder does not accept new files", "choose another output path"
    if exc.errno in (errno.EACCES, errno.EPERM):
        file = Path(path).is_file() and not os.access(path, os.W_OK)
        reason = f"the {'file' if file else 'folder'} is read-only"
    system = exc.strerror or str(exc)
    said = f"{reason} ({system})" if reason else system
    return UserError(f"{path}: cannot write: {said}; {fix}")


def is_temp_name(name: str) -> bool:
    """True for the name of a temporary file this writer makes (left only by SIGKILL)."""
    return name.startswith(".") and name.endswith(TEMP_SUFFIX)


def _write(path: Path, data: bytes) -> None:
    descriptor = _open_descriptor(path)
    if descriptor is not None:
        _write_all(descriptor, data)
        return
    if not path.is_symlink():
        _mkdir(path.parent)
    try:
        mode = os.stat(path).st_mode  # follows links
    except FileNotFoundError:
        mode = None
    if mode is not None and stat.S_ISDIR(mode):
        raise OSError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
    if mode is not None and not stat.S_ISREG(mode):
        _write_device(path, data)  # /dev/null, a FIFO, a socket: never replace it
        return
    target = Path(os.path.realpath(path))
    if mode is None and str(target.parent) in _SYSTEM_FOLDERS:
        # /dev/full where there is none: creating a plain file among the devices helps nobody
        raise OSError(errno.ENODEV, os.strerror(errno.ENODEV), str(target))
    _replace(target, data, existing=mode is not None)


def _open_descriptor(path: Path) -> int | None:
    """The open descriptor that /dev/stdout, /dev/fd/N or /proc/self/fd/N names, if it is one."""
    name = os.path.abspath(path)
    if name in _STANDARD:
        return _STANDARD[name]
    match = _DESCRIPTOR.match(name) or re.match(rf"^/proc/{os.getpid()}/fd/(\d+)$", name)
    return int(match.group(1)) if match else None


def _write_all(descriptor: int, data: bytes) -> None:
    """Write to an already open descriptor, after anything Python has buffered for it."""
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            if stream.fileno() == descriptor:
                stream.flush()
    view = memoryview(data)
    while view:
        view = view[os.write(descriptor, view) :]


def _write_device(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | getattr(os, "O_CLOEXEC", 0))
    try:
        _write_all(fd, data)
    finally:
        os.close(fd)


def _replace(target: Path, data: bytes, existing: bool) -> None:
    """Write a temporary file beside `target`, fsync it, rename it over; keep mode and owner."""
    if existing and not os.access(target, os.W_OK):
        raise OSError(errno.EACCES, os.strerror(errno.EACCES), str(target))
    before = os.stat(target) if existing else None
    fd, tmp = tempfile.mkstemp(
        prefix=f".{target.name[:_TEMP_STEM]}.", suffix=TEMP_SUFFIX, dir=target.parent
    )
    try:
        if before is None:
            # mkstemp makes the file private (0600); give it the mode any new file would get.
            os.fchmod(fd, 0o666 & ~_umask())
        else:
            if (before.st_uid, before.st_gid) != (os.getuid(), os.getgid()):
                # root keeps the owner; anyone else keeps the group when they belong to it
                with contextlib.suppress(PermissionError):
                    os.fchown(fd, before.st_uid, before.st_gid)
            os.fchmod(fd, stat.S_IMODE(before.st_mode))
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    with contextlib.suppress(OSError):  # the rename itself survives a power cut
        folder = os.open(target.parent, os.O_RDONLY)
        try:
            os.fsync(folder)
        finally:
            os.close(folder)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
