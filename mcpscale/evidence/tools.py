"""What a server's tools say: an inventory pinned by hashes, poisoning checks, and the diff
between two inventories (a changed definition is how a "rug pull" shows).

Everything here is offline: the tools' own text is read, nothing is sent anywhere.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from typing import Any

from mcpscale.formats.evidence import Evidence, Finding, ToolRecord

ANNOTATION_HINTS = ("readOnlyHint", "destructiveHint", "idempotentHint", "openWorldHint")


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def tool_record(tool: Mapping[str, Any]) -> ToolRecord:
    """A tool as listed on the wire (name, title, description, inputSchema, annotations)."""
    description = str(tool.get("description") or "")
    annotations = tool.get("annotations") or {}
    return ToolRecord(
        name=str(tool.get("name", "")),
        title=tool.get("title") or None,
        annotations={
            hint: annotations[hint]
            for hint in ANNOTATION_HINTS
            if isinstance(annotations.get(hint), bool)
        },
        description_sha256=_sha256(description),
        input_schema_sha256=_sha256(canonical_json(tool.get("inputSchema") or {})),
        description_chars=len(description),
    )


def tool_findings(
    server: str, tools: Sequence[Mapping[str, Any]], rules: Sequence[Any] = ()
) -> list[Finding]:
    """Poisoning findings for one server's tools, by the given rules."""
    return []


def shadowing_findings(tools_by_server: Mapping[str, Sequence[Mapping[str, Any]]]) -> list[Finding]:
    """A description that names another server's tool."""
    return []


def diff_inventories(old: Evidence, new: Evidence) -> list[Finding]:
    """Tools added, removed and changed between two probes' evidence."""
    return []
