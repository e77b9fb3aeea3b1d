"""The base of every file-format model: unknown keys are errors, ids are text, numbers are sane."""

from __future__ import annotations

import datetime as dt
import math
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, field_validator

# No amount, count or duration in an assessment comes near this; beyond it, sums and
# Monte Carlo draws lose their digits or overflow.
MAX_NUMBER = 10**12
# Employees, developers, team sizes: the largest employers have a few million.
MAX_PEOPLE = 10**7
# Durations in months: a century is more than any plan spans.
MAX_MONTHS = 1200
# Plans add months to dates; a year outside this is a typo, and past 9999 dates overflow.
FIRST_YEAR, LAST_YEAR = 1900, 2200


class Strict(BaseModel):
    """Unknown keys are errors, so a typo such as `wieght:` never passes silently.

    Every number must be finite (no .inf or .nan) and at most MAX_NUMBER in size.
    """

    model_config = ConfigDict(extra="forbid", populate_by_name=True, allow_inf_nan=False)

    @field_validator("*", mode="after")
    @classmethod
    def _sane_numbers(cls, value: Any) -> Any:
        _check_numbers(value, "")
        return value


def _check_numbers(value: Any, where: str) -> None:
    if isinstance(value, bool | BaseModel):
        return  # a nested model checks its own fields
    if isinstance(value, int | float):
        if not math.isfinite(value):
            raise ValueError(f"{where}{value} is not a finite number")
        if abs(value) > MAX_NUMBER:
            raise ValueError(f"{where}{value:g} is beyond {MAX_NUMBER:,}; is it a typo?")
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_numbers(item, f"{key}: ")
    elif isinstance(value, list | tuple):
        for item in value:
            _check_numbers(item, where)


def _sane_year(value: dt.date) -> dt.date:
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValueError(f"year {value.year} is outside {FIRST_YEAR}-{LAST_YEAR}; is it a typo?")
    return value


Date = Annotated[dt.date, AfterValidator(_sane_year)]
"""A date in a file: its year within FIRST_YEAR..LAST_YEAR, so month arithmetic never overflows."""


def _text_id(value: Any) -> Any:
    """YAML reads `1.0` or `3` as numbers; ids and versions are text."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return value


Id = str
