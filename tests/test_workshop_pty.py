"""`mcpscale workshop` in a real pseudo-terminal, read off the screen as the room sees it: a
discussion interrupted is asked again on resume, an earlier note is shown before it is replaced,
each person sees their own progress, and the question stays in view beside the disagreement."""

from __future__ import annotations

from pathlib import Path

from mcpscale.inputs.yaml import load_yaml

from .conftest import TINY
from .terminal import Terminal

ROOM = "Ana Silva:CTO,Ben Ode:CISO"


def workshop(output_dir: Path, respondents: str = ROOM, rows: int = 40) -> Terminal:
    args = ["workshop", "--questionnaire", str(TINY), "--profile", str(TINY / "profile.yaml")]
    args += ["--respondents", respondents, "--output-dir", str(output_dir)]
    return Terminal(args, rows=rows)


def at_prompt(terminal: Terminal, text: str) -> None:
    """Reads on to the end of the prompt that starts with `text`, so keys sent next answer it."""
    terminal.expect(text)
    terminal.expect(": ")


def answer(terminal: Terminal, *keys: str) -> None:
    """Each respondent in turn types their key at their prompt ("Ana Silva (0 of 4 answered)",
    perhaps a default, then ": "), once it is shown whole: keys are sent without a pause."""
    for key in keys:
        terminal.expect("answered)")
        terminal.expect(": ")
        terminal.send(key + "\r")


def quit_(terminal: Terminal) -> None:
    """Save and quit at the next respondent's prompt."""
    terminal.expect("answered): ")
    terminal.send("q\r")
    assert terminal.ended() == 0


def saved(output_dir: Path, name: str) -> object:
    return load_yaml(output_dir / f"{name}.yaml").data["answers"]


def test_ctrl_c_at_the_discussion_then_resume_asks_for_that_discussion_again(
    tmp_path: Path,
) -> None:
    terminal = workshop(tmp_path)
    terminal.expect("Question 1 of 4")
    answer(terminal, "1", "4")  # Ana: none, Ben: all
    at_prompt(terminal, "Discussion note")
    terminal.child.sendintr()
    terminal.expect("Resume with:")
    assert terminal.ended() == 130
    assert saved(tmp_path, "ana-silva") == {"tech.a": "none"}

    terminal = workshop(tmp_path)
    terminal.expect("Question 1 of 4")
    terminal.expect("Ana Silva: none (saved)")
    terminal.expect("Ben Ode: all (saved)")
    terminal.expect("The room disagrees")
    at_prompt(terminal, "Discussion note")
    terminal.send("Ben counts the new pipeline\r")
    terminal.expect("Question 2 of 4")
    quit_(terminal)
    note = "Workshop discussion: Ben counts the new pipeline"
    assert saved(tmp_path, "ana-silva") == {"tech.a": {"choice": "none", "note": note}}
    assert saved(tmp_path, "ben-ode") == {"tech.a": {"choice": "all", "note": note}}


def test_a_discussion_the_room_moved_past_is_not_asked_again(tmp_path: Path) -> None:
    terminal = workshop(tmp_path)
    answer(terminal, "1", "4")
    at_prompt(terminal, "Discussion note")
    terminal.send("\r")  # no note: the room moves on
    terminal.expect("Question 2 of 4")
    answer(terminal, "2")
    at_prompt(terminal, "Ben Ode")
    terminal.child.sendintr()
    assert terminal.ended() == 130

    terminal = workshop(tmp_path)
    terminal.expect("Question 2 of 4")
    terminal.expect("Ana Silva: some (saved)")
    quit_(terminal)


def test_a_new_discussion_note_shows_the_earlier_one_before_replacing_it(tmp_path: Path) -> None:
    terminal = workshop(tmp_path)
    answer(terminal, "1", "4")
    at_prompt(terminal, "Discussion note")
    terminal.send("First take\r")
    terminal.expect("Question 2 of 4")
    answer(terminal, "b")  # back to the first question: everyone answers it again
    terminal.expect("Question 1 of 4")
    answer(terminal, "1", "4")
    terminal.expect("Earlier note: First take")
    lines = terminal.wait_for(lambda shown: any("Enter keeps it):" in line for line in shown))
    assert any(line.startswith("Discussion note") for line in lines if "Enter keeps" in line)
    terminal.send("Second take\r")
    terminal.expect("Question 2 of 4")
    quit_(terminal)
    note = "Workshop discussion: Second take"
    assert saved(tmp_path, "ben-ode") == {"tech.a": {"choice": "all", "note": note}}


def test_enter_keeps_the_earlier_discussion_note(tmp_path: Path) -> None:
    terminal = workshop(tmp_path)
    answer(terminal, "1", "4")
    at_prompt(terminal, "Discussion note")
    terminal.send("First take\r")
    answer(terminal, "b")
    answer(terminal, "1", "3")
    terminal.expect("Earlier note: First take")
    at_prompt(terminal, "Discussion note")
    terminal.send("\r")
    terminal.expect("Question 2 of 4")
    quit_(terminal)
    note = "Workshop discussion: First take"
    assert saved(tmp_path, "ben-ode") == {"tech.a": {"choice": "most", "note": note}}


def test_the_answered_count_and_the_saved_marker_are_each_persons_own(tmp_path: Path) -> None:
    terminal = workshop(tmp_path, "Ana Silva:CTO")
    answer(terminal, "3", "4")  # Ana alone answers tech.a and tech.b
    quit_(terminal)

    terminal = workshop(tmp_path)  # Ben joins: the room starts where he has not answered
    terminal.expect("Ana Silva: most (saved)")
    ben = "Ben Ode (0 of 4 answered):"
    lines = terminal.wait_for(lambda shown: any(line.startswith(ben) for line in shown))
    progress = next(line for line in lines if line.startswith("Question 1 of 4"))
    assert "0 answered by everyone" in progress  # not Ana's 2
    assert not any(line.lstrip().startswith("→") for line in lines)  # not Ana's choice marked
    terminal.send("2\r")
    terminal.expect("Question 2 of 4")
    ben = "Ben Ode (1 of 4 answered):"
    lines = terminal.wait_for(lambda shown: any(line.startswith(ben) for line in shown))
    assert "Ana Silva: all (saved)" in lines
    terminal.send("q\r")
    assert terminal.ended() == 0


def test_on_a_100x30_screen_the_question_stays_in_view_beside_the_disagreement(
    tmp_path: Path,
) -> None:
    people = ",".join(f"Person {n}:Role {n}" for n in range(1, 11))
    terminal = workshop(tmp_path, people, rows=30)
    answer(terminal, "1", "4", "2", "3", "1", "4", "2", "3", "1", "3")
    lines = terminal.wait_for(lambda shown: any(line.startswith("Discussion") for line in shown))
    assert any("Person 10" in line and "most" in line for line in lines)  # the table is shown
    assert any("How are servers deployed?" in line for line in lines), "\n".join(lines)
