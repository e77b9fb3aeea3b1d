"""JSON Schemas of the file formats, generated from the models so they never drift."""

from __future__ import annotations

from typing import Any

from mcpscale.formats.kinds import MODELS
from mcpscale.formats.serialize import to_json

SCHEMA_BASE_URL = "https://mcpscale.dev/schema"


def schema_dict(kind: str) -> dict[str, Any]:
    schema = MODELS[kind].model_json_schema()
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"{SCHEMA_BASE_URL}/{kind}.json",
        **schema,
    }


def json_schema(kind: str) -> str:
    return to_json(schema_dict(kind))
