"""JSON and CSV text of the formats' dicts: sorted keys, a trailing newline."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import orjson

_ORJSON_OPTIONS = (
    orjson.OPT_INDENT_2
    | orjson.OPT_SORT_KEYS
    # Subclasses of str, int, dict and list, dataclasses and dates go to _refuse, so the json
    # module writes them (or refuses them) as it always has.
    | orjson.OPT_PASSTHROUGH_SUBCLASS
    | orjson.OPT_PASSTHROUGH_DATACLASS
    | orjson.OPT_PASSTHROUGH_DATETIME
)
# A number orjson writes otherwise than Python: an exponent (Python writes 1e-05 and 1e+16,
# orjson 1e-7) or a fraction below 0.0001 (Python 1e-05, orjson 0.00001). A number stands
# first, after `": "` or at the start of an indented line; the same characters inside a
# string only send that text to the slower json module.
_NUMBER_WRITTEN_OTHERWISE = re.compile(rb"(?:^|[:\n]) *-?(?:0\.0000|[0-9][0-9.]*e)")


def _refuse(value: Any) -> Any:
    raise TypeError(type(value).__name__)


def to_json(data: Any) -> str:
    """Stable JSON: sorted keys, two-space indent, trailing newline, so results diff in git.

    The text is the json module's, `json.dumps(data, sort_keys=True, indent=2,
    ensure_ascii=False)`, byte for byte, written by orjson, in C: the json module's
    indented output is pure Python, and took as long as reading the 1,000 answers files
    of a large result. What orjson refuses (keys that are not text, integers beyond 64
    bits, text with lone surrogates, other types) and numbers it writes otherwise go to
    the json module. A NaN or an infinity, which no output holds (input files refuse
    them, and statistics of nothing are written as null), would be written as null,
    valid JSON, where the json module wrote NaN, which JSON readers refuse.
    """
    try:
        encoded = orjson.dumps(data, default=_refuse, option=_ORJSON_OPTIONS)
    except TypeError:
        encoded = b""
    if not encoded or _NUMBER_WRITTEN_OTHERWISE.search(encoded):
        return json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False) + "\n"
    return encoded.decode() + "\n"


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
