"""A scan as people and programs read it: the evidence document and rich tables."""

from __future__ import annotations

from typing import Any

from rich import box
from rich.console import RenderableType
from rich.table import Table
from rich.text import Text

from . import __version__
from .evidence_models import SEVERITY_ORDER, Evidence, Finding, SourceLocation
from .scan import ScanResult

SEVERITY_STYLE = {"high": "bold red", "medium": "yellow", "low": "cyan"}


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
            server.name, server.client or "-", server.transport, target, _where(server.location)
        )
    counts = {s: sum(f.severity == s for f in scanned.findings) for s in ("high", "medium", "low")}
    lines: list[RenderableType] = [
        servers,
        Text(f"Findings: {len(scanned.findings)}", style="bold"),
    ]
    for finding in scanned.findings:
        line = Text(f"{_where(finding.location)}: ")
        line.append(f"{finding.severity} {finding.id}", style=SEVERITY_STYLE[finding.severity])
        line.append(f" [{finding.server}] {finding.message}")
        lines.append(line)
    summary = ", ".join(f"{n} {s}" for s, n in counts.items())
    if scanned.problems:
        summary += f"; {len(scanned.problems)} skipped (see stderr)"
    lines.append(Text(summary))
    return lines
