"""The one error policy, as a user meets it: 0 ok, 1 a gate, 2 bad input, 3 a bug, 130 Ctrl-C.

A bug prints one line naming the log; the log holds the traceback, never a secret."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mcpscale.cli import app
from mcpscale.cli.errors import log_dir, redact_command_line
from mcpscale.evidence.secrets import REDACTED

from .conftest import ACME, TINY, Cli
from .zygote import Run, warm

SECRET = "sk-secret-0123456789abcdefXYZ"
# Replaces one core function with a crash before mcpscale runs: a bug on demand.
CRASH = """\
import {module} as target

def crash(*args, **kwargs):
    raise RuntimeError(f"unexpected {{args!r}}")

target.{function} = crash
"""


def mcpscale(*args: str | Path, env: dict[str, str], crash: str | None = None) -> Run:
    """Run `python -m mcpscale ARGS` as its own process, forked from a warmed parent;
    crash='module:function' makes that function raise."""
    prelude = ""
    if crash is not None:
        module, function = crash.split(":")
        prelude = CRASH.format(module=module, function=function)
    return warm().run(
        [*map(str, args)], Path.cwd(), {**os.environ, **env}, timeout=120, prelude=prelude
    )


def test_a_bug_exits_3_with_one_line_and_the_traceback_in_the_log(tmp_path: Path) -> None:
    result = mcpscale(
        "score", ACME / "answers",
        env={"MCPSCALE_LOG_DIR": str(tmp_path)}, crash="mcpscale.pipeline:score_files",
    )  # fmt: skip
    log = tmp_path / "mcpscale.log"
    assert result.code == 3
    assert result.out == ""
    assert len(result.err.splitlines()) == 1
    assert result.err.startswith("internal error: RuntimeError: unexpected (")
    assert result.err.rstrip().endswith(f"; details in {log}")
    assert "Traceback" not in result.err and "╭" not in result.err  # nor typer's pretty one
    text = log.read_text()
    assert f"command: mcpscale score {ACME / 'answers'}\n" in text
    assert "Traceback (most recent call last):" in text
    assert "RuntimeError: unexpected" in text
    assert f"Python {sys.version_info.major}.{sys.version_info.minor}." in text
    assert text.startswith("--- ") and "mcpscale 0." in text


def test_mcpscale_debug_also_shows_the_traceback(tmp_path: Path) -> None:
    result = mcpscale(
        "score", ACME / "answers",
        env={"MCPSCALE_LOG_DIR": str(tmp_path), "MCPSCALE_DEBUG": "1"},
        crash="mcpscale.pipeline:score_files",
    )  # fmt: skip
    assert result.code == 3
    assert result.err.startswith("Traceback (most recent call last):")
    assert result.err.splitlines()[-1].startswith("internal error: RuntimeError: unexpected")
    assert "Traceback" in (tmp_path / "mcpscale.log").read_text()


def test_the_log_never_holds_a_secret_from_the_command_line(tmp_path: Path) -> None:
    # The crash's message repeats the header it was given, as a careless library might.
    result = mcpscale(
        "evidence", "probe", "--url", "http://127.0.0.1:9/mcp",
        "--header", f"Authorization: Bearer {SECRET}", "-H", "X-Team: plain-value-1234",
        env={"MCPSCALE_LOG_DIR": str(tmp_path)}, crash="mcpscale.evidence.probe:probe",
    )  # fmt: skip
    text = (tmp_path / "mcpscale.log").read_text()
    assert result.code == 3, result.err
    assert "Traceback" in text and "RuntimeError: unexpected" in text
    assert (
        "command: mcpscale evidence probe --url http://127.0.0.1:9/mcp "
        f"--header 'Authorization: {REDACTED}' -H 'X-Team: {REDACTED}'\n"
    ) in text
    for leaked in (SECRET, "plain-value-1234"):
        assert leaked not in text
        assert leaked not in result.err


def test_a_bug_in_process_goes_through_the_same_policy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object) -> None:
        raise KeyError("dimension")

    monkeypatch.setattr("mcpscale.pipeline.plan_files", broken)
    monkeypatch.setenv("MCPSCALE_LOG_DIR", str(tmp_path))
    result = CliRunner().invoke(app, ["plan", str(ACME / "answers"), "-p", "x.yaml"])
    assert result.exit_code == 3
    assert result.stderr == (
        f"internal error: KeyError: 'dimension'; details in {tmp_path / 'mcpscale.log'}\n"
    )
    again = CliRunner().invoke(app, ["plan", str(ACME / "answers"), "-p", "y.yaml"])
    assert again.exit_code == 3
    entries = (tmp_path / "mcpscale.log").read_text().split("\n--- ")
    assert len(entries) == 2, "the log is appended to, one entry per crash"
    assert "y.yaml" in entries[1] and "KeyError: 'dimension'" in entries[1]


def test_ctrl_c_outside_an_interview_exits_130_with_one_line(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def interrupted(*args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("mcpscale.pipeline.score_files", interrupted)
    result = CliRunner().invoke(app, ["score", str(ACME / "answers")])
    assert (result.exit_code, result.stderr) == (130, "interrupted\n")


BAD_EPOCH = [
    "error: SOURCE_DATE_EPOCH='abc' is not a whole number of seconds since 1970-01-01; "
    "set it to one (e.g. $(git log -1 --format=%ct)) or unset it"
]


@pytest.mark.parametrize("suffix", [".md", ".html"])
def test_a_malformed_source_date_epoch_is_bad_input_for_a_report(
    tmp_path: Path, suffix: str
) -> None:
    result = mcpscale(
        "report", ACME / "answers", "--output", tmp_path / f"report{suffix}",
        env={"SOURCE_DATE_EPOCH": "abc", "MCPSCALE_LOG_DIR": str(tmp_path)},
    )  # fmt: skip
    assert (result.code, result.err.splitlines()) == (2, BAD_EPOCH)
    assert not (tmp_path / "mcpscale.log").exists()


def test_a_chart_reads_no_clock_so_a_malformed_source_date_epoch_changes_nothing(
    cli: Cli, tmp_path: Path
) -> None:
    """Charts are painted from shapes (render.drawing), with no date in the file: matplotlib,
    which read SOURCE_DATE_EPOCH itself and crashed on a malformed one, no longer writes them."""
    scored = cli("score", ACME / "answers", "-f", "json", "-o", tmp_path / "r.json")
    assert scored.exit_code == 0, scored.output
    for suffix in (".png", ".svg"):
        written = []
        for epoch in ("abc", "0"):
            output = tmp_path / f"trend-{epoch}{suffix}"
            result = mcpscale(
                "trend", tmp_path / "r.json", "--output", output,
                env={"SOURCE_DATE_EPOCH": epoch, "MCPSCALE_LOG_DIR": str(tmp_path)},
            )  # fmt: skip
            assert result.code == 0 and "Traceback" not in result.err, result.err
            written.append(output.read_bytes())
        assert written[0] == written[1]


def test_an_interview_with_a_malformed_source_date_epoch_is_bad_input(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1.5")
    result = cli(
        "assess", "-q", TINY, "--respondent", "Ana", "--role", "CTO", "--no-notes",
        "-o", tmp_path / "ana.yaml", input="1\n" * 20,
    )  # fmt: skip
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1].startswith("error: SOURCE_DATE_EPOCH='1.5' is not")


def test_a_failed_gate_exits_1_and_bad_input_2_without_a_log(tmp_path: Path) -> None:
    env = {"MCPSCALE_LOG_DIR": str(tmp_path)}
    gate = mcpscale("score", ACME / "answers", "--fail-under", "4.5", env=env)
    assert gate.code == 1
    assert gate.err.splitlines()[-1].startswith("gate failed: overall score ")
    bad = mcpscale("score", tmp_path / "missing.yaml", env=env)
    missing = tmp_path / "missing.yaml"
    assert (bad.code, bad.err) == (2, f"error: {missing}: no such file or directory\n")
    usage = mcpscale("score", "--no-such-option", env=env)  # typer's own usage error
    assert usage.code == 2 and "No such option: --no-such-option" in usage.err
    assert not (tmp_path / "mcpscale.log").exists()


def test_validate_exits_1_for_an_invalid_file_and_version_0(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("kind: answers\n")
    assert cli("validate", tmp_path / "a.yaml", "-q", TINY / "questionnaire.yaml").exit_code == 1
    assert cli("--version").exit_code == 0


def test_the_log_folder_follows_mcpscale_log_dir_then_xdg_state_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("MCPSCALE_LOG_DIR")
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("XDG_STATE_HOME", raising=False)
    assert log_dir() == tmp_path / ".local" / "state" / "mcpscale"
    monkeypatch.setenv("XDG_STATE_HOME", "relative/is/ignored")
    assert log_dir() == tmp_path / ".local" / "state" / "mcpscale"
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    assert log_dir() == tmp_path / "state" / "mcpscale"
    monkeypatch.setenv("MCPSCALE_LOG_DIR", str(tmp_path / "logs"))
    assert log_dir() == tmp_path / "logs"


def test_an_unwritable_log_folder_falls_back_to_the_temp_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "a-file").write_text("")
    monkeypatch.setenv("MCPSCALE_LOG_DIR", str(tmp_path / "a-file" / "logs"))
    monkeypatch.setenv("TMPDIR", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    result = mcpscale("score", ACME / "answers", env={}, crash="mcpscale.pipeline:score_files")
    assert result.code == 3
    [log] = (tmp_path / "tmp").glob("mcpscale-*.log")
    assert result.err.rstrip().endswith(f"; details in {log}")
    assert "Traceback" in log.read_text()


@pytest.mark.parametrize(
    ("argv", "shown"),
    [
        (["--header", "Authorization: Bearer ab12"], ["--header", f"Authorization: {REDACTED}"]),
        (["-H", "X-Api-Key:k3y-value"], ["-H", f"X-Api-Key: {REDACTED}"]),
        (["--header=Cookie: s=abcdef"], [f"--header=Cookie: {REDACTED}"]),
        (["-HX-Team: blue-team"], [f"-HX-Team: {REDACTED}"]),
        (["--", "server", "--api-key", "k1-long"], ["--", "server", "--api-key", REDACTED]),
        (["--", "server", "TOKEN=abcdef"], ["--", "server", f"TOKEN={REDACTED}"]),
        (["score", "answers/", "-o", "out.json"], ["score", "answers/", "-o", "out.json"]),
    ],
)  # fmt: skip
def test_a_logged_command_line_hides_headers_and_credentials(
    argv: list[str], shown: list[str]
) -> None:
    assert redact_command_line(argv)[0] == shown
