"""The JSON Schemas `mcpscale schema` prints accept our real files and catch typos, as an
editor using them would."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from mcpscale.formats.schemas import schema_dict

from .conftest import ACME, ROOT, TINY

GOOD_FILES = sorted(
    [
        *(ROOT / "questionnaires").rglob("questionnaire.yaml"),
        *(ROOT / "questionnaires").rglob("tool-rules.yaml"),
        *(ROOT / "questionnaires").rglob("frameworks.yaml"),
        *ACME.rglob("*.yaml"),
        *TINY.rglob("*.yaml"),
    ]
)


def as_editor_sees(path: Path) -> Any:
    """Dates and the like as the text an editor validates, not Python objects."""
    return json.loads(json.dumps(yaml.safe_load(path.read_text()), default=str))


@pytest.mark.parametrize("path", GOOD_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_schema_accepts_every_real_file(path: Path) -> None:
    data = as_editor_sees(path)
    jsonschema.validate(data, schema_dict(data["kind"]))


def test_schema_rejects_a_misspelt_key() -> None:
    data = as_editor_sees(TINY / "questionnaire.yaml")
    data["questions"][0]["wieght"] = data["questions"][0].pop("weight")
    with pytest.raises(jsonschema.ValidationError, match="wieght"):
        jsonschema.validate(data, schema_dict("questionnaire"))


def test_schema_accepts_answer_shorthand_and_rejects_bad_confidence() -> None:
    data = as_editor_sees(TINY / "answers" / "ana.yaml")
    assert isinstance(data["answers"]["tech.a"], str)  # the shorthand form
    jsonschema.validate(data, schema_dict("answers"))
    data["answers"]["tech.b"]["confidence"] = "very"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, schema_dict("answers"))
