"""The evidence file (`kind: evidence`, JSON `"schema": "mcpscale/evidence@1"`).

`mcpscale evidence scan` (what clients are configured to use) and `mcpscale evidence
probe` (what one live server does) both write this shape; score, plan and report read
it to hold answers against what was observed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import Field

from mcpscale.errors import Problem
from mcpscale.formats.strict import Date, Strict

EVIDENCE_SCHEMA = "mcpscale/evidence@1"
Severity = Literal["low", "medium", "high"]
SEVERITY_ORDER = {"low": 1, "medium": 2, "high": 3}


class SourceLocation(Strict):
    path: str = Field(description="File the finding came from, as given to the scan.")
    line: int | None = Field(None, ge=1)


class Server(Strict):
    """One MCP server a client is configured to use, or the one a probe reached."""

    name: str
    transport: Literal["stdio", "http", "sse"]
    url: str | None = None
    command: str | None = None
    args: list[str] = Field(default_factory=list, description="Secrets are redacted.")
    package: str | None = Field(None, description="Package a runner launches, e.g. npx pkg@1.2")
    client: str | None = Field(None, description="Client format, e.g. claude-desktop, vscode.")
    location: SourceLocation | None = None


class Finding(Strict):
    id: str = Field(
        description="Stable id: plaintext-http, inline-secret, unpinned-package, "
        "no-auth, duplicate-server, latency-over-budget, tls-unverified, ..."
    )
    severity: Severity
    server: str = Field(description="The server's name.")
    message: str = Field(description="One sentence; never holds a secret value.")
    location: SourceLocation | None = None


class Latency(Strict):
    requests: int = Field(ge=1)
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    budget_ms: float = 200.0


class Measurements(Strict):
    """What a probe measured; absent for a scan."""

    protocol_version: str | None = None
    server_name: str | None = None
    server_version: str | None = None
    capabilities: list[str] = Field(default_factory=list)
    tools: int | None = None
    resources: int | None = None
    prompts: int | None = None
    latency: Latency | None = None
    tls: bool | None = None
    tls_verified: bool | None = None
    certificate_days_left: int | None = None
    unauthenticated_rejected: bool | None = None
    unauthenticated_status: int | None = None
    protected_resource_metadata: bool | None = None


class Evidence(Strict):
    kind: Literal["evidence"]
    schema_: Literal["mcpscale/evidence@1"] = Field("mcpscale/evidence@1", alias="schema")
    source: Literal["scan", "probe"]
    collected_at: Date
    tool: str = Field(description="mcpscale and its version.")
    host: str | None = Field(None, description="The machine scanned (`scan --host`).")
    servers: list[Server] = Field(default_factory=list)
    findings: list[Finding] = Field(default_factory=list)
    measurements: Measurements | None = None


class EvidenceRule(Strict):
    id: str = Field(min_length=1)
    finding: str = Field(description="What the report calls the evidence, e.g. plaintext-http.")
    when: dict[str, Any] = Field(description="Condition on the evidence's facts.")
    caps: dict[str, int] = Field(description="Question id -> the highest level supported.")
    says: str = Field(min_length=1, description="The sentence the report shows.")


class EvidenceRules(Strict):
    kind: Literal["evidence-rules"]
    rules: list[EvidenceRule] = Field(default_factory=list)


@dataclass
class ScanResult:
    servers: list[Server] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    files: int = 0
    """Config files read; the ones not understood are counted in `unreadable`, by why."""
    unreadable: dict[str, int] = field(default_factory=dict)
