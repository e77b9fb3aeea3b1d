"""Evidence as people read it: the scan's and the probe's tables, and the probe's JSON."""

from __future__ import annotations

from typing import Any

from rich import box
from rich.console import RenderableType
from rich.table import Table
from rich.text import Text

from mcpscale.formats.evidence import (
    Evidence,
    InventoryDiff,
    Probe,
    ScanResult,
    SourceLocation,
)
from mcpscale.render.text import rich_text, visible

SEVERITY_STYLE = {"high": "bold red", "medium": "yellow", "low": "cyan"}


def _where(location: SourceLocation | None) -> str:
    if location is None:
        return "-"
    return location.path if location.line is None else f"{location.path}:{location.line}"


def scan_renderables(scanned: ScanResult) -> list[RenderableType]:
    servers = Table(
        title=f"MCP servers configured: {len(scanned.servers)} in {scanned.files} file"
        f"{'s' * (scanned.files != 1)}",
        title_justify="left",
        box=box.SIMPLE_HEAD,
    )
    for column in ("Server", "Client", "Transport"):
        servers.add_column(column, no_wrap=True)
    servers.add_column("Target", overflow="fold", ratio=1)
    servers.add_column("Where", no_wrap=True)
    for server in scanned.servers:
        target = server.url or " ".join([server.command or "", *server.args])
        servers.add_row(
            rich_text(server.name),
            rich_text(server.client or "-"),
            rich_text(server.transport),
            rich_text(target),
            rich_text(_where(server.location)),
        )
    counts = {s: sum(f.severity == s for f in scanned.findings) for s in ("high", "medium", "low")}
    lines: list[RenderableType] = [
        servers,
        Text(f"Findings: {len(scanned.findings)}", style="bold"),
    ]
    for finding in scanned.findings:
        line = rich_text(f"{_where(finding.location)}: ")
        line.append(
            visible(f"{finding.severity} {finding.id}"), style=SEVERITY_STYLE[finding.severity]
        )
        line.append(visible(f" [{finding.server}] {finding.message}"))
        lines.append(line)
    summary = ", ".join(f"{n} {s}" for s, n in counts.items())
    unreadable = sum(scanned.unreadable.values())
    reasons = ", ".join(f"{n} {why}" for why, n in sorted(scanned.unreadable.items()))
    summary += f"; {scanned.files} config file{'s' * (scanned.files != 1)} read"
    summary += f", {unreadable} not understood ({reasons})" if unreadable else ""
    if len(scanned.problems) > unreadable:
        summary += f"; {len(scanned.problems) - unreadable} other problems (see stderr)"
    lines.append(Text(summary))
    return lines


def evidence_json(evidence: Evidence) -> str:
    from mcpscale.formats.serialize import to_json

    return to_json(evidence.model_dump(mode="json", by_alias=True, exclude_none=True))


def probe_renderables(evidence: Evidence) -> list[Any]:
    """What the terminal shows: the measured facts, then the findings."""
    from rich import box
    from rich.table import Table

    server = evidence.servers[0]
    measured = (
        evidence.probes[0]
        if evidence.probes
        else Probe(server=server.name, transport=server.transport)
    )
    what = server.url or " ".join([server.command or "", *server.args])
    facts = Table(title=rich_text(f"Probe of {what}"), box=box.SIMPLE, show_header=False)
    facts.add_column("fact")
    facts.add_column("value")

    def show(value: object) -> Text:
        if value is None:
            return Text("-")
        if isinstance(value, bool):
            return Text("yes" if value else "no")
        return rich_text(value)

    server_line = f"{measured.server_name or '-'} {measured.server_version or ''}".strip()
    facts.add_row("server", rich_text(server_line))
    facts.add_row("protocol version", show(measured.protocol_version))
    facts.add_row("capabilities", rich_text(", ".join(measured.capabilities) or "-"))
    listed = measured.listed
    for label, count in (
        ("tools", listed.tools if listed else None),
        ("resources", listed.resources if listed else None),
        ("prompts", listed.prompts if listed else None),
    ):
        if count is not None:
            facts.add_row(label, str(count))
    latency = measured.latency
    if latency is not None:
        facts.add_row(
            "latency (ms)",
            f"p50 {latency.p50_ms:g}  p95 {latency.p95_ms:g}  p99 {latency.p99_ms:g}  "
            f"max {latency.max_ms:g}  ({latency.requests} requests, budget {latency.budget_ms:g})",
        )
    if server.transport == "http":
        facts.add_row("TLS", show(measured.tls))
        if measured.tls:
            facts.add_row("certificate verifies", show(measured.tls_verified))
            facts.add_row("certificate days left", show(measured.certificate_days_left))
        auth = measured.authorization
        if auth is not None:
            facts.add_row(
                "unauthenticated request",
                rich_text(f"{auth.unauthenticated} (HTTP {show(auth.status)})"),
            )
            facts.add_row("OAuth resource metadata", show(auth.protected_resource_metadata))
    if not evidence.findings:
        return [facts, "No findings."]
    findings = Table(title="Findings", box=box.SIMPLE)
    for column in ("id", "severity", "message"):
        findings.add_column(column)
    for finding in evidence.findings:
        findings.add_row(
            rich_text(finding.id), rich_text(finding.severity), rich_text(finding.message)
        )
    return [facts, findings]


def diff_renderables(diff: InventoryDiff) -> list[RenderableType]:
    """`evidence diff`: one row per tool added, removed or changed, then the findings."""
    if not (diff.added or diff.removed or diff.changed):
        lines: list[RenderableType] = [Text("No tool was added, removed or changed.")]
    else:
        table = Table(title="Tool inventory: old -> new", title_justify="left", box=box.SIMPLE_HEAD)
        for column in ("Server", "Tool", "Change"):
            table.add_column(column, no_wrap=column != "Change", overflow="fold")
        for server, tool in diff.added:
            table.add_row(rich_text(server), rich_text(tool), Text("added"))
        for server, tool in diff.removed:
            table.add_row(rich_text(server), rich_text(tool), Text("removed"))
        for change in diff.changed:
            old, new = change.old_version or "?", change.new_version or "?"
            versions = f"same version {new}" if old == new else f"version {old} -> {new}"
            table.add_row(
                rich_text(change.server),
                rich_text(change.tool),
                rich_text(f"{', '.join(change.changed)} changed ({versions})"),
            )
        lines = [table]
    for server, why in diff.not_compared:
        lines.append(rich_text(f"not compared: {server}: {why}"))
    for finding in diff.findings:
        line = Text()
        line.append(
            visible(f"{finding.severity} {finding.id}"), style=SEVERITY_STYLE[finding.severity]
        )
        line.append(visible(f" [{finding.server}] {finding.message}"))
        lines.append(line)
    counts = {s: sum(f.severity == s for f in diff.findings) for s in ("high", "medium", "low")}
    lines.append(
        Text(
            f"{len(diff.added)} added, {len(diff.removed)} removed, {len(diff.changed)} changed; "
            + ", ".join(f"{n} {s}" for s, n in counts.items())
        )
    )
    return lines
