"""The evidence file (`kind: evidence`, JSON `"schema": "mcpscale/evidence@2"`).

A file written as evidence@1 (one probe's `measurements`) is read as evidence@2: the
migration below moves it into `probes[0]`.

`mcpscale evidence scan` (what clients are configured to use) and `mcpscale evidence
probe` (what one live server does) both write this shape; score, plan and report read
it to hold answers against what was observed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import Field, model_validator

from mcpscale.errors import Problem
from mcpscale.formats.strict import Date, Strict

EVIDENCE_SCHEMA = "mcpscale/evidence@2"
EVIDENCE_SCHEMA_V1 = "mcpscale/evidence@1"
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
        "no-auth, duplicate-server, latency-over-budget, tls-unverified, tool-poisoning-*, "
        "tool-definition-changed, deprecated-transport, deprecated-feature, auth-*, ..."
    )
    severity: Severity
    server: str = Field(description="The server's name.")
    message: str = Field(description="One sentence; never holds a secret value.")
    location: SourceLocation | None = None
    tool: str | None = Field(None, description="The tool the finding is about, if one.")
    excerpt: str | None = Field(
        None, description="A short, redacted excerpt of what the finding matched."
    )


class Latency(Strict):
    """Percentiles of one timed operation, one request at a time or at `concurrency`."""

    operation: str = Field("tools/list", description="What was timed: tools/list, resources/read.")
    requests: int = Field(ge=1, description="Requests that succeeded and were timed.")
    errors: int = Field(0, ge=0, description="Requests that failed or timed out.")
    concurrency: int = Field(1, ge=1, description="Requests in flight at once.")
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    budget_ms: float = 200.0
    requests_per_second: float | None = None


class ToolRecord(Strict):
    """One tool as the server described it, pinned by hashes so a later change shows."""

    name: str
    title: str | None = None
    annotations: dict[str, bool] = Field(
        default_factory=dict,
        description="readOnlyHint, destructiveHint, idempotentHint, openWorldHint as given.",
    )
    description_sha256: str = Field(description="SHA-256 of the description's UTF-8 text.")
    input_schema_sha256: str = Field(description="SHA-256 of the input schema, canonical JSON.")
    description_chars: int = Field(0, ge=0)


class Authorization(Strict):
    """What the server does with a request that carries no credentials, and its OAuth metadata."""

    unauthenticated: Literal["rejected", "accepted", "redirect", "error"] = Field(
        description="accepted only when an MCP request without credentials got an MCP success."
    )
    status: int | None = Field(None, description="HTTP status of the unauthenticated request.")
    request: str | None = Field(
        None, description="The request sent without credentials, e.g. server/discover (2026-07-28)."
    )
    loopback: bool | None = Field(
        None, description="The server listens on loopback: reachable only from this machine."
    )
    redirect_to: str | None = Field(None, description="Where a redirect pointed (no query).")
    query_credentials_removed: list[str] = Field(
        default_factory=list,
        description="Query parameters that looked like credentials, left off that request.",
    )
    resource_metadata_in_challenge: bool | None = Field(
        None, description="WWW-Authenticate names resource_metadata (RFC 9728)."
    )
    scope_in_challenge: bool | None = None
    protected_resource_metadata: bool | None = None
    resource_matches: bool | None = Field(
        None, description="The metadata's `resource` is this server's canonical URI."
    )
    authorization_servers: list[str] = Field(default_factory=list)
    authorization_server_metadata: bool | None = Field(
        None, description="RFC 8414 or OpenID discovery metadata was found."
    )
    issuer_matches: bool | None = Field(
        None, description="False when a metadata document named another issuer (RFC 8414 3.3)."
    )
    pkce_s256: bool | None = None
    client_id_metadata_document: bool | None = None
    iss_parameter: bool | None = None
    dynamic_client_registration: bool | None = None


class Listed(Strict):
    """How many of each the server listed, following cursors to the end (bounded)."""

    tools: int | None = None
    resources: int | None = None
    resource_templates: int | None = None
    prompts: int | None = None
    truncated: list[str] = Field(
        default_factory=list, description="Listings cut at the page bound before their end."
    )


class Probe(Strict):
    """What a probe of one live server measured."""

    server: str = Field(description="The server's name, as in servers[].")
    transport: Literal["stdio", "http", "sse"]
    error: str | None = Field(None, description="Why this server could not be probed.")
    era: Literal["modern", "legacy"] | None = Field(
        None, description="modern: server/discover (2026-07-28 on); legacy: initialize."
    )
    protocol_version: str | None = None
    supported_versions: list[str] = Field(default_factory=list)
    server_name: str | None = None
    server_version: str | None = None
    capabilities: list[str] = Field(default_factory=list)
    listed: Listed | None = None
    tools: list[ToolRecord] = Field(default_factory=list)
    latency: Latency | None = Field(None, description="One request at a time.")
    throughput: Latency | None = Field(None, description="At --concurrency, when above 1.")
    stopped_early: str | None = Field(None, description="Why measuring stopped before the end.")
    tls: bool | None = None
    tls_verified: bool | None = None
    certificate_days_left: int | None = None
    authorization: Authorization | None = None


class Evidence(Strict):
    kind: Literal["evidence"]
    schema_: Literal["mcpscale/evidence@2"] = Field("mcpscale/evidence@2", alias="schema")
    source: Literal["scan", "probe"]
    collected_at: Date
    tool: str = Field(description="mcpscale and its version.")
    host: str | None = Field(None, description="The machine scanned (`scan --host`).")
    servers: list[Server] = Field(default_factory=list)
    findings: list[Finding] = Field(default_factory=list)
    probes: list[Probe] = Field(default_factory=list, description="One per server probed.")

    @model_validator(mode="before")
    @classmethod
    def _migrate(cls, data: Any) -> Any:
        return migrate_evidence(data)


def migrate_evidence(data: Any) -> Any:
    """An evidence@1 document (one `measurements`) read as evidence@2 (`probes[]`)."""
    if not isinstance(data, dict) or data.get("schema", EVIDENCE_SCHEMA_V1) != EVIDENCE_SCHEMA_V1:
        return data
    data = dict(data)
    data["schema"] = EVIDENCE_SCHEMA
    measured = data.pop("measurements", None)
    if not isinstance(measured, dict):
        return data
    servers = data.get("servers") or [{}]
    first = servers[0] if isinstance(servers[0], dict) else {}
    probe: dict[str, Any] = {
        "server": first.get("name", measured.get("server_name", "server")),
        "transport": first.get("transport", "http"),
    }
    for name in ("protocol_version", "server_name", "server_version", "capabilities"):
        if name in measured:
            probe[name] = measured[name]
    for name in ("tls", "tls_verified", "certificate_days_left"):
        if name in measured:
            probe[name] = measured[name]
    counts = {k: measured[k] for k in ("tools", "resources", "prompts") if k in measured}
    if counts:
        probe["listed"] = counts
    if isinstance(measured.get("latency"), dict):
        probe["latency"] = measured["latency"]
    rejected = measured.get("unauthenticated_rejected")
    if rejected is not None:
        probe["authorization"] = {
            "unauthenticated": "rejected" if rejected else "accepted",
            "status": measured.get("unauthenticated_status"),
            "protected_resource_metadata": measured.get("protected_resource_metadata"),
        }
    data["probes"] = [probe]
    return data


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
