"""Charts drawn as shapes in points, written as SVG text or, for DOCX, painted as PNG.

A chart function places lines, boxes, dots and text on a `Drawing` (x to the right, y down,
one unit a point) and returns `drawing.html()`: inline SVG for the HTML and PDF reports, or,
within `as_png()`, an `<img>` of the same shapes painted by matplotlib, because Word shows
pictures, not SVG. One description of each chart, two ways out; no figure is laid out, so a
chart costs a few milliseconds and WeasyPrint gets a few dozen elements, not hundreds.

Text is measured with DejaVu Sans' glyph advances (`text_width`), the font the report's SVG
names, so labels can be placed, cut and centred before anything is drawn.
"""

from __future__ import annotations

import base64
import io
import math
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from html import escape
from typing import Any, Literal

Point = tuple[float, float]
Anchor = Literal["start", "middle", "end"]
FONT = "DejaVu Sans"
LINE_HEIGHT = 1.2  # a line of text, in sizes: the next line of a label starts this far below

# Set by as_png(): the DOCX report needs pictures Word shows, not SVG text.
_PNG_DPI: ContextVar[int | None] = ContextVar("png_dpi", default=None)


@contextmanager
def as_png(dpi: int = 150) -> Iterator[None]:
    """Within it every chart returns `<img src="data:image/png;base64,...">` instead of SVG
    text, drawn from the same shapes (the DOCX report walks that HTML)."""
    token = _PNG_DPI.set(dpi)
    try:
        yield
    finally:
        _PNG_DPI.reset(token)


def png_dpi() -> int | None:
    """The resolution as_png() asked for, or None when charts are SVG."""
    return _PNG_DPI.get()


def num(value: float) -> str:
    """A coordinate as SVG gets it: two decimals at most, no trailing zeros, no "-0"."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


@dataclass(frozen=True)
class Linear:
    """Maps a value between `low` and `high` onto a length between `start` and `end`."""

    low: float
    high: float
    start: float
    end: float

    def __call__(self, value: float) -> float:
        span = (self.high - self.low) or 1.0
        return self.start + (value - self.low) / span * (self.end - self.start)


@dataclass(frozen=True)
class _Shape:
    kind: str  # "path", "circle", "text"
    points: tuple[Point, ...] = ()
    closed: bool = False
    fill: str = "none"
    stroke: str | None = None
    width: float = 0.0
    opacity: float = 1.0
    dash: tuple[float, ...] = ()
    cap: str | None = None
    radius: float = 0.0
    text: str = ""
    size: float = 0.0
    anchor: Anchor = "start"
    bold: bool = False
    rotate: float = 0.0
    group: str | None = None


@dataclass
class Drawing:
    """Shapes on a canvas `width` x `height` points; see the module's docstring."""

    width: float
    height: float
    css_class: str | None = None
    shapes: list[_Shape] = field(default_factory=list)
    _group: str | None = None

    @contextmanager
    def group(self, group_id: str) -> Iterator[None]:
        """Shapes drawn inside share one `<g id=...>`: a tick and its label, say."""
        previous, self._group = self._group, group_id
        try:
            yield
        finally:
            self._group = previous

    def line(
        self,
        points: Sequence[Point],
        stroke: str,
        width: float = 0.8,
        dash: Sequence[float] = (),
        cap: str | None = None,
        opacity: float = 1.0,
    ) -> None:
        """A line through `points`; `dash` as SVG's stroke-dasharray, in points."""
        self.shapes.append(
            _Shape(
                "path",
                tuple(points),
                stroke=stroke,
                width=width,
                dash=tuple(dash),
                cap=cap,
                opacity=opacity,
                group=self._group,
            )  # fmt: skip
        )

    def polygon(
        self,
        points: Sequence[Point],
        fill: str,
        opacity: float = 1.0,
        stroke: str | None = None,
        width: float = 0.0,
    ) -> None:
        """A closed, filled shape (a band, a diamond, an arrow head)."""
        self.shapes.append(
            _Shape(
                "path",
                tuple(points),
                closed=True,
                fill=fill,
                stroke=stroke,
                width=width,
                opacity=opacity,
                group=self._group,
            )  # fmt: skip
        )

    def rect(
        self,
        x: float,
        y: float,
        width: float,
        height: float,
        fill: str,
        opacity: float = 1.0,
        stroke: str | None = None,
        stroke_width: float = 0.0,
    ) -> None:
        """A box from its top-left corner; a negative width or height grows the other way."""
        x0, x1 = sorted((x, x + width))
        y0, y1 = sorted((y, y + height))
        corners = ((x0, y0), (x1, y0), (x1, y1), (x0, y1))
        self.polygon(corners, fill, opacity, stroke, stroke_width)

    def circle(self, x: float, y: float, radius: float, fill: str) -> None:
        self.shapes.append(_Shape("circle", ((x, y),), fill=fill, radius=radius, group=self._group))

    def text(
        self,
        x: float,
        y: float,
        text: str,
        size: float = 9.0,
        anchor: Anchor = "start",
        bold: bool = False,
        colour: str = "#000000",
        rotate: float = 0.0,
    ) -> None:
        """Text whose first line sits on the baseline `y`; each "\\n" starts a line below
        (LINE_HEIGHT sizes on). `rotate` turns it counter-clockwise about (x, y)."""
        self.shapes.append(
            _Shape(
                "text",
                ((x, y),),
                fill=colour,
                text=text,
                size=size,
                anchor=anchor,
                bold=bold,
                rotate=rotate,
                group=self._group,
            )  # fmt: skip
        )

    def html(self) -> str:
        """SVG text, or within as_png() an `<img>` of the same shapes for the DOCX report."""
        dpi = png_dpi()
        if dpi is None:
            return self.svg()
        return f'<img src="data:image/png;base64,{base64.b64encode(self.png(dpi)).decode()}">'

    # -- SVG --------------------------------------------------------------------------------

    def svg(self) -> str:
        css = f' class="{self.css_class}"' if self.css_class else ""
        parts = [
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{num(self.width)}pt" '
            f'height="{num(self.height)}pt" viewBox="0 0 {num(self.width)} {num(self.height)}" '
            f'version="1.1"{css}>',
            f'<g font-family="{FONT}" fill="#000000">',
        ]
        group: str | None = None
        for shape in self.shapes:
            if shape.group != group:
                if group is not None:
                    parts.append("</g>")
                if shape.group is not None:
                    parts.append(f'<g id="{escape(shape.group)}">')
                group = shape.group
            parts.append(_svg_shape(shape))
        if group is not None:
            parts.append("</g>")
        parts.append("</g></svg>")
        return "\n".join(parts)

    # -- PNG --------------------------------------------------------------------------------

    def png(self, dpi: int = 150) -> bytes:
        """The same shapes painted by matplotlib's Agg renderer, `dpi` pixels an inch: no
        figure, axes or artists, just each shape's path or glyphs, as savefig would paint them."""
        from matplotlib.backends.backend_agg import RendererAgg
        from PIL import Image

        from mcpscale.render.figures import unhinted_text

        # the pixel size savefig gives a figure of width x height points
        size = int(self.width / 72 * dpi + 1e-8), int(self.height / 72 * dpi + 1e-8)
        renderer = RendererAgg(*size, dpi)
        with unhinted_text():
            _paint(renderer, self, dpi)
        buffer = io.BytesIO()
        # as savefig writes it (matplotlib.image.imsave), without its Software text
        picture = Image.frombuffer("RGBA", size, renderer.buffer_rgba(), "raw", "RGBA", 0, 1)
        picture.save(buffer, format="png", dpi=(dpi, dpi))
        return buffer.getvalue()


def _paint(renderer: Any, drawing: Drawing, dpi: int) -> None:
    """Paints a white page, then every shape in order, as a figure's patch and its artists
    (Line2D, Polygon, Circle, Text with rotation_mode="anchor") would."""
    import math

    from matplotlib.colors import to_rgba
    from matplotlib.font_manager import FontProperties
    from matplotlib.path import Path
    from matplotlib.transforms import Affine2D, Bbox, BboxTransformFrom, BboxTransformTo

    # points (y down) to pixels (y up; the renderer turns y down again): the very matrix of an
    # axes over the whole figure, so a line on a pixel's edge snaps to the same row as before
    page = Bbox.from_bounds(0, 0, drawing.width / 72 * dpi, drawing.height / 72 * dpi)
    limits = Bbox.from_extents(0, drawing.height, drawing.width, 0)
    to_pixels = Affine2D((BboxTransformFrom(limits) + BboxTransformTo(page)).get_matrix())
    gc = renderer.new_gc()
    gc.set_antialiased(False)
    gc.set_linewidth(0)
    renderer.draw_path(gc, Path.unit_rectangle(), BboxTransformTo(page), (1.0, 1.0, 1.0, 1.0))
    gc.restore()
    for shape in drawing.shapes:
        gc = renderer.new_gc()
        if shape.kind == "text":
            ((x, y),) = shape.points
            gc.set_foreground(to_rgba(shape.fill), isRGBA=True)
            gc.set_alpha(shape.opacity)
            angle = shape.rotate % 360
            cos, sin = math.cos(math.radians(angle)), math.sin(math.radians(angle))
            font = FontProperties(
                family=FONT, size=shape.size, weight="bold" if shape.bold else "normal"
            )
            for line, piece in enumerate(shape.text.split("\n")):
                if not piece:
                    continue
                left, bottom = to_pixels.transform((x, y + line * shape.size * LINE_HEIGHT))
                # the anchor: the line's start, middle or end, on its baseline, turned with it
                back = 0.0
                if shape.anchor != "start":
                    width = renderer.get_text_width_height_descent(piece, font, False)[0]
                    back = width / 2 if shape.anchor == "middle" else width
                left, bottom = left - cos * back, bottom - sin * back
                renderer.draw_text(gc, left, renderer.height - bottom, piece, font, angle)
        elif shape.kind == "circle":
            # a Circle(color=...) paints its edge too, patch.linewidth (1 point) wide
            ((x, y),) = shape.points
            colour = to_rgba(shape.fill, shape.opacity)
            gc.set_alpha(shape.opacity)
            gc.set_foreground(colour, isRGBA=True)
            gc.set_linewidth(1.0)
            gc.set_joinstyle("miter")
            gc.set_capstyle("butt")
            circle = Affine2D().scale(shape.radius).translate(x, y) + to_pixels
            renderer.draw_path(gc, Path.unit_circle(), circle, colour)
        elif shape.closed or shape.fill != "none":
            points = list(shape.points)
            if len(points) == 1 or points[0] != points[-1]:
                points.append(points[0])  # as Polygon(closed=True) closes it
            gc.set_alpha(shape.opacity)
            edge = to_rgba(shape.stroke or "none", shape.opacity)
            gc.set_foreground(edge, isRGBA=True)
            gc.set_linewidth(shape.width if edge[3] else 0)
            gc.set_joinstyle("miter")
            gc.set_capstyle("butt")
            face = to_rgba(shape.fill, shape.opacity)
            renderer.draw_path(gc, Path(points, closed=True), to_pixels, face if face[3] else None)
        else:
            gc.set_foreground(to_rgba(shape.stroke or "none", shape.opacity), isRGBA=True)
            gc.set_linewidth(shape.width)
            gc.set_joinstyle("round")
            if shape.dash and shape.width > 0:
                # a dashed Line2D: butt ends, and dashes in line widths (lines.scale_dashes)
                gc.set_capstyle("butt")
                gc.set_dashes(0, [length * shape.width for length in shape.dash])
            else:
                gc.set_capstyle({"square": "projecting"}.get(shape.cap or "", shape.cap or "butt"))
            renderer.draw_path(gc, Path(shape.points), to_pixels)
        gc.restore()


def _svg_shape(shape: _Shape) -> str:
    opacity = f' opacity="{num(shape.opacity)}"' if shape.opacity != 1 else ""
    if shape.kind == "circle":
        ((x, y),) = shape.points
        return (
            f'<circle cx="{num(x)}" cy="{num(y)}" r="{num(shape.radius)}" '
            f'fill="{shape.fill}"{opacity}/>'
        )
    if shape.kind == "path":
        (x, y), *rest = shape.points
        d = f"M {num(x)} {num(y)}" + "".join(f" L {num(x)} {num(y)}" for x, y in rest)
        if shape.closed:
            d += " Z"
        stroke = ""
        if shape.stroke:
            stroke = f' stroke="{shape.stroke}" stroke-width="{num(shape.width)}"'
        if shape.dash:
            stroke += f' stroke-dasharray="{" ".join(num(d) for d in shape.dash)}"'
        if shape.cap:
            stroke += f' stroke-linecap="{shape.cap}"'
        return f'<path d="{d}" fill="{shape.fill}"{stroke}{opacity}/>'
    ((x, y),) = shape.points
    attributes = f' font-size="{num(shape.size)}"'
    if shape.anchor != "start":
        attributes += f' text-anchor="{shape.anchor}"'
    if shape.bold:
        attributes += ' font-weight="bold"'
    if shape.fill != "#000000":
        attributes += f' fill="{shape.fill}"'
    if shape.rotate:
        attributes += f' transform="rotate({num(-shape.rotate)} {num(x)} {num(y)})"'
    # one <text> a line: every SVG reader places it the same way, and each line is a label
    return "".join(
        f'<text x="{num(x)}" y="{num(y + index * shape.size * LINE_HEIGHT)}"{attributes}>'
        f"{escape(piece)}</text>"
        for index, piece in enumerate(shape.text.split("\n"))
    )


# -- text metrics -----------------------------------------------------------------------------

_ADVANCES: dict[tuple[str, bool], float] = {}


def text_width(text: str, size: float, bold: bool = False) -> float:
    """Width in points of the longest line of `text` in DejaVu Sans at `size`: the glyphs'
    unhinted advances, as a PDF sets them, plus 3% for kerning and rounding."""
    widest = 0.0
    for line in text.split("\n"):
        total = 0.0
        for char in line:
            advance = _ADVANCES.get((char, bold))
            if advance is None:
                glyph = _dejavu(bold).load_char(ord(char))
                advance = _ADVANCES[char, bold] = glyph.linearHoriAdvance / 65536 / 100
            total += advance
        widest = max(widest, total)
    return widest * size * 1.03


def _dejavu(bold: bool) -> Any:
    from matplotlib.font_manager import FontProperties, findfont, get_font

    font = get_font(findfont(FontProperties(family=FONT, weight=700 if bold else 400)))
    font.set_size(100, 72)  # advances in hundredths of a point per point of size
    return font


def text_height(text: str, size: float) -> float:
    """Height in points of `text`'s lines: the first line's size, then LINE_HEIGHT a line."""
    return size * (1 + LINE_HEIGHT * text.count("\n"))


def shorten(text: str, width: int) -> str:
    """Text cut at a word to at most `width` characters, with an ellipsis: a name on a chart's
    axis, whose table beside the chart has it in full."""
    import textwrap

    return textwrap.shorten(" ".join(text.split()), width, placeholder="…")


def fit(label: str, size: float, room: float, bold: bool = False) -> str:
    """The label cut at a word, with an ellipsis, until it fits `room` points."""
    width = len(label)
    while width > 12 and text_width(label, size, bold) > room:
        width -= 4
        label = shorten(label, width)
    return label


# -- axes -------------------------------------------------------------------------------------


def nice_ticks(low: float, high: float, most: int = 6) -> list[float]:
    """Round numbers from at or below `low` to at or above `high`, at most `most`+1 of them
    (matplotlib's MaxNLocator: steps of 1, 2, 2.5 or 5 times a power of ten)."""
    from matplotlib.ticker import MaxNLocator

    if low == high:
        low, high = low - 1, high + 1
    locator = MaxNLocator(nbins=most, steps=[1, 2, 2.5, 5, 10])
    return [float(tick) for tick in locator.tick_values(low, high)]


@dataclass(frozen=True)
class LegendEntry:
    """One line of a legend: a swatch ("box", "line", "dashed", "dot", "diamond", "outline"
    or "arrow") in `colour`, and its label."""

    swatch: str
    colour: str
    label: str


def legend(
    drawing: Drawing,
    x: float,
    y: float,
    entries: Sequence[LegendEntry],
    size: float = 7.5,
    columns: int = 1,
    column_width: float | None = None,
) -> float:
    """Draws a legend whose first row's text sits on baseline `y`, from `x`; returns the
    height used. Columns are `column_width` apart, by default the widest entry's width."""
    row = size * 1.6
    swatch = size * 1.8
    widest = max((text_width(e.label, size) for e in entries), default=0.0)
    step = column_width or swatch + 4 + widest + 12
    for index, entry in enumerate(entries):
        left = x + (index % columns) * step
        base = y + (index // columns) * row
        middle = base - size * 0.35
        if entry.swatch in ("line", "dashed", "arrow"):
            dash = (3.0, 2.0) if entry.swatch == "dashed" else ()
            drawing.line([(left, middle), (left + swatch, middle)], entry.colour, 1.6, dash)
            if entry.swatch == "arrow":
                tip = left + swatch
                head = ((tip, middle), (tip - 4, middle - 2.5), (tip - 4, middle + 2.5))
                drawing.polygon(head, entry.colour)
        elif entry.swatch == "dot":
            drawing.circle(left + swatch / 2, middle, size * 0.3, entry.colour)
        elif entry.swatch == "diamond":
            drawing.polygon(diamond(left + swatch / 2, middle, size * 0.4), entry.colour)
        elif entry.swatch == "outline":
            drawing.rect(left, base - size * 0.8, swatch, size * 0.9, "#ffffff", 1, entry.colour, 1)
        else:
            drawing.rect(left, base - size * 0.8, swatch, size * 0.9, entry.colour)
        drawing.text(left + swatch + 4, base, entry.label, size)
    rows = (len(entries) + columns - 1) // columns
    return rows * row


def diamond(x: float, y: float, half: float) -> tuple[Point, ...]:
    """The corners of a diamond centred on (x, y), `half` points from centre to corner."""
    return ((x, y - half), (x + half, y), (x, y + half), (x - half, y))


MARKERS = "o^sDv<>Ph*Xp"  # the filled markers marker() draws, as matplotlib names them


def marker(drawing: Drawing, shape: str, x: float, y: float, size: float, colour: str) -> None:
    """A point of a line chart: one of MARKERS ("o" a dot, "^" "v" "<" ">" triangles, "s" a
    square, "D" a diamond, "P" a plus, "X" a cross, "h" "p" a hexagon and a pentagon, "*" a
    star), about `size` points across, centred on (x, y)."""
    half = size / 2
    if shape == "o":
        drawing.circle(x, y, half, colour)
        return
    if shape in "PX":  # a plus of arms a third as wide as it is long; X is it turned 45°
        arm = 1 / 3
        outline = [(arm, 1), (arm, arm), (1, arm), (1, -arm), (arm, -arm), (arm, -1)]
        unit = [*outline, *((-u, -v) for u, v in outline)]
        turn = math.pi / 4 if shape == "X" else 0.0
        points = [
            (u * math.cos(turn) - v * math.sin(turn), u * math.sin(turn) + v * math.cos(turn))
            for u, v in unit
        ]
        drawing.polygon([(x + half * u, y - half * v) for u, v in points], colour)
        return
    corners, first, inner = {
        "^": (3, 90, None), "v": (3, -90, None), "<": (3, 180, None), ">": (3, 0, None),
        "s": (4, 45, None), "D": (4, 90, None), "p": (5, 90, None), "h": (6, 90, None),
        "*": (5, 90, 0.4),
    }[shape]  # fmt: skip
    # about as much ink as the dot: a triangle's or a star's corners reach further out
    radius = half * {"s": 1.27, "D": 1.15, "p": 1.1, "h": 1.05, "*": 1.4}.get(shape, 1.3)
    points = []
    steps = corners * (2 if inner else 1)
    for step in range(steps):
        angle = math.radians(first + 360 * step / steps)
        reach = radius * (inner if inner and step % 2 else 1.0)
        points.append((x + reach * math.cos(angle), y - reach * math.sin(angle)))
    drawing.polygon(points, colour)


# -- placing text -----------------------------------------------------------------------------


def centred(middle: float, text: str, size: float, width: float, bold: bool = False) -> float:
    """The x to centre `text` on: `middle`, moved in just enough that the text stays whole
    on a canvas `width` points wide (a title over a plot that sits off the canvas' centre)."""
    half = min(text_width(text, size, bold), width) / 2
    return min(max(middle, half), width - half)


def chart_title(drawing: Drawing, text: str, centre: float, baseline: float = 14.0) -> None:
    """A chart's title, bold, centred over its plot (`centre`) but never past the canvas'
    edges; a title too long for the canvas at 10 points gets smaller until it fits."""
    size = round(max(6.0, min(10.0, 10 * drawing.width / text_width(text, 10, True))), 1)
    drawing.text(
        centred(centre, text, size, drawing.width, True), baseline, text, size, "middle", True
    )
