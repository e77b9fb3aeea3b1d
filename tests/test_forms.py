"""Offline forms: export, fill like a stakeholder would (with openpyxl), import, score."""

from __future__ import annotations

import csv
import os
import stat
from pathlib import Path

import pytest
from openpyxl import load_workbook

from mcpscale.inputs.yaml import load_yaml

from .conftest import ACME, TINY, Cli

ANA = ACME / "answers" / "ana-silva.yaml"
PROFILE = ACME / "profile.yaml"


@pytest.fixture(autouse=True)
def fixed_date(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1763251200")  # 2025-11-16


def fill(form: Path, answers: dict[str, dict]) -> None:
    """Pick each answer from the row's own dropdown list, as Excel would offer it."""
    workbook = load_workbook(form)
    sheet, choices = workbook["Questions"], workbook["Choices"]
    header = [c.value for c in sheet[1]]
    column = {name: header.index(name) for name in ("id", "answer", "note", "evidence")}
    options = {row[0].value: [c.value for c in row[1:] if c.value] for row in choices.iter_rows()}
    for row in sheet.iter_rows(min_row=2):
        answer = answers.get(row[column["id"]].value)
        if answer is None:
            continue
        picked = [
            o for o in options[row[column["id"]].value] if o.startswith(f"{answer['choice']} - ")
        ]
        assert len(picked) == 1, (answer, options[row[column["id"]].value])
        row[column["answer"]].value = picked[0]
        row[column["note"]].value = answer.get("note")
        row[column["evidence"]].value = "\n".join(answer.get("evidence", [])) or None
    workbook.save(form)


def test_xlsx_round_trip_scores_the_same_as_the_yaml(cli: Cli, tmp_path: Path) -> None:
    form = tmp_path / "form.xlsx"
    exported = cli("form", "export", "--output", form, "--profile", PROFILE)
    assert exported.exit_code == 0, exported.output
    assert "67 questions" in exported.output  # HIPAA (3), DORA and EU AI Act do not apply
    original = load_yaml(ANA).data
    answers = {
        qid: (value if isinstance(value, dict) else {"choice": value})
        for qid, value in original["answers"].items()
    }
    fill(form, answers)
    imported = tmp_path / "ana.yaml"
    result = cli(
        "form",
        "import",
        form,
        "--respondent",
        "Ana Silva",
        "--role",
        "Chief Technology Officer",
        "--group",
        "business",
        "--output",
        imported,
    )
    assert result.exit_code == 0, result.output
    assert cli("validate", imported).exit_code == 0
    back = load_yaml(imported).data["answers"]
    assert {q: (a if isinstance(a, str) else a["choice"]) for q, a in back.items()} == {
        q: a["choice"] for q, a in answers.items()
    }
    noted = next(q for q, a in answers.items() if a.get("evidence"))
    assert back[noted]["evidence"] == answers[noted]["evidence"]
    assert back[noted]["note"] == answers[noted]["note"]

    def scores(path: Path) -> dict:
        data = cli.json("score", path, "--profile", PROFILE)
        return {"overall": data["overall"], "dimensions": data["dimensions"]}

    assert scores(imported) == scores(ANA)


def test_the_xlsx_hides_the_id_columns_and_offers_a_dropdown_per_question(
    cli: Cli, tmp_path: Path
) -> None:
    form = tmp_path / "form.xlsx"
    cli("form", "export", "--output", form, "--questionnaire", TINY)
    sheet = load_workbook(form)["Questions"]
    assert sheet.column_dimensions["A"].hidden and sheet.column_dimensions["B"].hidden
    validations = sheet.data_validations.dataValidation
    assert len(validations) == 5
    assert validations[0].formula1 == "=Choices!$B$1:$F$1"  # 4 choices + unknown
    assert validations[3].formula1 == "=Choices!$B$4:$G$4"  # people.a also allows na


def test_every_bad_cell_is_reported_as_sheet_and_cell(cli: Cli, tmp_path: Path) -> None:
    form = tmp_path / "form.xlsx"
    cli("form", "export", "--output", form, "--questionnaire", TINY)
    workbook = load_workbook(form)
    sheet = workbook["Questions"]
    sheet["H2"] = "sometimes"  # tech.a: not a choice
    sheet["H3"] = "na"  # tech.b: na not allowed
    sheet["H5"] = "na - Not applicable"  # people.a allows it: fine
    sheet["A6"] = "people.c"  # not a question
    workbook.save(form)
    result = cli(
        "form",
        "import",
        form,
        "--respondent",
        "Ana",
        "--role",
        "CTO",
        "--output",
        tmp_path / "ana.yaml",
        "--questionnaire",
        TINY,
    )
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert lines == [
        "error: Questions!H2: unknown choice 'sometimes' for question tech.a "
        "(did you mean 'some'?) (choices: none, some, most, all, unknown)",
        "error: Questions!H3: question tech.b does not allow 'na'; pick a choice or 'unknown'",
        "error: Questions!A6: unknown question id 'people.c' (did you mean 'people.b'?)",
    ]
    assert not (tmp_path / "ana.yaml").exists()


def test_csv_form_fills_with_ids_or_numbers(cli: Cli, tmp_path: Path) -> None:
    form = tmp_path / "form.csv"
    assert cli("form", "export", "--format", "csv", "-o", form, "-q", TINY).exit_code == 0
    with form.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["id"] for r in rows] == ["tech.a", "tech.b", "tech.hipaa", "people.a", "people.b"]
    assert "na - Not applicable" in rows[3]["choices"]
    rows[0]["answer"], rows[1]["answer"], rows[3]["answer"] = "most", "4", "unknown"
    rows[0]["note"] = "Scripts, mostly."
    with form.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    output = tmp_path / "ben.yaml"
    result = cli(
        "form", "import", form, "--respondent", "Ben", "--role", "CISO", "-o", output, "-q", TINY
    )
    assert result.exit_code == 0, result.output
    assert load_yaml(output).data["answers"] == {
        "tech.a": {"choice": "most", "note": "Scripts, mostly."},
        "tech.b": "all",
        "people.a": "unknown",
    }
    rows[2]["answer"] = "everything"
    with form.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    bad = cli(
        "form", "import", form, "--respondent", "Ben", "--role", "CISO", "-o", output, "-q", TINY
    )
    assert bad.exit_code == 2
    assert "error: form.csv!H4: unknown choice 'everything' for question tech.hipaa" in bad.output


def test_the_format_follows_the_output_suffix(cli: Cli, tmp_path: Path) -> None:
    form = tmp_path / "form.csv"
    assert cli("form", "export", "-o", form, "-q", TINY).exit_code == 0
    assert form.read_text(encoding="utf-8").startswith("id,questionnaire,dimension")


def test_xlsx_and_csv_forms_get_the_same_permissions_as_any_new_file(
    cli: Cli, tmp_path: Path
) -> None:
    previous = os.umask(0o022)
    try:
        for name in ("form.xlsx", "form.csv"):
            result = cli("form", "export", "-q", TINY, "-o", tmp_path / name)
            assert result.exit_code == 0, result.output
    finally:
        os.umask(previous)
    modes = {
        name: stat.S_IMODE((tmp_path / name).stat().st_mode) for name in ("form.xlsx", "form.csv")
    }
    assert modes == {"form.xlsx": 0o644, "form.csv": 0o644}
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temporary left
