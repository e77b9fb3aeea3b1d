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
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from mcpscale.formats.results import Result
from mcpscale.render.drawing import (
    Anchor,
    Drawing,
    LegendEntry,
    Linear,
    Point,
    centred,
    diamond,
    fit,
    legend,
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
    drawing.text(centred(middle, title, 10, width, True), 14, title, 10, "middle", True)
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


def _thousands(currency: str) -> tuple[Any, str]:
    """Tick formatter and axis label for amounts shown in thousands of the currency."""
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda value, _: fmt_thousands(value)), chart_text(
        thousands_label(currency)
    )


PHASE_COLOURS = {1: SERIES[0], 2: SERIES[1], 3: SERIES[2]}


def _money_by_year(axes: Any, plan: Plan, ylabel: str, xlabel: str) -> None:
    """The shared frame of the cash-flow charts: a zero line, amounts in thousands, legend."""
    formatter, _ = _thousands(plan.profile.currency)
    axes.axhline(0, color="#1d2433", linewidth=0.8)
    axes.yaxis.set_major_formatter(formatter)
    axes.set_ylabel(ylabel)
    axes.set_xlabel(xlabel)
    axes.legend(loc="upper left", frameon=False, fontsize=8)


def roadmap_gantt(plan: Plan) -> str:
    """Initiatives by month, coloured by phase, with gate milestones and dependency arrows."""
    roadmap = plan.roadmap
    assert roadmap is not None
    items = list(roadmap.initiatives)
    width, size, row = SPREAD_WIDTH, 6.5, 10.5  # the page's text width: not scaled down
    labels = [chart_text(_shorten(item.initiative.title, 48)) for item in items]
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
    drawing.text(centred(middle, title, 10, width, True), 14, title, 10, "middle", True)
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
    """Stacked bars: each phase's cost by category."""
    from mcpscale.formats.pack import COST_CATEGORIES

    plt = report_pyplot()
    budget = plan.budget
    assert budget is not None
    formatter, unit = _thousands(plan.profile.currency)
    figure, axes = plt.subplots(figsize=(6.4, 3.4))
    phases = [1, 2, 3]
    labels = [f"Phase {phase}" for phase in phases]
    bottoms = [0.0, 0.0, 0.0]
    colours = series_colours(len(COST_CATEGORIES))
    for colour, category in zip(colours, COST_CATEGORIES, strict=True):
        values = [sum(budget.cell(category, phase, y) for y in budget.years) for phase in phases]
        axes.bar(
            labels, values, bottom=bottoms, color=colour, width=0.55, label=chart_text(category)
        )
        bottoms = [b + v for b, v in zip(bottoms, values, strict=True)]
    for index, total in enumerate(bottoms):
        axes.text(index, total, fmt_thousands(total), ha="center", va="bottom", fontsize=8)
    axes.yaxis.set_major_formatter(formatter)
    axes.set_ylabel(f"Cost ({unit})")
    axes.set_xlabel("Phase")
    axes.set_title("Budget by phase and category (before contingency)")
    axes.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False, fontsize=7.5)
    axes.margins(y=0.12)
    return _svg(figure)


def yearly_cash_flows(plan: Plan) -> str:
    """Risk-adjusted costs (down) and benefits (up) per year, with the net as a marker."""
    plt = report_pyplot()
    roi = plan.roi
    assert roi is not None
    _, unit = _thousands(plan.profile.currency)
    figure, axes = plt.subplots(figsize=(6.4, 3.2))
    years = [f"Year {c.year}" for c in roi.cash_flows]
    axes.bar(
        years,
        [c.benefits for c in roi.cash_flows],
        color=PALETTE["good"],
        width=0.55,
        label="Benefits",
    )
    axes.bar(
        years, [-c.costs for c in roi.cash_flows], color=PALETTE["warn"], width=0.55, label="Costs"
    )
    axes.plot(
        years, [c.net for c in roi.cash_flows], "D", color="#1d2433", markersize=5, label="Net"
    )
    _money_by_year(axes, plan, f"Cash flow ({unit})", "Year (0 = initial investment)")
    axes.set_title("Risk-adjusted cash flows per year")
    return _svg(figure)


def cumulative_cash_flow(plan: Plan) -> str:
    """Cumulative net cash flow at most likely values, with the simulated P10-P90 band."""
    plt = report_pyplot()
    roi = plan.roi
    assert roi is not None
    _, unit = _thousands(plan.profile.currency)
    figure, axes = plt.subplots(figsize=(6.4, 3.2))
    years = [c.year for c in roi.cash_flows]
    band = roi.simulation.cumulative if roi.simulation else ()
    if band:
        axes.fill_between(
            years,
            [b[0] for b in band],
            [b[2] for b in band],
            color=PALETTE["sky"],
            alpha=0.35,
            linewidth=0,
            label="P10-P90",
        )
    axes.plot(
        years,
        [c.cumulative_net for c in roi.cash_flows],
        "-o",
        color=PALETTE["current"],
        linewidth=2,
        markersize=4,
        label="Most likely",
    )
    axes.set_xticks(years)
    _money_by_year(axes, plan, f"Cumulative net ({unit})", "End of year (0 = initial investment)")
    axes.set_title("Cumulative net cash flow with its P10-P90 range")
    return _svg(figure)


def npv_tornado(plan: Plan) -> str:
    """How far NPV moves when each input goes to its low and its high; largest swing on top."""
    plt = report_pyplot()
    roi = plan.roi
    assert roi is not None
    rows = list(roi.sensitivity)[::-1]
    formatter, unit = _thousands(plan.profile.currency)
    figure, axes = plt.subplots(figsize=(6.4, 0.36 * len(rows) + 1.3))
    positions = list(range(len(rows)))
    for position, row in zip(positions, rows, strict=True):
        axes.barh(
            position,
            row.npv_at_low - roi.npv,
            left=roi.npv,
            color=PALETTE["warn"],
            height=0.6,
            label="Input at low" if position == 0 else None,
        )
        axes.barh(
            position,
            row.npv_at_high - roi.npv,
            left=roi.npv,
            color=PALETTE["current"],
            height=0.6,
            label="Input at high" if position == 0 else None,
        )
    axes.axvline(roi.npv, color="#1d2433", linewidth=0.8)
    axes.set_yticks(positions)
    axes.set_yticklabels([chart_text(sensitivity_label(row.input)) for row in rows], fontsize=7.5)
    axes.xaxis.set_major_formatter(formatter)
    axes.set_xlabel(f"NPV ({unit}); line: most likely")
    axes.set_title("Sensitivity of NPV to each input")
    axes.legend(loc="lower right", frameon=False, fontsize=7.5)
    return _svg(figure)


def risk_heat_map(plan: Plan) -> str:
    """Probability x impact grid with the live risks' ids in their cells."""
    from matplotlib.colors import ListedColormap

    plt = report_pyplot()
    figure, axes = plt.subplots(figsize=(6.4, 4.4))
    grid = [[probability * impact for probability in range(1, 6)] for impact in range(1, 6)]
    colours = ListedColormap(
        [PALETTE["good"], PALETTE["yellow"], PALETTE["target"], PALETTE["warn"]]
    )
    bands = [[0 if v <= 4 else 1 if v <= 9 else 2 if v <= 15 else 3 for v in row] for row in grid]
    axes.imshow(
        bands, origin="lower", cmap=colours, alpha=0.55, extent=(0.5, 5.5, 0.5, 5.5), vmin=0, vmax=3
    )
    cells: dict[tuple[int, int], list[str]] = {}
    for number, fired in enumerate(plan.risks or (), start=1):
        cells.setdefault((fired.risk.probability, fired.risk.impact), []).append(f"R{number}")
    for (probability, impact), labels in sorted(cells.items()):
        lines = [", ".join(labels[i : i + 3]) for i in range(0, len(labels), 3)]
        axes.text(
            probability,
            impact,
            "\n".join(lines),
            ha="center",
            va="center",
            fontsize=7,
            color="#1d2433",
            fontweight="bold",
        )
    axes.set_xticks(range(1, 6))
    axes.set_yticks(range(1, 6))
    axes.set_xlabel("Probability (1 rare - 5 almost certain)")
    axes.set_ylabel("Impact (1 minor - 5 severe)")
    axes.set_title("Risk heat map: probability x impact")
    axes.spines[["top", "right"]].set_visible(True)
    for edge in range(1, 5):
        axes.axhline(edge + 0.5, color="white", linewidth=1)
        axes.axvline(edge + 0.5, color="white", linewidth=1)
    return _svg(figure)


def _shorten(text: str, width: int) -> str:
    """A name cut at a word to fit a chart axis; the table beside the chart has it in full."""
    import textwrap

    return textwrap.shorten(" ".join(text.split()), width, placeholder="…")


def wrap_labels(labels: Sequence[str], width: int) -> list[str]:
    """Names broken into lines of at most `width` characters, at spaces: shown whole."""
    import textwrap

    return ["\n".join(textwrap.wrap(label, width)) or label for label in labels]
