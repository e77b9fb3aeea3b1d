"""The one error policy: what each way of stopping prints, logs, and exits with.

0 success; 1 a gate failed; 2 bad usage or input (one `error:` line per problem); 3 a bug
(one line naming the log that holds the traceback); 130 Ctrl-C. Typer's own exits pass
through: its usage errors already exit 2, `typer.Exit` carries its code."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import platform
import shlex
import tempfile
import traceback
from collections.abc import Iterator, Sequence
from pathlib import Path

import typer

from mcpscale import __version__
from mcpscale.errors import (
    EXIT_GATE_FAILED,
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    GateFailed,
    UserError,
)

LOG_DIR = "MCPSCALE_LOG_DIR"
DEBUG = "MCPSCALE_DEBUG"
LOG_NAME = "mcpscale.log"
HEADER_FLAGS = ("--header", "-H")


@contextlib.contextmanager
def error_policy(argv: Sequence[str]) -> Iterator[None]:
    """Run a command under the policy; `argv` is its command line, logged (redacted) on a bug."""
    try:
        yield
    except (KeyboardInterrupt, Exception) as exc:
        if type(exc).__module__.partition(".")[0] in ("typer", "click"):
            raise  # typer's own: usage errors (exit 2), typer.Exit (its code), aborts
        raise typer.Exit(stop(exc, argv)) from None


def stop(exc: BaseException, argv: Sequence[str]) -> int:
    """The policy: say what stopped the command, on stderr, and return the exit code."""
    if isinstance(exc, UserError):
        for line in str(exc).splitlines():
            typer.echo(f"error: {line}", err=True)
        return exc.exit_code
    if isinstance(exc, GateFailed):
        typer.echo(f"gate failed: {exc}", err=True)
        return EXIT_GATE_FAILED
    if isinstance(exc, KeyboardInterrupt):
        typer.echo("interrupted", err=True)
        return EXIT_INTERRUPTED
    typer.echo(report_internal_error(exc, argv), err=True)
    return EXIT_INTERNAL


def report_internal_error(exc: BaseException, argv: Sequence[str]) -> str:
    """Log the bug with its traceback; the one line to show (the traceback too with DEBUG)."""
    shown_args, secrets = redact_command_line(argv)
    details = _scrub("".join(traceback.format_exception(exc)), secrets)
    entry = (
        f"--- {dt.datetime.now(dt.UTC).isoformat(timespec='seconds')}\n"
        f"command: {shlex.join(['mcpscale', *shown_args])}\n"
        f"mcpscale {__version__}, Python {platform.python_version()} on {platform.platform()}\n"
        f"{details}\n"
    )
    if os.environ.get(DEBUG, "") not in ("", "0"):
        typer.echo(details, err=True, nl=False)
    summary = " ".join(_scrub(str(exc), secrets).split())
    what = f"{type(exc).__name__}: {summary}" if summary else type(exc).__name__
    try:
        where = f"details in {write_log(entry)}"
    except OSError as log_error:
        where = f"no log could be written ({log_error}); rerun with {DEBUG}=1 for the traceback"
    return f"internal error: {what}; {where}"


def log_dir() -> Path:
    """$MCPSCALE_LOG_DIR, else $XDG_STATE_HOME/mcpscale, else ~/.local/state/mcpscale."""
    if os.environ.get(LOG_DIR):
        return Path(os.environ[LOG_DIR])
    state = os.environ.get("XDG_STATE_HOME", "")
    if not os.path.isabs(state):  # the XDG spec: a relative path is invalid, ignore it
        state = str(Path.home() / ".local" / "state")
    return Path(state) / "mcpscale"


def write_log(entry: str) -> Path:
    """Append to mcpscale.log in log_dir(); when that cannot be written, a new file in temp."""
    try:
        folder = log_dir()
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        path = folder / LOG_NAME
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    except (OSError, RuntimeError):  # RuntimeError: no home directory to be found
        fd, name = tempfile.mkstemp(prefix="mcpscale-", suffix=".log")
        path = Path(name)
    with os.fdopen(fd, "w", encoding="utf-8") as log:
        log.write(entry)
    return path


def redact_command_line(argv: Sequence[str]) -> tuple[list[str], list[str]]:
    """The command line as it may be logged, and the secret values it held.

    Credentials are hidden as `mcpscale evidence` hides them in server command lines, and
    every --header/-H value is hidden whatever the header is called."""
    from mcpscale.evidence.secrets import REDACTED, redact_args

    shown = redact_args(argv)
    secrets: list[str] = []
    for index, (arg, redacted) in enumerate(zip(argv, shown, strict=True)):
        if redacted == REDACTED:
            secrets.append(arg)
        elif redacted.endswith(f"={REDACTED}"):
            secrets.append(arg.partition("=")[2])
        flag, header = _header_of(arg, argv[index - 1] if index else "")
        if header is not None:
            name, colon, value = header.partition(":")
            if colon and value.strip():
                secrets += [value.strip(), *value.split()[1:]]  # 'Bearer X': X alone too
                shown[index] = f"{flag}{name}: {REDACTED}"
    return shown, [secret for secret in secrets if len(secret) >= 4]


def _header_of(arg: str, previous: str) -> tuple[str, str | None]:
    """('prefix kept', 'Name: value') when arg is a header value, else ('', None)."""
    if previous in HEADER_FLAGS:
        return "", arg
    if arg.startswith("--header="):
        return "--header=", arg.removeprefix("--header=")
    if arg.startswith("-H") and not arg.startswith("--") and len(arg) > 2:
        return "-H", arg[2:]
    return "", None


def _scrub(text: str, secrets: Sequence[str]) -> str:
    from mcpscale.evidence.secrets import REDACTED, redact_tokens

    for secret in sorted(secrets, key=len, reverse=True):
        text = text.replace(secret, REDACTED)
    return redact_tokens(text)
