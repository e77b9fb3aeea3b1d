"""What the DOCX and xlsx reports share: one date from the one clock, and zip files whose bytes
depend on their content only (python-docx and openpyxl stamp each entry with the time now)."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

from mcpscale.inputs.clock import today

# A zip entry's time cannot predate 1980 (MS-DOS dates).
_ZIP_EPOCH = dt.datetime(1980, 1, 1)


def document_time() -> dt.datetime:
    """Midnight (UTC, naive as both libraries want it) of the report's date: created and
    modified in the documents' properties, and every zip entry's time."""
    return max(dt.datetime.combine(today(), dt.time()), _ZIP_EPOCH)


def fixed_zip(data: bytes) -> bytes:
    """The same entries in the same order, each stamped with document_time() and deflated."""
    when = document_time().timetuple()[:6]
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for entry in source.infolist():
            fixed = zipfile.ZipInfo(entry.filename, date_time=when)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            target.writestr(fixed, source.read(entry))
    return out.getvalue()
