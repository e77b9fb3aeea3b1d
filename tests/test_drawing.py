"""A chart's shapes come out the same as SVG text and as a PNG picture (the DOCX report's),
with every label escaped, and the same bytes for the same shapes."""

from __future__ import annotations

import io
from xml.etree import ElementTree

from mcpscale.render.drawing import (
    Drawing,
    LegendEntry,
    as_png,
    legend,
    nice_ticks,
    text_width,
)

SVG = "{http://www.w3.org/2000/svg}"


def sample() -> Drawing:
    drawing = Drawing(144, 72)
    drawing.rect(36, 6, 72, 24, "#ff0000")  # the top half, y grows down
    with drawing.group("ytick_1"):
        drawing.text(4, 12, "<script>alert('x')</script> & co\nsecond line", 7)
    drawing.line([(0, 70), (144, 70)], "#0000ff", 2, dash=(3, 2))
    return drawing


def test_labels_are_escaped_and_each_line_is_its_own_text() -> None:
    svg = sample().svg()
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "&amp; co" in svg
    root = ElementTree.fromstring(svg)  # well-formed
    group = next(g for g in root.iter(f"{SVG}g") if g.get("id") == "ytick_1")
    lines = [t.text for t in group.iter(f"{SVG}text")]
    assert lines == ["<script>alert('x')</script> & co", "second line"]
    assert root.get("viewBox") == "0 0 144 72" and root.get("width") == "144pt"


def test_the_png_paints_the_same_shapes_at_the_asked_resolution() -> None:
    from matplotlib.image import imread

    pixels = imread(io.BytesIO(sample().png(dpi=100)), format="png")
    assert pixels.shape[:2] == (100, 200)  # 72 x 144 points at 100 dpi
    red = pixels[25, 100][:3]  # the middle of the box
    assert red[0] > 0.9 and red[1] < 0.1 and red[2] < 0.1
    assert pixels[70, 100][:3].min() > 0.95  # below it: white, so up is up
    assert pixels[5, 190][:3].min() > 0.95  # outside every shape: white
    with as_png(dpi=50):
        html = sample().html()
    assert html.startswith('<img src="data:image/png;base64,')
    assert sample().html().startswith("<svg")  # outside as_png(): SVG again


def test_the_same_shapes_give_the_same_bytes() -> None:
    assert sample().svg() == sample().svg()
    assert sample().png(60) == sample().png(60)


def test_a_legend_lists_every_entry_in_rows_and_columns() -> None:
    drawing = Drawing(300, 60)
    entries = [LegendEntry(kind, "#123456", f"entry {kind}") for kind in ("box", "line", "dot")]
    used = legend(drawing, 10, 20, entries, size=8, columns=2)
    labels = [s.text for s in drawing.shapes if s.kind == "text"]
    assert labels == ["entry box", "entry line", "entry dot"]
    assert used == 2 * 8 * 1.6  # three entries in two columns: two rows


def test_widths_grow_with_the_text_and_take_the_longest_line() -> None:
    assert text_width("iiii", 10) < text_width("WWWW", 10)
    assert text_width("WWWW", 10, bold=True) > text_width("WWWW", 10)
    assert text_width("short\na much longer line", 9) == text_width("a much longer line", 9)


def test_money_ticks_are_round_and_cover_the_range() -> None:
    ticks = nice_ticks(-1234.0, 5678.0)
    assert ticks[0] <= -1234 and ticks[-1] >= 5678 and len(ticks) <= 8
    steps = {round(b - a, 6) for a, b in zip(ticks, ticks[1:], strict=False)}
    assert len(steps) == 1 and steps.pop() in {1000, 2000, 2500}


def test_a_docx_picture_keeps_every_label_inside_its_edges() -> None:
    """Labels are placed with text_width(); the picture paints them at the same widths, so
    the last tick's name and a long title are whole, not cut at the picture's edge."""
    import base64

    from matplotlib.image import imread

    from mcpscale.pipeline import Options, run
    from mcpscale.render import charts

    from .conftest import ACME

    result = run([ACME / "answers"], Options(profile=ACME / "profile.yaml")).result
    for dimension in result.dimensions:
        with as_png(dpi=150):
            html = charts.question_spread(result, dimension.id)
        data = base64.b64decode(html.split(",", 1)[1].split('"')[0])
        pixels = imread(io.BytesIO(data), format="png")[..., :3]
        for edge in (pixels[:, :2], pixels[:, -2:], pixels[:2], pixels[-2:]):
            assert edge.min() > 0.9, dimension.id  # nothing dark touches an edge
