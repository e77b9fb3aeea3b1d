"""What a server's tools say: an inventory pinned by hashes, poisoning checks, and the diff
between two inventories (a changed definition is how a "rug pull" shows).

Everything here is offline: the tools' own text is read, nothing is sent anywhere.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import deque
from collections.abc import Iterator, Mapping, Sequence
from functools import lru_cache
from typing import Any

from mcpscale.evidence.secrets import redact_text
from mcpscale.formats.evidence import (
    Evidence,
    Finding,
    InventoryDiff,
    Probe,
    ToolChange,
    ToolRecord,
    ToolRule,
)

ANNOTATION_HINTS = ("readOnlyHint", "destructiveHint", "idempotentHint", "openWorldHint")
# A tool's text is scanned up to here: descriptions are written by whoever runs the server, and
# a megabyte of text must not make the probe crawl. Poisoning hides early or is padded; the
# length check reads the full length.
MAX_SCANNED_CHARS = 20_000
EXCERPT_CHARS = 80
# Schema descriptions are collected this deep and this many, visiting at most this many
# nodes: enough for real schemas, and a schema built to be huge costs no more.
MAX_SCHEMA_DEPTH = 12
MAX_SCHEMA_TEXTS = 500
MAX_SCHEMA_NODES = 20_000
# Tag characters (U+E0000-E007F: "ASCII smuggling"), zero-width and invisible operators,
# bidi embeddings, overrides and isolates, supplementary variation selectors (data hidden
# after a character), and C0/C1 controls but tab, newline and CR (ANSI escapes start with ESC).
INVISIBLE = re.compile(
    "[\U000e0000-\U000e007f\u200b-\u200f\u2060-\u2064\ufeff\u202a-\u202e\u2066-\u2069"
    "\U000e0100-\U000e01ef\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]"
)
# A name of another server's tool counts when it looks like an identifier (send_email,
# getFactOfTheDay, list-chats); a plain word (search) only when written as a tool's name.
MIN_SHADOWED_NAME = 4
_TOKEN = re.compile(r"[A-Za-z0-9_-]+")
_SPACE = re.compile(r"\s")
_IDENTIFIER_LIKE = re.compile(r"[_\-0-9]|[a-z][A-Z]")


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def canonical_json(value: Any) -> str:
    """Sorted keys, no spaces: the same schema always gives the same text, and so the same hash.
    A value no JSON parser hands over (nested past Python's recursion limit, or not JSON at
    all) gets a fixed text saying so, rather than crashing the probe."""
    try:
        return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    except (RecursionError, TypeError, ValueError) as exc:
        return f"<not canonical JSON: {type(exc).__name__}>"


def tool_record(tool: Mapping[str, Any]) -> ToolRecord:
    """A tool as listed on the wire (name, title, description, inputSchema, annotations)."""
    description = str(tool.get("description") or "")
    annotations = tool.get("annotations")
    annotations = annotations if isinstance(annotations, Mapping) else {}
    title = tool.get("title")
    return ToolRecord(
        name=str(tool.get("name", "")),
        title=title if isinstance(title, str) and title else None,
        annotations={
            hint: annotations[hint]
            for hint in ANNOTATION_HINTS
            if isinstance(annotations.get(hint), bool)
        },
        description_sha256=_sha256(description),
        input_schema_sha256=_sha256(canonical_json(tool.get("inputSchema") or {})),
        description_chars=len(description),
    )


# ---------------------------------------------------------------- what a tool says


def shown(text: str) -> str:
    """Text from a tool as it may be shown: invisible characters as `<U+E0041>`, whitespace
    runs as one space. Never the raw characters, which could hide or reorder what is read."""
    text = INVISIBLE.sub(lambda m: f"<U+{ord(m.group()):04X}>", text)
    return " ".join(text.split())


def _schema_descriptions(schema: Any) -> Iterator[str]:
    """Every `description` string in an input schema, breadth first, bounded."""
    queue: deque[tuple[Any, int]] = deque([(schema, 0)])
    found = visited = 0
    while queue and found < MAX_SCHEMA_TEXTS and visited < MAX_SCHEMA_NODES:
        node, depth = queue.popleft()
        visited += 1
        if isinstance(node, Mapping):
            description = node.get("description")
            if isinstance(description, str):
                found += 1
                yield description
            children = list(node.values())
        elif isinstance(node, list):
            children = node
        else:
            continue
        if depth < MAX_SCHEMA_DEPTH:
            queue.extend((child, depth + 1) for child in children[:MAX_SCHEMA_NODES])


def _name_words(name: str) -> str:
    """delete_file, delete-file and deleteFile all read as `delete file`."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", re.sub(r"[_\-.]+", " ", name))


def _field_texts(tool: Mapping[str, Any]) -> dict[str, str]:
    schema_texts = _schema_descriptions(tool.get("inputSchema") or {})
    return {
        "name": _name_words(str(tool.get("name") or "")),
        "title": str(tool.get("title") or ""),
        "description": str(tool.get("description") or ""),
        "schema": "\n".join(schema_texts),
    }


def _read(fields: Mapping[str, str], names: Sequence[str]) -> str:
    """The named fields, one per line, cut at MAX_SCANNED_CHARS."""
    return "\n".join(fields[name] for name in names if fields[name])[:MAX_SCANNED_CHARS]


@lru_cache(maxsize=1024)
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


def _excerpt(text: str, start: int, end: int) -> str:
    """At most EXCERPT_CHARS around text[start:end], redacted, invisible characters shown.

    The window is cut at whitespace, so a token is redacted whole or left out, never halved
    into a fragment the redaction no longer recognises."""
    left = max(0, start - 60)
    right = min(len(text), end + 60 + max(0, EXCERPT_CHARS - (end - start)))
    if left > 0:
        first = _SPACE.search(text, left, start)
        left = first.end() if first else start
    if right < len(text):
        spaces = [m.start() for m in _SPACE.finditer(text, end, right)]
        right = spaces[-1] if spaces else end
    window = shown(redact_text(text[left:right])[0])
    target = shown(text[start:end])
    at = max(0, window.find(target)) if target else 0
    begin = max(0, at - 20)
    if begin > 0 and not window[begin - 1].isspace():
        word = window.find(" ", begin, at)
        begin = word + 1 if word >= 0 else begin  # start at a word
    escape = window.rfind("<U+", 0, begin + 1)
    if escape >= 0 and window.find(">", escape) >= begin:
        begin = escape  # an escape is shown whole or not at all
    head = begin > 0 or left > 0
    budget = EXCERPT_CHARS - head
    body = window[begin : begin + budget]
    tail = begin + budget < len(window) or right < len(text)
    if tail:
        body = body[: budget - 1]
        escape = body.rfind("<U+")
        if escape >= 0 and body.find(">", escape) < 0:
            body = body[:escape]
    return ("…" if head else "") + body.strip() + ("…" if tail else "")


def _check(
    server: str, rule: ToolRule, tool: Mapping[str, Any], fields: Mapping[str, str]
) -> Finding | None:
    """The rule's finding for this tool, or None."""
    name = shown(str(tool.get("name") or ""))
    says = f"tool '{name}': {rule.says}"

    def _finding(message: str, excerpt: str) -> Finding:
        return Finding(
            id=rule.id,
            severity=rule.severity,
            server=server,
            tool=name,
            message=message,
            excerpt=excerpt,
        )

    text = _read(fields, rule.read_fields)
    if rule.check == "long-description":
        description = fields["description"]
        limit = rule.max_chars or 0
        if len(description) <= limit:
            return None
        message = f"{says} ({len(description):,} characters; more than {limit:,})"
        excerpt = _excerpt(description[:MAX_SCANNED_CHARS], limit, limit + 1)
        return _finding(message, excerpt)
    if rule.check == "invisible-unicode":
        match = INVISIBLE.search(text)
        if match is None:
            return None
        count = len(INVISIBLE.findall(text))
        message = f"{says} ({count} such character{'s' * (count != 1)})"
        return _finding(message, _excerpt(text, match.start(), match.end()))
    match = next(
        (m for m in (_compiled(p).search(text) for p in rule.patterns) if m is not None), None
    )
    if match is None:
        return None
    if rule.check == "destructive-unmarked":
        annotations = tool.get("annotations") or {}
        if not isinstance(annotations, Mapping):
            annotations = {}
        if annotations.get("destructiveHint") is True:
            return None
        if annotations.get("readOnlyHint") is True:
            says += " (its annotations even say readOnlyHint: true)"
        elif annotations.get("destructiveHint") is False:
            says += " (its annotations say destructiveHint: false)"
        else:
            says += " (no destructiveHint)"
    return _finding(says, _excerpt(text, match.start(), match.end()))


def tool_findings(
    server: str, tools: Sequence[Mapping[str, Any]], rules: Sequence[ToolRule] = ()
) -> list[Finding]:
    """Poisoning findings for one server's tools: one per (tool, rule) that matches."""
    findings: list[Finding] = []
    for tool in tools:
        if not isinstance(tool, Mapping):
            continue
        fields = _field_texts(tool)
        for rule in rules:
            found = _check(server, rule, tool, fields)
            if found is not None:
                findings.append(found)
    return findings


def shadowing_findings(tools_by_server: Mapping[str, Sequence[Mapping[str, Any]]]) -> list[Finding]:
    """A tool whose text names another server's tool (a word such as `send_email`): one
    server steering how the agent uses another's tools, as in the WhatsApp takeover."""
    names_by_server = {
        server: {str(t.get("name") or "") for t in tools if isinstance(t, Mapping)}
        for server, tools in tools_by_server.items()
    }
    findings: list[Finding] = []
    for server, tools in tools_by_server.items():
        own = names_by_server[server]
        others = {
            name: other
            for other, names in sorted(names_by_server.items(), reverse=True)
            if other != server
            for name in names
            if len(name) >= MIN_SHADOWED_NAME and name not in own
        }
        if not others:
            continue
        for tool in tools:
            if not isinstance(tool, Mapping):
                continue
            fields = _field_texts(tool)
            text = _read(fields, ("title", "description", "schema"))
            for name, other, match in _named_tools(text, others):
                tool_name = shown(str(tool.get("name") or ""))
                findings.append(
                    Finding(
                        id="tool-shadowing",
                        severity="high",
                        server=server,
                        tool=tool_name,
                        message=f"tool '{tool_name}' names '{shown(name)}', a tool of server "
                        f"'{shown(other)}': its text can steer how the agent uses another "
                        "server's tool (shadowing)",
                        excerpt=_excerpt(text, match.start(), match.end()),
                    )
                )
    return findings


def _named_tools(text: str, others: Mapping[str, str]) -> Iterator[tuple[str, str, re.Match[str]]]:
    """(name, its server, where) for each other server's tool the text names, once each."""
    seen: set[str] = set()
    for match in _TOKEN.finditer(text):
        name = match.group()
        if name in seen or name not in others:
            continue
        if not _IDENTIFIER_LIKE.search(name) and not _written_as_tool(text, match):
            continue
        seen.add(name)
        yield name, others[name], match


def _written_as_tool(text: str, match: re.Match[str]) -> bool:
    """A plain word used as a tool's name: `search`, "search", or `search tool`."""
    quoted = match.start() > 0 and text[match.start() - 1] in "`'\""
    after = text[match.end() : match.end() + 8].lower()
    return quoted or after.lstrip(" `'\")").startswith("tool")


# ---------------------------------------------------------------- the rug-pull check


def _inventory(probe: Probe) -> dict[str, ToolRecord] | str:
    """The probe's tools by name, or why it holds no inventory to compare."""
    if probe.error is not None:
        return "could not be probed"
    if not probe.tools and not (probe.listed is not None and probe.listed.tools == 0):
        return "has no tool inventory (an older probe?)"  # evidence@1 records counts only
    tools: dict[str, ToolRecord] = {}
    for record in probe.tools:
        tools.setdefault(record.name, record)
    return tools


def _what_changed(old: ToolRecord, new: ToolRecord) -> tuple[str, ...]:
    parts = (
        ("description", old.description_sha256 != new.description_sha256),
        ("input schema", old.input_schema_sha256 != new.input_schema_sha256),
        ("annotations", old.annotations != new.annotations),
        ("title", old.title != new.title),
    )
    return tuple(name for name, differs in parts if differs)


def _version(version: str | None) -> str:
    return shown(version) if version else "unknown"


def inventory_diff(old: Evidence, new: Evidence) -> InventoryDiff:
    """Compare the probes of servers in both files, by server name."""
    diff = InventoryDiff()
    old_probes = {probe.server: probe for probe in reversed(old.probes)}
    new_probes = {probe.server: probe for probe in reversed(new.probes)}
    for server in sorted(set(old_probes) | set(new_probes)):
        before, after = old_probes.get(server), new_probes.get(server)
        if before is None or after is None:
            where = "old" if before is None else "new"
            diff.not_compared.append((server, f"not in the {where} file"))
            continue
        old_tools, new_tools = _inventory(before), _inventory(after)
        if isinstance(old_tools, str):
            diff.not_compared.append((server, f"in the old file it {old_tools}"))
        elif isinstance(new_tools, str):
            diff.not_compared.append((server, f"in the new file it {new_tools}"))
        else:
            _diff_server(diff, server, before, after, old_tools, new_tools)
    return diff


def _diff_server(
    diff: InventoryDiff,
    server: str,
    before: Probe,
    after: Probe,
    old_tools: Mapping[str, ToolRecord],
    new_tools: Mapping[str, ToolRecord],
) -> None:
    old_cut = before.listed is not None and "tools" in before.listed.truncated
    new_cut = after.listed is not None and "tools" in after.listed.truncated
    versions = f"{_version(before.server_version)} -> {_version(after.server_version)}"
    for finding_id, names, into, cut, says in (
        # a tool may be missing only because it lay beyond a listing's page bound
        ("tool-added", set(new_tools) - set(old_tools), diff.added, old_cut, "is new"),
        ("tool-removed", set(old_tools) - set(new_tools), diff.removed, new_cut, "is gone"),
    ):
        for name in sorted(names) if not cut else ():
            into.append((server, name))
            diff.findings.append(
                Finding(
                    id=finding_id,
                    severity="low",
                    server=server,
                    tool=shown(name),
                    message=f"tool '{shown(name)}' {says} (server version {versions})",
                )
            )
    for name in sorted(set(old_tools) & set(new_tools)):
        changed = _what_changed(old_tools[name], new_tools[name])
        if not changed:
            continue
        change = ToolChange(server, name, changed, before.server_version, after.server_version)
        diff.changed.append(change)
        diff.findings.append(_change_finding(change))


def _change_finding(change: ToolChange) -> Finding:
    same_version = change.old_version == change.new_version
    what = " and ".join(change.changed) if len(change.changed) < 3 else (
        ", ".join(change.changed[:-1]) + " and " + change.changed[-1]
    )  # fmt: skip
    if same_version:
        versions = f"while the server version stayed {_version(change.new_version)}"
    else:
        versions = (
            f"with the server version {_version(change.old_version)} -> "
            f"{_version(change.new_version)}"
        )
    high = "description" in change.changed and same_version
    return Finding(
        id="tool-definition-changed",
        severity="high" if high else "medium",
        server=change.server,
        tool=shown(change.tool),
        message=f"tool '{shown(change.tool)}': {what} changed {versions}"
        + ("; what the model reads changed under an approved version" if high else ""),
    )


def diff_inventories(old: Evidence, new: Evidence) -> list[Finding]:
    """Tools added, removed and changed between two probes' evidence."""
    return inventory_diff(old, new).findings


def diff_document(diff: InventoryDiff) -> dict[str, Any]:
    """`evidence diff --format json`: mcpscale/evidence-diff@1."""
    return {
        "schema": "mcpscale/evidence-diff@1",
        "added": [{"server": s, "tool": shown(t)} for s, t in diff.added],
        "removed": [{"server": s, "tool": shown(t)} for s, t in diff.removed],
        "changed": [
            {
                "server": c.server,
                "tool": shown(c.tool),
                "changed": list(c.changed),
                "old_version": shown(c.old_version) if c.old_version else None,
                "new_version": shown(c.new_version) if c.new_version else None,
            }
            for c in diff.changed
        ],
        "not_compared": [{"server": s, "why": why} for s, why in diff.not_compared],
        "findings": [f.model_dump(mode="json", exclude_none=True) for f in diff.findings],
    }
