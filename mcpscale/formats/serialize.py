"""JSON and CSV text of the formats' dicts: sorted keys, a trailing newline."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any


def to_json(data: Any) -> str:
    """Stable JSON: sorted keys, two-space indent, trailing newline, so results diff in git."""
    return json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


# A spreadsheet reads a cell starting with one of these as a formula (=HYPERLINK(...), +cmd|...).
FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(value: Any) -> Any:
    """A CSV or xlsx cell: text that a spreadsheet would run as a formula gets a leading `'`
    (OWASP's advice), so it shows as written; numbers and everything else pass unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_LEADS):
        return "'" + value
    return value


def csv_text(columns: Sequence[str], rows: Iterable[Mapping[str, Any]]) -> str:
    """CSV with a header row; keys beyond `columns` are ignored; every text cell safe to open
    in a spreadsheet (`spreadsheet_cell`)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(
        buffer, fieldnames=list(columns), lineterminator="\n", extrasaction="ignore"
    )
    writer.writerow({column: spreadsheet_cell(column) for column in columns})
    writer.writerows({k: spreadsheet_cell(v) for k, v in row.items()} for row in rows)
    return buffer.getvalue()
