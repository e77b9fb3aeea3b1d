"""Reads saved result JSON files (`mcpscale/result@1`) and folders of them."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from mcpscale.errors import UserError
from mcpscale.formats.results import RESULT_SCHEMA, SavedResult, parse_result
from mcpscale.inputs.reader import MB, read_bounded

# A result holds every answer and note of every respondent; a large workshop stays far below.
MAX_RESULT_BYTES = 32 * MB


def load_result(path: Path) -> SavedResult:
    """Read a result JSON file; anything but a `mcpscale/result@1` document is a UserError."""
    return parse_result(_read_json(path), path)


def _read_json(path: Path) -> Any:
    """A JSON file read through the bounded reader; NaN, Infinity and deep nesting refused."""
    data = read_bounded(path, MAX_RESULT_BYTES, "a result JSON file")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UserError.at(
            path, f"not UTF-8 text (byte {exc.start}); is this a result file?"
        ) from None
    try:
        return json.loads(text, parse_constant=_refuse_constant)
    except json.JSONDecodeError as exc:
        raise UserError.at(path, f"invalid JSON: {exc.msg}", exc.lineno, exc.colno) from None
    except _NotJson as exc:
        found = re.search(rf"(?<![\w\"]){re.escape(exc.args[0])}", text)
        line, column = _position(text, found.start()) if found else (None, None)
        raise UserError.at(
            path, f"{exc.args[0]} is not a JSON number; score the answers again", line, column
        ) from None
    except RecursionError:
        raise UserError.at(
            path, "JSON nests too deeply to be a result file; is this the right file?"
        ) from None


class _NotJson(ValueError):
    pass


def _refuse_constant(name: str) -> Any:
    raise _NotJson(name)


def _position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


# ---------------------------------------------------------------- trend


def collect_results(paths: Sequence[Path]) -> list[SavedResult]:
    """Result files named directly, plus every result JSON in named folders.

    A named file must be a result; in a folder, other JSON (a saved comparison) is skipped.
    Ordered by assessment date, then by file name, so the same files always give one order.
    """
    found: dict[Path, SavedResult] = {}
    for path in paths:
        if path.is_dir():
            for file in sorted(path.glob("*.json")):
                try:
                    data = _read_json(file)
                except UserError:
                    continue
                if isinstance(data, dict) and data.get("schema") == RESULT_SCHEMA:
                    found.setdefault(file.resolve(), parse_result(data, file))
        else:
            found.setdefault(path.resolve(), load_result(path))
    if not found:
        raise UserError(
            f'no result files ("schema": "{RESULT_SCHEMA}") in {", ".join(map(str, paths))}'
        )
    results = sorted(found.values(), key=lambda r: (r.assessed_at, r.path.name, str(r.path)))
    ids = sorted({r.questionnaire_id for r in results})
    if len(ids) > 1:
        raise UserError(
            f"these results score different questionnaires ({', '.join(ids)}); "
            "follow one questionnaire per trend"
        )
    return results
