"""`mcpscale assess` and `mcpscale workshop` driven through standard input, as a script would."""

from __future__ import annotations

from pathlib import Path

import pytest

from mcpscale.inputs.yaml import load_yaml

from .conftest import TINY, Cli

PROFILE = TINY / "profile.yaml"


@pytest.fixture(autouse=True)
def fixed_date(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01


def assess(cli: Cli, output: Path, keys: list[str], *extra: str) -> object:
    return cli(
        "assess",
        "--questionnaire",
        TINY,
        "--respondent",
        "Ana Silva",
        "--role",
        "CTO",
        "--output",
        output,
        *extra,
        input="".join(f"{k}\n" for k in keys),
    )


def saved(path: Path) -> dict:
    data = load_yaml(path).data
    assert isinstance(data, dict)
    return data


def valid(cli: Cli, path: Path) -> None:
    result = cli("validate", path, "--questionnaire", TINY)
    assert result.exit_code == 0, result.output


def test_a_whole_interview_by_number_and_id_saves_a_valid_file_and_scores_it(
    cli: Cli, tmp_path: Path
) -> None:
    output = tmp_path / "answers" / "ana.yaml"
    result = assess(
        cli, output, ["4", "most", "u", "n", "some"], "--no-notes", "--profile", PROFILE
    )
    assert result.exit_code == 0, result.output
    assert "Question 1 of 4" in result.output and "Question 4 of 4" in result.output
    assert "skipped tech.hipaa" in result.output  # applies_if false for this profile
    assert "Technology" in result.output and "People" in result.output  # the score table
    assert f"Answers saved in {output}" in result.output
    data = saved(output)
    assert data["respondent"] == {"name": "Ana Silva", "role": "CTO"}
    assert data["questionnaire"] == "tiny@2"
    assert str(data["assessed_at"]) == "2026-01-01"
    assert data["answers"] == {
        "tech.a": "all",
        "tech.b": "most",
        "people.a": "unknown",
        "people.b": "some",
    }
    valid(cli, output)


def test_na_is_refused_where_not_allowed_and_bad_keys_re_ask(cli: Cli, tmp_path: Path) -> None:
    output = tmp_path / "ana.yaml"
    result = assess(cli, output, ["n", "7", "zzz", "", "2", "q"], "--no-notes")
    assert result.exit_code == 0, result.output
    assert "cannot be 'not applicable'" in result.output
    assert "there is no choice 7; pick 1-4" in result.output
    assert "unknown key 'zzz'" in result.output
    assert "type an answer" in result.output
    assert saved(output)["answers"] == {"tech.a": "some"}


def test_question_mark_shows_help_and_the_question_is_asked_again(cli: Cli, tmp_path: Path) -> None:
    output = tmp_path / "ana.yaml"
    result = cli(
        "assess",
        "--respondent",
        "Ana",
        "--role",
        "CTO",
        "--output",
        output,
        "--no-notes",
        input="?\n1\nq\n",
    )
    assert result.exit_code == 0, result.output
    assert "Help" in result.output
    assert result.output.count("Question 1 of") == 1  # same question, not redrawn
    assert saved(output)["questionnaire"] == "mcp-enterprise-readiness@1.1"


def test_notes_and_evidence_are_asked_after_each_answer(cli: Cli, tmp_path: Path) -> None:
    output = tmp_path / "ana.yaml"
    assess(cli, output, ["2", "Only on Fridays", "https://wiki/deploy", "3", "", "", "q"])
    assert saved(output)["answers"] == {
        "tech.a": {
            "choice": "some",
            "note": "Only on Fridays",
            "evidence": ["https://wiki/deploy"],
        },
        "tech.b": "most",
    }
    valid(cli, output)


def test_back_goes_to_the_previous_question_with_its_answer_as_default(
    cli: Cli, tmp_path: Path
) -> None:
    output = tmp_path / "ana.yaml"
    result = assess(cli, output, ["b", "2", "b", "", "4", "q"], "--no-notes")
    assert "This is the first question" in result.output
    assert "Answer [some]:" in result.output
    # Enter kept tech.a, and 4 answered tech.b
    assert saved(output)["answers"] == {"tech.a": "some", "tech.b": "all"}


def test_end_of_input_saves_and_says_how_to_resume_then_resume_finishes(
    cli: Cli, tmp_path: Path
) -> None:
    output = tmp_path / "ana.yaml"
    first = assess(cli, output, ["1", "2"], "--no-notes")
    assert first.exit_code == 0
    assert "End of input: answers saved in" in first.output
    assert "Resume with: mcpscale assess --questionnaire" in first.output
    assert "--no-notes" in first.output
    valid(cli, output)
    second = assess(cli, output, ["3", "n", "4"], "--no-notes")
    assert second.exit_code == 0, second.output
    assert "2 of 5 answered so far; resuming" in second.output
    assert "Question 3 of 5" in second.output and "Question 1 of 5" not in second.output
    assert saved(output)["answers"] == {
        "tech.a": "none",
        "tech.b": "some",
        "tech.hipaa": "most",
        "people.a": "na",
        "people.b": "all",
    }


def test_quit_before_any_answer_leaves_a_valid_empty_file(cli: Cli, tmp_path: Path) -> None:
    output = tmp_path / "ana.yaml"
    result = assess(cli, output, ["q"])
    assert result.exit_code == 0
    assert "Saved and quit" in result.output
    assert saved(output)["answers"] == {}
    valid(cli, output)


def test_review_walks_answered_questions_with_their_answers_as_default(
    cli: Cli, tmp_path: Path
) -> None:
    output = tmp_path / "ana.yaml"
    assess(cli, output, ["1", "2", "3", "4", "4"], "--no-notes")
    result = assess(cli, output, ["", "all", "", "", ""], "--no-notes", "--review")
    assert result.exit_code == 0, result.output
    assert "Answer [none]:" in result.output and "Answer [some]:" in result.output
    assert saved(output)["answers"]["tech.b"] == "all"
    assert saved(output)["answers"]["tech.a"] == "none"


def test_an_existing_file_of_another_respondent_is_refused(cli: Cli, tmp_path: Path) -> None:
    output = tmp_path / "ana.yaml"
    assess(cli, output, ["q"])
    result = cli(
        "assess", "-q", TINY, "--respondent", "Ben", "--role", "CISO", "-o", output, input="q\n"
    )
    assert result.exit_code == 2
    assert "holds the answers of 'Ana Silva', not 'Ben'" in result.output


def workshop(cli: Cli, out: Path, keys: list[str]) -> object:
    return cli(
        "workshop",
        "--questionnaire",
        TINY,
        "--profile",
        PROFILE,
        "--respondents",
        "Ana Silva:CTO:business,Ben Ode:Security lead",
        "--output-dir",
        out,
        input="".join(f"{k}\n" for k in keys),
    )


def test_workshop_asks_everyone_notes_disagreements_and_scores_the_room(
    cli: Cli, tmp_path: Path
) -> None:
    # tech.a: 1 vs 4 -> discussion; tech.b: ? then 2, n refused then 3; people.a: n vs u;
    # people.b: 4 vs 4
    keys = ["1", "4", "Ben counts the new pipeline", "?", "2", "n", "3", "n", "u", "all", "4"]
    result = workshop(cli, tmp_path, keys)
    assert result.exit_code == 0, result.output
    assert "This question has no help text." in result.output
    assert "this question cannot be 'not applicable'" in result.output
    assert "The room disagrees: levels span 3" in result.output
    assert "skipped tech.hipaa" in result.output
    assert "Disagreements" in result.output and "tech.a" in result.output
    ana, ben = saved(tmp_path / "ana-silva.yaml"), saved(tmp_path / "ben-ode.yaml")
    note = "Workshop discussion: Ben counts the new pipeline"
    assert ana["answers"]["tech.a"] == {"choice": "none", "note": note}
    assert ben["answers"]["tech.a"] == {"choice": "all", "note": note}
    assert ana["answers"]["tech.b"] == "some"  # no discussion where levels are close
    assert ana["respondent"]["group"] == "business"
    score = cli("score", tmp_path, "--questionnaire", TINY, "--profile", PROFILE)
    assert score.exit_code == 0, score.output


def test_workshop_resumes_where_the_room_stopped(cli: Cli, tmp_path: Path) -> None:
    first = workshop(cli, tmp_path, ["2", "3", "q"])
    assert "Saved and quit" in first.output
    assert "Resume with: mcpscale workshop" in first.output
    # Ana is asked tech.b first; b goes back to tech.a, where Enter keeps both answers
    second = workshop(cli, tmp_path, ["b", "", "", "2", "2", "", "3", "3", "4", "4"])
    assert second.exit_code == 0, second.output
    assert "Ana Silva (1 of 4 answered) [some]:" in second.output
    assert "Ben Ode (1 of 4 answered) [most]:" in second.output
    assert "type an answer" in second.output  # Enter with nothing saved re-asks
    assert saved(tmp_path / "ben-ode.yaml")["answers"] == {
        "tech.a": "most",
        "tech.b": "some",
        "people.a": "most",
        "people.b": "all",
    }


def test_workshop_refuses_malformed_respondents(cli: Cli, tmp_path: Path) -> None:
    result = cli("workshop", "--respondents", "Ana Silva", "--output-dir", tmp_path)
    assert result.exit_code == 2
    assert "should be Name:Role or Name:Role:group" in result.output


def test_a_broken_answers_file_is_reported_and_left_alone(cli: Cli, tmp_path: Path) -> None:
    output = tmp_path / "ana.yaml"
    broken = "kind: answers\nquestionnaire: tiny@2\nrespondent: {name: Ana Silva, role: CTO}\n"
    broken += "assessed_at: 2026-01-01\nanswers:\n  tech.a: sometimes\n"
    output.write_text(broken, encoding="utf-8")
    result = assess(cli, output, ["1"])
    assert result.exit_code == 2
    assert f"error: {output}:6:11: unknown choice 'sometimes'" in result.output
    assert output.read_text(encoding="utf-8") == broken


def test_a_finished_file_says_how_to_change_answers(cli: Cli, tmp_path: Path) -> None:
    output = tmp_path / "ana.yaml"
    assess(cli, output, ["1", "2", "3", "4", "4"], "--no-notes")
    again = assess(cli, output, [], "--no-notes")
    assert again.exit_code == 0
    assert "5 of 5 answered so far; all done; pass --review to walk them again" in again.output
    assert "Question" not in again.output


def test_names_that_look_like_markup_are_printed_as_typed(cli: Cli, tmp_path: Path) -> None:
    output = tmp_path / "[b]answers[/b].yaml"
    result = cli(
        "assess",
        "-q",
        TINY,
        "--respondent",
        "Ana [/b]",
        "--role",
        "CTO [i]",
        "--output",
        output,
        "--no-notes",
        input="1\n2\n3\n4\n4\n",
    )
    assert result.exit_code == 0, result.output
    assert "Ana [/b] (CTO [i])" in result.output
    assert "Ana [/b]'s scores:" in result.output
    assert f"Answers saved in {output}" in result.output
    assert saved(output)["respondent"] == {"name": "Ana [/b]", "role": "CTO [i]"}


def test_a_workshop_respondent_named_like_markup_disagrees_and_finishes(
    cli: Cli, tmp_path: Path
) -> None:
    result = cli(
        "workshop",
        "-q",
        TINY,
        "--profile",
        PROFILE,
        "--respondents",
        "Ana [/b]:CTO,Ben:CISO",
        "--output-dir",
        tmp_path,
        input="1\n4\n[/note]\n2\n2\n1\n1\n1\n1\n",
    )
    assert result.exit_code == 0, result.output
    assert "The room disagrees: levels span 3" in result.output
    assert "Ana [/b]" in result.output and "Ana [/b] 0, Ben 3" in result.output
    assert saved(tmp_path / "ana-b.yaml")["answers"]["tech.a"] == {
        "choice": "none",
        "note": "Workshop discussion: [/note]",
    }
