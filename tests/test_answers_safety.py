"""Nothing lost, nothing spoofed: two processes on one answers file, forms onto filled files,
files only opened, a role changed on resume, and a save that fails halfway through."""

from __future__ import annotations

import os
from pathlib import Path

import pexpect
import pytest

from mcpscale.inputs.yaml import load_yaml

from .conftest import ROOT, TINY, Cli
from .zygote import PtyChild, warm

TIMEOUT = 20
ANA = """kind: answers
questionnaire: tiny@2
respondent: {name: Ana, role: CTO}
assessed_at: 2025-03-01
answers:
  tech.a: all
  tech.b: {choice: some, note: "p95 is only on a dashboard"}
"""


@pytest.fixture(autouse=True)
def fixed_date(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01


def spawn(output: Path, *extra: str) -> PtyChild:
    """`mcpscale assess` on a new 100 x 40 pseudo-terminal, forked from a warmed parent."""
    env = dict(os.environ, PYTHONPATH=str(ROOT), SOURCE_DATE_EPOCH="1767225600", TERM="xterm")
    args = ["assess", "--questionnaire", str(TINY), "--respondent", "Ana"]
    args += ["--role", "CTO", "--output", str(output), "--no-notes", *extra]
    args += ["--profile", str(TINY / "profile.yaml")]
    return PtyChild(warm(), args, ROOT, env, 40, 100, encoding="utf-8", timeout=TIMEOUT)


def assess(cli: Cli, output: Path, keys: list[str], *extra: str, role: str = "CTO") -> object:
    return cli(
        "assess",
        "--questionnaire",
        TINY,
        "--respondent",
        "Ana",
        "--role",
        role,
        "--output",
        output,
        "--no-notes",
        "--profile",
        TINY / "profile.yaml",
        *extra,
        input="".join(f"{k}\n" for k in keys),
    )


def answers(path: Path) -> dict:
    data = load_yaml(path).data
    assert isinstance(data, dict)
    return data["answers"]


def form_csv(path: Path, rows: dict[str, str]) -> Path:
    lines = ["id,answer"] + [f"{qid},{choice}" for qid, choice in rows.items()]
    path.write_text("\n".join(lines) + "\n")
    return path


# ---------------------------------------------------------------- two processes, one file


def test_a_second_assess_on_an_open_file_exits_2_naming_who_has_it(
    cli: Cli, tmp_path: Path
) -> None:
    output = tmp_path / "ana.yaml"
    first = spawn(output)
    first.expect("Question 1 of 4")
    first.expect("Answer")
    second = assess(cli, output, ["1", "q"])
    assert second.exit_code == 2
    assert f"error: {output} is open in another mcpscale assess (pid {first.pid}" in second.stderr
    assert "finish or quit that one first" in second.stderr
    assert "Saved and quit" not in second.output
    first.sendline("2")
    first.expect("Question 2 of 4")
    first.expect("Answer")
    first.sendline("q")
    first.expect("Saved and quit")
    first.expect(pexpect.EOF)
    first.close()
    assert answers(output) == {"tech.a": "some"}
    assert not (tmp_path / ".ana.yaml.lock").exists()
    after = assess(cli, output, ["4", "q"])  # free again once the first one quit
    assert after.exit_code == 0, after.output
    assert answers(output) == {"tech.a": "some", "tech.b": "all"}


def test_a_lock_file_left_by_a_killed_process_does_not_block(cli: Cli, tmp_path: Path) -> None:
    output = tmp_path / "ana.yaml"
    (tmp_path / ".ana.yaml.lock").write_text('{"pid": 99999, "command": "assess"}')
    result = assess(cli, output, ["3", "q"])
    assert result.exit_code == 0, result.output
    assert answers(output) == {"tech.a": "most"}


# ---------------------------------------------------------------- forms onto existing files


def test_form_import_onto_an_existing_file_is_refused_without_force(
    cli: Cli, tmp_path: Path
) -> None:
    output = tmp_path / "ana.yaml"
    output.write_text(ANA)
    form = form_csv(tmp_path / "form.csv", {"tech.a": "none", "people.b": "some"})
    common = ["form", "import", form, "-q", TINY, "--respondent", "Ana", "--role", "CTO"]
    refused = cli(*common, "-o", output)
    assert refused.exit_code == 2
    assert "already exists; pass --merge" in refused.stderr
    assert output.read_text() == ANA
    forced = cli(*common, "-o", output, "--force")
    assert forced.exit_code == 0, forced.output
    assert answers(output) == {"tech.a": "none", "people.b": "some"}


def test_form_import_merge_keeps_anas_answers_and_fills_only_blanks(
    cli: Cli, tmp_path: Path
) -> None:
    output = tmp_path / "ana.yaml"
    output.write_text(ANA)
    form = form_csv(tmp_path / "form.csv", {"tech.a": "none", "people.b": "some"})
    merged = cli(
        *["form", "import", form, "-q", TINY, "--respondent", "Ana", "--role", "CTO"],
        *["-o", output, "--merge"],
    )
    assert merged.exit_code == 0, merged.output
    assert "filled 1 unanswered question" in merged.stderr
    assert "1 already answered there kept their answer" in merged.stderr
    assert answers(output) == {
        "tech.a": "all",
        "tech.b": {"choice": "some", "note": "p95 is only on a dashboard"},
        "people.b": "some",
    }


def test_form_import_merge_requires_the_same_respondent(cli: Cli, tmp_path: Path) -> None:
    output = tmp_path / "ana.yaml"
    output.write_text(ANA)
    form = form_csv(tmp_path / "form.csv", {"people.b": "some"})
    result = cli(
        *["form", "import", form, "-q", TINY, "--respondent", "Ben", "--role", "CISO"],
        *["-o", output, "--merge"],
    )
    assert result.exit_code == 2
    assert "holds the answers of 'Ana', not 'Ben'" in result.stderr
    assert output.read_text() == ANA


def test_form_export_refuses_to_overwrite_a_form(cli: Cli, tmp_path: Path) -> None:
    form = form_csv(tmp_path / "form.csv", {"tech.a": "none"})
    before = form.read_text()
    refused = cli("form", "export", "-q", TINY, "-o", form)
    assert refused.exit_code == 2
    assert "already exists" in refused.stderr and "--force" in refused.stderr
    assert form.read_text() == before
    assert cli("form", "export", "-q", TINY, "-o", form, "--force").exit_code == 0
    assert form.read_text() != before


# ---------------------------------------------------------------- opening is not answering


def test_opening_and_quitting_leaves_the_file_byte_identical(cli: Cli, tmp_path: Path) -> None:
    output = tmp_path / "ana.yaml"
    output.write_text("# Ana's interview, by hand\n" + ANA)
    before = output.stat().st_mtime_ns
    result = assess(cli, output, ["q"])
    assert result.exit_code == 0, result.output
    assert output.read_text() == "# Ana's interview, by hand\n" + ANA
    assert output.stat().st_mtime_ns == before
    review = assess(cli, output, ["", "", "q"], "--review")  # Enter keeps each answer
    assert review.exit_code == 0, review.output
    assert output.read_text() == "# Ana's interview, by hand\n" + ANA


def test_a_changed_answer_moves_assessed_at(cli: Cli, tmp_path: Path) -> None:
    output = tmp_path / "ana.yaml"
    output.write_text(ANA)
    assert assess(cli, output, ["2", "q"]).exit_code == 0
    assert str(load_yaml(output).data["assessed_at"]) == "2026-01-01"


# ---------------------------------------------------------------- role on resume


def test_a_changed_role_is_refused_when_piped(cli: Cli, tmp_path: Path) -> None:
    output = tmp_path / "ana.yaml"
    output.write_text(ANA)
    result = assess(cli, output, ["2", "q"], role="CISO")
    assert result.exit_code == 2
    assert "was saved with role CTO -> CISO" in result.stderr
    assert "--role 'CTO'" in result.stderr and "--update-role" in result.stderr
    assert output.read_text() == ANA


def test_update_role_changes_the_role_and_keeps_the_date(cli: Cli, tmp_path: Path) -> None:
    output = tmp_path / "ana.yaml"
    output.write_text(ANA)
    result = assess(cli, output, ["q"], "--update-role", role="CISO")
    assert result.exit_code == 0, result.output
    data = load_yaml(output).data
    assert data["respondent"]["role"] == "CISO"
    assert str(data["assessed_at"]) == "2025-03-01"


def test_a_changed_role_is_asked_at_a_terminal_and_n_keeps_it(tmp_path: Path) -> None:
    output = tmp_path / "ana.yaml"
    output.write_text(ANA.replace("CTO", "CFO"))
    child = spawn(output)
    child.expect(r"Ana was saved with role CFO -> CTO\. Change it\?")
    child.expect("y/N")
    child.sendline("")
    child.expect("Keeping Ana's saved role")
    child.expect("Answer")
    child.sendline("q")
    child.expect("Resume with:")
    child.expect("--role CFO")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert output.read_text() == ANA.replace("CTO", "CFO")


# ---------------------------------------------------------------- a save that fails


def test_a_failed_save_when_piped_keeps_the_answer_and_prints_the_resume_command(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import mcpscale.interview.answers_file as answers_file

    output = tmp_path / "ana.yaml"
    output.write_text(ANA)

    def disk_full(path: Path, text: str | bytes) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(answers_file, "write_atomic", disk_full)
    result = assess(cli, output, ["2", "3", "q"])
    assert result.exit_code == 2
    assert f"could not save {output}: No space left on device" in result.output
    assert "the answers are kept in memory" in result.output
    assert "type them again when you resume" in result.output
    assert "people.a: " in result.output  # the answer just typed, shown to retype
    assert "Resume with: mcpscale assess" in result.output
    assert "Traceback" not in result.output
    assert output.read_text() == ANA


def test_a_failed_save_at_a_terminal_retries_once_the_folder_is_back(tmp_path: Path) -> None:
    folder = tmp_path / "answers"
    folder.mkdir()
    output = folder / "ana.yaml"
    child = spawn(output)
    child.expect("Question 1 of 4")
    child.expect("Answer")
    # The folder goes away and a file takes its name: no write can succeed there, even as root.
    aside = tmp_path / "answers-aside"
    folder.rename(aside)
    folder.write_text("not a folder")
    child.sendline("3")
    child.expect("could not save")
    child.expect("kept in memory")
    child.expect("r retry, s save elsewhere, q quit")
    folder.unlink()
    aside.rename(folder)
    child.sendline("r")
    child.expect("Question 2 of 4")
    child.expect("Answer")
    child.sendline("q")
    child.expect("Saved and quit")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert answers(output) == {"tech.a": "most"}


def test_a_failed_save_at_a_terminal_can_save_elsewhere(tmp_path: Path) -> None:
    folder = tmp_path / "answers"
    folder.mkdir()
    output = folder / "ana.yaml"
    elsewhere = tmp_path / "ana-elsewhere.yaml"
    child = spawn(output)
    child.expect("Answer")
    folder.rename(tmp_path / "answers-aside")
    folder.write_text("not a folder")
    child.sendline("4")
    child.expect("r retry, s save elsewhere, q quit")
    child.sendline("s")
    child.expect("Save to which file")
    child.sendline(str(elsewhere))
    child.expect("Question 2 of 4")
    child.expect("Answer")
    child.sendline("q")
    child.expect("Resume with:")
    child.expect("ana-elsewhere")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert answers(elsewhere) == {"tech.a": "all"}
