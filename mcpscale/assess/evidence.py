"""Holds answers against evidence: a pack's evidence rules turn findings and measurements
into the highest level each question can honestly claim.

A pack's `evidence.yaml` (`kind: evidence-rules`) lists rules as data; `when` is a
condition (the same language as `applies_if`) over the facts of one evidence file:

    finding.<id>               how many findings with that id (e.g. finding.plaintext-http)
    latency.p95_ms             the highest p95 latency (one request at a time) probed
    unauthenticated_rejected   did every server probed refuse a request without credentials
                               (a redirect to a login counts as refused; a server on loopback,
                               reachable only from its own machine, is left out)
    tls, tls_verified          did every probe use TLS, did every certificate verify
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mcpscale.formats.conditions import evaluate, parse_condition
from mcpscale.formats.evidence import SEVERITY_ORDER, Evidence, EvidenceRule
from mcpscale.formats.results import EvidenceServer


@dataclass(frozen=True)
class Cap:
    """The highest level the evidence supports for one question, and why."""

    level: int
    finding: str
    source: str
    says: str


def evidence_facts(evidence: Evidence) -> dict[str, Any]:
    """One evidence file's facts; over several probed servers, the worst of each."""
    facts: dict[str, Any] = {}
    for finding in evidence.findings:
        key = f"finding.{finding.id}"
        facts[key] = facts.get(key, 0) + 1
    probes = [probe for probe in evidence.probes if probe.error is None]
    p95s = [probe.latency.p95_ms for probe in probes if probe.latency is not None]
    if p95s:
        facts["latency.p95_ms"] = max(p95s)
    verdicts = [
        probe.authorization.unauthenticated != "accepted"
        for probe in probes
        if probe.authorization is not None
        and probe.authorization.unauthenticated != "error"
        and not probe.authorization.loopback
    ]
    if verdicts:
        facts["unauthenticated_rejected"] = all(verdicts)
    for name in ("tls", "tls_verified"):
        values = [getattr(probe, name) for probe in probes if getattr(probe, name) is not None]
        if values:
            facts[name] = all(values)
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


def estate_servers(evidence_files: Sequence[tuple[Path, Evidence]]) -> tuple[EvidenceServer, ...]:
    """Every server the evidence names, once, with its findings counted by id (worst first).

    A server named in several files (a scan and a probe) is one row; rows are sorted by
    name, so the same files give the same table."""
    transports: dict[str, str] = {}
    sources: dict[str, set[str]] = {}
    counts: dict[str, dict[tuple[str, str], int]] = {}
    errors: dict[str, str] = {}
    for path, evidence in evidence_files:
        for server in evidence.servers:
            transports.setdefault(server.name, server.transport)
            sources.setdefault(server.name, set()).add(str(path))
            counts.setdefault(server.name, {})
        for finding in evidence.findings:
            key = (finding.id, finding.severity)
            row = counts.setdefault(finding.server, {})
            row[key] = row.get(key, 0) + 1
            sources.setdefault(finding.server, set()).add(str(path))
        for probe in evidence.probes:
            if probe.error:
                errors[probe.server] = probe.error
    return tuple(
        EvidenceServer(
            name=name,
            transport=transports.get(name, "-"),
            sources=tuple(sorted(sources.get(name, ()))),
            findings=tuple(
                (finding, severity, count)
                for (finding, severity), count in sorted(
                    counts[name].items(), key=lambda item: (-SEVERITY_ORDER[item[0][1]], item[0][0])
                )
            ),
            error=errors.get(name),
        )
        for name in sorted(counts)
    )
