"""A scan as people and programs read it: the evidence document and rich tables."""

from __future__ import annotations

from typing import Any

from rich import box
from rich.table import Table

from . import __version__
from .evidence_models import SEVERITY_ORDER, Evidence, Finding, SourceLocation
from .scan import ScanResult


def evidence_document(scanned: ScanResult) -> dict[str, Any]:
    """The `kind: evidence` document (source scan), ready for to_json or dump_yaml."""
    from .interview import assessment_date

    evidence = Evidence(
        kind="evidence",
        source="scan",
        collected_at=assessment_date(),
        tool=f"mcpscale {__version__}",
        servers=scanned.servers,
        findings=scanned.findings,
    )
    return evidence.model_dump(mode="json", by_alias=True, exclude_none=True)


def findings_at_or_above(findings: list[Finding], severity: str) -> list[Finding]:
    return [f for f in findings if SEVERITY_ORDER[f.severity] >= SEVERITY_ORDER[severity]]


def _where(location: SourceLocation | None) -> str:
    if location is None:
        return "-"
    return location.path if location.line is None else f"{location.path}:{location.line}"


def scan_renderables(scanned: ScanResult) -> list[Table]:
    servers = Table(
        title=f"MCP servers configured: {len(scanned.servers)} in {scanned.files} file"
        f"{'s' * (scanned.files != 1)}",
        title_justify="left",
        box=box.SIMPLE_HEAD,
    )
    for column in ("Server", "Client", "Transport", "Target", "Where"):
        servers.add_column(column, overflow="fold")
    for server in scanned.servers:
        target = server.url or " ".join([server.command or "", *server.args])
        servers.add_row(
            server.name, server.client or "-", server.transport, target, _where(server.location)
        )
    counts = {s: sum(f.severity == s for f in scanned.findings) for s in ("high", "medium", "low")}
    findings = Table(
        title=f"Findings: {len(scanned.findings)}",
        title_justify="left",
        box=box.SIMPLE_HEAD,
        caption=", ".join(f"{n} {s}" for s, n in counts.items())
        + (f"; {len(scanned.problems)} file(s) skipped (see stderr)" if scanned.problems else ""),
        caption_justify="left",
    )
    for column in ("Severity", "Finding", "Server", "Where", "Message"):
        findings.add_column(column, overflow="fold")
    for finding in scanned.findings:
        findings.add_row(
            finding.severity,
            finding.id,
            finding.server,
            _where(finding.location),
            finding.message,
        )
    return [servers, findings]
