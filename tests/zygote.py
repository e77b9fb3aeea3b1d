"""Run `python -m mcpscale ARGS` as a real process, without paying for a new interpreter.

A test that spawns `python -m mcpscale` hundreds of times spends most of its time starting
Python and importing the same libraries. `Zygote` starts one small parent that imports them
once, then forks a child per run: the child is a separate process with its own working folder,
environment, standard streams and session, and runs mcpscale's `__main__` exactly as `python -m`
does. Its exit status is the real one, its peak memory comes from wait4 (an upper bound: it
includes what the parent had loaded), and a run past its deadline is killed with its group.

`run` waits for the end. `start` leaves the child running while the test talks to it: on a
pseudo-terminal that is its controlling terminal (`PtyChild`, for pexpect), or writing to pipes
the test reads (`Live`, for a server). `warm()` is a zygote that has imported what those
commands need too (the live workshop, the interviews).
"""

from __future__ import annotations

import atexit
import fcntl
import json
import os
import select
import struct
import subprocess
import sys
import tempfile
import termios
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pexpect.fdpexpect import fdspawn

# The parent: imports what every command needs, then serves one request a line on fd 3,
# answering on fd 4. Kept to the standard library and mcpscale, and single-threaded, so
# forking is safe.
# Before each fork it freezes what it holds (gc.freeze, as Python's documentation advises for
# a fork without exec): a child's collections skip the objects it inherited, where its first
# full collection would walk, and copy, every imported module's objects.
_PARENT = r"""
import atexit, gc, json, os, runpy, select, signal, sys, time, traceback

import importlib, io, pkgutil

import mcpscale.cli.app, mcpscale.formats.kinds, mcpscale.inputs.validate, mcpscale.pipeline


# Imports NAMES; "package.*" is the package and every module under it.
def load(names):
    for name in names:
        if not name.endswith(".*"):
            importlib.import_module(name)
            continue
        package = importlib.import_module(name[:-2])
        for found in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            if not found.name.endswith(".__main__"):  # that one runs the program
                importlib.import_module(found.name)


load(sys.argv[1:])  # what a Zygote(preload=...) asks for besides

requests, replies = os.fdopen(3, "r"), os.fdopen(4, "w")
live = set()  # started children not waited for yet


# The child's own session, folder and environment, as a new process started there has.
def enter(job):
    os.setsid()
    os.close(3)
    os.close(4)
    os.chdir(job["cwd"])
    os.environ.clear()
    os.environ.update(job["env"])
    time.tzset()


def child(job):
    enter(job)
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
    if job.get("prelude"):  # code run first, as `python -c PRELUDE` would before runpy
        try:
            exec(job["prelude"], {"__name__": "__prelude__"})
        except BaseException:
            traceback.print_exc()
            os._exit(1)  # never back into the parent's loop
    run_main(job)


# `python -m mcpscale ARGS` in this process, then its exit, as the interpreter does.
def run_main(job):
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


# A `python -m mcpscale` that runs on while the test talks to it: its standard streams are a
# pseudo-terminal (its controlling terminal, as in a shell) or FIFOs the test reads.
def live_child(job, ready):
    enter(job)
    if job["tty"]:
        terminal = os.open(job["tty"], os.O_RDWR)  # after setsid: the controlling terminal
        for fd in (0, 1, 2):
            os.dup2(terminal, fd)
        os.close(terminal)
    else:
        for fd, name, flags in ((0, os.devnull, os.O_RDONLY), (1, job["stdout"], os.O_WRONLY),
                                (2, job["stderr"], os.O_WRONLY)):
            target = os.open(name, flags)
            os.dup2(target, fd)
            os.close(target)
    # Standard streams as a new interpreter makes them for these files: line-buffered on a
    # terminal (stderr always), block-buffered on a pipe.
    streams = []
    for fd, mode, like in ((0, "r", sys.__stdin__), (1, "w", sys.__stdout__),
                           (2, "w", sys.__stderr__)):
        raw = io.FileIO(fd, mode, closefd=False)
        raw.name = ("<stdin>", "<stdout>", "<stderr>")[fd]
        buffer = io.BufferedReader(raw) if mode == "r" else io.BufferedWriter(raw)
        streams.append(io.TextIOWrapper(buffer, like.encoding, like.errors, "\n",
                                        line_buffering=fd == 2 or os.isatty(fd)))
    sys.stdin, sys.stdout, sys.stderr = streams
    sys.__stdin__, sys.__stdout__, sys.__stderr__ = streams
    signal.signal(signal.SIGINT, signal.default_int_handler)
    for number in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(number, signal.SIG_DFL)
    signal.signal(signal.SIGPIPE, signal.SIG_IGN)
    os.write(ready, b"1")  # its streams are open: the test may read and type
    os.close(ready)
    run_main(job)


# A child's group has the child's pid once it has called setsid; before that, it has started
# nothing, and killing the child is enough.
def kill_group(pid):
    try:
        os.killpg(pid, signal.SIGKILL)
    except ProcessLookupError:
        os.kill(pid, signal.SIGKILL)


# Reaps child `pid`, killing its group first if it runs past `timeout` seconds.
def wait_for(pid, timeout):
    handle = os.pidfd_open(pid)
    killed = not select.select([handle], [], [], timeout)[0]
    if killed:
        kill_group(pid)
    _, status, usage = os.wait4(pid, 0)
    os.close(handle)
    return {"status": status, "maxrss_kb": usage.ru_maxrss, "killed": killed}


for line in requests:
    job = json.loads(line)
    if "preload" in job:  # more imports, for the children forked from now on
        load(job["preload"])
        replies.write("{}\n")
        replies.flush()
        continue
    if "wait" in job:  # a live child's end
        live.discard(job["wait"])
        replies.write(json.dumps(wait_for(job["wait"], job["timeout"])) + "\n")
        replies.flush()
        continue
    if job.get("live"):
        sys.stdout.flush()
        sys.stderr.flush()
        ready, ready_write = os.pipe()
        gc.freeze()
        pid = os.fork()
        if pid == 0:
            os.close(ready)
            live_child(job, ready_write)
        os.close(ready_write)
        select.select([ready], [], [], 30)
        os.close(ready)
        live.add(pid)
        replies.write(json.dumps({"pid": pid}) + "\n")
        replies.flush()
        continue
    sys.stdout.flush()
    sys.stderr.flush()
    started = time.monotonic()
    gc.freeze()
    pid = os.fork()
    if pid == 0:
        child(job)
    handle = os.pidfd_open(pid)
    killed = not select.select([handle], [], [], job["timeout"])[0]
    if killed:
        kill_group(pid)
    _, status, usage = os.wait4(pid, 0)
    os.close(handle)
    seconds = time.monotonic() - started
    replies.write(json.dumps({"status": status, "maxrss_kb": usage.ru_maxrss,
                              "seconds": seconds, "killed": killed}) + "\n")
    replies.flush()

for pid in live:  # the tests are done: nothing they started runs on
    try:
        os.killpg(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    except OSError:
        pass
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

    def __init__(self, preload: Sequence[str] = (), env: dict[str, str] | None = None) -> None:
        """`preload`: modules the parent imports besides, so the children start warm; `env`:
        the parent's environment (PYTHONPATH says which mcpscale it imports), else ours."""
        self._folder = tempfile.TemporaryDirectory(prefix="zygote-")
        requests_read, self._requests = os.pipe()
        self._replies, replies_write = os.pipe()
        # Started from an empty folder, so (unless `env` sets PYTHONPATH) it imports the
        # installed mcpscale as `python -m` run from a user's folder does. fds 3 and 4 carry
        # requests and replies.
        self._process = subprocess.Popen(
            [
                sys.executable,
                "-c",
                f"import os; os.dup2({requests_read}, 3); os.dup2({replies_write}, 4); "
                f"exec(compile({_PARENT!r}, 'zygote', 'exec'))",
                *preload,
            ],
            cwd=self._folder.name,
            stdin=subprocess.DEVNULL,
            pass_fds=(requests_read, replies_write),
            env=env,
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
        prelude: str = "",
    ) -> Run:
        """`python -m mcpscale ARGS` in `cwd`; `prelude`, Python code the child runs first (to
        replace a function, say), as `python -c` running it and then runpy would."""
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
        if prelude:
            job["prelude"] = prelude
        self._send.write(json.dumps(job) + "\n")
        self._send.flush()
        line = self._receive.readline()
        if not line:
            raise RuntimeError(f"the zygote stopped (exit {self._process.wait()})")
        reply = json.loads(line)
        status = reply["status"]
        code = os.waitstatus_to_exitcode(status)
        # A child killed before it opened them (a deadline shorter than its start) wrote nothing.
        out_text, err_text = (
            path.read_bytes().decode(errors="replace") if path.exists() else ""
            for path in (out, err)
        )
        run = Run(
            code=code,
            out=out_text,
            err=err_text,
            seconds=reply["seconds"],
            peak_mb=reply["maxrss_kb"] / 1024,
            killed=reply["killed"],
        )
        out.unlink(missing_ok=True)
        err.unlink(missing_ok=True)
        return run

    def _ask(self, job: dict[str, Any]) -> dict[str, Any]:
        self._send.write(json.dumps(job) + "\n")
        self._send.flush()
        line = self._receive.readline()
        if not line:
            raise RuntimeError(f"the zygote stopped (exit {self._process.wait()})")
        reply: dict[str, Any] = json.loads(line)
        return reply

    def preload(self, modules: Sequence[str]) -> None:
        """Imports `modules` in the parent too, for the children it forks from now on."""
        self._ask({"preload": list(modules)})

    def start(
        self,
        args: list[str],
        cwd: Path,
        env: dict[str, str],
        tty: str = "",
        stdout: str = "",
        stderr: str = "",
    ) -> int:
        """Forks `python -m mcpscale ARGS` and returns its pid once its standard streams are
        open: all three on the terminal device `tty` (its controlling terminal), or standard
        output and error on the FIFOs `stdout` and `stderr`, whose read ends must be open.
        The child runs on until `wait` reaps it; the zygote kills any left when it closes."""
        job = {"live": True, "args": args, "cwd": str(cwd), "env": env, "tty": tty,
               "stdout": stdout, "stderr": stderr}  # fmt: skip
        return int(self._ask(job)["pid"])

    def wait(self, pid: int, timeout: float = 10.0) -> tuple[int, bool]:
        """Child `pid`'s exit code (minus the signal's number when a signal ended it), and
        whether it was killed (its group, with SIGKILL) for running past `timeout` seconds."""
        reply = self._ask({"wait": pid, "timeout": timeout})
        return os.waitstatus_to_exitcode(reply["status"]), bool(reply["killed"])

    def fifo(self) -> str:
        """A new FIFO's path in the zygote's folder."""
        self._count += 1
        path = os.path.join(self._folder.name, f"{self._count}.fifo")
        os.mkfifo(path, 0o600)
        return path

    def close(self) -> None:
        self._send.close()
        self._process.wait(timeout=10)
        self._receive.close()
        self._folder.cleanup()


class Live:
    """A `python -m mcpscale` forked from a zygote that runs on while the test talks to it, as
    `subprocess.Popen(..., stdout=PIPE, stderr=PIPE, text=True)` would start it: `stdout` and
    `stderr` are pipes (FIFOs) read here; `pid`, `send_signal`, `poll` and `communicate` as
    Popen's. Its output must fit in a pipe (64 KiB) until `communicate`, which waits first."""

    def __init__(self, zygote: Zygote, args: list[str], cwd: Path, env: dict[str, str]) -> None:
        self._zygote = zygote
        paths = zygote.fifo(), zygote.fifo()
        # Opened before the child opens them for writing, so neither side waits for the other.
        fds = [os.open(path, os.O_RDONLY | os.O_NONBLOCK) for path in paths]
        self.pid = zygote.start(args, cwd, env, stdout=paths[0], stderr=paths[1])
        for fd, path in zip(fds, paths, strict=True):
            os.set_blocking(fd, True)
            os.unlink(path)
        # Open as long as the child runs, as Popen's pipes are; `communicate` closes them.
        self.stdout, self.stderr = (open(fd, encoding="utf-8", errors="replace") for fd in fds)  # noqa: SIM115
        self.returncode: int | None = None

    def send_signal(self, number: int) -> None:
        if self.returncode is None:
            os.kill(self.pid, number)

    def poll(self) -> int | None:
        if self.returncode is None:
            handle = os.pidfd_open(self.pid)
            try:
                if select.select([handle], [], [], 0)[0]:
                    self.returncode, _ = self._zygote.wait(self.pid)
            finally:
                os.close(handle)
        return self.returncode

    def communicate(self, timeout: float = 10.0) -> tuple[str, str]:
        """Waits for the end (past `timeout` seconds the child is killed and this raises
        subprocess.TimeoutExpired), then reads the rest of both streams."""
        if self.returncode is None:
            self.returncode, killed = self._zygote.wait(self.pid, timeout)
            if killed:
                raise subprocess.TimeoutExpired(["mcpscale"], timeout)
        out, err = self.stdout.read(), self.stderr.read()
        self.stdout.close()
        self.stderr.close()
        return out, err


class PtyChild(fdspawn):  # type: ignore[misc]
    """`python -m mcpscale ARGS` forked from a zygote onto a new pseudo-terminal of `rows` x
    `columns`, its controlling terminal, as pexpect.spawn starts it: read and typed through
    pexpect's fdspawn, and like pexpect.spawn it has `pid`, `sendintr`, `kill`, and, once
    closed, `exitstatus` or `signalstatus`."""

    def __init__(
        self,
        zygote: Zygote,
        args: list[str],
        cwd: Path,
        env: dict[str, str],
        rows: int,
        columns: int,
        **options: Any,
    ) -> None:
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        try:
            self.pid = zygote.start(args, cwd, env, tty=os.ttyname(slave))
        finally:
            os.close(slave)  # the child's copies are the only ones: its exit is our EOF
        super().__init__(master, **options)
        self._zygote = zygote
        self.exitstatus: int | None = None
        self.signalstatus: int | None = None

    def sendintr(self) -> None:
        """Types the terminal's interrupt character (Ctrl-C)."""
        self.send(termios.tcgetattr(self.child_fd)[6][termios.VINTR].decode())

    def kill(self, number: int) -> None:
        os.kill(self.pid, number)

    def close(self) -> None:
        """Closes the terminal (a child still running gets SIGHUP) and reaps the child."""
        if self.child_fd != -1:
            super().close()
        if self.exitstatus is None and self.signalstatus is None:
            code, _ = self._zygote.wait(self.pid)
            if code < 0:
                self.signalstatus = -code
            else:
                self.exitstatus = code


# What the live workshop and the interviews import besides what every command does: a
# zygote that has these starts those commands warm.
LIVE_MODULES = (
    "typer._adapters", "mcpscale.cli.interview", "mcpscale.interview.terminal",
    "mcpscale.web.serve", "uvicorn", "uvicorn.protocols.http.h11_impl", "segno", "jinja2",
    "mcpscale.render.results",
)  # fmt: skip
# What a report and its charts import besides (a second and more): `preload` them where a
# test runs reports over and over.
REPORT_MODULES = (
    "mcpscale.render.report.html", "mcpscale.render.charts", "matplotlib.font_manager",
    "matplotlib.ticker",
)  # fmt: skip

# Every mcpscale module, and the libraries commands import only when they need them (the
# charts' text metrics and ticks, spreadsheets, documents, validation, prompts): the shared
# zygote's children run hundreds of commands (the hostile corpus, the bounds), and each
# imported these again. Found by listing what the children imported. PDF rendering
# (WeasyPrint) and the MCP SDK are left out: few children use them, and a child's peak
# memory counts what the parent holds.
COMMAND_MODULES = (
    "mcpscale.*", "rich.console", "rich.table", "rich.columns", "rich._emoji_codes",
    "typer._adapters", "typer._click.decorators", "pydantic.type_adapter", "getpass",
    "numpy", "matplotlib.font_manager", "matplotlib.ticker", "PIL.PngImagePlugin", "openpyxl",
    "docx", "jinja2",
)  # fmt: skip
_SHARED: list[Zygote] = []
_WARM: list[Zygote] = []


def shared() -> Zygote:
    """This test process's one zygote, started on first use and stopped at exit."""
    if not _SHARED:
        _SHARED.append(Zygote(preload=COMMAND_MODULES))
        atexit.register(_SHARED[0].close)
    return _SHARED[0]


def warm() -> Zygote:
    """This test process's zygote that has imported every mcpscale module and LIVE_MODULES,
    started on first use and stopped at exit (killing any child still running). Its first
    child waits for those imports: a test that times its runs calls `preload` first, which
    returns after them."""
    if not _WARM:
        # This checkout's mcpscale, as the tests that started `python -m mcpscale` with
        # PYTHONPATH set to it ran; it imports while the caller goes on.
        env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
        _WARM.append(Zygote(preload=("mcpscale.*", *LIVE_MODULES), env=env))
        atexit.register(_WARM[0].close)
    return _WARM[0]
