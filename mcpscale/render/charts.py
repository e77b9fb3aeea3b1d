"""The report's charts, one function per chart, each drawn as shapes on render.drawing: inline
SVG for HTML and PDF, a PNG of the same shapes for DOCX, a few milliseconds each. The trend and
portfolio charts (render.history_charts, render.portfolio) are drawn the same way.

Every chart uses the same colour-blind-safe palette (Okabe-Ito; more series than it holds
get series_colours()), has a title and labelled axes spanning the questionnaire's scale
(scale_ticks, from matplotlib's MaxNLocator), and renders byte-identically for the same data.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from mcpscale.formats.results import Result
from mcpscale.render.drawing import (
    LINE_HEIGHT,
    Anchor,
    Drawing,
    LegendEntry,
    Linear,
    Point,
    centred,
    chart_title,
    diamond,
    fit,
    legend,
    nice_ticks,
    shorten,
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


RADAR_DIMENSIONS = range(3, 9)  # fewer: no polygon; more: the spokes' names collide
RADAR_RADIUS = 110.0  # points: the outer ring; print.css keeps a radar to 110 mm high


def maturity_radar(result: Result) -> str:
    """The maturity chart of the report (HTML, PDF, Markdown, DOCX): a radar of current score
    against target for 3 to 8 dimensions, horizontal bars for any other number.

    The first dimension points right, the others follow counter-clockwise; a ring per tick
    of the scale, the lowest level at the centre. Everything is placed around the centre
    first, so the canvas is cut to what is drawn, whatever the names' lengths."""
    if len(result.dimensions) not in RADAR_DIMENSIONS:
        return maturity_bars(result)
    dimensions = list(result.dimensions)
    low, high = _span(result)
    radius, name_size, ring_size, legend_size = RADAR_RADIUS, 9.0, 7.0, 8.0
    distance = Linear(low, high, 0, radius)
    angles = [2 * math.pi * index / len(dimensions) for index in range(len(dimensions))]
    boxes: list[_Box] = [(-radius, -radius, radius, radius)]
    # a spoke's name just outside the ring, on the side the spoke points to
    names = []
    labels = wrap_labels([chart_text(d.name) for d in dimensions], 16)
    for angle, name in zip(angles, labels, strict=True):
        x, y = _polar(angle, radius + 6)
        anchor: Anchor = "middle"
        if abs(math.cos(angle)) > 0.25:
            anchor = "start" if math.cos(angle) > 0 else "end"
        box = _text_box(x, y, name, name_size, anchor, _vertical(math.sin(angle)))
        names.append((x, box[1] + 0.76 * name_size, anchor, name))
        boxes.append(box)
    # the rings' levels along the line between the first two spokes, clear of the names
    ticks = scale_ticks(result.scale)
    rings = []
    for tick, label in zip(ticks, level_labels(result.scale, ticks, " "), strict=True):
        x, y = _polar(math.pi / len(dimensions), distance(tick))
        rings.append((tick, x, y + 0.35 * ring_size, label))
        if distance(tick) > 0:  # the centre's level stays unwritten, under the polygons
            boxes.append(_text_box(x, y, label, ring_size, "middle", "centre"))
    # the legend at the top right; above every name it would cover
    entries = [
        LegendEntry("dashed", PALETTE["target"], "Target"),
        LegendEntry("line", PALETTE["current"], "Current"),
    ]
    legend_width = legend_size * 1.8 + 4 + max(text_width(e.label, legend_size) for e in entries)
    legend_height = len(entries) * legend_size * 1.6
    left, top = radius + 18, -radius - 10
    legend_box = (left, top, left + legend_width, top + legend_height)
    if any(_overlap(legend_box, box) for box in boxes):
        top = min(box[1] for box in boxes) - legend_height - 4
        legend_box = (left, top, left + legend_width, top + legend_height)
    boxes.append(legend_box)
    title = "Maturity by dimension (level)"
    title_base = min(box[1] for box in boxes[:-1]) - 12
    boxes.append(_text_box(0, title_base - 7.6, title, 10, "middle", "below", bold=True))
    # the canvas: everything drawn, the circle in the middle across, 4 points to spare
    half = max(max(-box[0], box[2]) for box in boxes) + 4
    top = min(box[1] for box in boxes) - 4
    height = max(box[3] for box in boxes) + 4 - top
    drawing = Drawing(round(2 * half, 2), round(height, 2))

    def at(point: Point) -> Point:
        return (point[0] + half, point[1] - top)

    centre = at((0, 0))
    for index, (angle, (x, y, anchor, name)) in enumerate(zip(angles, names, strict=True), 1):
        with drawing.group(f"xtick_{index}"):
            drawing.line([centre, at(_polar(angle, radius))], RADAR_GRID, 0.6)
            drawing.text(*at((x, y)), name, name_size, anchor)
    scores = [low if d.score is None else d.score for d in dimensions]
    current = [at(_polar(a, distance(s))) for a, s in zip(angles, scores, strict=True)]
    target = [at(_polar(a, distance(d.target))) for a, d in zip(angles, dimensions, strict=True)]
    drawing.polygon(current, PALETTE["current"], opacity=0.15)
    for index, (tick, x, y, label) in enumerate(rings, start=1):
        if distance(tick) > 0:
            with drawing.group(f"ytick_{index}"):
                drawing.line(_ring(centre, distance(tick)), RADAR_GRID, 0.6)
                drawing.text(*at((x, y)), label, ring_size, "middle", colour="#475467")
    drawing.line(_ring(centre, radius), "#000000", 0.8)
    drawing.line([*target, target[0]], PALETTE["target"], 2, dash=(7.4, 3.2))
    drawing.line([*current, current[0]], PALETTE["current"], 2)
    drawing.text(half, title_base - top, title, 10, "middle", bold=True)
    legend(drawing, *at((legend_box[0], legend_box[1] + 0.8 * legend_size)), entries, legend_size)
    return drawing.html()


RADAR_GRID = "#b0b0b0"
_Box = tuple[float, float, float, float]  # left, top, right, bottom


def _polar(angle: float, distance: float) -> Point:
    """A point `distance` from the centre, `angle` radians counter-clockwise from the right."""
    return (distance * math.cos(angle), -distance * math.sin(angle))


def _ring(centre: Point, radius: float) -> list[Point]:
    """A circle as a closed line: 72 straight pieces, a tenth of a point off at 110 points."""
    x, y = centre
    steps = [2 * math.pi * step / 72 for step in range(73)]
    return [(x + radius * math.cos(a), y - radius * math.sin(a)) for a in steps]


def _vertical(upward: float) -> str:
    """Where a label sits from its point, for a spoke pointing `upward` (the sine)."""
    return "above" if upward > 0.25 else "below" if upward < -0.25 else "centre"


def _text_box(
    x: float, y: float, text: str, size: float, anchor: Anchor, place: str, bold: bool = False
) -> _Box:
    """The box `text` covers when it sits "above", "below" or "centre"d on the point (x, y)."""
    width, height = text_width(text, size, bold), text_height(text, size)
    left = {"start": x, "end": x - width, "middle": x - width / 2}[anchor]
    top = {"above": y - height, "below": y, "centre": y - height / 2}[place]
    return (left, top, left + width, top + height)


def _overlap(one: _Box, other: _Box) -> bool:
    return one[0] < other[2] and other[0] < one[2] and one[1] < other[3] and other[1] < one[3]


def maturity_bars(result: Result) -> str:
    """Per dimension a bar from the scale's minimum to the current score, and the target.

    As wide as the page's text, so nothing is scaled down; a row is as tall as its name,
    wrapped whole onto lines."""
    dimensions = list(result.dimensions)
    low, high = _span(result)
    width, size, value_size = SPREAD_WIDTH, 7.0, 7.0
    names = wrap_labels([chart_text(d.name) for d in dimensions], 34)
    lines = max((name.count("\n") + 1 for name in names), default=1)
    row = max(13.0, text_height("\n" * (lines - 1), size) + 3)
    bar = min(0.55 * row, 11.0)
    ticks = scale_ticks(result.scale)
    tick_labels = level_labels(result.scale, ticks)
    values = ["not scored" if d.score is None else fmt_score(d.score) for d in dimensions]
    # names on the left, whole (a word longer than the room is cut); the scores' numbers and
    # the last tick's label on the right
    widest = max((text_width(name, size) for name in names), default=0.0)
    first_tick = text_width(tick_labels[0], size) / 2 + 4
    left = round(min(max(widest + 12, first_tick, 40.0), width * 0.45), 2)
    names = ["\n".join(fit(line, size, left - 8) for line in n.split("\n")) for n in names]
    numbers = [
        text_width(v, value_size)
        for v, d in zip(values, dimensions, strict=True)
        if d.score is not None
    ]
    right = round(max(max(numbers, default=0.0) + 6, text_width(tick_labels[-1], size) / 2 + 4), 2)
    top = 40.0
    bottom = top + row * max(len(dimensions), 1)
    tick_lines = max(label.count("\n") + 1 for label in tick_labels)
    x = Linear(low, high, left, width - right)
    xlabel_base = bottom + 12 + text_height("\n" * (tick_lines - 1), size) + 10
    drawing = Drawing(width, round(xlabel_base + 5, 2), css_class="rows")
    for index, (tick, label) in enumerate(zip(ticks, tick_labels, strict=True), start=1):
        with drawing.group(f"xtick_{index}"):
            drawing.line([(x(tick), top), (x(tick), bottom)], "#dddddd", 0.6)
            drawing.line([(x(tick), bottom), (x(tick), bottom + 3.5)], "#000000")
            drawing.text(x(tick), bottom + 12, label, size, "middle")
    for index, (dimension, name, value) in enumerate(
        zip(dimensions, names, values, strict=True), start=1
    ):
        centre = top + row * (index - 0.5)
        score = low if dimension.score is None else dimension.score
        with drawing.group(f"ytick_{index}"):
            drawing.line([(left, centre), (left - 3.5, centre)], "#000000")
            first = centre + 0.35 * size - text_height(name, size) / 2 + size / 2
            drawing.text(left - 6, first, name, size, "end")
        # a bar grows from the bottom of the scale, which is not 0 on a -2..2 scale
        drawing.rect(x(low), centre - bar / 2, x(score) - x(low), bar, PALETTE["current"])
        mark = 0.8 * row / 2
        target = x(dimension.target)
        drawing.line([(target, centre - mark), (target, centre + mark)], PALETTE["target"], 3)
        drawing.text(x(score) + 3, centre + 0.35 * value_size, value, value_size)
    drawing.line([(left, top), (left, bottom), (width - right, bottom)], "#000000")
    title, xlabel = "Current score and target by dimension", "Maturity level"
    middle = left + (width - right - left) / 2
    chart_title(drawing, title, middle)
    drawing.text(centred(middle, xlabel, 9, width), xlabel_base, xlabel, 9, "middle")
    # the legend over the plot's right end: a box for the bars, an upright line for the mark
    swatch, gap = 8 * 1.8, 12
    widths = [text_width(label, 8) for label in ("Current score", "Target")]
    start = width - right - (swatch + 4 + widths[0] + gap + 3 + 4 + widths[1])
    legend(drawing, start, 31, [LegendEntry("box", PALETTE["current"], "Current score")], 8)
    mark_x = start + swatch + 4 + widths[0] + gap + 1.5
    drawing.line([(mark_x, 23), (mark_x, 32)], PALETTE["target"], 3)
    drawing.text(mark_x + 5.5, 31, "Target", 8)
    return drawing.html()


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
    labels = [chart_text(shorten(q.text, 56)) for q in scored]
    widest = max((text_width(label, label_size) for label in labels), default=0.0)
    left = round(min(max(widest + 10, 60.0), width * 0.55), 2)
    labels = [fit(label, label_size, left - 10) for label in labels]
    # room on the right for half the last tick's label ("100 Done", "5 Optimizing")
    half_last = text_width(tick_labels[-1], label_size) / 2 if tick_labels else 0.0
    right = round(max(12.0, half_last + 2 - (width - left - 12) * 0.03 / 1.06), 2)
    plot_width = width - left - right
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
    drawing.line([(left, top), (left, bottom), (width - right, bottom)], "#000000")
    xlabel = "Maturity level (dot: aggregated score; bar: respondents' range)"
    middle = left + plot_width / 2
    drawing.text(centred(middle, xlabel, 9, width), height - 6, xlabel, 9, "middle")
    chart_title(drawing, chart_text(f"{name}: scores and spread per question"), middle, top - 10)
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
    chart_title(drawing, title, middle)
    return _MoneyPlot(drawing, y, left, right, slot)


PHASE_COLOURS = {1: SERIES[0], 2: SERIES[1], 3: SERIES[2]}


def roadmap_gantt(plan: Plan) -> str:
    """Initiatives by month, coloured by phase, with gate milestones and dependency arrows."""
    roadmap = plan.roadmap
    assert roadmap is not None
    items = list(roadmap.initiatives)
    width, size, row = SPREAD_WIDTH, 6.5, 10.5  # the page's text width: not scaled down
    labels = [chart_text(shorten(item.initiative.title, 48)) for item in items]
    widest = max((text_width(label, size) for label in labels), default=0.0)
    left = round(min(max(widest + 12, 40.0), width * 0.45), 2)
    labels = [fit(label, size, left - 8) for label in labels]
    months = roadmap.total_months
    right = width - 10
    top = 38.0  # under the title and the gates' names
    bottom = top + row * (len(items) + 0.6)  # the gates' diamonds sit in the first 0.6 row
    x = Linear(0, months + 1, left, right)

    def y(index: int) -> float:  # the middle of the row of items[index]
        return top + row * (index + 1.1)

    # the legend under the axis' name, in as many columns (up to 3) as the width takes
    entries = [
        *(
            LegendEntry("box", PHASE_COLOURS[p.phase], chart_text(f"Phase {p.phase} {p.name}"))
            for p in roadmap.phases
        ),
        LegendEntry("outline", GANTT_OUTLINE, "Critical path"),
        LegendEntry("arrow", PALETTE["warn"], "Its dependencies"),
    ]
    legend_size = 7.0
    step = legend_size * 1.8 + 4 + max(text_width(e.label, legend_size) for e in entries) + 12
    columns = max(1, min(3, int((width + 12) // step)))
    xlabel_base = bottom + 24
    legend_base = xlabel_base + 16
    rows = -(-len(entries) // columns)
    drawing = Drawing(width, round(legend_base + rows * legend_size * 1.6 + 2, 2))
    for phase in roadmap.phases:
        start, end = x(phase.start_month), x(phase.end_month)
        drawing.rect(start, top, end - start, bottom - top, PHASE_COLOURS[phase.phase], 0.07)
    for phase in roadmap.phases:
        gate = x(phase.end_month)
        drawing.line([(gate, top), (gate, bottom)], PALETTE["neutral"], 0.8, dash=(3, 1.3))
        drawing.polygon(diamond(gate, top + row * 0.6, 3.5), PALETTE["warn"])
        drawing.text(gate, top - 4, f"Gate {phase.phase}", 7, "middle", colour=PALETTE["warn"])
    row_of = {item.id: index for index, item in enumerate(items)}
    bar = row * 0.62
    for index, item in enumerate(items):
        start, colour = x(item.start_month), PHASE_COLOURS[item.phase]
        outline = GANTT_OUTLINE if item.critical else None
        length = x(item.end_month) - start
        drawing.rect(start, y(index) - bar / 2, length, bar, colour, 1, outline, 1.2)
    # Only the critical path's dependencies are drawn, so each arrow can be followed; the
    # initiatives table lists every dependency. A critical-path step that is not a
    # dependency (the initiative waits for its phase gate) gets no arrow: the gate line shows it.
    path = [step for step in roadmap.critical_path if step in row_of]
    for before_id, after_id in zip(path, path[1:], strict=False):
        before, after = items[row_of[before_id]], items[row_of[after_id]]
        if before_id in after.initiative.depends_on:
            _elbow_arrow(
                drawing,
                (x(before.end_month), y(row_of[before_id])),
                (x(after.start_month), y(row_of[after_id])),
                bar / 2,
            )
    for index, label in enumerate(labels, start=1):
        with drawing.group(f"ytick_{index}"):
            drawing.line([(left, y(index - 1)), (left - 3.5, y(index - 1))], "#000000")
            drawing.text(left - 6, y(index - 1) + 0.35 * size, label, size, "end")
    every = 3 if months > 12 else 1
    for index, month in enumerate(range(0, months + 1, every), start=1):
        with drawing.group(f"xtick_{index}"):
            drawing.line([(x(month), bottom), (x(month), bottom + 3.5)], "#000000")
            drawing.text(x(month), bottom + 12, f"{month}", 7.5, "middle")
    drawing.line([(left, top), (left, bottom), (right, bottom)], "#000000")
    middle = (left + right) / 2
    title = "Roadmap: initiatives by phase, gates and dependencies"
    xlabel = f"Months from the plan start ({plan.plan_start.isoformat()})"
    chart_title(drawing, title, middle)
    drawing.text(centred(middle, xlabel, 9, width), xlabel_base, xlabel, 9, "middle")
    legend_x = max(0.0, middle - (columns * step - 12) / 2)
    legend(drawing, legend_x, legend_base, entries, legend_size, columns, step)
    return drawing.html()


GANTT_OUTLINE = "#1d2433"  # the critical path's bars


def _elbow_arrow(drawing: Drawing, start: Point, end: Point, clearance: float) -> None:
    """From the end of one bar down (or up) to the next one's row, then along it to its start;
    straight down onto the bar, `clearance` from its middle, when they meet in one month."""
    (x0, y0), (x1, y1) = start, end
    colour = PALETTE["warn"]
    if x1 - x0 >= 5:
        drawing.line([(x0, y0), (x0, y1), (x1 - 4.5, y1)], colour, 1.2)
        drawing.polygon(((x1, y1), (x1 - 5, y1 - 2.5), (x1 - 5, y1 + 2.5)), colour)
        return
    down = 1 if y1 > y0 else -1
    tip = y1 - down * clearance
    drawing.line([(x0, y0), (x0, tip - down * 4.5)], colour, 1.2)
    drawing.polygon(((x0, tip), (x0 - 2.5, tip - down * 5), (x0 + 2.5, tip - down * 5)), colour)


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
    chart_title(drawing, "Sensitivity of NPV to each input", middle)
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
    chart_title(drawing, "Risk heat map: probability x impact", middle)
    return drawing.html()


def wrap_labels(labels: Sequence[str], width: int) -> list[str]:
    """Names broken into lines of at most `width` characters, at spaces: shown whole."""
    import textwrap

    return ["\n".join(textwrap.wrap(label, width)) or label for label in labels]
