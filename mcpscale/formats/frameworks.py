"""A pack's external frameworks (`frameworks.yaml`, kind: frameworks) as pydantic models.

Questions name framework items in their `mappings:`; this file says what each framework
and item is called, and why an item no question meets is left out. Like the other formats
these check shape only; whether every mapping names an item that exists is checked, with
line numbers, in inputs/plan_checks.py.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator

from mcpscale.formats.strict import Id, Strict, _text_id


class FrameworkItem(Strict):
    id: Id = Field(min_length=1, description="The item's id in the framework, e.g. MCP03.")
    name: str = Field(min_length=1, description="The item's official name.")
    not_covered: str | None = Field(
        None,
        min_length=1,
        description="Why no question meets this item; shown while no question maps to it.",
    )

    _ids = field_validator("id", mode="before")(_text_id)


class Framework(Strict):
    id: Id = Field(min_length=1, description="What questions' mappings call it.")
    name: str = Field(min_length=1)
    version: str = Field("", description="The edition mapped, e.g. 2025.")
    url: str = Field("", description="Where the framework is published.")
    items: list[FrameworkItem] = Field(min_length=1)

    _ids = field_validator("id", "version", mode="before")(_text_id)


class FrameworkSet(Strict):
    kind: Literal["frameworks"]
    frameworks: list[Framework] = Field(min_length=1)

    def framework(self, framework_id: str) -> Framework | None:
        return next((f for f in self.frameworks if f.id == framework_id), None)
