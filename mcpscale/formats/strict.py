"""The base of every file-format model: unknown keys are errors, ids are text."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict


class Strict(BaseModel):
    """Unknown keys are errors, so a typo such as `wieght:` never passes silently."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)


def _text_id(value: Any) -> Any:
    """YAML reads `1.0` or `3` as numbers; ids and versions are text."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return value


Id = str
