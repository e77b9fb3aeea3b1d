"""matplotlib set up for pictures that diff cleanly (the Agg backend, stable ids, no dates),
and a chart drawn as shapes written as a file of its own."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mcpscale.inputs.clock import today

if TYPE_CHECKING:
    from mcpscale.render.drawing import Drawing


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


CHART_DPI = 100  # a chart file's PNG: the resolution matplotlib's figures were saved at


def chart_file(drawing: Drawing, image_format: str) -> bytes:
    """A chart as a file of its own: SVG with its XML declaration, or PNG at CHART_DPI."""
    if image_format == "png":
        return drawing.png(CHART_DPI)
    return ('<?xml version="1.0" encoding="utf-8" standalone="no"?>\n' + drawing.svg()).encode()
