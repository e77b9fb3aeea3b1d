"""The one clock: today, or the day SOURCE_DATE_EPOCH names, so output is reproducible.

Every date mcpscale writes (answers' `assessed_at`, a report's date, evidence's
`collected_at`, a plan's start when the answers carry no date) comes from `today()`.
"""

from __future__ import annotations

import datetime as dt
import os

from mcpscale.errors import UserError

SOURCE_DATE_EPOCH = "SOURCE_DATE_EPOCH"


def today() -> dt.date:
    """SOURCE_DATE_EPOCH's day (UTC) when set, else the local date.

    A value that is not a whole number of seconds since 1970 is bad input (exit 2), not a
    silent fall back to today: a reproducible build that quietly is not would be worse."""
    epoch = os.environ.get(SOURCE_DATE_EPOCH, "").strip()
    if not epoch:
        return dt.date.today()
    try:
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date()
    except (ValueError, OverflowError, OSError):
        raise UserError(
            f"{SOURCE_DATE_EPOCH}={epoch!r} is not a whole number of seconds since "
            "1970-01-01; set it to one (e.g. $(git log -1 --format=%ct)) or unset it"
        ) from None
