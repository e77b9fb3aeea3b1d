"""The interview, the workshop and the forms with a pack of any shape (tests/data/generality/
features): choice ids named like the keys (a, b, q, u, n), a multi-select question, a question
that builds on others, one asked for context only, and text in square brackets shown as written.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from openpyxl import load_workbook

from mcpscale.formats.answers import Answer
from mcpscale.inputs.packs import resolve_pack
from mcpscale.inputs.yaml import load_yaml
from mcpscale.interview.session import builds_on, key_help, parse_key

from .conftest import DATA, Cli
from .terminal import Terminal

FEATURES = DATA / "generality" / "features" / "questionnaire.yaml"
PACK = resolve_pack(str(FEATURES)).questionnaire
PRACTICES = PACK.question("controls.practices")
REVIEW = PACK.question("controls.review")
assert PRACTICES is not None and REVIEW is not None


@pytest.fixture(autouse=True)
def fixed_date(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01


def levels(cli: Cli, answers: Path) -> dict[str, float | None]:
    result = cli.json("score", answers, "--questionnaire", FEATURES)
    return {d["id"]: d["score"] for d in result["dimensions"]}


# ---------------------------------------------------------------- keys


def test_a_choice_named_like_a_key_is_answered_and_the_key_takes_a_colon() -> None:
    assert [parse_key(REVIEW, key).choice for key in ("q", "u", "n", "b", "a")] == list("qunba")
    assert parse_key(REVIEW, ":q").action == "quit"
    assert parse_key(REVIEW, ":b").action == "back"
    assert parse_key(REVIEW, ":u") == ("answer", "unknown", "")
    assert parse_key(REVIEW, "5").choice == "q"  # a number answers by position
    assert key_help(REVIEW) == (
        "1-7 or a choice id (u, n, b and q are choices here), :u don't know, ? help, :b back, "
        ":q save and quit"
    )


def test_without_a_choice_named_like_it_a_key_works_alone_or_with_a_colon() -> None:
    team = PACK.question("context.team")
    assert team is not None
    assert parse_key(team, "q").action == "quit"
    assert parse_key(team, ":q").action == "quit"
    assert parse_key(team, "u").choice == "unknown"
    assert key_help(team) == "1-2 or a choice id, u don't know, ? help, b back, q save and quit"
    assert "':x' is not a key" in parse_key(team, ":x").hint


def test_numbers_answer_by_position_even_where_choice_ids_are_numbers() -> None:
    question = REVIEW.model_copy(
        update={
            "choices": [
                c.model_copy(update={"id": str(9 - n)}) for n, c in enumerate(REVIEW.choices)
            ]
        }
    )
    assert parse_key(question, "2").choice == "8"
    assert key_help(question).startswith("1-7 (by position) or a choice id, u don't know")


def test_a_multi_select_takes_numbers_or_ids_and_an_exclusive_choice_alone() -> None:
    for typed in ("1 3", "a,c", "a, c", "A;C", "1,c"):
        assert parse_key(PRACTICES, typed) == ("answer", ["a", "c"], ""), typed
    assert parse_key(PRACTICES, "n").choice == ["n"]  # 'None of these', not 'not applicable'
    assert parse_key(PRACTICES, "u").choice == "unknown"
    assert "'n' (None of these) is selected on its own" in parse_key(PRACTICES, "a n").hint
    assert "selected twice" in parse_key(PRACTICES, "a 1").hint
    assert "there is no choice 9; pick 1-5" in parse_key(PRACTICES, "1 9").hint
    assert "unknown choice 'x'" in parse_key(PRACTICES, "a x").hint
    assert "'unknown' is an answer on its own" in parse_key(PRACTICES, "a unknown").hint
    assert parse_key(PRACTICES, "", default=["a", "c"]) == ("keep", ["a", "c"], "")


def test_a_question_shows_what_it_builds_on_and_the_answer_given_to_it() -> None:
    question = PACK.question("activities.l2")
    assert question is not None
    assert builds_on(PACK, question) == ["Builds on: Is code reviewed before merge?"]
    answers = {"activities.l1": Answer(choice="yes")}
    assert builds_on(PACK, question, answers) == [
        "Builds on: Is code reviewed before merge? (your answer: yes - Done everywhere.)"
    ]
    assert builds_on(PACK, question, {}) == [
        "Builds on: Is code reviewed before merge? (your answer: not answered yet)"
    ]


# ---------------------------------------------------------------- mcpscale assess in a pty


def assess(output: Path) -> Terminal:
    args = ["assess", "--questionnaire", str(FEATURES), "--respondent", "Ana Silva"]
    args += ["--role", "CTO", "--output", str(output), "--no-notes"]
    return Terminal(args)


def type_at(terminal: Terminal, question: str, key: str) -> list[str]:
    """At the screen of question number `question` (e.g. '7 of 9'), type `key`; the screen."""
    terminal.expect(f"Question {question}")
    terminal.expect("Answer")
    terminal.expect(": ")
    screen = terminal.lines()
    terminal.send(key + "\r")
    return screen


def test_assess_answers_every_kind_of_question_of_the_feature_pack(
    cli: Cli, tmp_path: Path
) -> None:
    output = tmp_path / "ana.yaml"
    terminal = assess(output)
    type_at(terminal, "1 of 9", "3")
    screen = type_at(terminal, "2 of 9", "2")
    assert (
        "Builds on: Is code reviewed before merge? (your answer: yes - Done everywhere.)"
    ) in screen
    for number, key in [(3, "yes"), (4, "yes"), (5, "3")]:
        type_at(terminal, f"{number} of 9", key)
    screen = type_at(terminal, "6 of 9", "a c")  # two ids
    assert any("None of these (on its own)" in line for line in screen)
    screen = type_at(terminal, "7 of 9", ":b")  # b is a choice here: ':b' goes back
    assert any("How are reviews [/x] recorded? [bold]" in line for line in screen)
    assert any("Not recorded [/x]." in line for line in screen)
    assert "(u, n, b and q are choices here), :u don't know" in " ".join(screen)
    screen = type_at(terminal, "6 of 9", "n")  # 'None of these' alone
    assert any(line.startswith("→1 a") for line in screen)  # the saved selection is marked
    assert any(line.startswith("→3 c") for line in screen)
    type_at(terminal, "7 of 9", "q")  # the choice q, not quit
    type_at(terminal, "8 of 9", ":b")
    type_at(terminal, "7 of 9", "u")  # the choice u, not don't know
    type_at(terminal, "8 of 9", "partly")
    screen = type_at(terminal, "9 of 9", ":q")
    assert "Asked for context, not scored." in screen
    terminal.expect("Saved and quit:")
    assert terminal.ended() == 0
    assert load_yaml(output).data["answers"] == {
        "activities.l1": "yes",
        "activities.l2": "partly",
        "activities.l3": "yes",
        "controls.base1": "yes",
        "controls.base2": "yes",
        "controls.practices": ["n"],
        "controls.review": "u",
        "odd.q": "partly",
    }

    terminal = assess(output)  # the same command resumes at the last question
    type_at(terminal, "9 of 9", "large")
    terminal.expect("Done:")
    assert terminal.ended() == 0
    assert cli("validate", output, "--questionnaire", FEATURES).exit_code == 0
    # activities is gated: l2 is only partly done, so level 1 despite l3; team is not scored
    assert levels(cli, output) == {
        "activities": 1.0,
        "controls": 1.75,
        "x/../../y": 1.0,
        "context": None,
    }


def test_a_multi_select_answer_resumes_as_the_default(tmp_path: Path) -> None:
    output = tmp_path / "ana.yaml"
    output.write_text(
        "kind: answers\nquestionnaire: features@1\nrespondent: {name: Ana Silva, role: CTO}\n"
        "assessed_at: 2026-01-01\nanswers:\n  controls.practices: [a, c]\n",
        encoding="utf-8",
    )
    terminal = Terminal(
        ["assess", "--questionnaire", str(FEATURES), "--respondent", "Ana Silva"]
        + ["--role", "CTO", "--output", str(output), "--no-notes", "--review"]
    )
    for number in range(1, 6):
        type_at(terminal, f"{number} of 9", "u")
    terminal.expect("Answer [a, c]: ")
    terminal.send("\r")  # Enter keeps the saved selection
    type_at(terminal, "7 of 9", ":q")
    terminal.expect("Saved and quit:")
    assert terminal.ended() == 0
    assert load_yaml(output).data["answers"]["controls.practices"] == ["a", "c"]


# ---------------------------------------------------------------- mcpscale workshop


def test_the_workshop_room_answers_the_multi_select_each_in_turn(cli: Cli, tmp_path: Path) -> None:
    keys = ["3", "3", "3", "3", "3", "3", "3", "3", "3", "3"]  # activities and baseline agree
    keys += ["1 3", "n", "q", "u", ":q"]  # practices, review, then quit
    result = cli(
        "workshop",
        "--questionnaire",
        FEATURES,
        "--respondents",
        "Ana:Lead,Ben:Engineer",
        "--output-dir",
        tmp_path,
        input="\n".join(keys) + "\n",
    )
    assert result.exit_code == 0, result.output
    assert "None of these (on its own)" in result.output
    ana, ben = (load_yaml(tmp_path / f"{name}.yaml").data["answers"] for name in ("ana", "ben"))
    assert (ana["controls.practices"], ben["controls.practices"]) == (["a", "c"], ["n"])
    assert (ana["controls.review"], ben["controls.review"]) == ("q", "u")
    assert "odd.q" not in ana


# ---------------------------------------------------------------- forms


def import_form(cli: Cli, form: Path, output: Path) -> object:
    result = cli(
        "form", "import", form, "--respondent", "Ana", "--role", "CTO", "-o", output,
        "--questionnaire", FEATURES,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert cli("validate", output, "--questionnaire", FEATURES).exit_code == 0
    return load_yaml(output).data["answers"]


def test_a_csv_form_of_the_feature_pack_round_trips(cli: Cli, tmp_path: Path) -> None:
    form = tmp_path / "form.csv"
    assert cli("form", "export", "-o", form, "--questionnaire", FEATURES).exit_code == 0
    with form.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    practices = next(r for r in rows if r["id"] == "controls.practices")
    assert practices["choices"].startswith("Select one or more: write their ids separated by")
    assert "n - None of these (on its own)" in practices["choices"]
    original = load_yaml(FEATURES.parent / "answers" / "ana.yaml").data["answers"]
    for row in rows:
        answer = original[row["id"]]
        row["answer"] = ", ".join(answer) if isinstance(answer, list) else answer
    with form.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    back = tmp_path / "ana.yaml"
    assert import_form(cli, form, back) == original
    assert levels(cli, back) == levels(cli, FEATURES.parent / "answers" / "ana.yaml")


@pytest.mark.parametrize("choice", ["a", "b", "c", "d", "q", "u", "n"])
def test_choice_ids_named_like_keys_round_trip_through_the_xlsx_dropdown(
    cli: Cli, tmp_path: Path, choice: str
) -> None:
    form = tmp_path / "form.xlsx"
    assert cli("form", "export", "-o", form, "--questionnaire", FEATURES).exit_code == 0
    workbook = load_workbook(form)
    sheet, choices = workbook["Questions"], workbook["Choices"]
    header = [c.value for c in sheet[1]]
    ids, answers = header.index("id"), header.index("answer")
    options = {row[0].value: [c.value for c in row[1:] if c.value] for row in choices.iter_rows()}
    for row in sheet.iter_rows(min_row=2):
        if row[ids].value == "controls.review":
            row[answers].value = next(
                o for o in options["controls.review"] if o.startswith(f"{choice} - ")
            )
        if row[ids].value == "controls.practices":
            row[answers].value = "a - Threat modelling\nc - Secret scanning"
    workbook.save(form)
    answers_back = import_form(cli, form, tmp_path / "ana.yaml")
    assert answers_back == {"controls.practices": ["a", "c"], "controls.review": choice}


def test_a_multi_select_cell_gets_no_dropdown_and_a_bad_one_names_the_cell(
    cli: Cli, tmp_path: Path
) -> None:
    form = tmp_path / "form.xlsx"
    assert cli("form", "export", "-o", form, "--questionnaire", FEATURES).exit_code == 0
    workbook = load_workbook(form)
    sheet = workbook["Questions"]
    covered = {str(v.sqref) for v in sheet.data_validations.dataValidation}
    assert "H7" not in covered and "H8" in covered  # row 7 is controls.practices
    assert sheet["A7"].value == "controls.practices"
    sheet["H7"] = "a, n"
    workbook.save(form)
    result = cli(
        "form", "import", form, "--respondent", "Ana", "--role", "CTO",
        "-o", tmp_path / "ana.yaml", "--questionnaire", FEATURES,
    )  # fmt: skip
    assert result.exit_code == 2
    assert (
        "error: Questions!H7: question controls.practices: 'n' (None of these) is selected on "
        "its own (choices: a, b, c, d, n, unknown)"
    ) in result.output
