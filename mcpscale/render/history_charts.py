"""History charts: the trend line chart, and a chart as a file of its own (the portfolio heat map
is in render.portfolio)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

from mcpscale.errors import UserError
from mcpscale.history.trend import Trend
from mcpscale.render.drawing import (
    LINE_HEIGHT,
    MARKERS,
    Drawing,
    Linear,
    Point,
    chart_title,
    fit,
    marker,
    text_height,
    text_width,
)

TREND_SIZE = 9.0  # the axes' labels
LEGEND_SIZE = 7.5
GRID = "#dddddd"


def trend_chart(trend: Trend, image_format: str) -> bytes:
    """A line per dimension and the overall score, each target as a dashed line; every
    dimension its own colour, however many there are, and neighbours their own marker; the
    legend beside the plot, in two columns from 14 dimensions.

    Drawn as shapes (render.drawing): the canvas is sized from the measured labels, so long
    names and dates stay whole, and the same trend gives the same bytes."""
    from mcpscale.render.charts import level_labels, scale_ticks, series_colours, wrap_labels
    from mcpscale.render.text import chart_text

    size, count = TREND_SIZE, len(trend.dimensions)
    colours = series_colours(count)
    entries = [
        (MARKERS[index % len(MARKERS)], colours[index], wrap_labels([chart_text(name)], 28)[0])
        for index, (_, name, _) in enumerate(trend.dimensions)
    ]
    entries.append(("s", "#000000", "Overall"))
    columns = 1 if count < 14 else 2
    per_column = -(-len(entries) // columns)
    swatch = LEGEND_SIZE * 2.4
    column_width = swatch + 4 + max(text_width(label, LEGEND_SIZE) for _, _, label in entries)
    legend_width = columns * column_width + (columns - 1) * 10
    rows = [entries[c * per_column : (c + 1) * per_column] for c in range(columns)]
    legend_height = max(sum(_entry_height(label) for _, _, label in column) for column in rows)

    low, high = trend.scale
    scale = ((low, ""), (high, ""))
    ticks = scale_ticks(scale)
    tick_labels = level_labels(scale, ticks)
    ylabel = "score (dashed: target)"
    left = round(24 + max(text_width(label, size) for label in tick_labels) + 10, 2)
    width = max(576.0 if count < 14 else 792.0, left + 300 + legend_width + 30)
    right = round(width - legend_width - 30, 2)  # the legend, 8 points in from the edge
    top = 30.0

    # the x labels: the dates (or file names) under their points, slanted when they would
    # run together, and at most one in `every` when even slanted they would
    points = list(trend.points)
    names = [fit(chart_text(p.assessed_at or p.file), size, 160) for p in points]
    span = max(len(points) - 1, 1)
    x = Linear(-0.05 * span, len(points) - 1 + 0.05 * span, left, right)
    if len(points) == 1:
        x = Linear(-0.5, 0.5, left, right)
    slot = (right - left) / max(len(points), 1)
    widest = max((text_width(name, size) for name in names), default=0.0)
    slanted = widest > slot - 6
    every = max(1, math.ceil(size * 1.6 / slot)) if slanted else 1
    names_height = widest * math.sqrt(0.5) + size if slanted else size
    height = round(max(324 + 7.2 * max(count - 14, 0), top + legend_height + 12), 2)
    bottom = height - names_height - 20
    if bottom - top < 200:  # slanted names take the plot's room: the canvas grows instead
        height, bottom = round(height + 200 - (bottom - top), 2), top + 200
    margin = (high - low) * 0.03
    y = Linear(low - margin, high + margin, bottom, top)
    drawing = Drawing(width, height, css_class="trend")

    for index, (tick, label) in enumerate(zip(ticks, tick_labels, strict=True), start=1):
        with drawing.group(f"ytick_{index}"):
            drawing.line([(left, y(tick)), (right, y(tick))], GRID, 0.6)
            drawing.line([(left - 3.5, y(tick)), (left, y(tick))], "#000000")
            lines = label.count("\n")
            first = y(tick) + size * 0.35 - lines * size * LINE_HEIGHT / 2
            drawing.text(left - 6, first, label, size, "end")
    for index, (position, name) in enumerate(zip(range(len(points)), names, strict=True), 1):
        if position % every:
            continue
        with drawing.group(f"xtick_{index}"):
            drawing.line([(x(position), bottom), (x(position), bottom + 3.5)], "#000000")
            if slanted:
                drawing.text(x(position) + 3, bottom + 10, name, size, "end", rotate=45)
            else:
                drawing.text(x(position), bottom + 13, name, size, "middle")
    for (_, _, target), (_, colour, _) in zip(trend.dimensions, entries, strict=False):
        drawing.line([(left, y(target)), (right, y(target))], colour, 0.8, (3.0, 1.6), None, 0.7)
    series = [
        ([p.scores[dim_id] for p in points], shape, colour, 1.5, 5.0)
        for (dim_id, _, _), (shape, colour, _) in zip(trend.dimensions, entries, strict=False)
    ]
    series.append(([p.overall for p in points], "s", "#000000", 2.2, 6.0))
    for values, shape, colour, line_width, marker_size in series:
        for piece in _pieces(
            [(x(i), y(v)) if v is not None else None for i, v in enumerate(values)]
        ):
            if len(piece) > 1:
                drawing.line(piece, colour, line_width)
            for point in piece:
                marker(drawing, shape, *point, marker_size, colour)
    drawing.line([(left, top), (left, bottom), (right, bottom)], "#000000")

    middle = (left + right) / 2
    level = (top + bottom) / 2
    drawing.text(11, level, fit(ylabel, size, bottom - top), size, "middle", rotate=90)
    title = chart_text(f"{trend.questionnaire.get('title', '')}: trend")
    chart_title(drawing, title, middle)
    for column, column_entries in enumerate(rows):
        start = right + 22 + column * (column_width + 10)
        base = top + LEGEND_SIZE
        for shape, colour, label in column_entries:
            middle_line = base - LEGEND_SIZE * 0.35
            drawing.line([(start, middle_line), (start + swatch, middle_line)], colour, 1.5)
            marker(drawing, shape, start + swatch / 2, middle_line, 5.0, colour)
            drawing.text(start + swatch + 4, base, label, LEGEND_SIZE)
            base += _entry_height(label)
    return chart_file(drawing, image_format)


def _entry_height(label: str) -> float:
    """A legend entry's height: its lines, and a gap under them."""
    return text_height(label, LEGEND_SIZE) + LEGEND_SIZE * 0.6


def _pieces(points: Sequence[Point | None]) -> list[list[Point]]:
    """The runs of points between the missing ones (None): a line breaks where a score is
    missing, as it did in matplotlib."""
    pieces: list[list[Point]] = [[]]
    for point in points:
        if point is None:
            pieces.append([])
        else:
            pieces[-1].append(point)
    return [piece for piece in pieces if piece]


CHART_DPI = 100  # a chart file's PNG: the resolution matplotlib's figures were saved at


def chart_file(drawing: Drawing, image_format: str) -> bytes:
    """A chart as a file of its own: SVG with its XML declaration, or PNG at CHART_DPI."""
    if image_format == "png":
        return drawing.png(CHART_DPI)
    return ('<?xml version="1.0" encoding="utf-8" standalone="no"?>\n' + drawing.svg()).encode()


def image_format_of(path: Path) -> str:
    suffix = path.suffix.lower().lstrip(".")
    if suffix not in ("svg", "png"):
        raise UserError.at(path, "write charts as .svg or .png")
    return suffix
