"""Other tools' maturity models read into a questionnaire: what every converter shares.

A converter (aws_wa_lens, samm) reads foreign files and returns a Conversion: the
questionnaire as a plain dict, the header comment saying where it came from, and the list of
what it could not carry. `write_pack` checks the result as `mcpscale validate` would and
writes `questionnaire.yaml` into a new pack folder, never over an existing one.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import Any, NamedTuple

from mcpscale.errors import UserError
from mcpscale.formats.kinds import QUESTIONNAIRE_FILE

# A word for an id that could not be made from the text (all punctuation, or empty).
_FALLBACK_ID = "item"


class Conversion(NamedTuple):
    questionnaire: dict[str, Any]
    header: list[str]
    """Comment lines for the top of the file (without '# '): what it was converted from."""
    not_carried: list[str]
    """One plain sentence per thing the converter could not carry, naming where it was."""


def slug(text: str) -> str:
    """A lower-case id from a name: 'Secure Architecture' -> 'secure-architecture'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    return "-".join(words)[:60].strip("-") or _FALLBACK_ID


def unique(wanted: str, taken: set[str]) -> str:
    """`wanted`, or `wanted-2`, `wanted-3`... whichever is not yet taken; it is then taken."""
    candidate, number = wanted, 1
    while candidate in taken:
        number += 1
        candidate = f"{wanted}-{number}"
    taken.add(candidate)
    return candidate


def counted(things: Iterable[str]) -> str:
    """'description (3), url (1)': how often each thing occurs, in the order first seen."""
    counts: dict[str, int] = {}
    for thing in things:
        counts[thing] = counts.get(thing, 0) + 1
    return ", ".join(f"{thing} ({count})" for thing, count in counts.items())


def pack_text(conversion: Conversion) -> str:
    """The questionnaire.yaml text: the header comment, then the questionnaire."""
    from mcpscale.inputs.yaml import dump_yaml

    lines = [*conversion.header]
    if conversion.not_carried:
        lines += ["", "Not carried over:"]
        lines += [f"- {note}" for note in conversion.not_carried]
    comment = "".join(f"# {line}".rstrip() + "\n" for line in _wrapped(lines))
    return comment + dump_yaml(conversion.questionnaire)


def _wrapped(lines: list[str], width: int = 98) -> Iterable[str]:
    import textwrap

    for line in lines:
        indent = "  " if line.startswith("- ") else ""
        yield from textwrap.wrap(line, width, subsequent_indent=indent, break_on_hyphens=False) or [
            ""
        ]


def write_pack(folder: Path, conversion: Conversion, source: Path) -> Path:
    """Write `folder/questionnaire.yaml`; refuse to replace one, and refuse an invalid result.

    The result is checked as `mcpscale validate` checks it, so a converted pack that would
    not load is reported against its source rather than written.
    """
    from mcpscale.inputs.write import write_atomic

    target = folder / QUESTIONNAIRE_FILE
    if target.exists() or target.is_symlink():
        raise UserError.at(
            target, "already exists; choose another --output folder (nothing was overwritten)"
        )
    if folder.exists() and not folder.is_dir():
        raise UserError.at(folder, "is a file, not a folder; choose another --output folder")
    text = pack_text(conversion)
    _check(text, target, source)
    write_atomic(target, text)
    return target


def _check(text: str, target: Path, source: Path) -> None:
    from mcpscale.formats.questionnaire import Questionnaire
    from mcpscale.inputs.checks import questionnaire_problems
    from mcpscale.inputs.read import read_model
    from mcpscale.inputs.yaml import parse_yaml

    document = parse_yaml(text, target)
    checked = read_model(document, Questionnaire)
    problems = list(checked.problems)
    if isinstance(checked.model, Questionnaire):
        problems += questionnaire_problems(checked.model, document)
    if problems:
        raise UserError.at(
            source,
            f"cannot be converted: the questionnaire it gives is not valid "
            f"({problems[0].message}); fix the source, or report this as a bug",
        )
