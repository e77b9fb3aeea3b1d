"""Rich tables that never lose a column: drawn as they are when they fit, stacked when not.

A table with 22 dimensions, or a long level name, needs more than an 80-column terminal.
Rich would then crop the right-hand columns silently; `fitted(table)` instead draws one block
per row, each cell under its column's header, so every header and value stays on screen.
"""

from __future__ import annotations

from typing import Any

from rich.cells import cell_len
from rich.columns import Columns
from rich.console import Console, ConsoleOptions, Group, RenderResult
from rich.measure import Measurement
from rich.segment import Segment
from rich.table import Table
from rich.text import Text


class Fitted:
    """A table drawn as it is if it fits the width it is given, else as stacked rows."""

    def __init__(self, table: Table) -> None:
        self.table = table
        for column in table.columns:
            # a long word folds onto the next line rather than ending in an ellipsis
            column.overflow = "fold"

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        lines = drawn_if_it_fits(self.table, console, options)
        if lines is None:
            yield stacked(self.table)
            return
        for line in lines:  # drawn once: measuring it was drawing it
            yield from line
            yield Segment.line()

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement.get(console, options, self.table)


def fitted(renderable: Any) -> Any:
    """A table made to fit (see Fitted); anything else as it is."""
    return Fitted(renderable) if isinstance(renderable, Table) else renderable


def drawn_if_it_fits(
    table: Table, console: Console, options: ConsoleOptions
) -> list[list[Segment]] | None:
    """The table's lines as drawn, when every header fits unbroken and no line is wider than
    the width; else None."""
    width = options.max_width
    padding = table.padding[1] + table.padding[3]
    borders = (2 if table.box and table.show_edge else 0) + (
        len(table.columns) - 1 if table.box else 0
    )
    headers = sum(_widest_line(console, column.header) + padding for column in table.columns)
    if table.show_header and headers + borders > width:
        return None
    lines = list(Segment.split_lines(console.render(table, options.update(height=None))))
    return lines if all(Segment.get_line_length(line) <= width for line in lines) else None


def stacked(table: Table) -> Group:
    """The table as blocks: the first cell of each row as its heading, then every other
    non-empty cell beside its column's header; title first and caption last, as in the table."""
    parts: list[Any] = []
    if table.title:
        parts.append(_styled(table.title, "bold"))
    columns = table.columns
    cells = [list(column.cells) for column in columns]
    for row in range(table.row_count):
        heading = cells[0][row] if columns else ""
        block = Table.grid(padding=(0, 2))
        block.add_column(style="dim", no_wrap=True)
        block.add_column(overflow="fold")
        for column, column_cells in zip(columns[1:], cells[1:], strict=True):
            value = column_cells[row]
            if _is_empty(value):
                continue
            block.add_row(column.header, value)
        parts.append(Text(""))
        parts.append(Columns([_styled(columns[0].header, "dim"), _styled(heading, "bold")]))
        parts.append(block)
    if table.caption:
        parts.append(Text(""))
        parts.append(_styled(table.caption, "dim"))
    return Group(*parts)


def _styled(renderable: Any, style: str) -> Any:
    if isinstance(renderable, Text):
        styled = renderable.copy()
        styled.stylize(style)
        return styled
    if isinstance(renderable, str):
        return Text.from_markup(renderable, style=style)
    return renderable


def _is_empty(value: Any) -> bool:
    if isinstance(value, Text):
        return not value.plain.strip()
    return isinstance(value, str) and not value.strip()


def _widest_line(console: Console, renderable: Any) -> int:
    if isinstance(renderable, str):
        renderable = console.render_str(renderable)
    if isinstance(renderable, Text):
        return max((cell_len(line) for line in renderable.plain.splitlines()), default=0)
    return Measurement.get(console, console.options, renderable).maximum
