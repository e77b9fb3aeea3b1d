"""tests/terminal.py's Terminal, with `mcpscale` forked from a warmed parent (tests/zygote.py)
onto its pseudo-terminal instead of started as a new interpreter: the same screen, keys and
exit status, without half a second of start-up per run."""

from __future__ import annotations

import os
from collections.abc import Sequence

import pyte

from .conftest import ROOT
from .terminal import COLUMNS, ROWS, TIMEOUT, Terminal
from .zygote import PtyChild, warm


class ForkedTerminal(Terminal):
    def __init__(self, args: Sequence[str], rows: int = ROWS, columns: int = COLUMNS) -> None:
        env = dict(os.environ, PYTHONPATH=str(ROOT), SOURCE_DATE_EPOCH="1767225600", TERM="xterm")
        self.screen = pyte.Screen(columns, rows)
        self.stream = pyte.ByteStream(self.screen)
        self.child = PtyChild(warm(), list(args), ROOT, env, rows, columns, timeout=TIMEOUT)
        self.child.logfile_read = self  # every byte read is drawn on the screen
