"""Scored results as data (`mcpscale/result@1`): the dataclasses, and to and from dicts."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, NamedTuple

from mcpscale.errors import UserError

RESULT_SCHEMA = "mcpscale/result@1"
Aggregate = Literal["mean", "median"]
Trust = Literal["answers", "evidence"]
QuestionStatus = Literal["scored", "unknown", "unanswered", "not_applicable"]


class RespondentAnswer(NamedTuple):
    """One respondent's answer to one question (a tuple: there are many of these)."""

    respondent: str
    choice: str
    level: int | None
    confidence: str | None = None
    note: str | None = None
    reason: str | None = None
    evidence: tuple[str, ...] = ()


@dataclass(frozen=True)
class QuestionScore:
    id: str
    dimension: str
    area: str | None
    text: str
    weight: float
    status: QuestionStatus
    score: float | None
    level: int | None
    level_name: str | None
    spread: int | None
    disagreement: bool
    answers: tuple[RespondentAnswer, ...]
    not_applicable_reason: str | None = None


@dataclass(frozen=True)
class DimensionScore:
    id: str
    name: str
    weight: float
    score: float | None
    level: int | None
    level_name: str | None
    target: float
    gap: float | None
    coverage: float | None
    applicable: int
    answered: int
    unknown: int
    unanswered: int
    not_applicable: int


@dataclass(frozen=True)
class OverallScore:
    score: float | None
    level: int | None
    level_name: str | None


@dataclass(frozen=True)
class Disagreement:
    question: str
    dimension: str
    text: str
    min_level: int
    max_level: int
    spread: int
    levels: dict[str, int]


@dataclass(frozen=True)
class RespondentInfo:
    name: str
    role: str
    group: str | None
    assessed_at: str
    answered: int


@dataclass(frozen=True)
class EvidenceConflict:
    """A respondent claimed more than the evidence supports."""

    question: str
    respondent: str
    answered_level: int
    supported_level: int
    finding: str
    source: str
    says: str


@dataclass(frozen=True)
class Result:
    questionnaire_id: str
    questionnaire_version: str
    questionnaire_title: str
    profile_name: str | None
    aggregate: Aggregate
    scale: tuple[tuple[int, str], ...]
    assessed_at: str | None
    overall: OverallScore
    dimensions: tuple[DimensionScore, ...]
    questions: tuple[QuestionScore, ...]
    respondents: tuple[RespondentInfo, ...]
    disagreements: tuple[Disagreement, ...] = field(default=())
    evidence_conflicts: tuple[EvidenceConflict, ...] = field(default=())
    trust: Trust = "answers"

    def dimension(self, dimension_id: str) -> DimensionScore:
        return next(d for d in self.dimensions if d.id == dimension_id)


def result_to_dict(result: Result) -> dict[str, Any]:
    """The versioned JSON shape (`mcpscale/result@1`); keys are sorted when written."""
    return {
        "schema": RESULT_SCHEMA,
        "questionnaire": {
            "id": result.questionnaire_id,
            "version": result.questionnaire_version,
            "title": result.questionnaire_title,
        },
        "profile": result.profile_name,
        "aggregate": result.aggregate,
        "assessed_at": result.assessed_at,
        "scale": [{"level": level, "name": name} for level, name in result.scale],
        "overall": {
            "score": result.overall.score,
            "level": result.overall.level,
            "level_name": result.overall.level_name,
        },
        "dimensions": [
            {
                "id": d.id,
                "name": d.name,
                "weight": d.weight,
                "score": d.score,
                "level": d.level,
                "level_name": d.level_name,
                "target": d.target,
                "gap": d.gap,
                "coverage": d.coverage,
                "applicable": d.applicable,
                "answered": d.answered,
                "unknown": d.unknown,
                "unanswered": d.unanswered,
                "not_applicable": d.not_applicable,
            }
            for d in result.dimensions
        ],
        "questions": [
            {
                "id": q.id,
                "dimension": q.dimension,
                "area": q.area,
                "text": q.text,
                "weight": q.weight,
                "status": q.status,
                "score": q.score,
                "level": q.level,
                "level_name": q.level_name,
                "spread": q.spread,
                "disagreement": q.disagreement,
                "not_applicable_reason": q.not_applicable_reason,
                "answers": [
                    {
                        "respondent": a.respondent,
                        "choice": a.choice,
                        "level": a.level,
                        "confidence": a.confidence,
                        "note": a.note,
                        "reason": a.reason,
                        "evidence": list(a.evidence),
                    }
                    for a in q.answers
                ],
            }
            for q in result.questions
        ],
        "respondents": [
            {
                "name": r.name,
                "role": r.role,
                "group": r.group,
                "assessed_at": r.assessed_at,
                "answered": r.answered,
            }
            for r in result.respondents
        ],
        "trust": result.trust,
        "evidence_conflicts": [
            {
                "question": c.question,
                "respondent": c.respondent,
                "answered_level": c.answered_level,
                "supported_level": c.supported_level,
                "finding": c.finding,
                "source": c.source,
                "says": c.says,
            }
            for c in result.evidence_conflicts
        ],
        "disagreements": [
            {
                "question": d.question,
                "dimension": d.dimension,
                "text": d.text,
                "min_level": d.min_level,
                "max_level": d.max_level,
                "spread": d.spread,
                "levels": d.levels,
            }
            for d in result.disagreements
        ],
    }


class SavedResult(NamedTuple):
    """One result document as `mcpscale score --format json` wrote it."""

    path: Path
    data: dict[str, Any]

    @property
    def questionnaire_id(self) -> str:
        return str(self.data["questionnaire"]["id"])

    @property
    def assessed_at(self) -> str:
        return self.data.get("assessed_at") or ""

    @property
    def overall(self) -> float | None:
        return self.data["overall"]["score"]

    @property
    def dimensions(self) -> list[dict[str, Any]]:
        return list(self.data["dimensions"])


def parse_result(data: Any, path: Path) -> SavedResult:
    schema = data.get("schema") if isinstance(data, dict) else None
    if schema != RESULT_SCHEMA:
        found = f"'{schema}'" if schema else "no schema"
        raise UserError.at(
            path,
            f'not an mcpscale result ({found}, expected "schema": "{RESULT_SCHEMA}"); '
            "write results with mcpscale score --format json --output FILE",
        )
    try:
        for key in ("questionnaire", "overall", "dimensions", "questions"):
            data[key]  # noqa: B018 - presence check
        for dimension in data["dimensions"]:
            dimension["id"], dimension["score"], dimension["target"]  # noqa: B018
    except (KeyError, TypeError):
        raise UserError.at(
            path, "result is incomplete or edited by hand; score the answers again"
        ) from None
    return SavedResult(path, data)
