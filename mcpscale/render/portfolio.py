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


def heatmap(portfolio: Portfolio, image_format: str) -> bytes:
    """Units down, dimensions (and overall) across, coloured on the questionnaire's scale."""
    import numpy as np

    from mcpscale.render.figures import figure_bytes, pyplot
    from mcpscale.render.text import chart_text

    plt = pyplot()
    dimensions = portfolio.dimensions
    columns = [chart_text(d.name) for d in dimensions] + ["Overall"]
    values = np.array(
        [
            [np.nan if d.score is None else d.score for d in u.dimensions]
            + [np.nan if u.overall is None else u.overall]
            for u in portfolio.units
        ],
        dtype=float,
    ).reshape(len(portfolio.units), len(columns))
    low, high = portfolio.units[0].scale if portfolio.units else (0, 1)
    rows = len(portfolio.units)
    labelled = rows <= 60
    figure, axes = plt.subplots(figsize=(1.6 + 1.3 * len(columns), min(2 + 0.32 * rows, 40)))
    try:
        # cividis reads the same to people with colour-vision deficiencies
        image = axes.imshow(values, cmap="cividis", vmin=low, vmax=high, aspect="auto")
        axes.set_xticks(range(len(columns)), columns, rotation=30, ha="right")
        if labelled:
            axes.set_yticks(range(rows), [chart_text(u.unit) for u in portfolio.units])
        else:
            axes.set_ylabel(f"{rows} units (see portfolio.csv)")
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
        figure.colorbar(image, ax=axes, label="score")
        axes.set_title("Portfolio: score per unit and dimension")
        figure.tight_layout()
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
    from rich import box
    from rich.table import Table

    from mcpscale.render.style import fmt_score
    from mcpscale.render.text import rich_text

    table = Table(title="Portfolio", box=box.SIMPLE_HEAD)
    table.add_column("Unit")
    table.add_column("Resp.", justify="right")
    for d in portfolio.dimensions:
        table.add_column(rich_text(d.name), justify="right")
    table.add_column("Overall", justify="right")
    for u in portfolio.units:
        table.add_row(
            rich_text(u.unit),
            str(u.respondents),
            *(fmt_score(d.score) for d in u.dimensions),
            fmt_score(u.overall),
        )
    return table
