"""The portfolio as people read it: table, CSV, heat map and the files `portfolio` writes."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from mcpscale.history.portfolio import Portfolio, portfolio_frame, portfolio_to_dict


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


def heatmap(portfolio: Portfolio, image_format: str) -> bytes:
    """Units down and dimensions (and overall) across, coloured on the questionnaire's scale;
    with many dimensions and fewer units, dimensions down so their names stay readable."""
    import numpy as np

    from mcpscale.render.charts import level_labels, report_pyplot, scale_ticks, wrap_labels
    from mcpscale.render.figures import figure_bytes
    from mcpscale.render.text import chart_text

    plt = report_pyplot()
    dimensions = portfolio.dimensions
    columns = [chart_text(d.name) for d in dimensions] + ["Overall"]
    units = [chart_text(u.unit) for u in portfolio.units]
    values = np.array(
        [
            [np.nan if d.score is None else d.score for d in u.dimensions]
            + [np.nan if u.overall is None else u.overall]
            for u in portfolio.units
        ],
        dtype=float,
    ).reshape(len(portfolio.units), len(columns))
    low, high = portfolio.units[0].scale if portfolio.units else (0, 1)
    transposed = len(columns) > WIDE and len(units) < len(columns)
    if transposed:
        values = values.T
        down, across = wrap_labels(columns, 32), wrap_labels(units, 12)
        what_down = "dimensions"
    else:
        down, across = wrap_labels(units, 32), wrap_labels(columns, 12)
        what_down = "units"
    rows = len(down)
    labelled = rows <= 60
    lines = max((label.count("\n") + 1 for label in down), default=1)
    cell_height = max(0.26, 0.14 * lines + 0.04)  # inches: a wrapped label fits its row
    figure, axes = plt.subplots(
        # at least wide enough for the title; a column holds a 12-character line of its name
        figsize=(max(6.0, 2.6 + 0.8 * len(across)), min(1.8 + cell_height * rows, 40)),
        layout="constrained",
    )
    try:
        # cividis reads the same to people with colour-vision deficiencies
        image = axes.imshow(values, cmap="cividis", vmin=low, vmax=high, aspect="auto")
        slanted = len(across) > 6  # side by side, that many names would run together
        axes.set_xticks(
            range(len(across)),
            across,
            rotation=45 if slanted else 0,
            ha="right" if slanted else "center",
            rotation_mode="anchor",
            fontsize=8,
        )
        if labelled:
            axes.set_yticks(range(rows), down, fontsize=8)
        else:
            axes.set_ylabel(f"{rows} {what_down} (see portfolio.csv)")
            axes.set_yticks([])
        if rows <= 40:
            for (row, column), value in np.ndenumerate(values):
                if value == value:  # not NaN
                    dark = value < (low + high) / 2  # light text on the dark half
                    axes.text(
                        column,
                        row,
                        f"{value:.1f}",
                        ha="center",
                        va="center",
                        fontsize=8,
                        color="white" if dark else "black",
                    )
        scale = ((low, ""), (high, ""))
        ticks = scale_ticks(scale)
        bar = figure.colorbar(image, ax=axes, label="score", ticks=ticks)
        bar.ax.set_yticklabels(level_labels(scale, ticks))
        axes.set_title("Portfolio: score per unit and dimension")
        return figure_bytes(figure, image_format)
    finally:
        plt.close(figure)


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
