"""The brand file (`kind: brand`): whose name, colour and logo a report carries."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from mcpscale.formats.strict import Strict


class Brand(Strict):
    """A consultancy's look for reports: `mcpscale report --brand brand.yaml`."""

    kind: Literal["brand"]
    name: str = Field(min_length=1, description="Shown above the title on the cover.")
    colour: str = Field(
        "#0b3d91",
        pattern=r"^#[0-9a-fA-F]{6}$",
        description="Headings and accents, as #RRGGBB.",
    )
    logo: str | None = Field(
        None, description="PNG, JPEG or SVG file, relative to this file; at most 1 MB."
    )
    classification: str | None = Field(
        None, description="Marking on the cover and every page, e.g. 'Client confidential'."
    )
