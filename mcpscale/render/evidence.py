"""Evidence as people read it: the scan's and the probe's tables, and the probe's JSON."""

from __future__ import annotations

from typing import Any

from rich import box
from rich.console import RenderableType
from rich.table import Table
from rich.text import Text

from mcpscale.formats.evidence import (
    SEVERITY_ORDER,
    Evidence,
    Finding,
    InventoryDiff,
    Latency,
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


def _show(value: object) -> Text:
    if value is None:
        return Text("-")
    if isinstance(value, bool):
        return Text("yes" if value else "no")
    return rich_text(value)


def _latency_line(latency: Latency) -> str:
    line = (
        f"p50 {latency.p50_ms:g}  p95 {latency.p95_ms:g}  p99 {latency.p99_ms:g}  "
        f"max {latency.max_ms:g}  ({latency.operation}, {latency.requests} requests"
    )
    if latency.errors:
        line += f", {latency.errors} errors"
    if latency.requests_per_second is not None:
        line += f", {latency.requests_per_second:g}/s"
    return line + f", budget {latency.budget_ms:g})"


def probe_renderables(evidence: Evidence) -> list[Any]:
    """What the terminal shows for one server: the measured facts, then the findings."""
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
    server_line = f"{measured.server_name or '-'} {measured.server_version or ''}".strip()
    facts.add_row("server", rich_text(server_line))
    facts.add_row("transport", rich_text(measured.transport))
    era = {"modern": "modern (server/discover)", "legacy": "legacy (initialize)"}
    facts.add_row("era", rich_text(era.get(measured.era or "", "-")))
    facts.add_row("protocol version", _show(measured.protocol_version))
    facts.add_row("supported versions", rich_text(", ".join(measured.supported_versions) or "-"))
    facts.add_row("capabilities", rich_text(", ".join(measured.capabilities) or "-"))
    listed = measured.listed
    for label, key in (
        ("tools", "tools"),
        ("resources", "resources"),
        ("resource templates", "resource_templates"),
        ("prompts", "prompts"),
    ):
        count = getattr(listed, key) if listed else None
        if count is not None:
            cut = " (cut at the page bound)" if listed and key in listed.truncated else ""
            facts.add_row(label, f"{count}{cut}")
    if measured.latency is not None:
        facts.add_row("latency (ms), one at a time", _latency_line(measured.latency))
    if measured.throughput is not None:
        facts.add_row(
            f"latency (ms) at concurrency {measured.throughput.concurrency}",
            _latency_line(measured.throughput),
        )
    if measured.stopped_early:
        facts.add_row("stopped early", rich_text(measured.stopped_early))
    if server.transport in ("http", "sse"):
        facts.add_row("TLS", _show(measured.tls))
        if measured.tls:
            facts.add_row("certificate verifies", _show(measured.tls_verified))
            facts.add_row("certificate days left", _show(measured.certificate_days_left))
        auth = measured.authorization
        if auth is not None:
            facts.add_row(
                "unauthenticated request",
                rich_text(f"{auth.unauthenticated} (HTTP {_show(auth.status)})"),
            )
            facts.add_row("OAuth resource metadata", _show(auth.protected_resource_metadata))
    if not evidence.findings:
        return [facts, "No findings."]
    return [facts, _findings_table(evidence.findings, with_server=False)]


def _findings_table(findings: list[Finding], *, with_server: bool) -> Table:
    table = Table(title="Findings", box=box.SIMPLE)
    columns = ["server"] if with_server else []
    for column in (*columns, "id", "severity", "tool", "message"):
        table.add_column(column, overflow="fold")
    for finding in findings:
        cells = [rich_text(finding.server)] if with_server else []
        table.add_row(
            *cells,
            rich_text(finding.id),
            Text(finding.severity, style=SEVERITY_STYLE[finding.severity]),
            rich_text(finding.tool or "-"),
            rich_text(finding.message),
        )
    return table


def estate_renderables(evidence: Evidence) -> list[Any]:
    """The estate at a glance: one row a server, its findings counted by severity and named
    worst first (ids fold in a cell of their own, so any number of them fits), then the
    details."""
    by_server: dict[str, dict[str, str]] = {}
    for finding in evidence.findings:
        known = by_server.setdefault(finding.server, {})
        if SEVERITY_ORDER[finding.severity] > SEVERITY_ORDER.get(known.get(finding.id, ""), 0):
            known[finding.id] = finding.severity
    probes = {measured.server: measured for measured in evidence.probes}
    table = Table(
        title=f"Probe of {len(evidence.servers)} servers", title_justify="left", box=box.SIMPLE_HEAD
    )
    width = max((len(server.name) for server in evidence.servers), default=6)
    table.add_column("server", no_wrap=True, min_width=min(width, 30))
    for column in ("transport", "era", "tools", "p50 ms", "high", "medium", "low"):
        numeric = column not in ("transport", "era")
        table.add_column(column, no_wrap=True, justify="right" if numeric else "left")
    table.add_column("findings", overflow="fold", ratio=1)
    not_probed: list[Text] = []
    for server in evidence.servers:
        measured = probes.get(server.name)
        tools = measured.listed.tools if measured and measured.listed else None
        latency = measured.latency if measured else None
        found = by_server.get(server.name, {})
        counts = {
            level: sum(
                1 for f in evidence.findings if f.server == server.name and f.severity == level
            )
            for level in ("high", "medium", "low")
        }
        ids = sorted(found, key=lambda finding_id: (-SEVERITY_ORDER[found[finding_id]], finding_id))
        named = Text()
        for index, finding_id in enumerate(ids):
            named.append(", " if index else "")
            named.append(visible(finding_id), style=SEVERITY_STYLE[found[finding_id]])
        table.add_row(
            rich_text(server.name),
            rich_text(server.transport),
            rich_text(measured.era if measured and measured.era else "-"),
            _show(tools),
            _show(None if latency is None else f"{latency.p50_ms:g}"),
            *(
                Text(str(n), style=SEVERITY_STYLE[level]) if n else Text("-")
                for level, n in counts.items()
            ),
            named if ids else Text("-"),
        )
        if measured is not None and measured.error:
            not_probed.append(rich_text(f"{server.name}: {measured.error}"))
    failed = sum(1 for measured in evidence.probes if measured.error)
    summary = Text(
        f"{len(evidence.probes) - failed} probed, {failed} not; {len(evidence.findings)} findings"
    )
    shown: list[Any] = [table, summary, *not_probed]
    if evidence.findings:
        shown.append(_findings_table(evidence.findings, with_server=True))
    return shown


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
