"""Key findings for the executive summary, derived from a Result and ranked by one rule.

What is a finding, and how severe (pinned by tests/test_story.py):
- scan: high-severity findings on the scanned MCP servers (`evidence_servers`): high;
- conflict: answers claiming more than the evidence supports: high;
- gate: entry criteria blocking the next phase: high for phase 1 (nothing may start),
  medium for a later phase;
- gap: a dimension's gap to its target of at least GAP_MIN levels: high from GAP_HIGH,
  medium from GAP_MEDIUM, low below (levels of a 1-5 scale: on other scales the same share
  of the scale's span, Result.on_scale);
- outlier: one respondent systematically above or below the room (assess/respondents.py):
  high when leaving them out moves the overall by OUTLIER_HIGH_SHIFT or more, else medium;
- unknown: questions at least half of whose answers are "don't know": medium from
  UNKNOWN_MEDIUM such questions, low below.

The ranking rule: severity first (high, medium, low); within a severity, facts before
opinion, in the order of KINDS (scan, conflict, gate, gap, outlier, unknown); within a kind,
the larger first (a gap's size, a count); then by id, so the order never depends on input
order. The summary shows the first MAX_KEY_FINDINGS. A narrative file's findings come before
all of these (render/report/story.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from mcpscale.assess.respondents import RespondentReading
from mcpscale.formats.evidence import Severity
from mcpscale.formats.questionnaire import UNKNOWN
from mcpscale.formats.results import Result

KINDS = ("narrative", "scan", "conflict", "gate", "gap", "outlier", "unknown")
SEVERITIES: tuple[Severity, ...] = ("high", "medium", "low")
MAX_KEY_FINDINGS = 5
GAP_MIN, GAP_MEDIUM, GAP_HIGH = 0.5, 1.0, 1.5
OUTLIER_HIGH_SHIFT = 0.25
UNKNOWN_SHARE, UNKNOWN_MEDIUM = 0.5, 3


@dataclass(frozen=True)
class KeyFinding:
    id: str  # stable, so a narrative file can drop it: "gap:gov", "outlier", ...
    kind: str
    severity: Severity
    title: str  # one sentence, plain text
    section: str  # the id of the report section that argues it
    size: float = 0.0


@dataclass(frozen=True)
class BlockedGate:
    """The first phase whose entry criteria do not hold yet (from the plan, as plain data)."""

    phase: int
    name: str
    criteria: tuple[str, ...]


def rank(findings: Sequence[KeyFinding]) -> list[KeyFinding]:
    """The documented rule: severity, then kind, then size (larger first), then id."""
    return sorted(
        findings,
        key=lambda f: (SEVERITIES.index(f.severity), KINDS.index(f.kind), -f.size, f.id),
    )


def derive_findings(
    result: Result, reading: RespondentReading, blocked: BlockedGate | None = None
) -> list[KeyFinding]:
    """Every finding the data supports, ranked; the caller shows the first few."""
    findings = [
        *_scan(result),
        *_conflicts(result),
        *_gaps(result),
        *_outlier(result, reading),
        *_unknowns(result),
    ]
    if blocked is not None and blocked.criteria:
        count = len(blocked.criteria)
        findings.append(
            KeyFinding(
                "gate",
                "gate",
                "high" if blocked.phase == 1 else "medium",
                f"Phase {blocked.phase} {blocked.name} cannot start yet: {count} entry "
                f"criteri{'on is' if count == 1 else 'a are'} unmet "
                f"({'; '.join(blocked.criteria)}).",
                "gates",
                count,
            )
        )
    return rank(findings)


def _scan(result: Result) -> list[KeyFinding]:
    high = [
        (server.name, finding, count)
        for server in result.evidence_servers
        for finding, severity, count in server.findings
        if severity == "high"
    ]
    if not high:
        return []
    total = sum(count for _, _, count in high)
    servers = len({name for name, _, _ in high})
    kinds = sorted({finding for _, finding, _ in high})
    shown = ", ".join(kinds[:3]) + (f" and {len(kinds) - 3} more" if len(kinds) > 3 else "")
    return [
        KeyFinding(
            "scan",
            "scan",
            "high",
            f"The scan found {total} high-severity finding{'s' if total != 1 else ''} on "
            f"{servers} of {len(result.evidence_servers)} MCP servers ({shown}).",
            "evidence-estate",
            total,
        )
    ]


def _conflicts(result: Result) -> list[KeyFinding]:
    conflicts = result.evidence_conflicts
    if not conflicts:
        return []
    questions = len({c.question for c in conflicts})
    scored = "were scored at" if result.trust == "evidence" else "are scored above"
    return [
        KeyFinding(
            "conflict",
            "conflict",
            "high",
            f"{len(conflicts)} answer{'s' if len(conflicts) != 1 else ''} on {questions} "
            f"question{'s' if questions != 1 else ''} claim more than the evidence supports "
            f"and {scored} what it shows.",
            "evidence-conflicts",
            len(conflicts),
        )
    ]


def _gaps(result: Result) -> list[KeyFinding]:
    findings = []
    for d in result.dimensions:
        if d.gap is None or d.score is None or d.gap < result.on_scale(GAP_MIN):
            continue
        severity: Severity = (
            "high"
            if d.gap >= result.on_scale(GAP_HIGH)
            else "medium"
            if d.gap >= result.on_scale(GAP_MEDIUM)
            else "low"
        )
        findings.append(
            KeyFinding(
                f"gap:{d.id}",
                "gap",
                severity,
                f"{d.name} is at {d.score:.2f} against a target of {d.target:g}: "
                f"{d.gap:.2f} {result.unit} to close.",
                f"dimension-{d.id}",
                d.gap,
            )
        )
    return findings


def _outlier(result: Result, reading: RespondentReading) -> list[KeyFinding]:
    outlier = reading.outlier
    if outlier is None or outlier.mean_level is None or outlier.room_mean is None:
        return []
    overall, without = reading.overall, reading.overall_without_outlier
    shift = abs(overall - without) if overall is not None and without is not None else 0.0
    above = outlier.mean_level > outlier.room_mean
    alone = outlier.alone_high if above else outlier.alone_low
    moved = (
        f"; without their answers the overall is {without:.2f}, not {overall:.2f}"
        if overall is not None and without is not None
        else ""
    )
    return [
        KeyFinding(
            "outlier",
            "outlier",
            "high" if shift >= result.on_scale(OUTLIER_HIGH_SHIFT) else "medium",
            f"{outlier.name} ({outlier.role}) rates {'above' if above else 'below'} the room: "
            f"{outlier.mean_level:.2f} on average against {outlier.room_mean:.2f}, alone at the "
            f"{'high' if above else 'low'} end of {alone} of {reading.disagreements} "
            f"disagreements{moved}.",
            "respondents",
            shift,
        )
    ]


def _unknowns(result: Result) -> list[KeyFinding]:
    mostly_unknown = [
        q
        for q in result.questions
        if q.status != "not_applicable"
        and q.answers
        and sum(a.choice == UNKNOWN for a in q.answers) >= UNKNOWN_SHARE * len(q.answers)
    ]
    if not mostly_unknown:
        return []
    count = len(mostly_unknown)
    shown = "; ".join(q.text for q in mostly_unknown[:3]) + (
        f"; and {count - 3} more" if count > 3 else ""
    )
    return [
        KeyFinding(
            "unknown",
            "unknown",
            "medium" if count >= UNKNOWN_MEDIUM else "low",
            f"{count} question{'s are' if count != 1 else ' is'} answered mostly "
            f'"don\'t know": {shown}.',
            f"dimension-{mostly_unknown[0].dimension}",
            count,
        )
    ]
