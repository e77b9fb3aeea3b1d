"""Text from outside (names, labels, notes, versions, currencies) made safe for where it goes.

One function per destination, and every renderer uses them: a terminal (`rich_text`,
`rich_markup`), Markdown (`markdown_text`), a matplotlib chart (`chart_text`), a
spreadsheet cell (`spreadsheet_cell`, from formats.serialize, the one CSV writer) and a file
name (`file_names`). Text is shown as text: never as markup, HTML, an image, a mention, math,
a formula or an escape sequence for the terminal; and an id never names a path outside the
folder it is written in.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from rich.markup import escape
from rich.text import Text

from mcpscale.formats.serialize import spreadsheet_cell

__all__ = [
    "chart_text",
    "file_name",
    "file_names",
    "markdown_code",
    "markdown_text",
    "rich_markup",
    "rich_text",
    "spreadsheet_cell",
    "visible",
]

# C0 controls but newline and tab, DEL, C1 controls (ESC, CSI, OSC, BEL, CR, ... included),
# and the bidi embeddings, overrides and isolates that reorder what a reader sees.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

# Backslash-escaped in Markdown; < > & are escaped as HTML instead, @ gets a zero-width space.
# Escaping [ ] ( ) is what keeps ![x](http://...) from being an image or a link.
MARKDOWN_SPECIALS = frozenset("\\`*_{}[]()#+!|~")


# What a file name keeps; any other run of characters becomes one hyphen.
_NOT_FILE_NAME = re.compile(r"[^A-Za-z0-9._-]+")
# A run of hyphens and dots with a hyphen or two dots in it: '/../' ends up as one hyphen.
_SEPARATOR_RUN = re.compile(r"[-.]*(?:-|\.\.)[-.]*")
FILE_NAME_LENGTH = 80


def _visible_char(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(value: Any) -> str:
    """The text with every control character shown as its escape: ESC reads `\\x1b`."""
    return _CONTROL.sub(_visible_char, "" if value is None else str(value))


def rich_text(value: Any, style: str = "") -> Text:
    """A rich table cell, title or line from outside text: no markup, no emoji, no escapes."""
    return Text(visible(value), style=style)


def rich_markup(value: Any) -> str:
    """Outside text to put inside a rich markup string, e.g. f"[bold]{rich_markup(name)}[/]"."""
    return escape(visible(value))


def markdown_text(value: Any) -> str:
    """One line of Markdown (a table cell, a list item, a heading) that shows the text as
    written: HTML escaped (renderers pass HTML through), Markdown specials and `|`
    backslash-escaped (so ![x](http://...) fetches nothing and tables keep their columns),
    @mentions broken with a zero-width space, control characters visible."""
    text = visible(value)
    text = "".join(f"\\{char}" if char in MARKDOWN_SPECIALS else char for char in text)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = text.replace("@", "@\u200b")
    return " ".join(text.split())


def markdown_code(value: Any) -> str:
    """Outside text as a Markdown code span (an id): shown literally, whatever it holds; the
    fence is one backtick longer than any run inside, and `|` is escaped for tables."""
    text = " ".join(visible(value).split())
    longest = max((len(run) for run in re.findall("`+", text)), default=0)
    fence = "`" * (longest + 1)
    padded = f" {text} " if longest or text.startswith(" ") else text
    return f"{fence}{padded}{fence}".replace("|", "\\|")


def chart_text(value: Any) -> str:
    """A chart title, label, tick label or legend entry: `$` stays a dollar sign (charts paint
    text as it is, never as math) and control characters are visible (SVG is XML)."""
    return visible(value)


def file_name(value: Any, fallback: str = "file") -> str:
    """One safe file name from an id: only A-Z a-z 0-9 . _ -, no '..', no leading dot or
    hyphen, never empty, at most FILE_NAME_LENGTH characters: 'x/../../y' -> 'x-y'."""
    name = _NOT_FILE_NAME.sub("-", "" if value is None else str(value))
    name = _SEPARATOR_RUN.sub("-", name)[:FILE_NAME_LENGTH].strip("-.")
    return name or fallback


def file_names(values: Iterable[Any], fallback: str = "file") -> dict[Any, str]:
    """A distinct safe file name for each value (file_name), in order: a name already taken,
    ignoring case (macOS and Windows do), gets -2, -3, ... ('a/b' and 'a-b' -> 'a-b', 'a-b-2')."""
    names: dict[Any, str] = {}
    taken: set[str] = set()
    for value in values:
        base = name = file_name(value, fallback)
        number = 1
        while name.casefold() in taken:
            number += 1
            name = f"{base}-{number}"
        taken.add(name.casefold())
        names[value] = name
    return names
