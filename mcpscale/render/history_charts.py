"""History charts: the trend line chart (the portfolio heat map is in render.portfolio)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from mcpscale.errors import UserError
from mcpscale.history.trend import Trend

MARKERS = "o^sDv<>Ph*Xp"  # two neighbours in the legend differ in marker as well as colour


def trend_chart(trend: Trend, image_format: str) -> bytes:
    """A line per dimension and the overall score, each target as a dashed line; every
    dimension its own colour, however many there are; the legend beside the plot."""
    from mcpscale.render.charts import (
        level_labels,
        report_pyplot,
        scale_ticks,
        series_colours,
        wrap_labels,
    )
    from mcpscale.render.figures import figure_bytes
    from mcpscale.render.text import chart_text

    plt = report_pyplot()
    positions = list(range(len(trend.points)))
    series = len(trend.dimensions)
    figure, axes = plt.subplots(
        figsize=(8 + 3 * (series >= 14), 4.5 + 0.1 * max(series - 14, 0)), layout="constrained"
    )
    try:
        colours = series_colours(series)
        for index, (dim_id, name, target) in enumerate(trend.dimensions):
            colour = colours[index]
            values = [p.scores[dim_id] for p in trend.points]
            axes.plot(
                positions,
                _nan(values),
                marker=MARKERS[index % len(MARKERS)],
                markersize=5,
                color=colour,
                label=wrap_labels([chart_text(name)], 28)[0],
            )
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
        low, high = trend.scale
        margin = (high - low) * 0.03
        axes.set_ylim(low - margin, high + margin)
        scale = ((low, ""), (high, ""))
        ticks = scale_ticks(scale)
        axes.set_yticks(ticks, level_labels(scale, ticks))
        axes.set_ylabel("score (dashed: target)")
        axes.set_title(chart_text(f"{trend.questionnaire.get('title', '')}: trend"))
        axes.grid(axis="y", alpha=0.3)
        axes.legend(
            loc="upper left",
            bbox_to_anchor=(1.01, 1.0),
            fontsize="small",
            frameon=False,
            ncol=1 if series < 14 else 2,
        )
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
