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


def csv_text(columns: Sequence[str], rows: Iterable[Mapping[str, Any]]) -> str:
    """CSV with a header row; keys beyond `columns` are ignored."""
    buffer = io.StringIO()
    writer = csv.DictWriter(
        buffer, fieldnames=list(columns), lineterminator="\n", extrasaction="ignore"
    )
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()
