"""Charts as SVG text, one function per chart; matplotlib is imported only here.

Every chart uses the same colour-blind-safe palette (Okabe-Ito; more series than it holds
get series_colours()), has a title and labelled axes spanning the questionnaire's scale
(scale_ticks), and renders byte-identically for the same data: the SVG hash salt is fixed
and no date is written.
"""

from __future__ import annotations

import io
import math
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from mcpscale.formats.results import Result
from mcpscale.render.drawing import (
    LINE_HEIGHT,
    Drawing,
    LegendEntry,
    Linear,
    diamond,
    fit,
    legend,
    nice_ticks,
    png_dpi,
    text_height,
    text_width,
)
from mcpscale.render.finance import sensitivity_label
from mcpscale.render.style import fmt_score, fmt_thousands, thousands_label
from mcpscale.render.text import chart_text

if TYPE_CHECKING:
    from mcpscale.plan.compose import Plan

# Okabe & Ito (2008): distinguishable with the common colour-vision deficiencies.
PALETTE = {
    "current": "#0072B2",
    "target": "#E69F00",
    "good": "#009E73",
    "warn": "#D55E00",
    "neutral": "#999999",
    "accent": "#CC79A7",
    "sky": "#56B4E9",
    "yellow": "#F0E442",
}
SERIES = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#999999"]


# The report's look; render.figures.pyplot() already fixes the backend and the SVG hash salt.
REPORT_STYLE = {
    "svg.fonttype": "none",  # text stays text: sharp, searchable, small
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.titlesize": 10,
    "axes.titleweight": "bold",
    "axes.spines.top": False,
    "axes.spines.right": False,
}


def report_pyplot() -> Any:
    """pyplot in the report's look; every chart mcpscale draws starts here."""
    from mcpscale.render.figures import pyplot

    plt = pyplot()
    plt.rcParams.update(REPORT_STYLE)
    return plt


def _svg(figure: Any) -> str:
    import matplotlib.pyplot as plt

    dpi = png_dpi()
    if dpi is not None:
        import base64

        png = io.BytesIO()
        figure.savefig(png, format="png", dpi=dpi, bbox_inches="tight", metadata={"Software": None})
        plt.close(figure)
        return f'<img src="data:image/png;base64,{base64.b64encode(png.getvalue()).decode()}">'
    text = _svg_drawn_once(figure)
    plt.close(figure)
    return text


def _svg_drawn_once(figure: Any) -> str:
    """The figure as SVG cropped to its drawn content, as savefig(bbox_inches="tight") gives,
    from one drawing: savefig lays the figure out twice (once to find the box, once to draw),
    here the box is read from the drawing itself and the crop is the SVG's viewBox."""
    import matplotlib
    from matplotlib.backends.backend_svg import RendererSVG

    buffer = io.StringIO()
    image_dpi = figure.dpi  # pictures inside a chart (the heat map) keep savefig's resolution
    figure.dpi = 72  # SVG user units are points
    width, height = figure.get_size_inches()
    # No <metadata> block (creator, date, format): nothing a reader sees, and every element of
    # an inlined chart is one more for WeasyPrint to style.
    bare = dict.fromkeys(("Creator", "Date", "Format", "Type"))
    renderer = RendererSVG(width * 72, height * 72, buffer, image_dpi=image_dpi, metadata=bare)
    figure.draw(renderer)
    box = figure.get_tightbbox(renderer).padded(matplotlib.rcParams["savefig.pad_inches"])
    renderer.finalize()
    text = buffer.getvalue()
    text = text[text.index("<svg") :]  # drop the XML prolog and doctype: inlined in HTML
    crop = (
        f'width="{_pt(box.width * 72)}pt" height="{_pt(box.height * 72)}pt" '
        f'viewBox="{_pt(box.x0 * 72)} {_pt((height - box.y1) * 72)} '
        f'{_pt(box.width * 72)} {_pt(box.height * 72)}"'
    )
    return _SVG_FRAME.sub(crop, text, count=1)


_SVG_FRAME = re.compile(r'width="[^"]*" height="[^"]*" viewBox="[^"]*"')


def _pt(value: float) -> str:
    """A length as matplotlib writes it in SVG: six decimals at most, no trailing zeros."""
    return f"{value:.6f}".rstrip("0").rstrip(".")


RADAR_DIMENSIONS = range(3, 9)  # fewer: no polygon; more: the spokes' names collide


def maturity_radar(result: Result) -> str:
    """The maturity chart of the report (HTML, PDF, Markdown, DOCX): a radar of current score
    against target for 3 to 8 dimensions, horizontal bars for any other number."""
    if len(result.dimensions) not in RADAR_DIMENSIONS:
        return maturity_bars(result)
    import numpy as np

    plt = report_pyplot()
    dimensions = list(result.dimensions)
    names = [chart_text(d.name) for d in dimensions]
    low, high = _span(result)
    current = [low if d.score is None else d.score for d in dimensions]
    target = [d.target for d in dimensions]
    angles = np.linspace(0, 2 * np.pi, len(dimensions), endpoint=False).tolist()
    figure = plt.figure(figsize=(5.2, 4.4))
    axes = figure.add_subplot(polar=True)
    for values, label, colour, style in (
        (target, "Target", PALETTE["target"], "--"),
        (current, "Current", PALETTE["current"], "-"),
    ):
        closed = [*values, values[0]]
        axes.plot([*angles, angles[0]], closed, style, color=colour, linewidth=2, label=label)
        if label == "Current":
            axes.fill([*angles, angles[0]], closed, color=colour, alpha=0.15)
    axes.set_xticks(angles)
    axes.set_xticklabels(wrap_labels(names, 16))
    axes.tick_params(axis="x", pad=14)  # long names clear the outer ring
    axes.set_ylim(low, high)
    ticks = scale_ticks(result.scale)
    axes.set_yticks(ticks)
    axes.set_yticklabels(level_labels(result.scale, ticks, " "), fontsize=7, color="#475467")
    axes.set_rlabel_position(180 / len(dimensions))  # between two spokes, clear of the names
    axes.set_title("Maturity by dimension (level)", pad=18)
    axes.legend(loc="upper left", bbox_to_anchor=(1.08, 1.1), frameon=False)
    return _svg(figure)


def maturity_bars(result: Result) -> str:
    """Per dimension a bar from the scale's minimum to the current score, and the target."""
    plt = report_pyplot()
    dimensions = list(result.dimensions)
    low, high = _span(result)
    names = wrap_labels([chart_text(d.name) for d in dimensions], 34)
    lines = max((name.count("\n") + 1 for name in names), default=1)
    row = max(0.3, 0.15 * lines + 0.06)  # inches: room for a wrapped name
    figure, axes = plt.subplots(figsize=(6.2, row * len(dimensions) + 1.2))
    positions = list(range(len(dimensions)))[::-1]
    scores = [low if d.score is None else d.score for d in dimensions]
    # A bar grows from the bottom of the scale, which is not 0 on a -2..2 scale.
    axes.barh(
        positions,
        [score - low for score in scores],
        left=low,
        color=PALETTE["current"],
        height=0.55,
        label="Current score",
    )
    axes.scatter(
        [d.target for d in dimensions],
        positions,
        marker="|",
        s=(row * 72 * 0.8) ** 2,  # as tall as a bar
        linewidths=3,
        color=PALETTE["target"],
        label="Target",
        zorder=3,
        clip_on=False,  # a target at the top of the scale is drawn whole
    )
    for position, score, dimension in zip(positions, scores, dimensions, strict=True):
        text = "not scored" if dimension.score is None else fmt_score(score)
        axes.text(score, position, f"  {text}", va="center", fontsize=8, clip_on=False)
    axes.set_yticks(positions)
    axes.set_yticklabels(names)
    axes.set_ylim(-0.6, len(dimensions) - 0.4)
    axes.set_xlim(low, high)
    ticks = scale_ticks(result.scale)
    axes.set_xticks(ticks)
    axes.set_xticklabels(level_labels(result.scale, ticks))
    axes.grid(axis="x", color="#dddddd", linewidth=0.6)
    axes.set_axisbelow(True)
    axes.set_xlabel("Maturity level")
    axes.set_title("Current score and target by dimension")
    axes.legend(
        loc="upper left", bbox_to_anchor=(1.02, 1.0), frameon=False, fontsize=8, markerscale=0.5
    )
    # print.css lets a chart of many rows take the page's height, where a radar keeps to a third
    return _svg(figure).replace("<svg ", '<svg class="rows" ', 1)


def question_spread(result: Result, dimension_id: str) -> str:
    """Per question: the range of respondents' levels and the aggregated score.

    One is drawn for every dimension, at the page's text width, so nothing is scaled down."""
    questions = [q for q in result.questions if q.dimension == dimension_id and q.answers]
    scored = [q for q in questions if q.score is not None]
    name = next(d.name for d in result.dimensions if d.id == dimension_id)
    low, high = _span(result)
    ticks = scale_ticks(result.scale)
    tick_labels = level_labels(result.scale, ticks)
    width, row, top, label_size = SPREAD_WIDTH, 12.5, 28.0, 7.0
    labels = [chart_text(_shorten(q.text, 56)) for q in scored]
    widest = max((text_width(label, label_size) for label in labels), default=0.0)
    left = round(min(max(widest + 10, 60.0), width * 0.55), 2)
    labels = [fit(label, label_size, left - 10) for label in labels]
    plot_width = width - left - 12
    tick_lines = max((label.count("\n") + 1 for label in tick_labels), default=1)
    bottom = top + row * max(len(scored), 1)
    height = bottom + 9 * tick_lines + 24
    margin = (high - low) * 0.03  # the end dots stay whole
    x = Linear(low - margin, high + margin, left, left + plot_width)
    drawing = Drawing(width, height, css_class="spread")
    for index, (tick, tick_label) in enumerate(zip(ticks, tick_labels, strict=True), start=1):
        with drawing.group(f"xtick_{index}"):
            drawing.line([(x(tick), top), (x(tick), bottom)], "#dddddd", 0.6)
            drawing.line([(x(tick), bottom), (x(tick), bottom + 3.5)], "#000000")
            drawing.text(x(tick), bottom + 12, tick_label, label_size, "middle")
    for index, (question, label) in enumerate(zip(scored, labels, strict=True), start=1):
        centre = top + row * (index - 0.5)
        levels = [a.level for a in question.answers if a.level is not None]
        colour = PALETTE["warn"] if question.disagreement else PALETTE["neutral"]
        with drawing.group(f"ytick_{index}"):
            drawing.line([(left, centre), (left - 3.5, centre)], "#000000")
            drawing.text(left - 6, centre + 2.5, label, label_size, "end")
        drawing.line([(x(min(levels)), centre), (x(max(levels)), centre)], colour, 3, cap="square")
        drawing.circle(x(question.score or 0), centre, 2.5, PALETTE["current"])
    drawing.line([(left, top), (left, bottom), (width - 12, bottom)], "#000000")
    xlabel = "Maturity level (dot: aggregated score; bar: respondents' range)"
    title = chart_text(f"{name}: scores and spread per question")

    def centre_of(text: str, size: float, bold: bool = False) -> float:
        # over the plot, as the other charts centre them, but never past the chart's edges
        half = min(text_width(text, size, bold), width) / 2
        return min(max(left + plot_width / 2, half), width - half)

    # a long dimension name: the title gets smaller until it fits the chart's width
    title_size = round(max(6.0, min(10.0, 10 * width / text_width(title, 10, True))), 1)
    drawing.text(centre_of(xlabel, 9), height - 6, xlabel, 9, "middle")
    drawing.text(centre_of(title, title_size, True), top - 10, title, title_size, "middle", True)
    return drawing.html()


SPREAD_WIDTH = 490.0  # points: the A4 page's text width (174 mm), less a hair


def _span(result: Result) -> tuple[int, int]:
    """The questionnaire's scale from its lowest to its highest level: every axis spans it."""
    levels = [level for level, _ in result.scale]
    return min(levels), max(levels)


Scale = Sequence[tuple[int, str]]  # (level, name), as Result.scale; a name may be ""


def scale_ticks(scale: Scale) -> list[float]:
    """Four to six round numbers across a scale (0-100 by 25, -2..2 by 1), preferring the
    spacing that lands on the most levels: a ring or tick per level is unreadable on a
    0-100 scale."""
    from matplotlib.ticker import MaxNLocator

    levels = {float(level) for level, _ in scale}
    low, high = min(levels), max(levels)
    if low == high:
        return [low]
    best: list[float] = []
    best_key = (-1, 0)
    for intervals in (4, 5, 3):
        locator = MaxNLocator(nbins=intervals, steps=[1, 2, 2.5, 5, 10], integer=True)
        ticks = [float(t) for t in locator.tick_values(low, high) if low <= t <= high]
        key = (sum(t in levels for t in ticks), -abs(len(ticks) - 5))
        if key > best_key:
            best, best_key = ticks, key
    return best


def level_labels(scale: Scale, ticks: Sequence[float], joiner: str = "\n") -> list[str]:
    """A tick's label: the level and its name where the tick is a named level, else the number."""
    names = {float(level): name for level, name in scale}
    labels = []
    for tick in ticks:
        name = names.get(tick, "")
        number = f"{tick:g}"
        labels.append(
            chart_text(f"{number}{joiner}{wrap_labels([name], 14)[0]}" if name else number)
        )
    return labels


def series_colours(count: int) -> list[str]:
    """`count` colours, all different: Okabe-Ito up to 8 (colour-blind safe), tab20 up to 20,
    then evenly spaced along turbo's hues, so no two series share a colour however many."""
    import matplotlib
    from matplotlib.colors import to_hex

    if count <= len(SERIES):
        return SERIES[:count]
    if count <= 20:
        tab20 = matplotlib.colormaps["tab20"]  # 20 listed colours: an index picks one
        return [to_hex(tab20(index)) for index in range(count)]
    turbo = matplotlib.colormaps["turbo"]
    # both ends of turbo are near black and near dark red: keep to its middle
    return [to_hex(turbo(0.05 + 0.9 * index / (count - 1))) for index in range(count)]


_INK = "#1d2433"  # zero lines, the NPV line, the net's diamonds, the risks' ids
_GRID = "#e4e7ec"  # a money axis' lines across the plot, under the data
_MONEY_WIDTH = 460.8  # points: 6.4 inches, the money charts' width on the page
_TICK = 8.0  # a tick label's size


def _thousands(currency: str) -> str:
    """The unit of a money axis whose amounts are shown in thousands of the currency."""
    return chart_text(thousands_label(currency))


def _money_axis(
    amounts: Sequence[float],
    length: float,
    with_zero: bool = True,
    room: float = 0.05,
    room_above: float = 0.05,
) -> tuple[float, float, list[float], list[str]]:
    """An axis' view (lowest, highest) and its ticks and labels for `amounts`: the data's
    range (with zero) plus `room` of it below and `room_above` above, as matplotlib's margins;
    a side that ends at zero gets no room, so bars stand on the axis. Ticks are round
    (nice_ticks), as many as matplotlib's automatic count gives an axis `length` points long
    (two label sizes a tick, nine at most: an axis whose labels sit side by side, the
    tornado's, passes two thirds of its length), and labelled in thousands."""
    low, high = min(amounts, default=0.0), max(amounts, default=0.0)
    if with_zero:
        low, high = min(low, 0.0), max(high, 0.0)
    span = high - low or max(abs(high), 1000.0)  # nothing to span: a thousand around it
    low -= span * room if low < 0 or not with_zero else 0.0
    high += span * room_above if high > 0 or not with_zero else 0.0
    if low == high:
        high = low + span
    most = min(max(int(length / (2 * _TICK)), 1), 9)
    ticks = [
        round(t, 6) + 0.0 for t in nice_ticks(low, high, most) if low - 1e-9 <= t <= high + 1e-9
    ]
    return low, high, ticks, _money_labels(ticks)


def _money_labels(ticks: Sequence[float]) -> list[str]:
    """fmt_thousands per tick; steps under a thousand get the decimals that tell them apart."""
    decimals = next(
        (d for d in range(4) if all(abs(round(t / 1e3, d) - t / 1e3) < 1e-9 for t in ticks)), 3
    )
    if decimals == 0:
        return [fmt_thousands(t) for t in ticks]
    return [f"{t / 1e3:,.{decimals}f}" for t in ticks]


def _on_white(colour: str, opacity: float) -> str:
    """The solid colour `colour` shows at `opacity` on white: a legend swatch for a band."""
    channels = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return "#" + "".join(f"{round(255 - (255 - c) * opacity):02x}" for c in channels)


def _title(drawing: Drawing, text: str, centre: float, baseline: float = 14.0) -> None:
    """A chart's title, bold, centred over its plot but never past the canvas' edges; a
    long one gets smaller until it fits."""
    size = round(max(6.0, min(10.0, 10 * drawing.width / text_width(text, 10, True))), 1)
    half = min(text_width(text, size, True), drawing.width) / 2
    x = min(max(centre, half), drawing.width - half)
    drawing.text(x, baseline, text, size, "middle", True)


@dataclass(frozen=True)
class _MoneyPlot:
    """Where a money chart's data goes: amounts map to y, categories sit in equal slots."""

    drawing: Drawing
    y: Linear
    left: float
    right: float
    slot: float  # a category's width

    @property
    def bar(self) -> float:
        """A bar's width: 55% of its slot, but no wider than an inch when there are few."""
        return min(self.slot * 0.55, 72.0)

    def centre(self, index: int) -> float:
        return self.left + self.slot * (index + 0.5)

    def zero_line(self) -> None:
        """Drawn after the data, over the bars' feet, as matplotlib's axhline was."""
        self.drawing.line([(self.left, self.y(0)), (self.right, self.y(0))], _INK, 0.8)


def _money_by_year(
    title: str,
    amounts: Sequence[float],
    categories: Sequence[str],
    axis_title: str,
    xlabel: str,
    entries: Sequence[LegendEntry],
    height: float,
    room_above: float = 0.05,
    short: Sequence[str] = (),
) -> _MoneyPlot:
    """The shared frame of the budget and cash-flow charts: amounts in thousands up the left
    (round ticks, light lines across), a category per slot along the bottom (a year or a
    phase; the `short` names when one would not fit its slot), the title above and the
    legend to the right, clear of the data."""
    width, top, bottom, legend_size = _MONEY_WIDTH, 28.0, height - 32, 7.5
    low, high, ticks, labels = _money_axis(amounts, bottom - top, room_above=room_above)
    widest = max(text_width(label, _TICK) for label in labels)
    left = round(widest + 23, 2)  # the axis title, a gap, the labels, the tick marks
    legend_width = legend_size * 1.8 + 4 + max(text_width(e.label, legend_size) for e in entries)
    right = round(width - legend_width - 20, 2)
    drawing = Drawing(width, height, css_class="money")
    y = Linear(low, high, bottom, top)
    for index, (tick, label) in enumerate(zip(ticks, labels, strict=True), start=1):
        with drawing.group(f"ytick_{index}"):
            drawing.line([(left, y(tick)), (right, y(tick))], _GRID, 0.6)
            drawing.line([(left - 3.5, y(tick)), (left, y(tick))], "#000000")
            drawing.text(left - 6, y(tick) + _TICK * 0.35, label, _TICK, "end")
    slot = (right - left) / max(len(categories), 1)
    if short and max(text_width(c, _TICK) for c in categories) > slot - 4:
        categories = short
    for index, category in enumerate(categories, start=1):
        centre = left + slot * (index - 0.5)
        with drawing.group(f"xtick_{index}"):
            drawing.line([(centre, bottom), (centre, bottom + 3.5)], "#000000")
            drawing.text(centre, bottom + 13, category, _TICK, "middle")
    drawing.line([(left, top), (left, bottom), (right, bottom)], "#000000")
    middle = (left + right) / 2
    level = (top + bottom) / 2  # a long currency name is cut to the canvas' height
    axis_title = fit(axis_title, 9, 2 * min(level, height - level) - 8)
    drawing.text(11, level, axis_title, 9, "middle", rotate=90)
    drawing.text(middle, height - 6, xlabel, 9, "middle")
    legend(drawing, width - legend_width - 8, top + legend_size, entries, legend_size)
    _title(drawing, title, middle)
    return _MoneyPlot(drawing, y, left, right, slot)


PHASE_COLOURS = {1: SERIES[0], 2: SERIES[1], 3: SERIES[2]}


def roadmap_gantt(plan: Plan) -> str:
    """Initiatives by month, coloured by phase, with gate milestones and dependency arrows."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    plt = report_pyplot()
    roadmap = plan.roadmap
    assert roadmap is not None
    items = list(roadmap.initiatives)
    figure, axes = plt.subplots(figsize=(7.2, 0.21 * len(items) + 1.6))
    row = {item.id: len(items) - 1 - index for index, item in enumerate(items)}
    for phase in roadmap.phases:
        axes.axvspan(
            phase.start_month,
            phase.end_month,
            color=PHASE_COLOURS[phase.phase],
            alpha=0.07,
            linewidth=0,
        )
        axes.axvline(phase.end_month, color=PALETTE["neutral"], linewidth=0.8, linestyle="--")
        axes.plot(
            phase.end_month,
            len(items) - 0.1,
            "D",
            color=PALETTE["warn"],
            markersize=6,
            clip_on=False,
            zorder=4,
        )
        axes.text(
            phase.end_month,
            len(items) + 0.5,
            f"Gate {phase.phase}",
            ha="center",
            va="bottom",
            fontsize=7,
            color=PALETTE["warn"],
        )
    # Only the critical path's dependencies are drawn, so each arrow can be followed; the
    # initiatives table lists every dependency. A critical-path step that is not a
    # dependency (the initiative waits for its phase gate) gets no arrow: the gate line shows it.
    by_id = {item.id: item for item in items}
    path = [step for step in roadmap.critical_path if step in by_id]
    for before_id, after_id in zip(path, path[1:], strict=False):
        before, after = by_id[before_id], by_id[after_id]
        if before_id not in after.initiative.depends_on:
            continue
        axes.annotate(
            "",
            xy=(after.start_month, row[after_id]),
            xytext=(before.end_month, row[before_id]),
            arrowprops={
                "arrowstyle": "-|>",
                "color": PALETTE["warn"],
                "linewidth": 1.2,
                "mutation_scale": 8,
                "connectionstyle": "angle,angleA=90,angleB=0,rad=0",
                "shrinkA": 0,
                "shrinkB": 0,
            },
            zorder=3,
        )
    axes.barh(  # one call for every bar: a call per bar costs a container each
        [row[item.id] for item in items],
        [item.duration_months for item in items],
        left=[item.start_month for item in items],
        height=0.62,
        color=[PHASE_COLOURS[item.phase] for item in items],
        edgecolor=["#1d2433" if item.critical else "none" for item in items],
        linewidth=[1.2 if item.critical else 0 for item in items],
        zorder=2,
    )
    axes.set_yticks([row[item.id] for item in items])
    axes.set_yticklabels(
        [chart_text(_shorten(item.initiative.title, 48)) for item in items], fontsize=7
    )
    axes.set_ylim(-0.7, len(items) + 0.5)
    axes.set_xlim(0, roadmap.total_months + 1)
    axes.set_xticks(range(0, roadmap.total_months + 1, 3 if roadmap.total_months > 12 else 1))
    axes.set_xlabel(f"Months from the plan start ({plan.plan_start.isoformat()})")
    axes.set_title("Roadmap: initiatives by phase, gates and dependencies", pad=16)
    axes.legend(
        handles=[
            *(
                Patch(color=PHASE_COLOURS[p.phase], label=chart_text(f"Phase {p.phase} {p.name}"))
                for p in roadmap.phases
            ),
            Patch(facecolor="white", edgecolor="#1d2433", label="Critical path"),
            Line2D([], [], color=PALETTE["warn"], marker=">", label="Its dependencies"),
        ],
        loc="upper center",
        bbox_to_anchor=(0.5, -0.6 / max(len(items) * 0.2 + 0.5, 1)),
        ncol=3,
        frameon=False,
        fontsize=7,
    )
    return _svg(figure)


def budget_by_phase(plan: Plan) -> str:
    """Stacked bars: each phase's cost by category, its total above it."""
    from mcpscale.formats.pack import COST_CATEGORIES

    budget = plan.budget
    assert budget is not None
    phases = [1, 2, 3]
    colours = series_colours(len(COST_CATEGORIES))
    # one pass over the cost lines: Budget.cell() reads them all for each of the 21 cells
    years, amounts = set(budget.years), defaultdict(list)
    for line in budget.lines:
        if line.year in years:
            amounts[line.category, line.phase].append(line.amount)
    costs = [[math.fsum(amounts[c, p]) for p in phases] for c in COST_CATEGORIES]
    totals = [sum(column) for column in zip(*costs, strict=True)]
    # a stack grows up from zero with the costs, and down with any credit (a negative cost)
    ups = [sum(c for c in column if c > 0) for column in zip(*costs, strict=True)]
    downs = [sum(c for c in column if c < 0) for column in zip(*costs, strict=True)]
    plot = _money_by_year(
        "Budget by phase and category (before contingency)",
        [*ups, *downs],
        [f"Phase {phase}" for phase in phases],
        f"Cost ({_thousands(plan.profile.currency)})",
        "Phase",
        [
            LegendEntry("box", c, chart_text(n))
            for c, n in zip(colours, COST_CATEGORIES, strict=True)
        ],
        245.0,
        room_above=0.12,  # the totals above the bars
    )
    drawing, y = plot.drawing, plot.y
    bar = plot.bar
    for index in range(len(phases)):
        up = down = 0.0
        x = plot.centre(index) - bar / 2
        for colour, values in zip(colours, costs, strict=True):
            value = values[index]
            base = up if value > 0 else down
            if value:
                drawing.rect(x, y(base), bar, y(base + value) - y(base), colour)
            if value > 0:
                up += value
            else:
                down += value
        label_at = y(up) - 3 if totals[index] >= 0 or not down else y(down) + _TICK + 2
        drawing.text(plot.centre(index), label_at, fmt_thousands(totals[index]), _TICK, "middle")
    return drawing.html()


def yearly_cash_flows(plan: Plan) -> str:
    """Risk-adjusted costs (down) and benefits (up) per year, with the net as a diamond."""
    roi = plan.roi
    assert roi is not None
    flows = roi.cash_flows
    plot = _money_by_year(
        "Risk-adjusted cash flows per year",
        [value for c in flows for value in (c.benefits, -c.costs, c.net)],
        [f"Year {c.year}" for c in flows],
        f"Cash flow ({_thousands(plan.profile.currency)})",
        "Year (0 = initial investment)",
        [
            LegendEntry("box", PALETTE["good"], "Benefits"),
            LegendEntry("box", PALETTE["warn"], "Costs"),
            LegendEntry("diamond", _INK, "Net"),
        ],
        230.0,
        short=[str(c.year) for c in flows],  # when "Year 10" would not fit its slot
    )
    drawing, y = plot.drawing, plot.y
    bar = plot.bar
    for index, flow in enumerate(flows):
        x = plot.centre(index) - bar / 2
        if flow.benefits:
            drawing.rect(x, y(0), bar, y(flow.benefits) - y(0), PALETTE["good"])
        if flow.costs:
            drawing.rect(x, y(0), bar, y(-flow.costs) - y(0), PALETTE["warn"])
    plot.zero_line()
    for index, flow in enumerate(flows):
        drawing.polygon(diamond(plot.centre(index), y(flow.net), 3.5), _INK)
    return drawing.html()


def cumulative_cash_flow(plan: Plan) -> str:
    """Cumulative net cash flow at most likely values, with the simulated P10-P90 band."""
    roi = plan.roi
    assert roi is not None
    flows = roi.cash_flows
    band = roi.simulation.cumulative if roi.simulation else ()
    band_colour, band_opacity = PALETTE["sky"], 0.35
    entries = [LegendEntry("line", PALETTE["current"], "Most likely")]
    if band:
        entries.insert(0, LegendEntry("box", _on_white(band_colour, band_opacity), "P10-P90"))
    title = "Cumulative net cash flow" + (" with its P10-P90 range" if band else "")
    plot = _money_by_year(
        title,
        [c.cumulative_net for c in flows] + [value for b in band for value in (b[0], b[2])],
        [str(c.year) for c in flows],
        f"Cumulative net ({_thousands(plan.profile.currency)})",
        "End of year (0 = initial investment)",
        entries,
        230.0,
    )
    drawing, y = plot.drawing, plot.y
    xs = [plot.centre(index) for index in range(len(flows))]
    if len(band) > 1:
        outline = [(x, y(b[2])) for x, b in zip(xs, band, strict=False)]
        outline += [(x, y(b[0])) for x, b in reversed(list(zip(xs, band, strict=False)))]
        drawing.polygon(outline, band_colour, band_opacity)
    elif band:  # a single year: the band is a bar from P10 to P90
        drawing.rect(
            xs[0] - 6, y(band[0][2]), 12, y(band[0][0]) - y(band[0][2]), band_colour, band_opacity
        )
    plot.zero_line()
    points = [(x, y(c.cumulative_net)) for x, c in zip(xs, flows, strict=True)]
    if len(points) > 1:
        drawing.line(points, PALETTE["current"], 2)
    for x, at in points:
        drawing.circle(x, at, 2.5, PALETTE["current"])
    return drawing.html()


def npv_tornado(plan: Plan) -> str:
    """How far NPV moves when each input goes to its low and its high; largest swing on top."""
    roi = plan.roi
    assert roi is not None
    rows = list(roi.sensitivity)
    width, row_height, label_size, top = 490.0, 26.0, 7.5, 44.0
    names = [chart_text(sensitivity_label(r.input)) for r in rows]
    widest = max((text_width(name, label_size) for name in names), default=0.0)
    left = round(min(max(widest + 12, 60.0), width * 0.45), 2)
    npvs = [roi.npv, *(r.npv_at_low for r in rows), *(r.npv_at_high for r in rows)]
    # labels side by side need more room than stacked ones: the axis counts as two thirds
    low, high, ticks, labels = _money_axis(npvs, (width - left) * 2 / 3, with_zero=False)
    names = [fit(name, label_size, left - 10) for name in names]
    # the last tick label is centred on its tick: it keeps inside the canvas
    right = round(width - max(text_width(labels[-1], _TICK) / 2 + 4, 12), 2)
    bottom = top + row_height * max(len(rows), 1)
    height = bottom + 34
    x = Linear(low, high, left, right)
    drawing = Drawing(width, height, css_class="money")
    for index, (tick, label) in enumerate(zip(ticks, labels, strict=True), start=1):
        with drawing.group(f"xtick_{index}"):
            drawing.line([(x(tick), top), (x(tick), bottom)], _GRID, 0.6)
            drawing.line([(x(tick), bottom), (x(tick), bottom + 3.5)], "#000000")
            drawing.text(x(tick), bottom + 13, label, _TICK, "middle")
    for index, (row, name) in enumerate(zip(rows, names, strict=True), start=1):
        centre = top + row_height * (index - 0.5)
        with drawing.group(f"ytick_{index}"):
            drawing.line([(left - 3.5, centre), (left, centre)], "#000000")
            drawing.text(left - 6, centre + label_size * 0.35, name, label_size, "end")
        bar = row_height * 0.6
        for value, colour in (
            (row.npv_at_low, PALETTE["warn"]),
            (row.npv_at_high, PALETTE["current"]),
        ):
            if value != roi.npv:
                drawing.rect(x(roi.npv), centre - bar / 2, x(value) - x(roi.npv), bar, colour)
    drawing.line([(x(roi.npv), top), (x(roi.npv), bottom)], _INK, 0.8)
    drawing.line([(left, top), (left, bottom), (right, bottom)], "#000000")
    middle = (left + right) / 2
    unit = _thousands(plan.profile.currency)
    drawing.text(middle, height - 6, f"NPV ({unit}); line: most likely", 9, "middle")
    entries = [
        LegendEntry("box", PALETTE["warn"], "Input at low"),
        LegendEntry("box", PALETTE["current"], "Input at high"),
    ]
    legend_width = 2 * (label_size * 1.8 + 4 + text_width("Input at high", label_size) + 12) - 12
    legend(drawing, middle - legend_width / 2, 31, entries, label_size, columns=2)
    _title(drawing, "Sensitivity of NPV to each input", middle)
    return drawing.html()


RISK_BANDS = ((4, "good"), (9, "yellow"), (15, "target"), (25, "warn"))  # score up to: colour


def risk_heat_map(plan: Plan) -> str:
    """Probability x impact grid with the live risks' ids in their cells."""
    cells: dict[tuple[int, int], list[str]] = {}
    for number, fired in enumerate(plan.risks or (), start=1):
        cells.setdefault((fired.risk.probability, fired.risk.impact), []).append(f"R{number}")
    texts = {
        cell: "\n".join(", ".join(ids[i : i + 3]) for i in range(0, len(ids), 3))
        for cell, ids in cells.items()
    }
    lines = max((text.count("\n") + 1 for text in texts.values()), default=1)
    size = 7.0 if lines <= 4 else 6.0  # many risks in one cell: smaller, and the cells grow
    cell_width = max(52.0, max((text_width(t, size, True) for t in texts.values()), default=0) + 6)
    cell_height = max(44.0, text_height("\n" * (lines - 1), size) + 8)
    left, top = 44.0, 26.0
    right, bottom = left + 5 * cell_width, top + 5 * cell_height
    width, height = max(right + 12, 0), bottom + 34
    x = Linear(0.5, 5.5, left, right)
    y = Linear(0.5, 5.5, bottom, top)
    drawing = Drawing(width, height, css_class="heatmap")
    for impact in range(1, 6):
        for probability in range(1, 6):
            colour = next(PALETTE[c] for limit, c in RISK_BANDS if probability * impact <= limit)
            drawing.rect(
                x(probability - 0.5), y(impact + 0.5), cell_width, cell_height, colour, 0.55
            )
    for edge in range(1, 5):
        drawing.line([(x(edge + 0.5), top), (x(edge + 0.5), bottom)], "#ffffff", 1)
        drawing.line([(left, y(edge + 0.5)), (right, y(edge + 0.5))], "#ffffff", 1)
    for (probability, impact), text in sorted(texts.items()):
        count = text.count("\n")
        first = y(impact) - count * size * LINE_HEIGHT / 2 + size * 0.36
        drawing.text(x(probability), first, text, size, "middle", True, _INK)
    for index in range(1, 6):
        with drawing.group(f"xtick_{index}"):
            drawing.line([(x(index), bottom), (x(index), bottom + 3.5)], "#000000")
            drawing.text(x(index), bottom + 13, str(index), _TICK, "middle")
        with drawing.group(f"ytick_{index}"):
            drawing.line([(left - 3.5, y(index)), (left, y(index))], "#000000")
            drawing.text(left - 6, y(index) + _TICK * 0.35, str(index), _TICK, "end")
    drawing.polygon(
        ((left, top), (right, top), (right, bottom), (left, bottom)), "none", 1, "#000000", 0.8
    )
    middle = (left + right) / 2
    drawing.text(middle, height - 6, "Probability (1 rare - 5 almost certain)", 9, "middle")
    drawing.text(20, (top + bottom) / 2, "Impact (1 minor - 5 severe)", 9, "middle", rotate=90)
    _title(drawing, "Risk heat map: probability x impact", middle)
    return drawing.html()


def _shorten(text: str, width: int) -> str:
    """A name cut at a word to fit a chart axis; the table beside the chart has it in full."""
    import textwrap

    return textwrap.shorten(" ".join(text.split()), width, placeholder="…")


def wrap_labels(labels: Sequence[str], width: int) -> list[str]:
    """Names broken into lines of at most `width` characters, at spaces: shown whole."""
    import textwrap

    return ["\n".join(textwrap.wrap(label, width)) or label for label in labels]
