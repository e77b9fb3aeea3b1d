"""Run `python -m mcpscale ARGS` as a real process, without paying for a new interpreter.

A test that spawns `python -m mcpscale` hundreds of times spends most of its time starting
Python and importing the same libraries. `Zygote` starts one small parent that imports them
once, then forks a child per run: the child is a separate process with its own working folder,
environment, standard streams and session, and runs mcpscale's `__main__` exactly as `python -m`
does. Its exit status is the real one, its peak memory comes from wait4 (an upper bound: it
includes what the parent had loaded), and a run past its deadline is killed with its group.
"""

from __future__ import annotations

import atexit
import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# The parent: imports what every command needs, then serves one request a line on fd 3,
# answering on fd 4. Kept to the standard library and mcpscale, and single-threaded, so
# forking is safe.
_PARENT = r"""
import atexit, json, os, runpy, select, signal, sys, time, traceback

import mcpscale.cli.app, mcpscale.formats.kinds, mcpscale.inputs.validate, mcpscale.pipeline

requests, replies = os.fdopen(3, "r"), os.fdopen(4, "w")


def child(job):
    os.setsid()
    os.close(3)
    os.close(4)
    os.chdir(job["cwd"])
    os.environ.clear()
    os.environ.update(job["env"])
    time.tzset()
    data = job["stdin"].encode()
    if len(data) < 60000:  # a pipe, as when a shell pipes text in; it holds this much
        read, write = os.pipe()
        os.write(write, data)
        os.close(write)
    else:
        read = os.open(job["stdout"] + ".in", os.O_RDWR | os.O_CREAT | os.O_TRUNC, 0o600)
        os.write(read, data)
        os.lseek(read, 0, os.SEEK_SET)
    os.dup2(read, 0)
    os.close(read)
    for fd, name in ((1, job["stdout"]), (2, job["stderr"])):
        target = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.dup2(target, fd)
        os.close(target)
    # As a new interpreter has them: Ctrl-C raises KeyboardInterrupt, SIGPIPE is ignored.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGPIPE, signal.SIG_IGN)
    sys.path[0] = job["cwd"]
    sys.argv = ["mcpscale", *job["args"]]
    code = 0
    try:
        runpy.run_module("mcpscale", run_name="__main__", alter_sys=True)
    except SystemExit as stop:
        if stop.code is None:
            code = 0
        elif isinstance(stop.code, int):
            code = stop.code
        else:
            print(stop.code, file=sys.stderr)
            code = 1
    except KeyboardInterrupt:
        code = 130
    except BaseException:
        traceback.print_exc()
        code = 1
    try:
        atexit._run_exitfuncs()
        sys.stdout.flush()
        sys.stderr.flush()
    finally:
        os._exit(code)


for line in requests:
    job = json.loads(line)
    sys.stdout.flush()
    sys.stderr.flush()
    started = time.monotonic()
    pid = os.fork()
    if pid == 0:
        child(job)
    handle = os.pidfd_open(pid)
    killed = not select.select([handle], [], [], job["timeout"])[0]
    if killed:
        os.killpg(pid, signal.SIGKILL)
    _, status, usage = os.wait4(pid, 0)
    os.close(handle)
    seconds = time.monotonic() - started
    replies.write(json.dumps({"status": status, "maxrss_kb": usage.ru_maxrss,
                              "seconds": seconds, "killed": killed}) + "\n")
    replies.flush()
"""


@dataclass
class Run:
    code: int  # the exit code; minus the signal's number when a signal ended it
    out: str
    err: str
    seconds: float
    peak_mb: float
    killed: bool


class Zygote:
    """One pre-warmed parent; `run` forks a fresh `python -m mcpscale` child from it."""

    def __init__(self) -> None:
        self._folder = tempfile.TemporaryDirectory(prefix="zygote-")
        requests_read, self._requests = os.pipe()
        self._replies, replies_write = os.pipe()
        # Started from an empty folder, so it imports the installed mcpscale as `python -m`
        # run from a user's folder does. fds 3 and 4 carry requests and replies.
        self._process = subprocess.Popen(
            [
                sys.executable,
                "-c",
                f"import os; os.dup2({requests_read}, 3); os.dup2({replies_write}, 4); "
                f"exec(compile({_PARENT!r}, 'zygote', 'exec'))",
            ],
            cwd=self._folder.name,
            stdin=subprocess.DEVNULL,
            pass_fds=(requests_read, replies_write),
        )
        os.close(requests_read)
        os.close(replies_write)
        self._send = os.fdopen(self._requests, "w")
        self._receive = os.fdopen(self._replies, "r")
        self._count = 0

    def run(
        self,
        args: list[str],
        cwd: Path,
        env: dict[str, str],
        stdin: str = "",
        timeout: float = 10.0,
    ) -> Run:
        self._count += 1
        out = Path(self._folder.name) / f"{self._count}.out"
        err = Path(self._folder.name) / f"{self._count}.err"
        job: dict[str, Any] = {
            "args": args,
            "cwd": str(cwd),
            "env": env,
            "stdin": stdin,
            "stdout": str(out),
            "stderr": str(err),
            "timeout": timeout,
        }
        self._send.write(json.dumps(job) + "\n")
        self._send.flush()
        line = self._receive.readline()
        if not line:
            raise RuntimeError(f"the zygote stopped (exit {self._process.wait()})")
        reply = json.loads(line)
        status = reply["status"]
        code = os.waitstatus_to_exitcode(status)
        run = Run(
            code=code,
            out=out.read_bytes().decode(errors="replace"),
            err=err.read_bytes().decode(errors="replace"),
            seconds=reply["seconds"],
            peak_mb=reply["maxrss_kb"] / 1024,
            killed=reply["killed"],
        )
        out.unlink()
        err.unlink()
        return run

    def close(self) -> None:
        self._send.close()
        self._process.wait(timeout=10)
        self._receive.close()
        self._folder.cleanup()


_SHARED: list[Zygote] = []


def shared() -> Zygote:
    """This test process's one zygote, started on first use and stopped at exit."""
    if not _SHARED:
        _SHARED.append(Zygote())
        atexit.register(_SHARED[0].close)
    return _SHARED[0]
