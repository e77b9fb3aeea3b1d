"""Answers + questionnaire + profile -> maturity scores, gaps, coverage and disagreements.

The rules (pinned by tests/test_scoring.py):
- an answer's score is its choice's level; `unknown` and `na` are left out of means;
- a question's score is the mean (or median) of its respondents' levels; levels that
  span 2 or more are a disagreement;
- a dimension's score is the weighted mean of its scored questions (question weights);
  the overall score is the weighted mean of the dimension scores (dimension weights)
  over the dimensions that have one;
- level = floor(score), named from the scale; gap = max(0, target - score);
  coverage = scored / applicable questions.
Scores keep full precision; only displays round.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from mcpscale.errors import UserError
from mcpscale.formats.answers import AnswerSet
from mcpscale.formats.conditions import evaluate, parse_condition
from mcpscale.formats.profile import Profile
from mcpscale.formats.questionnaire import NOT_APPLICABLE, UNKNOWN, Question, Questionnaire
from mcpscale.formats.results import (
    Aggregate,
    DimensionScore,
    Disagreement,
    EvidenceConflict,
    OverallScore,
    QuestionScore,
    QuestionStatus,
    RespondentAnswer,
    RespondentInfo,
    Result,
    Trust,
)

if TYPE_CHECKING:
    from mcpscale.assess.evidence import Cap
DISAGREEMENT_SPREAD = 2
# Weighted means of exact levels can land a hair under a whole number (2.9999999...);
# the level is the floor of the score, so allow for that before flooring.
_FLOOR_TOLERANCE = 1e-9


def weighted_mean(pairs: Sequence[tuple[float, float]]) -> float | None:
    """Mean of values weighted by weights; None when there is nothing to average.

    math.fsum is exactly rounded, so the result does not depend on the order of pairs.
    """
    total_weight = math.fsum(weight for _, weight in pairs)
    if not pairs or total_weight <= 0:
        return None
    return math.fsum(value * weight for value, weight in pairs) / total_weight


def level_of(score: float | None) -> int | None:
    return None if score is None else math.floor(score + _FLOOR_TOLERANCE)


def question_applies(question: Question, profile: Profile | None) -> bool:
    """Without a profile nothing is known to exclude a question, so all apply."""
    if question.applies_if is None or profile is None:
        return True
    return evaluate(parse_condition(question.applies_if), profile.facts())


def score_answers(
    questionnaire: Questionnaire,
    answer_sets: Sequence[AnswerSet],
    profile: Profile | None = None,
    aggregate: Aggregate = "mean",
    caps: Mapping[str, Cap] | None = None,
    trust: Trust = "answers",
) -> Result:
    """Score the answers of any number of respondents; order of answer_sets never matters.

    `caps` (from evidence) lists the highest level the evidence supports per question;
    answers above it are reported as evidence conflicts, and with trust="evidence" they
    are scored at the supported level instead.
    """
    caps = caps or {}
    respondents = sorted(
        answer_sets, key=lambda a: (a.respondent.name.casefold(), a.respondent.role, a.assessed_at)
    )
    combine = statistics.median if aggregate == "median" else _mean
    question_scores = tuple(
        _score_question(
            questionnaire,
            question,
            respondents,
            profile,
            combine,
            caps[question.id].level if trust == "evidence" and question.id in caps else None,
        )
        for question in questionnaire.questions
    )
    targets = profile.targets if profile else {}
    dimension_scores = []
    for dimension in questionnaire.dimensions:
        own = [q for q in question_scores if q.dimension == dimension.id]
        scored = [q for q in own if q.score is not None]
        score = weighted_mean([(q.score, q.weight) for q in scored if q.score is not None])
        target = targets.get(dimension.id, dimension.target)
        target = float(questionnaire.max_level if target is None else target)
        not_applicable = sum(q.status == "not_applicable" for q in own)
        applicable = len(own) - not_applicable
        level = level_of(score)
        dimension_scores.append(
            DimensionScore(
                id=dimension.id,
                name=dimension.name,
                weight=dimension.weight,
                score=score,
                level=level,
                level_name=None if level is None else questionnaire.level_name(level),
                target=target,
                gap=None if score is None else max(0.0, target - score),
                coverage=len(scored) / applicable if applicable else None,
                applicable=applicable,
                answered=len(scored),
                unknown=sum(q.status == "unknown" for q in own),
                unanswered=sum(q.status == "unanswered" for q in own),
                not_applicable=not_applicable,
            )
        )
    overall_score = weighted_mean(
        [(d.score, d.weight) for d in dimension_scores if d.score is not None]
    )
    overall_level = level_of(overall_score)
    disagreements = tuple(
        Disagreement(
            question=q.id,
            dimension=q.dimension,
            text=q.text,
            min_level=min(levels.values()),
            max_level=max(levels.values()),
            spread=q.spread or 0,
            levels=levels,
            consensus=q.consensus,
            consensus_level=q.consensus_level,
        )
        for q in question_scores
        if q.disagreement
        for levels in [{a.respondent: a.level for a in q.answers if a.level is not None}]
    )
    dates = [a.assessed_at.isoformat() for a in respondents]
    return Result(
        questionnaire_id=questionnaire.id,
        questionnaire_version=questionnaire.version,
        questionnaire_title=questionnaire.title,
        profile_name=profile.name if profile else None,
        aggregate=aggregate,
        scale=tuple((s.level, s.name) for s in questionnaire.scale),
        assessed_at=max(dates) if dates else None,
        overall=OverallScore(
            overall_score,
            overall_level,
            None if overall_level is None else questionnaire.level_name(overall_level),
        ),
        dimensions=tuple(dimension_scores),
        questions=question_scores,
        respondents=tuple(
            RespondentInfo(
                a.respondent.name,
                a.respondent.role,
                a.respondent.group,
                a.assessed_at.isoformat(),
                sum(1 for ans in a.answers.values() if ans.choice != UNKNOWN),
            )
            for a in respondents
        ),
        disagreements=disagreements,
        evidence_conflicts=_evidence_conflicts(questionnaire, respondents, profile, caps),
        trust=trust,
    )


def _evidence_conflicts(
    questionnaire: Questionnaire,
    respondents: Sequence[AnswerSet],
    profile: Profile | None,
    caps: Mapping[str, Cap],
) -> tuple[EvidenceConflict, ...]:
    conflicts = []
    for question_id, cap in sorted(caps.items()):
        question = questionnaire.question(question_id)
        if question is None or not question_applies(question, profile):
            continue
        for answer_set in respondents:
            answer = answer_set.answers.get(question_id)
            choice = question.choice(answer.choice) if answer else None
            if choice is not None and choice.level > cap.level:
                conflicts.append(
                    EvidenceConflict(
                        question_id,
                        answer_set.respondent.name,
                        choice.level,
                        cap.level,
                        cap.finding,
                        cap.source,
                        cap.says,
                    )
                )
    return tuple(conflicts)


def _mean(values: Sequence[int]) -> float:
    return math.fsum(values) / len(values)


def _score_question(
    questionnaire: Questionnaire,
    question: Question,
    respondents: Sequence[AnswerSet],
    profile: Profile | None,
    combine: Any,
    cap: int | None = None,
) -> QuestionScore:
    choice_levels = {c.id: c.level for c in question.choices}
    if cap is not None:  # trusting the evidence: no answer scores above what it supports
        choice_levels = {choice: min(level, cap) for choice, level in choice_levels.items()}
    answers = []
    for answer_set in respondents:
        answer = answer_set.answers.get(question.id)
        if answer is None:
            continue
        answers.append(
            RespondentAnswer(
                answer_set.respondent.name,
                answer.choice,
                choice_levels.get(answer.choice),
                answer.confidence,
                answer.note,
                answer.reason,
                tuple(answer.evidence),
            )
        )
    consensus = _consensus(question, respondents)
    levels = [a.level for a in answers if a.level is not None]
    status: QuestionStatus
    reason = None
    if not question_applies(question, profile):
        status, reason, levels = "not_applicable", "applies_if", []
    elif levels:
        status = "scored"
    elif answers and all(a.choice == NOT_APPLICABLE for a in answers):
        status, reason = "not_applicable", "answered na"
    elif any(a.choice == UNKNOWN for a in answers):
        status = "unknown"
    else:
        status = "unanswered"
    score = float(combine(levels)) if levels else None
    level = level_of(score)
    spread = max(levels) - min(levels) if levels else None
    return QuestionScore(
        id=question.id,
        dimension=question.dimension,
        area=question.area,
        text=question.text,
        weight=question.weight,
        status=status,
        score=score,
        level=level,
        level_name=None if level is None else questionnaire.level_name(level),
        spread=spread,
        disagreement=spread is not None and spread >= DISAGREEMENT_SPREAD,
        answers=tuple(answers),
        not_applicable_reason=reason,
        consensus=consensus,
        consensus_level=None if consensus is None else choice_levels.get(consensus),
    )


def _consensus(question: Question, respondents: Sequence[AnswerSet]) -> str | None:
    """The workshop room's agreed choice for `question`, the same in every answer carrying one.

    It is shown beside the answers and never changes the score: each person's own answer scores.
    """
    carried = {
        answer_set.respondent.name: answer.consensus
        for answer_set in respondents
        if (answer := answer_set.answers.get(question.id)) is not None
        and answer.consensus is not None
    }
    if len(set(carried.values())) > 1:
        says = ", ".join(f"{name} {choice}" for name, choice in carried.items())
        raise UserError(
            f"the answers to {question.id} carry different consensus choices ({says}); a "
            "consensus is the room's one agreed choice: write the same one in every "
            "respondent's file, or remove it"
        )
    return next(iter(carried.values()), None)
