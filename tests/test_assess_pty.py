"""`mcpscale assess` in a real pseudo-terminal: Ctrl-C midway keeps a valid file that resumes."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pexpect

from mcpscale.inputs.yaml import load_yaml

from .conftest import ROOT, TINY, Cli
from .zygote import PtyChild, warm

TIMEOUT = 20  # seconds for any one screen; start-up imports rich and pydantic


def spawn(output: Path) -> PtyChild:
    """`mcpscale assess` on a new 100 x 40 pseudo-terminal, forked from a warmed parent."""
    env = dict(os.environ, PYTHONPATH=str(ROOT), SOURCE_DATE_EPOCH="1767225600", TERM="xterm")
    args = ["assess", "--questionnaire", str(TINY), "--profile", str(TINY / "profile.yaml")]
    args += ["--respondent", "Ana Silva", "--role", "CTO", "--output", str(output)]
    return PtyChild(warm(), args, ROOT, env, 40, 100, encoding="utf-8", timeout=TIMEOUT)


def answer(child: PtyChild, number: int, key: str, note: str = "") -> None:
    """Answer question `number` of 4 with `key`, then the note and evidence prompts."""
    child.expect(f"Question {number} of 4")
    child.expect("Answer")
    child.sendline(key)
    child.expect("Note")
    child.sendline(note)
    child.expect("Evidence link")
    child.sendline("")


def test_ctrl_c_midway_saves_a_valid_file_and_the_same_command_resumes(
    cli: Cli, tmp_path: Path
) -> None:
    output = tmp_path / "ana.yaml"
    child = spawn(output)
    answer(child, 1, "3", "Scripts in the ops repo")
    child.expect("Question 2 of 4")
    child.expect("Answer")
    child.sendintr()  # Ctrl-C at the prompt
    child.expect("Interrupted:")
    child.expect("answers saved in")
    child.expect("Resume with:")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    assert load_yaml(output).data["answers"] == {
        "tech.a": {"choice": "most", "note": "Scripts in the ops repo"}
    }
    result = cli("validate", output, "--questionnaire", TINY)
    assert result.exit_code == 0, result.output

    child = spawn(output)
    child.expect("1 of 4 answered so far; resuming")
    for number, key in [(2, "4"), (3, "n"), (4, "some")]:
        answer(child, number, key)
    child.expect("Answers saved in")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert load_yaml(output).data["answers"] == {
        "tech.a": {"choice": "most", "note": "Scripts in the ops repo"},
        "tech.b": "all",
        "people.a": "na",
        "people.b": "some",
    }


def test_a_closed_terminal_saves_what_was_answered(cli: Cli, tmp_path: Path) -> None:
    output = tmp_path / "ana.yaml"
    child = spawn(output)
    answer(child, 1, "all")
    child.expect("Question 2 of 4")
    child.expect("Answer")
    child.kill(signal.SIGHUP)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    assert load_yaml(output).data["answers"] == {"tech.a": "all"}
    assert cli("validate", output, "--questionnaire", TINY).exit_code == 0
