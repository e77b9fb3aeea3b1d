"""An evidence@1 file (one probe's `measurements`) still reads, scores and caps as before."""

from __future__ import annotations

import json
from pathlib import Path

from mcpscale.assess.evidence import evidence_facts
from mcpscale.formats.evidence import Evidence

from .conftest import Cli

V1_PROBE = {
    "kind": "evidence",
    "schema": "mcpscale/evidence@1",
    "source": "probe",
    "collected_at": "2026-06-01",
    "tool": "mcpscale 0.1.0",
    "servers": [{"name": "claims", "transport": "http", "url": "https://claims.example/mcp"}],
    "findings": [{"id": "no-auth", "severity": "high", "server": "claims", "message": "Open."}],
    "measurements": {
        "protocol_version": "2025-06-18",
        "server_name": "claims",
        "capabilities": ["tools"],
        "tools": 3,
        "latency": {"requests": 50, "p50_ms": 120, "p95_ms": 240, "p99_ms": 300, "max_ms": 310},
        "tls": True,
        "tls_verified": True,
        "unauthenticated_rejected": False,
        "unauthenticated_status": 200,
        "protected_resource_metadata": False,
    },
}


def test_a_v1_probe_reads_as_one_probe_with_the_same_facts() -> None:
    evidence = Evidence.model_validate(V1_PROBE)
    (probe,) = evidence.probes
    assert evidence.schema_ == "mcpscale/evidence@2"
    assert probe.server == "claims" and probe.transport == "http"
    assert probe.listed is not None and probe.listed.tools == 3
    assert probe.authorization is not None and probe.authorization.unauthenticated == "accepted"
    assert evidence_facts(evidence) == {
        "finding.no-auth": 1,
        "latency.p95_ms": 240,
        "unauthenticated_rejected": False,
        "tls": True,
        "tls_verified": True,
    }


def test_validate_accepts_a_v1_file_and_score_holds_answers_against_it(
    cli: Cli, tmp_path: Path
) -> None:
    old = tmp_path / "probe-2026-06.json"
    old.write_text(json.dumps(V1_PROBE))
    result = cli("validate", old)
    assert result.exit_code == 0, result.output
    examples = Path(__file__).parent.parent / "examples" / "acme"
    scored = cli(
        "score", examples / "answers", "--profile", examples / "profile.yaml",
        "--evidence", old, "--format", "json",
    )  # fmt: skip
    assert scored.exit_code == 0, scored.output
    assert "open-server" in scored.stdout or "no-auth" in scored.stdout
