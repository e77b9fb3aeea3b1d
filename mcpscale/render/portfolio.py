"""The portfolio as people read it: table, CSV, heat map and the files `portfolio` writes."""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from mcpscale.history.portfolio import Portfolio, portfolio_frame, portfolio_to_dict
from mcpscale.render.drawing import (
    LINE_HEIGHT,
    Drawing,
    Linear,
    chart_title,
    fit,
    text_height,
    text_width,
)


def portfolio_csv(portfolio: Portfolio) -> str:
    """One row per unit; text cells safe to open in a spreadsheet (render.text)."""
    from mcpscale.render.text import spreadsheet_cell

    frame = portfolio_frame(portfolio).reset_index()
    for column in frame.columns:
        if frame[column].dtype == object:
            frame[column] = frame[column].map(spreadsheet_cell)
    frame.columns = [spreadsheet_cell(str(column)) for column in frame.columns]
    return str(frame.to_csv(index=False, lineterminator="\n"))


WIDE = 12  # more columns than this (dimensions and overall) and units are fewer: transpose
HEAT_SIZE = 8.0  # the names and the values in the cells
VALUES_UP_TO = 40  # rows: more, and the values are left to portfolio.csv
NAMES_UP_TO = 60  # rows: more, and the names are too


def heatmap(portfolio: Portfolio, image_format: str) -> bytes:
    """Units down and dimensions (and overall) across, coloured on the questionnaire's scale
    (cividis, which reads the same to people with colour-vision deficiencies), a colour bar
    beside; with many dimensions and fewer units, dimensions down so their names stay
    readable. A cell without a score stays blank.

    Drawn as shapes (render.drawing): the canvas is sized from the measured names."""
    from mcpscale.render.charts import level_labels, scale_ticks, wrap_labels
    from mcpscale.render.history_charts import chart_file
    from mcpscale.render.text import chart_text

    size = HEAT_SIZE
    columns = [chart_text(d.name) for d in portfolio.dimensions] + ["Overall"]
    units = [chart_text(u.unit) for u in portfolio.units]
    values: list[list[float | None]] = [
        [d.score for d in u.dimensions] + [u.overall] for u in portfolio.units
    ]
    low, high = portfolio.units[0].scale if portfolio.units else (0, 1)
    transposed = len(columns) > WIDE and len(units) < len(columns)
    if transposed:
        values = [list(column) for column in zip(*values, strict=True)]
        down, across, what_down = columns, units, "dimensions"
    else:
        down, across, what_down = units, columns, "units"
    rows = len(down)
    labelled = rows <= NAMES_UP_TO
    slanted = len(across) > 6  # side by side, that many names would run together
    # the names down the left, wrapped whole; across the bottom, wrapped under their column
    # or, slanted, on one line cut to 160 points
    down = wrap_labels(down, 32) if labelled else []
    if slanted:
        across = [fit(name, size, 160) for name in across]
    else:  # a word of up to 24 characters stays whole: the column widens instead
        across = [
            wrap_labels([n], max([12, *(min(len(w), 24) for w in n.split())]))[0] for n in across
        ]
    lines = max((label.count("\n") + 1 for label in down), default=1)
    cell_height = max(18.72, 10.08 * lines + 2.88)  # a wrapped name fits its row
    if not labelled:  # unnamed rows: thinner, a stripe a unit
        cell_height = max(3.0, min(cell_height, 600 / rows))
    cell_height = min(cell_height, 2880 / max(rows, 1))  # at most 40 inches of rows
    widest_across = max(text_width(name, size) for name in across)
    if slanted:
        cell_width = 36.0
        names_height = widest_across * math.sqrt(0.5) + size + 4
    else:
        cell_width = max(44.0, widest_across + 10)
        names_height = text_height(max(across, key=lambda n: n.count("\n")), size)
    widest_down = max((text_width(name, size) for name in down), default=0.0)
    left = widest_down + 10 if labelled else 24.0
    if slanted:  # the first column's name reaches left of its column
        left = max(left, widest_across * math.sqrt(0.5) - cell_width / 2 + 4)
    left = round(left, 2)
    top = 28.0
    plot_right = left + cell_width * len(across)
    bottom = top + cell_height * rows

    # the colour bar: the scale's ticks and level labels, "score" beside
    scale = ((low, ""), (high, ""))
    ticks = scale_ticks(scale)
    tick_labels = level_labels(scale, ticks)
    bar_left = plot_right + 16
    bar_top, bar_bottom = top, top + min(max(bottom - top, 100.0), 300.0)
    bar_labels = max(text_width(label, size) for label in tick_labels)
    score_x = bar_left + 18 + bar_labels + 16  # "score", upright: its glyphs left of it
    width = round(max(score_x + 6, 300.0), 2)
    height = round(max(bottom + 8 + names_height, bar_bottom + size) + 6, 2)
    drawing = Drawing(width, height, css_class="portfolio")
    colours = _cividis()
    shade = Linear(low, high, 0, len(colours) - 1)

    def colour(value: float) -> str:
        return colours[round(min(max(shade(value), 0), len(colours) - 1))]

    for row, row_values in enumerate(values):
        y = top + cell_height * row
        for column, value in enumerate(row_values):
            if value is None or value != value:  # no score: the cell stays blank
                continue
            x = left + cell_width * column
            fill = colour(value)
            # a hair of the cell's own colour round it: no seam between neighbours
            drawing.rect(x, y, cell_width, cell_height, fill, 1, fill, 0.3)
            if rows <= VALUES_UP_TO:
                ink = "#ffffff" if value < (low + high) / 2 else "#000000"  # on the dark half
                middle = y + cell_height / 2 + size * 0.35
                drawing.text(x + cell_width / 2, middle, f"{value:.1f}", size, "middle", colour=ink)
    for index, name in enumerate(down, start=1):
        centre = top + cell_height * (index - 0.5)
        first = centre + size * 0.35 - name.count("\n") * size * LINE_HEIGHT / 2
        with drawing.group(f"ytick_{index}"):
            drawing.line([(left - 3.5, centre), (left, centre)], "#000000")
            drawing.text(left - 6, first, name, size, "end")
    if not labelled:
        note = fit(f"{rows} {what_down} (see portfolio.csv)", 9, bottom - top)
        drawing.text(12, (top + bottom) / 2, note, 9, "middle", rotate=90)
    for index, name in enumerate(across, start=1):
        centre = left + cell_width * (index - 0.5)
        with drawing.group(f"xtick_{index}"):
            drawing.line([(centre, bottom), (centre, bottom + 3.5)], "#000000")
            if slanted:
                drawing.text(centre + 3, bottom + 10, name, size, "end", rotate=45)
            else:
                drawing.text(centre, bottom + 13, name, size, "middle")
    drawing.rect(left, top, plot_right - left, bottom - top, "none", 1, "#000000", 0.8)
    bar = Linear(low, high, bar_bottom, bar_top)
    stripes = 64  # from the lowest level up; each overlaps the next, so no seam shows
    stripe = (bar_bottom - bar_top) / stripes
    for index in range(stripes):
        value = low + (high - low) * (index + 0.5) / stripes
        drawing.rect(bar_left, bar_bottom - stripe * (index + 1), 12, stripe + 0.3, colour(value))
    drawing.rect(bar_left, bar_top, 12, bar_bottom - bar_top, "none", 1, "#000000", 0.8)
    for index, (tick, label) in enumerate(zip(ticks, tick_labels, strict=True), start=1):
        with drawing.group(f"bartick_{index}"):
            drawing.line([(bar_left + 12, bar(tick)), (bar_left + 15.5, bar(tick))], "#000000")
            first = bar(tick) + size * 0.35 - label.count("\n") * size * LINE_HEIGHT / 2
            drawing.text(bar_left + 18, first, label, size)
    drawing.text(score_x, (bar_top + bar_bottom) / 2, "score", 9, "middle", rotate=90)
    title = "Portfolio: score per unit and dimension"
    chart_title(drawing, title, (left + plot_right) / 2)
    return chart_file(drawing, image_format)


def _cividis() -> list[str]:
    """cividis' 256 colours, darkest first."""
    import matplotlib
    from matplotlib.colors import to_hex

    cividis = matplotlib.colormaps["cividis"]
    return [to_hex(cividis(index)) for index in range(cividis.N)]


def write_outputs(portfolio: Portfolio, output_dir: Path, image_format: str = "svg") -> list[Path]:
    """portfolio.csv, portfolio.json and portfolio-heatmap.svg|png in output_dir."""
    from mcpscale.formats.serialize import to_json
    from mcpscale.inputs.write import write_atomic

    written: list[Path] = []
    outputs: Sequence[tuple[str, str | bytes]] = [
        ("portfolio.csv", portfolio_csv(portfolio)),
        ("portfolio.json", to_json(portfolio_to_dict(portfolio))),
    ]
    if portfolio.units:
        outputs = [
            *outputs,
            (f"portfolio-heatmap.{image_format}", heatmap(portfolio, image_format)),
        ]
    for name, content in outputs:
        path = output_dir / name
        write_atomic(path, content)
        written.append(path)
    return written


def portfolio_table(portfolio: Portfolio) -> Any:
    """Units down and dimensions across; with more than 8 dimensions and fewer units than
    dimensions, a row per dimension and a column per unit, so no column shrinks to "…"."""
    from rich import box
    from rich.table import Table

    from mcpscale.render.style import fmt_score
    from mcpscale.render.text import rich_text

    table = Table(title="Portfolio", box=box.SIMPLE_HEAD)
    dimensions, units = portfolio.dimensions, portfolio.units
    if len(dimensions) > 8 and len(units) < len(dimensions):
        table.add_column("Dimension")
        for u in units:
            table.add_column(rich_text(u.unit), justify="right")
        table.add_row("Respondents", *(str(u.respondents) for u in units))
        for index, d in enumerate(dimensions):
            table.add_row(rich_text(d.name), *(fmt_score(u.dimensions[index].score) for u in units))
        table.add_row("Overall", *(fmt_score(u.overall) for u in units))
        return table
    table.add_column("Unit")
    table.add_column("Resp.", justify="right")
    for d in dimensions:
        table.add_column(rich_text(d.name), justify="right")
    table.add_column("Overall", justify="right")
    for u in units:
        table.add_row(
            rich_text(u.unit),
            str(u.respondents),
            *(fmt_score(d.score) for d in u.dimensions),
            fmt_score(u.overall),
        )
    return table
