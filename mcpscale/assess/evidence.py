"""Holds answers against evidence: a pack's evidence rules turn findings and measurements
into the highest level each question can honestly claim.

A pack's `evidence.yaml` (`kind: evidence-rules`) lists rules as data; `when` is a
condition (the same language as `applies_if`) over the facts of one evidence file:

    finding.<id>               how many findings with that id (e.g. finding.plaintext-http)
    latency.p95_ms             the probe's p95 latency
    unauthenticated_rejected   did the server refuse a request without credentials
    tls, tls_verified          did the probe use TLS, did the certificate verify
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mcpscale.formats.conditions import evaluate, parse_condition
from mcpscale.formats.evidence import Evidence, EvidenceRule


@dataclass(frozen=True)
class Cap:
    """The highest level the evidence supports for one question, and why."""

    level: int
    finding: str
    source: str
    says: str


def evidence_facts(evidence: Evidence) -> dict[str, Any]:
    facts: dict[str, Any] = {}
    for finding in evidence.findings:
        key = f"finding.{finding.id}"
        facts[key] = facts.get(key, 0) + 1
    measured = evidence.measurements
    if measured is not None:
        if measured.latency is not None:
            facts["latency.p95_ms"] = measured.latency.p95_ms
        for name in ("unauthenticated_rejected", "tls", "tls_verified"):
            value = getattr(measured, name)
            if value is not None:
                facts[name] = value
    return facts


def _source(evidence: Evidence, path: Path, rule: EvidenceRule) -> str:
    """Where the evidence stands: the first matching finding's file:line, else the file."""
    for finding in evidence.findings:
        if f"finding.{finding.id}" in rule.when and finding.location is not None:
            location = finding.location
            return f"{location.path}:{location.line}" if location.line else location.path
    return str(path)


def evidence_caps(
    rules: Sequence[EvidenceRule], evidence_files: Sequence[tuple[Path, Evidence]]
) -> dict[str, Cap]:
    """Question id -> the lowest level any evidence file supports for it."""
    caps: dict[str, Cap] = {}
    for path, evidence in evidence_files:
        facts = evidence_facts(evidence)
        for rule in rules:
            if not evaluate(parse_condition(rule.when), facts):
                continue
            for question_id, level in sorted(rule.caps.items()):
                known = caps.get(question_id)
                if known is None or level < known.level:
                    caps[question_id] = Cap(
                        level, rule.finding, _source(evidence, path, rule), rule.says
                    )
    return caps
