"""Offline forms: the questionnaire as a spreadsheet (xlsx or csv), and filled ones read back.

One row per question. In xlsx the answer cell is a dropdown of "<choice id> - <label>"
(plus "unknown - Don't know" and, where allowed, "na - Not applicable"); the id columns
are hidden so a filled form maps back to its questions whatever the respondent reorders.
On import the text before " - " is the choice id, so a bare id (or a choice number) works
too, and every bad cell is reported as `sheet!cell: message`. A multi-select question has no
dropdown: its answer cell lists the ids selected, separated by commas ('a, c').
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
from mcpscale.inputs.reader import read_bounded
from mcpscale.interview.session import (
    SELECTION_SEPARATORS,
    answers_document,
    match_choice,
    match_selection,
)

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
EXCLUSIVE_NOTE = " (on its own)"
MULTI_HINT = "Select one or more: write their ids separated by commas"


def option_text(choice_id: str, label: str) -> str:
    """How a choice reads in the dropdown: 'clustered - Production servers run as ...'."""
    return f"{choice_id} - {label}"


def question_options(question: Question) -> list[str]:
    options = [option_text(c.id, c.label + EXCLUSIVE_NOTE * c.exclusive) for c in question.choices]
    options.append(option_text(UNKNOWN, SPECIAL_LABELS[UNKNOWN]))
    if question.allow_na:
        options.append(option_text(NOT_APPLICABLE, SPECIAL_LABELS[NOT_APPLICABLE]))
    return options


def choices_text(question: Question) -> str:
    """The choices cell: one option a line; a multi-select says how to pick several."""
    options = question_options(question)
    if question.multi:
        ids = [c.id for c in question.choices]
        options.insert(0, f"{MULTI_HINT}, e.g. {ids[0]}, {ids[1]}")
    return "\n".join(options)


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
                "choices": choices_text(question),
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
        if question.multi:
            continue  # a dropdown picks one; several ids are typed
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

MAX_FORM_BYTES = 10 * 1024 * 1024  # a filled form of a few hundred questions is well under 1 MB
MAX_CELL_CHARS = 1024 * 1024
REQUIRED_COLUMNS = ("id", "answer")
CSV_DELIMITERS = (",", ";", "\t")
SAVE_AS_UTF8 = "save the form as 'CSV UTF-8' and import it again"


@dataclass(frozen=True)
class Cell:
    """One cell's text and where it is, e.g. Questions!H5.

    `merged` is the top-left cell of a merged range this cell lies in (not its top-left):
    a range down one column lends its text to every cell; one across columns lends none."""

    sheet: str
    column: int  # 1-based
    row: int  # 1-based
    value: str
    merged: str = ""

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
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise UserError.at(path, f"cannot read the form: {exc.strerror or exc}") from None
    if size > MAX_FORM_BYTES:
        raise UserError.at(
            path,
            f"the file is {size / 1024 / 1024:.1f} MB, too big for a form (at most "
            f"{MAX_FORM_BYTES // 1024 // 1024} MB); is it the right file?",
        )
    if path.suffix.lower() == ".csv":
        return _read_csv(path)
    return _read_xlsx(path)


def _read_xlsx(path: Path) -> list[list[Cell]]:
    from openpyxl import load_workbook

    try:
        # not read_only: a read-only sheet does not know its merged cells
        workbook = load_workbook(path, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not xlsx
        summary = " ".join(str(exc).split())[:120] or type(exc).__name__
        raise UserError.at(path, f"not an xlsx workbook ({summary}); export a new form") from None
    grids = {
        sheet.title: [
            ["" if value is None else str(value).strip() for value in row]
            for row in sheet.iter_rows(values_only=True)
        ]
        for sheet in workbook.worksheets
    }
    sheet = _questions_sheet(path, workbook.worksheets, grids)
    grid = grids[sheet.title]
    lent: dict[tuple[int, int], tuple[str, str]] = {}  # (row, column) -> (value, top-left ref)
    for merged in sheet.merged_cells.ranges:
        within = merged.min_row <= len(grid) and merged.min_col <= len(grid[merged.min_row - 1])
        top_left = grid[merged.min_row - 1][merged.min_col - 1] if within else ""
        if not top_left:
            continue
        down_one_column = merged.min_col == merged.max_col
        ref = f"{sheet.title}!{column_letter(merged.min_col)}{merged.min_row}"
        for r in range(merged.min_row, merged.max_row + 1):
            for c in range(merged.min_col, merged.max_col + 1):
                if (r, c) != (merged.min_row, merged.min_col):
                    lent[r, c] = (top_left if down_one_column else "", ref)
    rows = []
    for r, values in enumerate(grid, 1):
        row = []
        for c, value in enumerate(values, 1):
            value, merged_with = lent.get((r, c), (value, ""))
            row.append(Cell(sheet.title, c, r, value, merged_with))
        rows.append(row)
    return rows


def _questions_sheet(path: Path, sheets: Sequence[Any], grids: dict[str, list[list[str]]]) -> Any:
    """The sheet named Questions (any case), else the one whose header has id and answer."""
    for sheet in sheets:
        if sheet.title.strip().casefold() == SHEET.casefold():
            return sheet
    for sheet in sheets:
        header = {_column_name(v) for v in (grids[sheet.title] or [[]])[0]}
        if header >= set(REQUIRED_COLUMNS):
            return sheet
    if len(sheets) == 1:
        return sheets[0]  # its header is checked, and reported, by the caller
    names = ", ".join(repr(s.title) for s in sheets)
    raise UserError.at(
        path,
        f"no sheet named '{SHEET}' and none with 'id' and 'answer' columns (sheets: {names}); "
        f"rename the sheet that holds the answers to '{SHEET}'",
    )


def _read_csv(path: Path) -> list[list[Cell]]:
    text = _decode_csv(path, read_bounded(path, MAX_FORM_BYTES, "a filled form (.csv)"))
    previous = csv.field_size_limit()
    csv.field_size_limit(MAX_FORM_BYTES)  # bigger cells are reported below, by name
    try:
        delimiter = _csv_delimiter(text)
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise UserError.at(path, f"not a readable CSV form ({exc}); {SAVE_AS_UTF8}") from None
    finally:
        csv.field_size_limit(previous)
    rows = [
        [Cell(path.name, c, r, value) for c, value in enumerate(record, 1)]
        for r, record in enumerate(records, 1)
    ]
    huge = [cell for row in rows for cell in row if len(cell.value) > MAX_CELL_CHARS]
    if huge:
        raise UserError.from_problems(
            [
                _problem(
                    cell,
                    f"a cell of {len(cell.value) / 1024 / 1024:.1f} MB, over the "
                    f"{MAX_CELL_CHARS // 1024 // 1024} MB a form cell may hold; shorten it "
                    "or link to a document in 'evidence'",
                )
                for cell in huge
            ]
        )
    return rows


def _decode_csv(path: Path, data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with a BOM, else Windows-1252 with a note."""
    import codecs
    import sys

    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise UserError.at(path, f"not valid UTF-16 text; {SAVE_AS_UTF8}") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        utf8_error = exc
    if b"\0" in data:
        raise UserError.at(path, f"not a text file (it holds binary data); {SAVE_AS_UTF8}")
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        line = data.count(b"\n", 0, utf8_error.start) + 1
        raise UserError.at(
            path,
            f"not UTF-8 text (byte {data[utf8_error.start]:#04x} on line {line}) "
            f"nor Windows-1252; {SAVE_AS_UTF8}",
        ) from None
    sys.stderr.write(
        f"note: {path}: not UTF-8, read as Windows-1252 (Excel's 'CSV'); check accented "
        f"letters in the answers file, or {SAVE_AS_UTF8}\n"
    )
    return text


def _csv_delimiter(text: str) -> str:
    """',' ';' or tab: the one that splits the header line into the most form columns."""
    header_line = text.lstrip("\ufeff").partition("\n")[0]

    def known_columns(delimiter: str) -> int:
        fields = next(csv.reader([header_line], delimiter=delimiter), [])
        return len({_column_name(f) for f in fields} & set(COLUMNS))

    best = max(CSV_DELIMITERS, key=known_columns)  # ties keep the first: ','
    return best if known_columns(best) else ","


def _column_name(header: str) -> str:
    """A header as a column name: 'Notes', ' NOTE ', 'Evidence' -> note, note, evidence."""
    name = re.sub(r"[\s_-]+", "", str(header).casefold())
    if name not in COLUMNS and name.endswith("s") and name[:-1] in COLUMNS:
        return name[:-1]
    return name


def _header_columns(
    header_row: Sequence[Cell], body: Sequence[Sequence[Cell]]
) -> tuple[dict[str, int], list[Problem]]:
    """Each known column's position; a problem for a column whose text would be lost."""
    columns: dict[str, int] = {}
    problems: list[Problem] = []
    filled = {cell.column: cell for row in body for cell in reversed(row) if cell.value}
    for cell in header_row:
        name = _column_name(cell.value)
        if name in COLUMNS and name not in columns:
            columns[name] = cell.column
        elif name in COLUMNS:
            first = f"{column_letter(columns[name])}{cell.row}"
            problems.append(
                _problem(cell, f"a second '{name}' column (the first is {first}); merge them")
            )
        elif cell.column in filled:
            what = f"a column named '{cell.value}'" if cell.value else "a column with no header"
            hint = did_you_mean(name, COLUMNS) if name else ""
            problems.append(
                _problem(
                    cell,
                    f"{what}{hint} holds text ({filled[cell.column].ref}) that mcpscale does not "
                    f"read; rename the header or move the text into 'note' "
                    f"(columns: {', '.join(COLUMNS)})",
                )
            )
    return columns, problems


def import_form(
    path: Path, respondent: Respondent, questionnaire_ref: str | None
) -> tuple[Questionnaire, dict[str, Any]]:
    """Read a filled form into an answers document; every bad cell is one problem."""
    from mcpscale.inputs.packs import resolve_pack

    rows = _read_cells(path)
    if not any(cell.value for row in rows[:1] for cell in row):
        raise UserError.at(path, "the form is empty; export one with mcpscale form export")
    body = [row for row in rows[1:] if any(c.value.strip() for c in row)]
    header, header_problems = _header_columns(rows[0], body)
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        found = ", ".join(repr(c.value) for c in rows[0] if c.value)
        hints = "".join(
            did_you_mean(m, [_column_name(c.value) for c in rows[0]]).replace(" (", f" ({m}: ")
            for m in missing
        )
        raise UserError.at(
            rows[0][0].ref if rows[0] else path,
            f"the header row has no {' or '.join(repr(m) for m in missing)} column{hints} "
            f"(found: {found}); export a new form with mcpscale form export",
        )
    if header_problems:
        raise UserError.from_problems(header_problems)

    def cell(row: Sequence[Cell], column: str) -> Cell | None:
        position = header.get(column)
        if position is None or position > len(row):
            return None
        return row[position - 1]

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
        note_cell, evidence_cell = cell(row, "note"), cell(row, "evidence")
        split = [
            c for c in (answer_cell, note_cell, evidence_cell) if c and c.merged and not c.value
        ]
        if split:
            problems += [
                _problem(
                    c,
                    f"merged with {c.merged} across columns, so its text is lost; unmerge the "
                    "cells so the answer, the note and the evidence each have their own",
                )
                for c in split
            ]
            continue
        note = note_cell.value.strip() if note_cell else ""
        evidence = split_evidence(evidence_cell.value) if evidence_cell else []
        if answer_cell is None or not answer_cell.value:
            for kept, what in ((note_cell, "a note"), (evidence_cell, "evidence")):
                if kept is not None and kept.value:
                    problems.append(
                        _problem(
                            kept,
                            f"{what} without an answer; choose an answer (or 'unknown') or "
                            f"move the {what.removeprefix('a ')}",
                        )
                    )
            continue
        choice = parse_answer(question, answer_cell.value)
        if isinstance(choice, Problem):
            problems.append(_problem(answer_cell, choice.message))
            continue
        answers[question.id] = Answer(choice=choice, note=note or None, evidence=evidence)
    if problems:
        raise UserError.from_problems(problems)
    document = answers_document(questionnaire, respondent, answers, today())
    return questionnaire, document


def split_evidence(text: str) -> list[str]:
    """Evidence links from one cell: one a line, or separated by spaces (a ', ' or '; ' too).

    A URL holds no space, so a comma or semicolon inside one (`?ids=1,2`) stays in it; a
    comma or semicolon with no space after it splits only where a new link starts."""
    separators = r"[,;]?\s+|[,;](?=[a-zA-Z][a-zA-Z0-9+.-]*://)"
    return [part for part in re.split(separators, text.strip()) if part]


def _problem(cell: Cell, message: str) -> Problem:
    if cell.merged and cell.value:
        message += f" (the cell is merged with {cell.merged}, whose text it shows)"
    return Problem(cell.ref, None, None, message)


def parse_answer(question: Question, text: str) -> str | list[str] | Problem:
    """The choice id an answer cell names: 'clustered - ...', 'clustered', '3', 'unknown';
    for a multi-select, the ids it lists: 'a, c', '1, 3', one 'a - Threat modelling' a line."""
    typed = text.strip().split(" - ", 1)[0].strip()
    choice = match_choice(question, typed)
    if choice == NOT_APPLICABLE and not question.allow_na:
        message = f"question {question.id} does not allow 'na'; pick a choice or 'unknown'"
        return Problem("", None, None, message)
    ids = [c.id for c in question.choices]
    allowed = ", ".join([*ids, UNKNOWN, *([NOT_APPLICABLE] if question.allow_na else [])])
    if question.multi and choice not in (UNKNOWN, NOT_APPLICABLE):
        listed = ",".join(
            part.split(" - ", 1)[0] for part in SELECTION_SEPARATORS.split(text.strip())
        )
        selected, problem = match_selection(question, listed)
        if problem:
            return Problem(
                "", None, None, f"question {question.id}: {problem} (choices: {allowed})"
            )
        return selected
    if choice is not None:
        return choice
    return Problem(
        "",
        None,
        None,
        f"unknown choice '{typed[:40]}' for question {question.id}"
        f"{did_you_mean(typed, ids)} (choices: {allowed})",
    )
