"""matplotlib set up for files that diff cleanly: the Agg backend, stable ids, no dates."""

from __future__ import annotations

import io
from contextlib import AbstractContextManager
from typing import Any

from mcpscale.inputs.clock import today


def pyplot() -> Any:
    """matplotlib.pyplot on the Agg backend (no display needed), imported only when drawing."""
    # matplotlib reads SOURCE_DATE_EPOCH itself (int(), in savefig's dry run for a tight bbox
    # even when Date is None): the one clock turns a malformed one into bad input first.
    today()
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams["svg.hashsalt"] = "mcpscale"  # stable element ids instead of random ones
    # Text is text: a name or a currency holding $x^2$ is never math (render.text.chart_text).
    plt.rcParams["text.parse_math"] = False
    return plt


def unhinted_text() -> AbstractContextManager[Any]:
    """matplotlib's settings while a render.drawing picture is painted: glyphs at their
    unhinted advances, as text_width() measures them and a PDF sets them. Hinting widens text
    at screen sizes, and a label placed to fit would not."""
    import matplotlib

    return matplotlib.rc_context({"text.hinting": "no_hinting"})


def figure_bytes(figure: Any, image_format: str) -> bytes:
    """SVG or PNG without the creation date, so the same data gives the same file."""
    buffer = io.BytesIO()
    metadata = {"Date": None} if image_format == "svg" else {"Software": None}
    figure.savefig(buffer, format=image_format, metadata=metadata)
    return buffer.getvalue()
