"""Answers + questionnaire + profile -> maturity scores, gaps, coverage and disagreements.

The rules (pinned by tests/test_scoring.py and tests/test_generality_scoring.py):
- an answer's score is its choice's level (a multi-select's: its first matching rule's
  level, else the scale's lowest); `unknown` and `na` are left out of means;
- a question's score is the mean (or median) of its respondents' levels; levels that
  span at least the questionnaire's disagreement spread (by default 40% of the scale's
  span: 2 levels on 1-5) are a disagreement;
- a dimension's score is the weighted mean of its scored questions (question weights);
  questions with `scored: false` are shown but never scored nor flagged as disagreements.
  In a gated dimension or area, each area (and the questions in no area) counts as one
  part whose score is the highest scale level N such that every applicable question of
  level N and below is met (its score at its own target, by default the top of the scale),
  weighted by its questions' weights;
- the overall score is the weighted mean of the dimension scores (dimension weights)
  over the dimensions that have one;
- level = the highest scale level at or below the score, named from the scale;
  gap = max(0, target - score); coverage = scored / applicable questions; a question with
  its own target has its own gap.
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
from mcpscale.formats.questionnaire import (
    NOT_APPLICABLE,
    UNKNOWN,
    Dimension,
    Question,
    Questionnaire,
)
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
# A score within this of a target meets it (weighted means land a hair off exact levels).
_TOLERANCE = 1e-9


def weighted_mean(pairs: Sequence[tuple[float, float]]) -> float | None:
    """Mean of values weighted by weights; None when there is nothing to average.

    math.fsum is exactly rounded, so the result does not depend on the order of pairs.
    """
    total_weight = math.fsum(weight for _, weight in pairs)
    if not pairs or total_weight <= 0:
        return None
    return math.fsum(value * weight for value, weight in pairs) / total_weight


def is_disagreement(
    questionnaire: Questionnaire,
    question: Question,
    spread: float | None,
    least: float | None = None,
) -> bool:
    """Do answers to `question` whose levels span `spread` disagree? The one rule score, the
    room and the workshop use. An informational question's spread is never flagged:
    nothing rides on it. `least` is the questionnaire's disagreement_spread, when the caller
    has worked it out once for many questions."""
    if not question.scored or spread is None or spread <= 0:
        return False
    least = questionnaire.disagreement_spread if least is None else least
    return spread >= least - _TOLERANCE


def answer_level(
    questionnaire: Questionnaire, question: Question, choice: str | Sequence[str]
) -> int | None:
    """The level an answer scores: its choice's, a multi-select's rule's; None for
    `unknown`, `na` or an id the question does not have."""
    if isinstance(choice, str):
        found = question.choice(choice)
        return None if found is None else found.level
    return question.level_of_selection(choice, questionnaire.min_level)


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
    least_spread = questionnaire.disagreement_spread
    question_scores = tuple(
        _score_question(
            questionnaire,
            question,
            respondents,
            profile,
            combine,
            least_spread,
            caps[question.id].level if trust == "evidence" and question.id in caps else None,
        )
        for question in questionnaire.questions
    )
    targets = profile.targets if profile else {}
    dimension_scores = []
    for dimension in questionnaire.dimensions:
        own = [q for q in question_scores if q.dimension == dimension.id and q.scored]
        scored = [q for q in own if q.score is not None]
        score = _dimension_score(questionnaire, dimension, own)
        target = targets.get(dimension.id, dimension.target)
        target = float(questionnaire.max_level if target is None else target)
        not_applicable = sum(q.status == "not_applicable" for q in own)
        applicable = len(own) - not_applicable
        level = _level_at(questionnaire, score)
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
                scoring=dimension.scoring,
            )
        )
    overall_score = weighted_mean(
        [(d.score, d.weight) for d in dimension_scores if d.score is not None]
    )
    overall_level = _level_at(questionnaire, overall_score)
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
        disagreement_spread=least_spread,
    )


def _level_at(questionnaire: Questionnaire, score: float | None) -> int | None:
    return None if score is None else questionnaire.level_at(score)


def _dimension_score(
    questionnaire: Questionnaire, dimension: Dimension, own: Sequence[QuestionScore]
) -> float | None:
    """The weighted mean of the dimension's parts: its questions, or a gated area as one part."""
    gated_areas = {
        area.id for area in dimension.areas if (area.scoring or dimension.scoring) == "gated"
    }
    if dimension.scoring == "gated":
        gated_areas.add("")  # the questions in no area are gated together
    pairs: list[tuple[float, float]] = []
    groups: dict[str, list[QuestionScore]] = {}
    for q in own:
        if (q.area or "") in gated_areas:
            groups.setdefault(q.area or "", []).append(q)
        elif q.score is not None:
            pairs.append((q.score, q.weight))
    for group in groups.values():
        gated = _gated_score(questionnaire, group)
        if gated is not None:
            pairs.append((gated, math.fsum(q.weight for q in group)))
    return weighted_mean(pairs)


def _gated_score(questionnaire: Questionnaire, group: Sequence[QuestionScore]) -> float | None:
    """The highest scale level N with every applicable question of level N and below met.

    A question is met when its score reaches its own target (by default the scale's top);
    an unanswered or unknown question is not met. None when no question has a score.
    """
    applicable = [q for q in group if q.status != "not_applicable"]
    if not any(q.score is not None for q in applicable):
        return None
    by_id = {q.id: q for q in applicable}
    levels = {
        q.id: question.level
        for q in applicable
        if (question := questionnaire.question(q.id)) is not None
    }
    reached = questionnaire.min_level
    for scale_level in sorted(s.level for s in questionnaire.scale):
        due = [
            by_id[i] for i, level in levels.items() if level is not None and level <= scale_level
        ]
        if not all(_met(questionnaire, q) for q in due):
            break
        reached = scale_level
    return float(reached)


def _met(questionnaire: Questionnaire, q: QuestionScore) -> bool:
    target = questionnaire.max_level if q.target is None else q.target
    return q.score is not None and q.score >= target - _TOLERANCE


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
            level = None if answer is None else answer_level(questionnaire, question, answer.choice)
            if level is not None and level > cap.level:
                conflicts.append(
                    EvidenceConflict(
                        question_id,
                        answer_set.respondent.name,
                        level,
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
    least_spread: float,
    cap: int | None = None,
) -> QuestionScore:
    def level(choice: str | Sequence[str]) -> int | None:
        found = answer_level(questionnaire, question, choice)
        # trusting the evidence: no answer scores above what it supports
        return found if cap is None or found is None else min(found, cap)

    answers = []
    carried: dict[str, str | list[str]] = {}  # the room's consensus, by respondent
    for answer_set in respondents:
        answer = answer_set.answers.get(question.id)
        if answer is None:
            continue
        name = answer_set.respondent.name
        answers.append(
            RespondentAnswer(
                name,
                _frozen(answer.choice),
                level(answer.choice),
                answer.confidence,
                answer.note,
                answer.reason,
                tuple(answer.evidence),
            )
        )
        if answer.consensus is not None:
            carried[name] = answer.consensus
    consensus = _consensus(question, carried)
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
    shown_level = _level_at(questionnaire, score)
    spread = max(levels) - min(levels) if levels else None
    return QuestionScore(
        id=question.id,
        dimension=question.dimension,
        area=question.area,
        text=question.text,
        weight=question.weight,
        status=status,
        score=score,
        level=shown_level,
        level_name=None if shown_level is None else questionnaire.level_name(shown_level),
        spread=spread,
        disagreement=is_disagreement(questionnaire, question, spread, least_spread),
        answers=tuple(answers),
        not_applicable_reason=reason,
        consensus=None if consensus is None else _frozen(consensus),
        consensus_level=None if consensus is None else level(consensus),
        scored=question.scored,
        target=question.target,
        gap=None if question.target is None or score is None else max(0.0, question.target - score),
        priority=question.priority,
        depends_on=tuple(question.depends_on),
    )


def _frozen(choice: str | Sequence[str]) -> str | tuple[str, ...]:
    """A choice as results hold it: an id, or a multi-select's selection as a tuple."""
    return choice if isinstance(choice, str) else tuple(choice)


def _consensus(
    question: Question, carried: Mapping[str, str | list[str]]
) -> str | list[str] | None:
    """The workshop room's agreed choice for `question`, the same in every answer carrying one
    (`carried`: by respondent, in the respondents' order).

    It is shown beside the answers and never changes the score: each person's own answer scores.
    """
    if len({str(choice) for choice in carried.values()}) > 1:
        says = ", ".join(f"{name} {choice}" for name, choice in carried.items())
        raise UserError(
            f"the answers to {question.id} carry different consensus choices ({says}); a "
            "consensus is the room's one agreed choice: write the same one in every "
            "respondent's file, or remove it"
        )
    return next(iter(carried.values()), None)
