"""The one home of the matplotlib settings mcpscale's pictures are painted with."""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import Any


def unhinted_text() -> AbstractContextManager[Any]:
    """matplotlib's settings while a render.drawing picture is painted: glyphs at their
    unhinted advances, as text_width() measures them and a PDF sets them. Hinting widens text
    at screen sizes, and a label placed to fit would not."""
    import matplotlib

    return matplotlib.rc_context({"text.hinting": "no_hinting"})
