"""Offline forms: the questionnaire as a spreadsheet (xlsx or csv), and filled ones read back.

One row per question. In xlsx the answer cell is a dropdown of "<choice id> - <label>"
(plus "unknown - Don't know" and, where allowed, "na - Not applicable"); the id columns
are hidden so a filled form maps back to its questions whatever the respondent reorders.
On import the text before " - " is the choice id, so a bare id (or a choice number) works
too, and every bad cell is reported as `sheet!cell: message`.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mcpscale.assess.scoring import question_applies
from mcpscale.errors import Problem, UserError, did_you_mean
from mcpscale.formats.answers import Answer, Respondent
from mcpscale.formats.profile import Profile
from mcpscale.formats.questionnaire import NOT_APPLICABLE, UNKNOWN, Question, Questionnaire
from mcpscale.inputs.clock import today
from mcpscale.interview.session import answers_document, match_choice

SHEET = "Questions"
CHOICES_SHEET = "Choices"
COLUMNS = (
    "id",
    "questionnaire",
    "dimension",
    "area",
    "question",
    "help",
    "choices",
    "answer",
    "note",
    "evidence",
)
HIDDEN_COLUMNS = ("id", "questionnaire")
SPECIAL_LABELS = {UNKNOWN: "Don't know", NOT_APPLICABLE: "Not applicable"}
FORMATS = ("xlsx", "csv")


def option_text(choice_id: str, label: str) -> str:
    """How a choice reads in the dropdown: 'clustered - Production servers run as ...'."""
    return f"{choice_id} - {label}"


def question_options(question: Question) -> list[str]:
    options = [option_text(c.id, c.label) for c in question.choices]
    options.append(option_text(UNKNOWN, SPECIAL_LABELS[UNKNOWN]))
    if question.allow_na:
        options.append(option_text(NOT_APPLICABLE, SPECIAL_LABELS[NOT_APPLICABLE]))
    return options


def form_rows(questionnaire: Questionnaire, profile: Profile | None) -> list[dict[str, str]]:
    """One row per question that applies to the profile, answer, note and evidence empty."""
    dimensions = {d.id: d for d in questionnaire.dimensions}
    rows = []
    for question in questionnaire.questions:
        if not question_applies(question, profile):
            continue
        dimension = dimensions[question.dimension]
        area = next((a.name for a in dimension.areas if a.id == question.area), "")
        rows.append(
            {
                "id": question.id,
                "questionnaire": questionnaire.ref,
                "dimension": dimension.name,
                "area": area,
                "question": question.text,
                "help": question.help.strip(),
                "choices": "\n".join(question_options(question)),
                "answer": "",
                "note": "",
                "evidence": "",
            }
        )
    return rows


def export_form(
    questionnaire: Questionnaire, profile: Profile | None, output: Path, form_format: str
) -> int:
    """Write the form; returns the number of questions in it."""
    from mcpscale.inputs.write import write_atomic, write_atomic_bytes

    rows = form_rows(questionnaire, profile)
    if form_format == "csv":
        from mcpscale.formats.serialize import csv_text

        write_atomic(output, csv_text(COLUMNS, rows))  # text that looks like a formula gets a '
    else:
        write_atomic_bytes(output, _xlsx_bytes(questionnaire, rows))
    return len(rows)


def _xlsx_bytes(questionnaire: Questionnaire, rows: list[dict[str, str]]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = SHEET
    choices_sheet = workbook.create_sheet(CHOICES_SHEET)
    choices_sheet.sheet_state = "hidden"
    sheet.append(list(COLUMNS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    widths = {
        "dimension": 22,
        "area": 22,
        "question": 50,
        "help": 40,
        "choices": 60,
        "answer": 40,
        "note": 40,
        "evidence": 40,
    }
    answer_column = get_column_letter(COLUMNS.index("answer") + 1)
    for index, row in enumerate(rows, start=2):
        sheet.append([row[column] for column in COLUMNS])
        question = questionnaire.question(row["id"])
        assert question is not None
        options = question_options(question)
        choices_sheet.append([row["id"], *options])
        last = get_column_letter(len(options) + 1)
        dropdown = DataValidation(
            type="list",
            formula1=f"={CHOICES_SHEET}!$B${index - 1}:${last}${index - 1}",
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="Pick from the list",
            error="Pick one of the choices in the list, or leave the cell empty.",
        )
        sheet.add_data_validation(dropdown)
        dropdown.add(f"{answer_column}{index}")
    for position, column in enumerate(COLUMNS, start=1):
        letter = get_column_letter(position)
        sheet.column_dimensions[letter].width = widths.get(column, 12)
        sheet.column_dimensions[letter].hidden = column in HIDDEN_COLUMNS
        for cell in sheet[letter][1:]:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "C2"
    _text_cells(sheet)
    _text_cells(choices_sheet)
    workbook_bytes = io.BytesIO()
    workbook.save(workbook_bytes)
    return workbook_bytes.getvalue()


def _text_cells(sheet: Any) -> None:
    """Every text cell stays text: openpyxl would store a label starting with = as a formula
    (=HYPERLINK(...) runs when the form is opened); a string cell shows it as written."""
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"


# ---------------------------------------------------------------- import


@dataclass(frozen=True)
class Cell:
    """One cell's text and where it is, e.g. Questions!H5."""

    sheet: str
    column: int  # 1-based
    row: int  # 1-based
    value: str

    @property
    def ref(self) -> str:
        return f"{self.sheet}!{column_letter(self.column)}{self.row}"


def column_letter(column: int) -> str:
    letters = ""
    while column:
        column, remainder = divmod(column - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def _read_cells(path: Path) -> list[list[Cell]]:
    """Every row of the form (header first) as cells of text."""
    if not path.is_file():
        raise UserError.at(path, "no such file")
    if path.suffix.lower() == ".csv":
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (UnicodeDecodeError, OSError) as exc:
            raise UserError.at(path, f"cannot read the form as UTF-8 CSV: {exc}") from None
        return [
            [Cell(path.name, c, r, value) for c, value in enumerate(row, 1)]
            for r, row in enumerate(csv.reader(io.StringIO(text)), 1)
        ]
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not xlsx
        raise UserError.at(path, f"not an xlsx workbook ({exc}); export a new form") from None
    sheet = workbook[SHEET] if SHEET in workbook.sheetnames else workbook.worksheets[0]
    rows = [
        [
            Cell(sheet.title, c, r, "" if value is None else str(value).strip())
            for c, value in enumerate(row, 1)
        ]
        for r, row in enumerate(sheet.iter_rows(values_only=True), 1)
    ]
    workbook.close()
    return rows


def import_form(
    path: Path, respondent: Respondent, questionnaire_ref: str | None
) -> tuple[Questionnaire, dict[str, Any]]:
    """Read a filled form into an answers document; every bad cell is one problem."""
    from mcpscale.inputs.packs import resolve_pack

    rows = _read_cells(path)
    if not rows:
        raise UserError.at(path, "the form is empty; export one with mcpscale form export")
    header = {cell.value.strip().casefold(): cell.column for cell in rows[0]}
    missing = [c for c in ("id", "answer") if c not in header]
    if missing:
        raise UserError.at(
            path,
            f"the header row has no {' or '.join(repr(m) for m in missing)} column; "
            "export a new form with mcpscale form export",
        )

    def cell(row: Sequence[Cell], column: str) -> Cell | None:
        position = header.get(column)
        if position is None or position > len(row):
            return None
        return row[position - 1]

    body = [row for row in rows[1:] if any(c.value.strip() for c in row)]
    if questionnaire_ref is None:
        named = {c.value for row in body if (c := cell(row, "questionnaire")) and c.value}
        if len(named) != 1:
            raise UserError.at(
                path,
                "cannot tell which questionnaire this form answers "
                f"({', '.join(sorted(named)) or 'no questionnaire column'}); "
                "pass --questionnaire",
            )
        questionnaire_ref = named.pop()
    questionnaire = resolve_pack(questionnaire_ref).questionnaire
    problems: list[Problem] = []
    answers: dict[str, Answer] = {}
    seen: dict[str, str] = {}
    for row in body:
        id_cell = cell(row, "id")
        if id_cell is None or not id_cell.value:
            first = row[0]
            problems.append(
                _problem(
                    first, f"row {first.row} has no question id; copy rows from an exported form"
                )
            )
            continue
        question = questionnaire.question(id_cell.value)
        if question is None:
            hint = did_you_mean(id_cell.value, questionnaire.questions_by_id)
            problems.append(_problem(id_cell, f"unknown question id '{id_cell.value}'{hint}"))
            continue
        if question.id in seen:
            problems.append(
                _problem(
                    id_cell, f"question {question.id} appears twice (first at {seen[question.id]})"
                )
            )
            continue
        seen[question.id] = id_cell.ref
        answer_cell = cell(row, "answer")
        if answer_cell is None or not answer_cell.value:
            continue
        choice = parse_answer(question, answer_cell.value)
        if isinstance(choice, Problem):
            problems.append(_problem(answer_cell, choice.message))
            continue
        note_cell, evidence_cell = cell(row, "note"), cell(row, "evidence")
        note = note_cell.value.strip() if note_cell else ""
        evidence = re.split(r"[\s,]+", evidence_cell.value.strip()) if evidence_cell else []
        answers[question.id] = Answer(
            choice=choice, note=note or None, evidence=[e for e in evidence if e]
        )
    if problems:
        raise UserError.from_problems(problems)
    document = answers_document(questionnaire, respondent, answers, today())
    return questionnaire, document


def _problem(cell: Cell, message: str) -> Problem:
    return Problem(cell.ref, None, None, message)


def parse_answer(question: Question, text: str) -> str | Problem:
    """The choice id an answer cell names: 'clustered - ...', 'clustered', '3', 'unknown'."""
    typed = text.strip().split(" - ", 1)[0].strip()
    choice = match_choice(question, typed)
    if choice == NOT_APPLICABLE and not question.allow_na:
        message = f"question {question.id} does not allow 'na'; pick a choice or 'unknown'"
        return Problem("", None, None, message)
    if choice is not None:
        return choice
    ids = [c.id for c in question.choices]
    allowed = ", ".join([*ids, UNKNOWN, *([NOT_APPLICABLE] if question.allow_na else [])])
    return Problem(
        "",
        None,
        None,
        f"unknown choice '{typed[:40]}' for question {question.id}"
        f"{did_you_mean(typed, ids)} (choices: {allowed})",
    )
