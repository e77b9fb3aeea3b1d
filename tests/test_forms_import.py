"""Form import reads what people send back: nothing lost, nothing spoofed, never a traceback.

Each story fills a real file (an exported xlsx changed with openpyxl, or CSV bytes as Excel
writes them) and checks what the user sees: the answers file written, or the
`sheet!cell: ...` lines on stderr with nothing written.
"""

from __future__ import annotations

import codecs
import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from mcpscale.inputs.yaml import load_yaml

from .conftest import DATA, TINY, Cli

FORMS = DATA / "forms"
HEADER = ["id", "questionnaire", "answer", "note", "evidence"]


@pytest.fixture(autouse=True)
def fixed_date(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1763251200")  # 2025-11-16


def import_form(cli: Cli, form: Path, output: Path) -> Any:
    return cli(
        "form", "import", form, "--respondent", "Ana", "--role", "CTO", "-o", output, "-q", TINY
    )


def errors(result: Any) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith("error: ")]


def exported_xlsx(cli: Cli, tmp_path: Path) -> Path:
    form = tmp_path / "form.xlsx"
    assert cli("form", "export", "-q", TINY, "-o", form).exit_code == 0
    return form


def csv_bytes(rows: list[list[str]], delimiter: str = ",", newline: str = "\r\n") -> str:
    """Rows as a spreadsheet writes them: every cell quoted where it needs to be."""
    lines = []
    for row in [HEADER, *rows]:
        cells = []
        for value in row:
            if any(ch in value for ch in (delimiter, '"', "\n", "\r")):
                value = '"' + value.replace('"', '""') + '"'
            cells.append(value)
        lines.append(delimiter.join(cells))
    return newline.join(lines) + newline


# ------------------------------------------------------------ notes and evidence without an answer


def test_a_note_or_evidence_without_an_answer_is_reported_not_dropped(
    cli: Cli, tmp_path: Path
) -> None:
    form = exported_xlsx(cli, tmp_path)
    workbook = load_workbook(form)
    sheet = workbook["Questions"]
    sheet["H2"] = "most"
    sheet["I3"] = "We are moving to a pipeline next quarter."  # tech.b: no answer
    sheet["J5"] = "https://wiki.example/people"  # people.a: no answer
    workbook.save(form)
    output = tmp_path / "ana.yaml"
    result = import_form(cli, form, output)
    assert result.exit_code == 2
    assert errors(result) == [
        "error: Questions!I3: a note without an answer; choose an answer (or 'unknown') "
        "or move the note",
        "error: Questions!J5: evidence without an answer; choose an answer (or 'unknown') "
        "or move the evidence",
    ]
    assert not output.exists()


def test_a_note_with_unknown_is_kept(cli: Cli, tmp_path: Path) -> None:
    form = exported_xlsx(cli, tmp_path)
    workbook = load_workbook(form)
    workbook["Questions"]["H3"] = "unknown - Don't know"
    workbook["Questions"]["I3"] = "Ask the platform team."
    workbook.save(form)
    output = tmp_path / "ana.yaml"
    assert import_form(cli, form, output).exit_code == 0
    assert load_yaml(output).data["answers"] == {
        "tech.b": {"choice": "unknown", "note": "Ask the platform team."}
    }


# ------------------------------------------------------------ merged cells


def test_an_answer_merged_down_rows_answers_every_row_it_covers(cli: Cli, tmp_path: Path) -> None:
    form = exported_xlsx(cli, tmp_path)
    workbook = load_workbook(form)
    sheet = workbook["Questions"]
    sheet["H2"] = "most - From scripts."
    sheet.merge_cells("H2:H3")  # the respondent means: the same for tech.a and tech.b
    sheet["I5"] = "Owned by HR."
    sheet.merge_cells("I5:I6")
    sheet["H5"], sheet["H6"] = "some", "none"
    workbook.save(form)
    output = tmp_path / "ana.yaml"
    result = import_form(cli, form, output)
    assert result.exit_code == 0, result.output
    assert load_yaml(output).data["answers"] == {
        "tech.a": "most",
        "tech.b": "most",
        "people.a": {"choice": "some", "note": "Owned by HR."},
        "people.b": {"choice": "none", "note": "Owned by HR."},
    }


def test_an_answer_merged_into_the_note_is_reported(cli: Cli, tmp_path: Path) -> None:
    form = exported_xlsx(cli, tmp_path)
    workbook = load_workbook(form)
    sheet = workbook["Questions"]
    sheet["H2"] = "all"
    sheet.merge_cells("H2:I2")
    workbook.save(form)
    result = import_form(cli, form, tmp_path / "ana.yaml")
    assert result.exit_code == 2
    assert errors(result) == [
        "error: Questions!I2: merged with Questions!H2 across columns, so its text is lost; "
        "unmerge the cells so the answer, the note and the evidence each have their own"
    ]


def test_a_bad_answer_in_a_merged_cell_names_both_cells(cli: Cli, tmp_path: Path) -> None:
    form = exported_xlsx(cli, tmp_path)
    workbook = load_workbook(form)
    sheet = workbook["Questions"]
    sheet["H5"] = "na"  # people.a allows na; people.b, the row below, does not
    sheet.merge_cells("H5:H6")
    workbook.save(form)
    result = import_form(cli, form, tmp_path / "ana.yaml")
    assert errors(result) == [
        "error: Questions!H6: question people.b does not allow 'na'; pick a choice or "
        "'unknown' (the cell is merged with Questions!H5, whose text it shows)"
    ]


# ------------------------------------------------------------ headers


def test_renamed_and_recased_headers_are_matched(cli: Cli, tmp_path: Path) -> None:
    form = exported_xlsx(cli, tmp_path)
    workbook = load_workbook(form)
    sheet = workbook["Questions"]
    sheet["H1"], sheet["I1"], sheet["J1"] = "ANSWER", "Notes", " Evidence "
    sheet["H2"], sheet["I2"], sheet["J2"] = "some", "By hand, for now.", "https://wiki.example/a"
    workbook.save(form)
    output = tmp_path / "ana.yaml"
    assert import_form(cli, form, output).exit_code == 0
    assert load_yaml(output).data["answers"]["tech.a"] == {
        "choice": "some",
        "note": "By hand, for now.",
        "evidence": ["https://wiki.example/a"],
    }


def test_an_unknown_header_over_text_gets_a_did_you_mean(cli: Cli, tmp_path: Path) -> None:
    form = exported_xlsx(cli, tmp_path)
    workbook = load_workbook(form)
    sheet = workbook["Questions"]
    sheet["I1"] = "Nots"
    sheet["K1"] = "Owner"  # a column the respondent added, empty: harmless
    sheet["H2"], sheet["I2"] = "some", "By hand."
    workbook.save(form)
    result = import_form(cli, form, tmp_path / "ana.yaml")
    assert result.exit_code == 2
    assert errors(result) == [
        "error: Questions!I1: a column named 'Nots' (did you mean 'note'?) holds text "
        "(Questions!I2) that mcpscale does not read; rename the header or move the text into "
        "'note' (columns: id, questionnaire, dimension, area, question, help, choices, answer, "
        "note, evidence)"
    ]


def test_a_missing_answer_column_is_one_problem(cli: Cli, tmp_path: Path) -> None:
    form = tmp_path / "form.csv"
    form.write_text("id,questionnaire,answr,note\ntech.a,tiny@2,some,\n", encoding="utf-8")
    result = import_form(cli, form, tmp_path / "ana.yaml")
    assert result.exit_code == 2
    assert errors(result) == [
        "error: form.csv!A1: the header row has no 'answer' column (answer: did you mean "
        "'answr'?) (found: 'id', 'questionnaire', 'answr', 'note'); export a new form with "
        "mcpscale form export"
    ]


# ------------------------------------------------------------ evidence


def test_commas_inside_evidence_urls_stay_in_them(cli: Cli, tmp_path: Path) -> None:
    form = tmp_path / "form.csv"
    rows = [
        ["tech.a", "", "some", "", "https://wiki.example/q?ids=1,2\nhttps://b.example/x"],
        ["tech.b", "", "most", "", "https://a.example/x, https://b.example/y; https://c.example"],
        ["people.a", "", "all", "", "https://a.example/x,https://b.example/1,2"],
    ]
    form.write_text(csv_bytes(rows), encoding="utf-8")
    output = tmp_path / "ana.yaml"
    assert import_form(cli, form, output).exit_code == 0
    answers = load_yaml(output).data["answers"]
    assert answers["tech.a"]["evidence"] == [
        "https://wiki.example/q?ids=1,2",
        "https://b.example/x",
    ]
    assert answers["tech.b"]["evidence"] == [
        "https://a.example/x",
        "https://b.example/y",
        "https://c.example",
    ]
    assert answers["people.a"]["evidence"] == ["https://a.example/x", "https://b.example/1,2"]


# ------------------------------------------------------------ CSV dialects and encodings

ROWS = [
    ["tech.a", "tiny@2", "most", "Déploiement par scripts; revu chaque trimestre.", ""],
    ["people.a", "tiny@2", "na", "", ""],
]
EXPECTED = {
    "tech.a": {"choice": "most", "note": "Déploiement par scripts; revu chaque trimestre."},
    "people.a": "na",
}


@pytest.mark.parametrize(
    ("delimiter", "encoding"),
    [
        (";", "utf-8"),
        (";", "utf-8-sig"),  # Excel's "CSV UTF-8" in a European locale
        (",", "utf-8-sig"),
        ("\t", "utf-16"),  # Excel's "Unicode Text": UTF-16 with a BOM, tab-separated
        (";", "utf-16"),
    ],
)
def test_csv_in_every_dialect_excel_writes_reads_the_same(
    cli: Cli, tmp_path: Path, delimiter: str, encoding: str
) -> None:
    form = tmp_path / "form.csv"
    form.write_bytes(csv_bytes(ROWS, delimiter).encode(encoding))
    output = tmp_path / "ana.yaml"
    result = import_form(cli, form, output)
    assert result.exit_code == 0, result.output
    assert "note:" not in result.stderr
    assert load_yaml(output).data["answers"] == EXPECTED


def test_a_windows_1252_csv_is_read_with_a_note(cli: Cli, tmp_path: Path) -> None:
    form = FORMS / "excel-fr-semicolon-cp1252.csv"  # Excel "CSV (separator: semicolon)", fr-FR
    output = tmp_path / "ana.yaml"
    result = import_form(cli, form, output)
    assert result.exit_code == 0, result.output
    assert (
        f"note: {form}: not UTF-8, read as Windows-1252 (Excel's 'CSV'); check accented letters "
        "in the answers file, or save the form as 'CSV UTF-8' and import it again"
    ) in result.stderr
    assert load_yaml(output).data["answers"] == EXPECTED


def test_the_fixture_files_are_what_excel_writes() -> None:
    """The fixtures hold the bytes the tests above build: one source of truth for them."""
    assert (FORMS / "excel-fr-semicolon-cp1252.csv").read_bytes() == csv_bytes(ROWS, ";").encode(
        "cp1252"
    )
    assert (FORMS / "excel-unicode-text.csv").read_bytes().startswith(codecs.BOM_UTF16_LE)


def test_a_utf16_fixture_reads(cli: Cli, tmp_path: Path) -> None:
    output = tmp_path / "ana.yaml"
    result = import_form(cli, FORMS / "excel-unicode-text.csv", output)
    assert result.exit_code == 0, result.output
    assert load_yaml(output).data["answers"] == EXPECTED


def test_a_csv_neither_utf8_nor_windows_1252_names_the_fix(cli: Cli, tmp_path: Path) -> None:
    form = tmp_path / "form.csv"
    form.write_bytes(csv_bytes(ROWS).encode("utf-8").replace(b"\xc3\xa9", b"\x81"))
    result = import_form(cli, form, tmp_path / "ana.yaml")
    assert result.exit_code == 2
    assert errors(result) == [
        f"error: {form}: not UTF-8 text (byte 0x81 on line 2) nor Windows-1252; "
        "save the form as 'CSV UTF-8' and import it again"
    ]


def test_a_binary_file_named_csv_is_refused(cli: Cli, tmp_path: Path) -> None:
    form = tmp_path / "form.csv"
    form.write_bytes(bytes(range(256)) * 4)
    result = import_form(cli, form, tmp_path / "ana.yaml")
    assert errors(result) == [
        f"error: {form}: not a text file (it holds binary data); "
        "save the form as 'CSV UTF-8' and import it again"
    ]


def test_a_cell_over_the_csv_field_limit_is_one_problem_naming_it(cli: Cli, tmp_path: Path) -> None:
    form = tmp_path / "form.csv"
    rows = [["tech.a", "tiny@2", "most", "x" * 1_500_000, ""], ["tech.b", "tiny@2", "all", "", ""]]
    form.write_text(csv_bytes(rows), encoding="utf-8")
    result = import_form(cli, form, tmp_path / "ana.yaml")
    assert result.exit_code == 2
    assert errors(result) == [
        "error: form.csv!D2: a cell of 1.4 MB, over the 1 MB a form cell may hold; shorten it "
        "or link to a document in 'evidence'"
    ]


def test_a_cell_just_over_the_csv_modules_default_limit_reads(cli: Cli, tmp_path: Path) -> None:
    form = tmp_path / "form.csv"
    note = "y" * 200_000  # over csv's 128 KB default, under the 1 MB a cell may hold
    form.write_text(csv_bytes([["tech.a", "tiny@2", "most", note, ""]]), encoding="utf-8")
    output = tmp_path / "ana.yaml"
    assert import_form(cli, form, output).exit_code == 0
    assert load_yaml(output).data["answers"]["tech.a"]["note"] == note


def test_an_empty_csv_says_so(cli: Cli, tmp_path: Path) -> None:
    form = tmp_path / "form.csv"
    form.write_bytes(b"")
    result = import_form(cli, form, tmp_path / "ana.yaml")
    assert errors(result) == [
        f"error: {form}: the form is empty; export one with mcpscale form export"
    ]


# ------------------------------------------------------------ xlsx files that are not quite forms


def test_the_questions_sheet_renamed_still_reads(cli: Cli, tmp_path: Path) -> None:
    form = exported_xlsx(cli, tmp_path)
    workbook = load_workbook(form)
    workbook["Questions"].title = "Antworten"
    workbook["Antworten"]["H2"] = "all"
    workbook.move_sheet("Choices", offset=-1)  # the hidden Choices sheet now comes first
    workbook.save(form)
    output = tmp_path / "ana.yaml"
    result = import_form(cli, form, output)
    assert result.exit_code == 0, result.output
    assert load_yaml(output).data["answers"] == {"tech.a": "all"}


def test_an_xlsx_that_is_a_zip_of_garbage_is_refused(cli: Cli, tmp_path: Path) -> None:
    form = tmp_path / "form.xlsx"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", b"\x00garbage<<")
        archive.writestr("xl/workbook.xml", b"not xml")
    form.write_bytes(buffer.getvalue())
    result = import_form(cli, form, tmp_path / "ana.yaml")
    assert result.exit_code == 2
    [line] = errors(result)
    assert line.startswith(f"error: {form}: not an xlsx workbook (")
    assert line.endswith("); export a new form")
