"""Reads saved result JSON files (`mcpscale/result@1`) and folders of them."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from mcpscale.errors import UserError
from mcpscale.formats.results import RESULT_SCHEMA, SavedResult, parse_result


def load_result(path: Path) -> SavedResult:
    """Read a result JSON file; anything but a `mcpscale/result@1` document is a UserError."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UserError.at(path, "no such file or directory") from None
    except IsADirectoryError:
        raise UserError.at(path, "is a directory, expected a result JSON file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError.at(path, f"cannot read file: {exc}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise UserError.at(path, f"invalid JSON: {exc.msg}", exc.lineno, exc.colno) from None
    return parse_result(data, path)


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
                    data = json.loads(file.read_text(encoding="utf-8"))
                except (json.JSONDecodeError, UnicodeDecodeError):
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
