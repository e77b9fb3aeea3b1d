"""The report as DOCX for consultants to edit: the HTML report walked into Word.

The DOCX is made from the very HTML the PDF is printed from (the same context, the same
templates, a --template-dir included), so it has the PDF's sections in the PDF's order and
cannot drift from it: h1 is the Title, h2 Heading 1, h3 Heading 2; tables stay tables with
their header row repeated on each page; charts are the same matplotlib figures as PNG;
headings take the brand colour; the classification heads every page but the cover.
Text is only ever text here (python-docx escapes it), control characters shown as escapes.
"""

from __future__ import annotations

import base64
import io
import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from mcpscale.render.report.options import DEFAULT_BRAND_COLOUR, ReportOptions
from mcpscale.render.text import visible

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element

XHTML = "{http://www.w3.org/1999/xhtml}"
SKIPPED = frozenset({"head", "style", "script", "template", "svg", "title", "meta", "link"})
INLINE = frozenset(
    {"a", "abbr", "b", "strong", "i", "em", "span", "small", "code", "sub", "sup", "br"}
    | {"time", "mark", "u", "s", "cite", "q", "var", "kbd", "samp", "dfn", "bdi", "bdo"}
)
HEADING_STYLES = {"h1": "Title", "h2": "Heading 1", "h3": "Heading 2", "h4": "Heading 3"}
LIST_STYLES = {"ul": "List Bullet", "ol": "List Number"}
PICTURE_TYPES = ("data:image/png;base64,", "data:image/jpeg;base64,")
MUTED = "667085"
WARN = "B42318"
SEVERITY_COLOURS = {"high": "B42318", "medium": "B54708", "low": "475467"}
# A4 with the PDF's margins (print.css): 174 mm of text across, 255 mm down.
PAGE_WIDTH_MM, PAGE_HEIGHT_MM = 210, 297
MARGINS_MM = {"top": 22, "bottom": 20, "left": 18, "right": 18}
TEXT_WIDTH_MM = PAGE_WIDTH_MM - MARGINS_MM["left"] - MARGINS_MM["right"]
TEXT_HEIGHT_MM = PAGE_HEIGHT_MM - MARGINS_MM["top"] - MARGINS_MM["bottom"]
DEFINITION_TAB_MM = 35  # where a <dd> starts after its <dt>
# Column widths: a wide character of 9.5 pt Arial bold, a cell's left and right padding,
# the longest word kept whole (a URL may break) and the most text worth a line.
CHAR_MM, CELL_PADDING_MM, LONGEST_WORD, LONGEST_LINE = 2.2, 4.5, 14, 60
FONT = "Arial"  # on every Word; LibreOffice shows Liberation Sans, its metric twin
_HEX_COLOUR = re.compile(r"^#?([0-9a-fA-F]{6})$")
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Look:
    """How a run of text looks; classes in the HTML map to it."""

    bold: bool = False
    italic: bool = False
    small: bool = False
    colour: str | None = None

    def for_element(self, tag: str, classes: set[str]) -> Look:
        look = self
        if tag in ("b", "strong", "dt") or "value" in classes or "tag" in classes:
            look = replace(look, bold=True)
        if tag in ("i", "em", "cite") or "note" in classes:
            look = replace(look, italic=True)
        if tag == "small" or classes & {"small", "tag", "label", "evidence"}:
            look = replace(look, small=True)
        if "muted" in classes or "label" in classes:
            look = replace(look, colour=MUTED)
        if "warn" in classes or "unmet" in classes:
            look = replace(look, colour=WARN)
        for severity, colour in SEVERITY_COLOURS.items():
            if "sev" in classes and severity in classes:
                look = replace(look, colour=colour, bold=True)
        return look


class _Runs:
    """Inline text gathered for one paragraph, white space collapsed as a browser would."""

    def __init__(self) -> None:
        self.pieces: list[tuple[str, Look]] = []  # text "\n" is a line break

    def add(self, text: str | None, look: Look) -> None:
        if text:
            self.pieces.append((_SPACE.sub(" ", visible(text)), look))

    def line_break(self, look: Look) -> None:
        self.pieces.append(("\n", look))

    def has_text(self) -> bool:
        return any(text.strip() for text, _ in self.pieces)

    def write(self, paragraph: Any) -> None:
        from docx.shared import Pt, RGBColor

        at_line_start = True
        pieces = list(self.pieces)
        while pieces and pieces[-1][0] in (" ", "\n"):  # nothing trails a paragraph
            pieces.pop()
        for index, (text, look) in enumerate(pieces):
            run = paragraph.add_run()
            if text == "\n":
                run.add_break()
                at_line_start = True
                continue
            if at_line_start:
                text = text.lstrip(" ")
            if index + 1 == len(pieces) or pieces[index + 1][0] == "\n":
                text = text.rstrip(" ")
            if not text:
                continue
            at_line_start = text.endswith(" ")
            run.text = text
            run.bold = look.bold or None
            run.italic = look.italic or None
            if look.small:
                run.font.size = Pt(8)
            if look.colour:
                run.font.color.rgb = RGBColor.from_string(look.colour)
        self.pieces.clear()


def _local(tag: Any) -> str:
    return tag[len(XHTML) :] if isinstance(tag, str) and tag.startswith(XHTML) else ""


def _classes(element: Element) -> set[str]:
    return set((element.get("class") or "").split())


def _brand_hex(colour: str) -> str:
    match = _HEX_COLOUR.match(colour.strip())
    return (match.group(1) if match else DEFAULT_BRAND_COLOUR.lstrip("#")).upper()


class _Writer:
    """Walks the HTML body into a python-docx Document."""

    def __init__(self, document: Any, brand: str) -> None:
        self.document = document
        self.brand = brand
        self.sections_seen = 0
        self.break_before_next = False

    def paragraph(self, container: Any, style: str | None = None) -> Any:
        paragraph = container.add_paragraph(style=style)
        if self.break_before_next:
            paragraph.paragraph_format.page_break_before = True
            self.break_before_next = False
        return paragraph

    def flow(self, element: Element, container: Any, style: str | None, look: Look) -> None:
        """Inline children gather into one paragraph; each block child starts anew."""
        runs = _Runs()

        def flush() -> None:
            if runs.has_text():
                runs.write(self.paragraph(container, style))
            runs.pieces.clear()

        runs.add(element.text, look)
        for child in element:
            tag = _local(child.tag)
            if tag in INLINE:
                self.inline(child, runs, look)
            elif tag and tag not in SKIPPED:
                flush()
                self.block(child, container, look)
            runs.add(child.tail, look)
        flush()

    def inline(self, element: Element, runs: _Runs, look: Look) -> None:
        tag = _local(element.tag)
        if tag == "br":
            runs.line_break(look)
            return
        look = look.for_element(tag, _classes(element))
        runs.add(element.text, look)
        for child in element:
            if _local(child.tag) in INLINE:
                self.inline(child, runs, look)
            runs.add(child.tail, look)

    def block(self, element: Element, container: Any, look: Look) -> None:
        tag, classes = _local(element.tag), _classes(element)
        look = look.for_element(tag, classes)
        if tag == "section":
            # print.css: every section starts a page, the first (the cover) aside
            self.break_before_next = self.sections_seen > 0
            self.sections_seen += 1
            self.flow(element, container, None, look)
        elif tag in HEADING_STYLES:
            self.flow(element, container, HEADING_STYLES[tag], Look())
        elif tag in LIST_STYLES:
            for item in element:
                if _local(item.tag) == "li":
                    self.flow(
                        item, container, LIST_STYLES[tag], look.for_element("li", _classes(item))
                    )
        elif tag == "table":
            self.table(element, container)
        elif tag == "dl":
            self.definitions(element, container, look)
        elif tag == "img":
            self.picture(element, container)
        elif tag == "figcaption":
            self.flow(element, container, "Caption", look)
        elif "kpis" in classes:
            self.tiles(element, container)
        else:  # p, div, figure, nav, li, dd, ...: their content, in order
            self.flow(element, container, None, look)

    def definitions(self, element: Element, container: Any, look: Look) -> None:
        """<dl>: one line per term, the term in bold, its description after a tab."""
        runs = _Runs()
        for child in element:
            tag = _local(child.tag)
            if tag == "dt":
                if runs.has_text():
                    runs.write(self.term_paragraph(container))
                runs.pieces.clear()
                runs.add("".join(child.itertext()), replace(look, bold=True))
                runs.pieces.append(("\t", look))
            elif tag == "dd":
                runs.add("".join(child.itertext()), look)
        if runs.has_text():
            runs.write(self.term_paragraph(container))

    def term_paragraph(self, container: Any) -> Any:
        from docx.shared import Mm

        paragraph = self.paragraph(container)
        paragraph.paragraph_format.tab_stops.add_tab_stop(Mm(DEFINITION_TAB_MM))
        return paragraph

    def picture(self, element: Element, container: Any) -> None:
        """A PNG or JPEG data: URI (the charts, a logo) at its own size, within the page."""
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Mm

        source = element.get("src") or ""
        if not source.startswith(PICTURE_TYPES):
            return  # an SVG logo or anything else Word cannot show from here
        try:
            data = base64.b64decode(source.split(",", 1)[1], validate=True)
        except ValueError:
            return
        from docx.image.image import Image

        image = Image.from_blob(data)
        width_mm = image.width.mm if image.width else TEXT_WIDTH_MM
        height_mm = image.height.mm if image.height else 0
        scale = min(1.0, TEXT_WIDTH_MM / width_mm, (TEXT_HEIGHT_MM * 0.8) / (height_mm or 1))
        paragraph = self.paragraph(container)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.keep_with_next = True
        paragraph.add_run().add_picture(io.BytesIO(data), width=Mm(width_mm * scale))

    def tiles(self, element: Element, container: Any) -> None:
        """The key figures (div.kpis) side by side, one cell each, no grid."""
        from docx.shared import Mm, Pt, RGBColor

        tiles = [child for child in element if _local(child.tag) == "div"]
        if not tiles:
            return
        table = container.add_table(rows=1, cols=len(tiles))
        table.autofit = False
        for column in table.columns:
            column.width = Mm(TEXT_WIDTH_MM / len(tiles))
        for cell, tile in zip(table.rows[0].cells, tiles, strict=True):
            self.flow(tile, cell, None, Look())
            _drop_empty_first_paragraph(cell)
            cell.width = Mm(TEXT_WIDTH_MM / len(tiles))
            for paragraph in cell.paragraphs[1:2]:  # the figure itself
                for run in paragraph.runs:
                    run.font.size = Pt(13)
                    run.font.color.rgb = RGBColor.from_string(self.brand)
        self.break_before_next = False

    def table(self, element: Element, container: Any) -> None:
        from docx.enum.text import WD_ALIGN_PARAGRAPH

        rows: list[tuple[Element, bool]] = []  # (tr, is a header row)
        for child in element:
            tag = _local(child.tag)
            if tag == "tr":
                rows.append((child, False))
            elif tag in ("thead", "tbody", "tfoot"):
                rows += [(tr, tag == "thead") for tr in child if _local(tr.tag) == "tr"]
        cells_of = [[cell for cell in tr if _local(cell.tag) in ("td", "th")] for tr, _ in rows]
        columns = max((len(cells) for cells in cells_of), default=0)
        if not columns:
            return
        # a first row all <th> is a header row too
        if not rows[0][1] and all(_local(c.tag) == "th" for c in cells_of[0]):
            rows[0] = (rows[0][0], True)
        table = container.add_table(rows=len(rows), cols=columns)
        table.style = "Table Grid"
        if self.break_before_next:  # a section opening with a table: break on its first row
            self.break_before_next = False
        widths = _column_widths(cells_of, columns)
        table.autofit = False
        for column, width in zip(table.columns, widths, strict=True):
            column.width = width  # the grid: LibreOffice reads it, Word reads the cells'
        for (tr, header), html_cells, row in zip(rows, cells_of, table.rows, strict=True):
            row_look = Look(bold=header or "total" in _classes(tr))
            if header:
                _repeat_as_header(row)
            for index, cell in enumerate(row.cells):
                cell.width = widths[index]
                if index >= len(html_cells):
                    continue
                html_cell = html_cells[index]
                look = row_look.for_element(_local(html_cell.tag), _classes(html_cell))
                if header:
                    look = replace(look, colour="FFFFFF", bold=True)
                    _shade(cell, self.brand)
                self.flow(html_cell, cell, None, look)
                _drop_empty_first_paragraph(cell)
                if "num" in _classes(html_cell):
                    for paragraph in cell.paragraphs:
                        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT


def _column_widths(cells_of: list[list[Element]], columns: int) -> list[Any]:
    """Each column at least as wide as its longest word (so "Coverage" or "R10" never
    breaks), the rest of the text width shared by how much more text each column holds."""
    from docx.shared import Mm

    least = [0.0] * columns
    wanted = [0.0] * columns
    for cells in cells_of:
        for index, cell in enumerate(cells):
            words = "".join(cell.itertext()).split()
            longest = min(max(map(len, words), default=0), LONGEST_WORD)
            least[index] = max(least[index], longest * CHAR_MM + CELL_PADDING_MM)
            wanted[index] = max(
                wanted[index], min(len(" ".join(words)), LONGEST_LINE) * CHAR_MM + CELL_PADDING_MM
            )
    if sum(least) >= TEXT_WIDTH_MM:
        widths = [TEXT_WIDTH_MM * width / sum(least) for width in least]
    else:
        extra = [max(want - low, 0.0) for want, low in zip(wanted, least, strict=True)]
        room = TEXT_WIDTH_MM - sum(least)
        share = min(1.0, room / sum(extra)) if sum(extra) else 0.0
        widths = [low + more * share for low, more in zip(least, extra, strict=True)]
        spare = TEXT_WIDTH_MM - sum(widths)  # all text fits on one line: spread the rest
        widths = [width + spare * width / sum(widths) for width in widths]
    return [Mm(width) for width in widths]


def _drop_empty_first_paragraph(cell: Any) -> None:
    """A new cell holds one empty paragraph; content added after it leaves a blank line."""
    paragraphs = cell.paragraphs
    if len(paragraphs) > 1 and not paragraphs[0].runs:
        element = paragraphs[0]._element
        element.getparent().remove(element)


def _repeat_as_header(row: Any) -> None:
    """w:tblHeader: Word repeats the row at the top of each page the table runs onto."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def _shade(cell: Any, colour: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), colour)
    cell._tc.get_or_add_tcPr().append(shading)


def _field(paragraph: Any, instruction: str, shown: str) -> None:
    """A Word field (PAGE, NUMPAGES): Word and LibreOffice fill it in when they lay out."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def char(kind: str) -> Any:
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        return element

    begin, separate, end = (paragraph.add_run() for _ in range(3))
    begin._r.append(char("begin"))
    code = OxmlElement("w:instrText")
    code.set(qn("xml:space"), "preserve")
    code.text = f" {instruction} "
    begin._r.append(code)
    separate._r.append(char("separate"))
    separate.add_text(shown)
    end._r.append(char("end"))


def _page_setup(document: Any, context: dict[str, Any]) -> None:
    """A4 with the PDF's margins; the organisation and classification at the top of every
    page but the cover, the brand and "Page n of m" at the bottom (print.css's @page)."""
    from docx.enum.text import WD_TAB_ALIGNMENT
    from docx.shared import Mm, Pt, RGBColor

    section = document.sections[0]
    section.page_width, section.page_height = Mm(PAGE_WIDTH_MM), Mm(PAGE_HEIGHT_MM)
    section.top_margin, section.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
    section.left_margin, section.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
    section.different_first_page_header_footer = True

    def line(paragraph: Any) -> Any:
        paragraph.paragraph_format.tab_stops.add_tab_stop(Mm(TEXT_WIDTH_MM), WD_TAB_ALIGNMENT.RIGHT)
        return paragraph

    header = line(section.header.paragraphs[0])
    header.add_run(visible(context.get("organisation", ""))).font.size = Pt(8)
    header.add_run("\t")
    marking = header.add_run(visible(context.get("classification", "")).upper())
    marking.bold = True
    marking.font.size = Pt(8)
    marking.font.color.rgb = RGBColor.from_string("B00020")
    footer = line(section.footer.paragraphs[0])
    brand, title = visible(context.get("brand_name", "")), visible(context.get("title", ""))
    footer.add_run(f"{brand} · {title}\tPage ")
    _field(footer, "PAGE", "1")
    footer.add_run(" of ")
    _field(footer, "NUMPAGES", "1")
    for run in footer.runs:
        run.font.size = Pt(8)


def _styles(document: Any, brand: str) -> None:
    """The brand colour on the Title and headings (on the styles, so edits keep it)."""
    from docx.shared import Pt, RGBColor

    document.styles["Normal"].font.size = Pt(9.5)
    for name in ("Normal", "Title", "Heading 1", "Heading 2", "Heading 3", "Caption"):
        style = document.styles[name]
        style.font.name = FONT
        fonts = style.element.rPr.rFonts  # a theme font would win over the name: drop it
        for attribute in list(fonts.attrib):
            if attribute.endswith(("Theme", "theme")):
                del fonts.attrib[attribute]
    for name in ("Header", "Footer"):  # one right tab at the margin, not the Letter ones
        tab_stops = document.styles[name].paragraph_format.tab_stops
        tab_stops.clear_all()
    for name in ("Title", "Heading 1", "Heading 2", "Heading 3"):
        document.styles[name].font.color.rgb = RGBColor.from_string(brand)


def render_docx(html: str, context: dict[str, Any], options: ReportOptions) -> bytes:
    """The report's HTML (drawn with PNG charts, see drawing.as_png) as DOCX bytes, the same
    for the same input and SOURCE_DATE_EPOCH."""
    import docx
    import tinyhtml5

    from mcpscale.render.report.office import document_time, fixed_zip

    brand = _brand_hex(options.brand_colour)
    document = docx.Document()
    _styles(document, brand)
    _page_setup(document, context)
    body = document.element.body
    for paragraph in list(document.paragraphs):  # the template's empty first paragraph
        body.remove(paragraph._element)
    root = tinyhtml5.parse(html)
    writer = _Writer(document, brand)
    for element in root:
        if _local(element.tag) == "body":
            writer.flow(element, document, None, Look())
    properties = document.core_properties
    when = document_time()
    properties.title = visible(options.title)
    properties.subject = visible(context.get("organisation", ""))
    properties.author = visible(options.assessor or options.brand_name)
    properties.last_modified_by = "mcpscale"
    properties.category = visible(options.classification)
    properties.keywords = visible(options.subject)
    properties.comments = f"mcpscale {context.get('version', '')}"
    properties.created = properties.modified = when
    properties.last_printed = when
    properties.revision = 1
    buffer = io.BytesIO()
    document.save(buffer)
    return fixed_zip(buffer.getvalue())
