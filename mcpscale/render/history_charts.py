"""History charts: the trend line chart and the portfolio heat map."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from mcpscale.errors import UserError
from mcpscale.history.trend import Trend


def trend_chart(trend: Trend, image_format: str) -> bytes:
    """A line per dimension and the overall score, each target as a dashed line."""
    from mcpscale.render.figures import figure_bytes, pyplot
    from mcpscale.render.text import chart_text

    plt = pyplot()
    positions = list(range(len(trend.points)))
    figure, axes = plt.subplots(figsize=(8, 4.5))
    try:
        colours = plt.rcParams["axes.prop_cycle"].by_key()["color"]
        for index, (dim_id, name, target) in enumerate(trend.dimensions):
            colour = colours[index % len(colours)]
            values = [p.scores[dim_id] for p in trend.points]
            axes.plot(positions, _nan(values), marker="o", color=colour, label=chart_text(name))
            axes.axhline(target, color=colour, linestyle="--", linewidth=0.8, alpha=0.7)
        axes.plot(
            positions,
            _nan([p.overall for p in trend.points]),
            marker="s",
            color="black",
            linewidth=2.2,
            label="Overall",
        )
        axes.set_xticks(positions, [chart_text(p.assessed_at or p.file) for p in trend.points])
        axes.set_ylim(trend.scale[0] - 0.1, trend.scale[1] + 0.1)
        axes.set_ylabel("score (dashed: target)")
        axes.set_title(chart_text(f"{trend.questionnaire.get('title', '')}: trend"))
        axes.grid(axis="y", alpha=0.3)
        axes.legend(loc="best", fontsize="small")
        figure.tight_layout()
        return figure_bytes(figure, image_format)
    finally:
        plt.close(figure)


def _nan(values: Sequence[float | None]) -> list[float]:
    return [float("nan") if v is None else v for v in values]


def image_format_of(path: Path) -> str:
    suffix = path.suffix.lower().lstrip(".")
    if suffix not in ("svg", "png"):
        raise UserError.at(path, "write charts as .svg or .png")
    return suffix
