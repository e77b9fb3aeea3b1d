"""The report's story: verdict, key findings, recommendation and decision; respondents as evidence.

Findings come from assess/findings.py (derived and ranked there) and the plan's facts (the
gate that blocks, phase 1's budget and start); a `kind: narrative` file adds its own findings
first, promotes respondents' notes to findings by question id, drops derived findings by id,
and may replace the verdict, the recommendation and the decision.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mcpscale.assess.findings import MAX_KEY_FINDINGS, BlockedGate, KeyFinding, derive_findings
from mcpscale.assess.respondents import RespondentReading, lone_ends, read_respondents
from mcpscale.errors import UserError, did_you_mean
from mcpscale.formats.narrative import Narrative, NarrativeFinding
from mcpscale.formats.results import QuestionScore, Result
from mcpscale.render.report.options import ReportOptions
from mcpscale.render.style import fmt_money, fmt_percent, fmt_score

if TYPE_CHECKING:
    from mcpscale.plan.compose import Plan

CONFIDENCE_RANK = {"low": 1, "medium": 2, "high": 3}


def with_narrative(options: ReportOptions, path: Path | None) -> ReportOptions:
    """The options with a narrative file read and checked (exit 2 on a bad file)."""
    if path is None:
        return options
    from mcpscale.inputs.load import load_model

    return dataclasses.replace(options, narrative=load_model(path, Narrative), narrative_path=path)


def story_context(
    result: Result, options: ReportOptions, plan: Plan | None, toc: list[dict[str, str]]
) -> dict[str, Any]:
    """Key `story`: verdict, key_messages, findings, recommendation, decision, respondents."""
    narrative = options.narrative
    where = str(options.narrative_path or "narrative")
    titles = {entry["id"]: entry["title"] for entry in toc}
    reading = read_respondents(result)
    blocked = _blocked_gate(plan)
    derived = derive_findings(result, reading, blocked)
    findings: list[KeyFinding] = []
    limit = MAX_KEY_FINDINGS
    if narrative is not None:
        known = {f.id for f in derived}
        for index, drop in enumerate(narrative.drop):
            if drop not in known:
                raise UserError(
                    f"{where}: drop[{index}]: no derived finding '{drop}'"
                    f"{did_you_mean(drop, known)}; the findings are: {', '.join(sorted(known))}"
                )
        findings = [
            _narrative_finding(result, item, index, where)
            for index, item in enumerate(narrative.findings)
        ]
        limit = max(limit, len(findings))
        if narrative.derived_findings:
            findings += [f for f in derived if f.id not in narrative.drop]
    else:
        findings = derived
    verdict = (narrative and narrative.verdict) or _verdict(result, plan, blocked)
    key_messages = list(narrative.key_messages) if narrative else []
    return {
        "verdict": verdict,  # the names custom templates knew before the story
        "summary_lines": key_messages,
        "story": {
            "verdict": verdict,
            "key_messages": key_messages,
            "findings": [
                {
                    "id": f.id,
                    "severity": f.severity,
                    "title": f.title,
                    "section": f.section,
                    "section_title": titles.get(f.section, f.section),
                }
                for f in findings[:limit]
            ],
            "recommendation": (narrative and narrative.recommendation)
            or _recommendation(result, plan, blocked),
            "decision": (narrative and narrative.decision) or _decision(plan),
            "respondents": _respondents_view(result, reading),
        },
    }


def _blocked_gate(plan: Plan | None) -> BlockedGate | None:
    if plan is None or not plan.gates:
        return None
    gate = next((g for g in sorted(plan.gates, key=lambda g: g.phase) if not g.ready), None)
    return None if gate is None else BlockedGate(gate.phase, gate.name, tuple(gate.blocking))


def _narrative_finding(
    result: Result, item: NarrativeFinding, index: int, where: str
) -> KeyFinding:
    section = "summary"
    title = item.title
    if item.question is not None:
        question = next((q for q in result.questions if q.id == item.question), None)
        if question is None:
            raise UserError(
                f"{where}: findings[{index}].question: unknown question '{item.question}'"
                f"{did_you_mean(item.question, (q.id for q in result.questions))}"
            )
        section = f"dimension-{question.dimension}"
        if title is None:
            title = _promoted_note(question, item.respondent, index, where)
    assert title is not None  # the model requires a title or a question
    return KeyFinding(f"narrative:{index + 1}", "narrative", item.severity, title, section)


def _promoted_note(question: QuestionScore, respondent: str | None, index: int, where: str) -> str:
    notes = [(a.respondent, a.note) for a in question.answers if a.note]
    if respondent is not None:
        notes = [(name, note) for name, note in notes if name == respondent]
    if not notes:
        whose = f" by {respondent}" if respondent else ""
        raise UserError(
            f"{where}: findings[{index}]: no note{whose} on {question.id} to promote; "
            "give the finding a title"
        )
    name, note = max(notes, key=lambda pair: (len(pair[1]), pair[0]))
    return f"{note.rstrip()} ({name}, on: {question.text})"


def _verdict(result: Result, plan: Plan | None, blocked: BlockedGate | None) -> str:
    overall = result.overall
    if overall.score is None:
        return "No question was scored: the assessment cannot say where the organisation stands."
    organisation = result.profile_name or "The organisation"
    top = max(level for level, _ in result.scale) if result.scale else 5
    targets = sorted({d.target for d in result.dimensions})
    target_text = (
        f"target {targets[0]:g}" if len(targets) == 1 else f"targets {targets[0]:g}-{targets[-1]:g}"
    )
    furthest = max(
        (d for d in result.dimensions if d.gap), key=lambda d: (d.gap or 0, d.id), default=None
    )
    sentence = (
        f"{organisation} is at maturity level {overall.level} {overall.level_name} "
        f"({fmt_score(overall.score)} of {top}, {target_text})"
    )
    if plan is not None and plan.gates:
        if blocked is None:
            sentence += ", ready to enter every phase of the plan"
        elif blocked.phase == 1:
            sentence += f", not yet ready to start phase 1 {blocked.name}"
        else:
            ready = max(g.phase for g in plan.gates if g.phase < blocked.phase)
            ready_name = next(g.name for g in plan.gates if g.phase == ready)
            sentence += (
                f": ready to start phase {ready} {ready_name}, not yet phase "
                f"{blocked.phase} {blocked.name}"
            )
    if furthest is not None:
        sentence += f", with {furthest.name.lower()} furthest behind"
    return sentence + "."


def _phase_one(plan: Plan) -> tuple[str, str, int] | None:
    """(name, start date, initiatives) of the roadmap's first phase."""
    from mcpscale.plan.compose import add_months

    roadmap = plan.roadmap
    if roadmap is None or not roadmap.phases:
        return None
    first = min(roadmap.phases, key=lambda p: p.phase)
    count = sum(1 for item in roadmap.initiatives if item.phase == first.phase)
    return first.name, add_months(plan.plan_start, first.start_month).isoformat(), count


def _recommendation(result: Result, plan: Plan | None, blocked: BlockedGate | None) -> str:
    gaps = sorted((d for d in result.dimensions if d.gap), key=lambda d: (-(d.gap or 0), d.id))
    gap_names = " and ".join(d.name.lower() for d in gaps[:2])
    settle = (
        f" Settle the {len(result.disagreements)} disagreements before the scores set targets."
        if result.disagreements
        else ""
    )
    phase = _phase_one(plan) if plan is not None else None
    if phase is None:
        closes = f"close the largest gaps ({gap_names})" if gaps else "hold the level reached"
        return f"Plan the work to {closes}.{settle}"
    name, start, count = phase
    why = f"close the largest gaps ({gap_names})" if gaps else "keep the level reached"
    if blocked is not None and blocked.phase > 1:
        why += f" and meet the criteria that block phase {blocked.phase} {blocked.name}"
    return f"Start phase 1 {name} on {start}: its {count} initiatives {why}.{settle}"


def _decision(plan: Plan | None) -> str | None:
    if plan is None or plan.budget is None:
        return None
    phase = _phase_one(plan)
    if phase is None:
        return None
    name, start, _ = phase
    budget = plan.budget
    amount = budget.by_phase().get(1, 0.0)
    contingency = (
        f" plus {fmt_percent(budget.contingency_rate)} contingency"
        if budget.contingency_rate
        else ""
    )
    return (
        f"Fund phase 1 {name} at {fmt_money(amount, plan.profile.currency)}{contingency} "
        f"by {start}, when it starts."
    )


def _confidence_text(counts: dict[str, int]) -> str:
    shown = [f"{n} {level}" for level, n in counts.items() if n]
    return ", ".join(shown) if shown else "not stated"


def _respondents_view(result: Result, reading: RespondentReading) -> dict[str, Any]:
    outlier = reading.outlier
    rows = [
        {
            "name": s.name,
            "role": s.role,
            "levels": s.levels,
            "mean_text": fmt_score(s.mean_level),
            "room_text": fmt_score(s.room_mean),
            "difference_text": "-" if s.difference is None else f"{s.difference:+.2f}",
            "alone_high": s.alone_high,
            "alone_low": s.alone_low,
            "confidence_text": _confidence_text(s.confidence),
            "outlier": outlier is not None and s.name == outlier.name,
        }
        for s in reading.standings
    ]
    sentence = None
    if outlier is not None and outlier.difference is not None:
        above = outlier.difference > 0
        sentence = (
            f"{outlier.name} rates {'above' if above else 'below'} the room: "
            f"{fmt_score(outlier.mean_level)} on average against {fmt_score(outlier.room_mean)} "
            f"for everyone else, and alone at the {'high' if above else 'low'} end of "
            f"{outlier.alone_high if above else outlier.alone_low} of {reading.disagreements} "
            f"disagreements. The overall is {fmt_score(reading.overall)} with their answers and "
            f"{fmt_score(reading.overall_without_outlier)} without them."
        )
    return {
        "rows": rows,
        "outlier": outlier.name if outlier else None,
        "outlier_text": sentence,
        "overall_text": fmt_score(reading.overall),
        "without_text": fmt_score(reading.overall_without_outlier),
        "disagreements": _disagreement_confidence(result),
    }


def _disagreement_confidence(result: Result) -> list[dict[str, Any]]:
    """Each disagreement with who stands alone at an end and how firmly each answer is held;
    those whose lone answer is held less firmly than the rest come first, to check first."""
    by_question = {q.id: q for q in result.questions}
    rows = []
    for d in result.disagreements:
        question = by_question[d.question]
        confidence = {a.respondent: a.confidence for a in question.answers}
        high, low = lone_ends(d)
        lone = [name for name in (high, low) if name is not None]
        phrases, weak = [], False
        for name in lone:
            own = confidence.get(name)
            firmest = max(
                (CONFIDENCE_RANK[c] for n, c in confidence.items() if n != name and c),
                default=0,
            )
            if own is None:
                phrases.append(f"{name} alone, confidence not stated")
            elif CONFIDENCE_RANK[own] < firmest:
                weak = True
                phrases.append(f"{name} alone with {own} confidence against firmer answers")
            else:
                phrases.append(f"{name} alone, held with {own} confidence")
        stated = all(confidence.get(name) for name in lone)
        order = 0 if weak else 1 if stated else 2
        reading = "; ".join(phrases) or "no one alone at either end"
        if weak:
            reading += ": check first"
        rows.append(
            {
                "question": d.question,
                "text": d.text,
                "levels": [
                    {
                        "name": name,
                        "level": level,
                        "confidence": confidence.get(name) or "",
                        "lone": name in lone,
                    }
                    for name, level in sorted(d.levels.items(), key=lambda p: (-p[1], p[0]))
                ],
                "reading": reading,
                "order": order,
            }
        )
    rows.sort(key=lambda r: (r["order"], r["question"]))
    return rows
