"""`mcpscale ARGS` in a real pseudo-terminal, its output drawn on a pyte screen: the tests read
what a person would see, and type what they would type. The process is forked from a warmed
parent (tests/zygote.py) onto the terminal, as its controlling terminal: a real `python -m
mcpscale`, without half a second of interpreter start-up per run."""

from __future__ import annotations

import contextlib
import os
import re
import time
from collections.abc import Callable, Sequence

import pexpect
import pyte

from .conftest import ROOT
from .zygote import PtyChild, warm

TIMEOUT = 20  # seconds for any one screen
COLUMNS, ROWS = 100, 40


class Terminal:
    """`mcpscale ARGS` in a pty of `rows` x `columns`, drawn on a pyte screen of that size."""

    def __init__(self, args: Sequence[str], rows: int = ROWS, columns: int = COLUMNS) -> None:
        env = dict(os.environ, PYTHONPATH=str(ROOT), SOURCE_DATE_EPOCH="1767225600", TERM="xterm")
        self.screen = pyte.Screen(columns, rows)
        self.stream = pyte.ByteStream(self.screen)
        self.child = PtyChild(warm(), list(args), ROOT, env, rows, columns, timeout=TIMEOUT)
        self.child.logfile_read = self  # every byte read is drawn on the screen

    def write(self, data: bytes) -> None:
        self.stream.feed(data)

    def flush(self) -> None:
        pass

    def expect(self, text: str) -> None:
        """Reads on until `text` is printed, whatever colours its characters are printed in."""
        style = rb"(?:\x1b\[[0-9;]*m)*"
        pattern = style.join(re.escape(char.encode()) for char in text)
        self.child.expect(re.compile(pattern))

    def send(self, keys: str) -> None:
        self.child.send(keys.encode())

    def wait_for(self, shown: Callable[[list[str]], bool]) -> list[str]:
        """The screen's lines once `shown` holds for them (or the test fails after TIMEOUT)."""
        deadline = time.monotonic() + TIMEOUT
        while not shown(self.lines()):
            assert time.monotonic() < deadline, "\n".join(self.lines())
            with contextlib.suppress(pexpect.TIMEOUT):
                self.child.read_nonblocking(4096, timeout=0.1)
        return self.lines()

    def lines(self) -> list[str]:
        return [line.rstrip() for line in self.screen.display]

    def ended(self) -> int:
        """Reads to the end of output; the exit status."""
        self.child.expect(pexpect.EOF)
        self.child.close()
        status = self.child.exitstatus
        assert status is not None
        return int(status)

    def quit(self) -> None:
        """Save and quit at the next answer prompt."""
        self.expect("Answer")
        self.send("q\r")
        assert self.ended() == 0
