"""`python -I -S forked.py SOCKET SCRIPT ARGS...`: `python SCRIPT ARGS`, forked from a warm parent.

The launcher of warm.py, kept to the standard library so it starts in milliseconds: it hands
its standard streams, working folder and environment to the warm parent listening on SOCKET,
which forks SCRIPT wired to them. It then waits, passing on the signals it gets, and exits with
the server's status, or dies of the signal that ended the server. If it dies first, even by
SIGKILL, the parent sees its socket close and kills the server.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import sys


def main() -> None:
    path, script, *args = sys.argv[1:]
    connection = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    connection.connect(path)
    request = {"script": script, "args": args, "cwd": os.getcwd(), "env": dict(os.environ)}
    socket.send_fds(connection, [json.dumps(request).encode()], [0, 1, 2])
    # The server holds the streams now: the end of its stdout is its own, not held open here.
    complaints = os.fdopen(os.dup(2), "w")
    nothing = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(nothing, fd)
    os.close(nothing)
    started = connection.recv(4096)
    if not started:
        complaints.write("forked.py: the warm parent did not start the server\n")
        sys.exit(1)
    pid = json.loads(started)["pid"]

    def forward(number: int, _frame: object) -> None:
        with contextlib.suppress(ProcessLookupError):  # ended already: its status is on its way
            os.kill(pid, number)

    for number in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(number, forward)
    ended = connection.recv(4096)
    if not ended:
        complaints.write("forked.py: the warm parent stopped before the server\n")
        sys.exit(1)
    status = json.loads(ended)["status"]
    if os.WIFSIGNALED(status):
        ending = os.WTERMSIG(status)
        if ending != signal.SIGKILL:
            signal.signal(ending, signal.SIG_DFL)
        os.kill(os.getpid(), ending)
    sys.exit(os.waitstatus_to_exitcode(status))


if __name__ == "__main__":
    main()
