"""matplotlib set up for files that diff cleanly: the Agg backend, stable ids, no dates."""

from __future__ import annotations

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
