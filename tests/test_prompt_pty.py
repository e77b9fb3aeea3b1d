"""The prompts in a real pseudo-terminal, read off the screen as a person sees it: Enter ends the
line, Backspace stops at the prompt, a paste fills one field, a stray line is no evidence link.
And the file names respondents get, whatever script their names are written in."""

from __future__ import annotations

from pathlib import Path

import pytest

from mcpscale.errors import UserError
from mcpscale.formats.answers import Respondent
from mcpscale.inputs.yaml import load_yaml
from mcpscale.interview.prompt import fold_lines, is_evidence_link
from mcpscale.interview.workshop import answers_files, parse_respondents, slugify

from .conftest import TINY
from .terminal import COLUMNS, Terminal

BACKSPACE = "\x7f"
PASTE_START, PASTE_END = "\x1b[200~", "\x1b[201~"


@pytest.fixture
def terminal(tmp_path: Path) -> Terminal:
    args = ["assess", "--questionnaire", str(TINY), "--profile", str(TINY / "profile.yaml")]
    args += ["--respondent", "Ana Silva", "--role", "CTO", "--output", str(tmp_path / "ana.yaml")]
    return Terminal(args)


def saved(terminal: Terminal, tmp_path: Path) -> object:
    terminal.quit()
    return load_yaml(tmp_path / "ana.yaml").data["answers"]


def test_an_empty_enter_at_the_note_ends_the_line(terminal: Terminal, tmp_path: Path) -> None:
    terminal.expect("Answer")
    terminal.send("3\r")
    terminal.expect("Note")
    terminal.send("\r")
    terminal.expect("Evidence link")
    lines = terminal.wait_for(lambda lines: "Evidence link (Enter to skip):" in lines)
    note = next(i for i, line in enumerate(lines) if line.startswith("Note"))
    assert lines[note] == "Note (Enter to skip):"  # nothing ran on after it
    assert lines[note + 1] == "Evidence link (Enter to skip):"  # the next prompt on its own line
    terminal.send("\r")
    assert saved(terminal, tmp_path) == {"tech.a": "most"}


def test_backspace_stops_at_the_prompt_even_across_a_wrapped_line(
    terminal: Terminal, tmp_path: Path
) -> None:
    terminal.expect("Answer")
    typed = "x" * (COLUMNS + 20)  # wraps onto a second line
    terminal.send(typed)
    terminal.wait_for(lambda lines: any(line == "x" * 28 for line in lines))
    terminal.send(BACKSPACE * (len(typed) + 5) + "3")
    lines = terminal.wait_for(lambda lines: any(line.startswith("Answer: 3") for line in lines))
    prompt = next(i for i, line in enumerate(lines) if line.startswith("Answer"))
    assert lines[prompt] == "Answer: 3"
    assert lines[prompt + 1] == ""  # the wrapped part is gone, not left on screen
    terminal.send("\r")
    terminal.expect("Note")
    terminal.send("\r")
    terminal.expect("Evidence link")
    terminal.send("\r")
    assert saved(terminal, tmp_path) == {"tech.a": "most"}


@pytest.mark.parametrize("bracketed", [True, False], ids=["bracketed paste", "fast lines"])
def test_four_pasted_lines_are_one_note_and_answer_nothing_else(
    terminal: Terminal, tmp_path: Path, bracketed: bool
) -> None:
    terminal.expect("Answer")
    terminal.send("3\r")
    terminal.expect("Note")
    pasted = "We script deploys\rhttps://wiki/deploy\r4\rand review them weekly"
    terminal.send(f"{PASTE_START}{pasted}{PASTE_END}\r" if bracketed else f"{pasted}\r")
    terminal.expect("Evidence link")
    terminal.send("\r")
    terminal.expect("Question 2 of 4")  # the '4' answered nothing: the next question is asked
    note = "We script deploys https://wiki/deploy 4 and review them weekly"
    assert saved(terminal, tmp_path) == {"tech.a": {"choice": "most", "note": note}}


def test_a_line_that_is_no_link_is_refused_as_evidence_and_asked_again(
    terminal: Terminal, tmp_path: Path
) -> None:
    terminal.expect("Answer")
    terminal.send("3\r")
    terminal.expect("Note")
    terminal.send("\r")
    terminal.expect("Evidence link")
    terminal.send("see the wiki\r")
    terminal.expect("An evidence link is a URL")
    terminal.expect("Evidence link")
    terminal.send("docs/runbook.md\r")
    terminal.expect("Question 2 of 4")
    assert saved(terminal, tmp_path) == {
        "tech.a": {"choice": "most", "evidence": ["docs/runbook.md"]}
    }


# ---------------------------------------------------------------- without a terminal


@pytest.mark.parametrize(
    "text",
    ["https://wiki/deploy", "file:///srv/a", "/etc/mcp.json", "./notes", "../a/b", "~/x",
     "docs/runbook.md", "runbook.md", r"C:\audit\report.pdf"],
)  # fmt: skip
def test_urls_and_paths_are_evidence_links(text: str) -> None:
    assert is_evidence_link(text)


@pytest.mark.parametrize(
    "text", ["4", "see the wiki", "yes", "v1.2", "https://wiki/a b", "wiki", "/a\nb", ".md"]
)
def test_anything_else_is_no_evidence_link(text: str) -> None:
    assert not is_evidence_link(text)


def test_a_pasted_fields_lines_are_folded_into_one() -> None:
    assert fold_lines("We script\n\n  deploys \r\nweekly") == "We script deploys weekly"
    assert fold_lines("  as typed ") == "  as typed "


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Chloé Müller", "chloe-muller"),
        ("Zoë", "zoe"),
        ("Liam O'Connor", "liam-o-connor"),
        ("Straße", "strasse"),
        ("张伟", "zhang-wei"),
        ("王芳", "wang-fang"),
        ("Γιώργος Παπαδόπουλος", "giorgos-papadopoylos"),
        ("Иван Петров", "ivan-petrov"),
        ("😀", "grinning"),
    ],
)
def test_names_in_any_script_become_readable_file_names(name: str, slug: str) -> None:
    assert slugify(name) == slug


def test_a_name_with_nothing_to_transliterate_gets_a_distinct_fallback() -> None:
    first, second = slugify("!!!"), slugify("???")
    assert first.startswith("respondent-") and second.startswith("respondent-")
    assert first != second


def test_two_chinese_names_get_two_files(tmp_path: Path) -> None:
    respondents = parse_respondents("张伟:CTO,王芳:CISO")
    assert [f.name for f in answers_files(tmp_path, respondents)] == [
        "zhang-wei.yaml",
        "wang-fang.yaml",
    ]


def test_names_that_transliterate_alike_still_share_a_file_and_are_refused() -> None:
    with pytest.raises(UserError, match="two respondents would share the file zoe.yaml"):
        parse_respondents("Zoë:CTO,Zoe:CISO")


def test_a_workshop_saved_under_the_old_file_name_resumes_from_it(tmp_path: Path) -> None:
    (tmp_path / "chlo-m-ller.yaml").write_text("kind: answers\n")
    chloe = Respondent(name="Chloé Müller", role="CTO")
    assert answers_files(tmp_path, [chloe]) == [tmp_path / "chlo-m-ller.yaml"]
