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
# What orjson writes otherwise than Python: an exponent (Python writes 1e-05 and 1e+16, orjson
# 1e-7 and 1e+16, so the same at times) or a fraction below 0.0001 (Python 1e-05, orjson
# 0.00001). Each pattern begins with two fixed characters, which the regular expression
# engine finds as fast as `bytes.find` in 20 MB of JSON; a pattern starting otherwise (a digit
# before the `e`) took ten times as long as orjson's writing.
_WRITTEN_OTHERWISE = (re.compile(rb"e-[0-9]"), re.compile(rb"e\+[0-9]"), re.compile(rb"0\.0000"))
# Before such a match, a number: first in the text, after `": "` or at the start of an
# indented line. The same characters inside a string only send the text to the json module.
_NUMBER_BEFORE = re.compile(rb"(?:^|[:\n]) *-?[0-9.]*\Z")
_NUMBER_LENGTH = 32  # digits, point and sign of the longest number, with room to spare


def _number_written_otherwise(encoded: bytes) -> bool:
    for pattern in _WRITTEN_OTHERWISE:
        for match in pattern.finditer(encoded):
            start = match.start()
            before = encoded[max(0, start - _NUMBER_LENGTH) : start]
            if _NUMBER_BEFORE.search(before):
                return True
    return False


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
    if not encoded or _number_written_otherwise(encoded):
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
