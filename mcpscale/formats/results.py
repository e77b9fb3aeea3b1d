"""Scored results as data (`mcpscale/result@1`): the dataclasses, and to and from dicts."""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, NamedTuple

from mcpscale.errors import Problem, UserError
from mcpscale.formats.strict import FIRST_YEAR, LAST_YEAR, MAX_NUMBER

RESULT_SCHEMA = "mcpscale/result@1"
Aggregate = Literal["mean", "median"]
Trust = Literal["answers", "evidence"]
QuestionStatus = Literal["scored", "unknown", "unanswered", "not_applicable"]


class RespondentAnswer(NamedTuple):
    """One respondent's answer to one question (a tuple: there are many of these)."""

    respondent: str
    choice: str | tuple[str, ...]  # a multi-select's answer is the choices selected together
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
    # The workshop room's agreed choice and its level, beside (never instead of) the answers
    consensus: str | tuple[str, ...] | None = None
    consensus_level: int | None = None
    # False for an informational question: asked and shown, left out of every score
    scored: bool = True
    target: float | None = None  # the question's own target, where the questionnaire sets one
    gap: float | None = None  # max(0, target - score), where both are known
    priority: str | None = None  # high, medium or low, where the questionnaire sets one
    depends_on: tuple[str, ...] = ()


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
    scoring: str = "mean"  # or "gated": level N only with every question of level N and below met


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
    consensus: str | tuple[str, ...] | None = None  # what the room agreed on, if it did
    consensus_level: int | None = None


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
class EvidenceServer:
    """One MCP server as the evidence saw it: where, and its findings by id."""

    name: str
    transport: str
    sources: tuple[str, ...]  # the evidence files that name it
    findings: tuple[tuple[str, str, int], ...] = ()  # (id, severity, how many), worst first
    error: str | None = None  # why a probe of it failed


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
    evidence_servers: tuple[EvidenceServer, ...] = field(default=())
    # answers whose levels span at least this much disagree (the questionnaire's rule)
    disagreement_spread: float = 2.0

    def dimension(self, dimension_id: str) -> DimensionScore:
        return next(d for d in self.dimensions if d.id == dimension_id)

    def on_scale(self, steps_of_five: float) -> float:
        """A distance given in steps of a 1-5 scale, on this result's scale.

        The report's thresholds (how large a gap is high, how far an outlier sits) were
        set on the 1-5 scale, whose span is 4; on a 0-100 scale one such step is 25.
        """
        levels = [level for level, _ in self.scale]
        span = max(levels) - min(levels) if levels else 4
        return steps_of_five * span / 4

    @property
    def unit(self) -> str:
        """What a distance on the scale is called: levels on 1, 2, 3..., points otherwise."""
        levels = sorted(level for level, _ in self.scale)
        steps = {b - a for a, b in zip(levels, levels[1:], strict=False)}
        return "levels" if steps <= {1} else "points"


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
                "scoring": d.scoring,
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
                "consensus": _choosing(q.consensus),
                "consensus_level": q.consensus_level,
                "scored": q.scored,
                "target": q.target,
                "gap": q.gap,
                "priority": q.priority,
                "depends_on": list(q.depends_on),
                "answers": [
                    {
                        "respondent": a.respondent,
                        "choice": _choosing(a.choice),
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
        "disagreement_spread": result.disagreement_spread,
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
        "evidence_servers": [
            {
                "name": e.name,
                "transport": e.transport,
                "sources": list(e.sources),
                "findings": [
                    {"id": finding, "severity": severity, "count": count}
                    for finding, severity, count in e.findings
                ],
                **({"error": e.error} if e.error else {}),
            }
            for e in result.evidence_servers
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
                "consensus": _choosing(d.consensus),
                "consensus_level": d.consensus_level,
            }
            for d in result.disagreements
        ],
    }


def _choosing(choice: str | tuple[str, ...] | None) -> str | list[str] | None:
    """A choice as JSON: an id, or a multi-select's selection as a list."""
    return list(choice) if isinstance(choice, tuple) else choice


class SavedResult(NamedTuple):
    """One result document as `mcpscale score --format json` wrote it."""

    path: Path
    data: dict[str, Any]

    @property
    def questionnaire_id(self) -> str:
        return str(self.data["questionnaire"]["id"])

    @property
    def questionnaire_version(self) -> str | None:
        version = self.data["questionnaire"].get("version")
        return None if version is None else str(version)

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
    """A loaded result document, its shape checked: a hand edit fails naming file and JSON path."""
    schema = data.get("schema") if isinstance(data, dict) else None
    if schema != RESULT_SCHEMA:
        found = f"'{schema}'" if isinstance(schema, str) and schema else "no schema"
        raise UserError.at(
            path,
            f'not an mcpscale result ({found}, expected "schema": "{RESULT_SCHEMA}"); '
            "write results with mcpscale score --format json --output FILE",
        )
    problems = [
        Problem(str(path), None, None, f"{where}: {message}")
        for where, message in _shape_problems(data, _RESULT, "")
    ]
    if problems:
        raise UserError.from_problems(problems)
    return SavedResult(path, data)


# ---------------------------------------------------------------- the shape of a result file
# What commands read from a saved result, as data: a hand-edited or truncated file is
# refused here, at its JSON path, instead of failing later inside a comparison. Keys not
# listed are kept and ignored; keys listed but not required may be missing (older files).


@dataclass(frozen=True)
class _Scalar:
    name: str  # "a number", "an integer", "text", "true or false", "a date (YYYY-MM-DD)"


@dataclass(frozen=True)
class _Optional:
    inner: Any


@dataclass(frozen=True)
class _List:
    item: Any


@dataclass(frozen=True)
class _Either:
    """One of two shapes (a choice id, or a multi-select's list of them)."""

    first: Any
    second: Any


@dataclass(frozen=True)
class _Object:
    keys: dict[str, Any]
    required: frozenset[str] = frozenset()


_NUMBER, _INT = _Scalar("a number"), _Scalar("an integer")
_TEXT, _BOOL, _DATE = _Scalar("text"), _Scalar("true or false"), _Scalar("a date (YYYY-MM-DD)")
_SCORE = _Optional(_NUMBER)
_CHOOSING = _Either(_TEXT, _List(_TEXT))

_ANSWER = _Object(
    {
        "respondent": _TEXT,
        "choice": _CHOOSING,
        "level": _Optional(_INT),
        "confidence": _Optional(_TEXT),
        "note": _Optional(_TEXT),
        "reason": _Optional(_TEXT),
        "evidence": _List(_TEXT),
    }
)
_QUESTION = _Object(
    {
        "id": _TEXT,
        "dimension": _TEXT,
        "area": _Optional(_TEXT),
        "text": _TEXT,
        "weight": _NUMBER,
        "status": _TEXT,
        "score": _SCORE,
        "level": _Optional(_INT),
        "level_name": _Optional(_TEXT),
        "spread": _Optional(_INT),
        "disagreement": _BOOL,
        "not_applicable_reason": _Optional(_TEXT),
        "consensus": _Optional(_CHOOSING),
        "consensus_level": _Optional(_INT),
        "scored": _BOOL,
        "target": _SCORE,
        "gap": _SCORE,
        "priority": _Optional(_TEXT),
        "depends_on": _List(_TEXT),
        "answers": _List(_ANSWER),
    },
    frozenset({"id"}),
)
_DIMENSION = _Object(
    {
        "id": _TEXT,
        "name": _TEXT,
        "weight": _NUMBER,
        "score": _SCORE,
        "level": _Optional(_INT),
        "level_name": _Optional(_TEXT),
        "target": _NUMBER,
        "gap": _SCORE,
        "coverage": _SCORE,
        "scoring": _TEXT,
        **dict.fromkeys(
            ("applicable", "answered", "unknown", "unanswered", "not_applicable"), _INT
        ),
    },
    frozenset({"id", "name", "score", "target"}),
)
_RESULT = _Object(
    {
        "schema": _TEXT,
        "questionnaire": _Object(
            {"id": _TEXT, "version": _TEXT, "title": _TEXT}, frozenset({"id"})
        ),
        "profile": _Optional(_TEXT),
        "aggregate": _TEXT,
        "assessed_at": _Optional(_DATE),
        "scale": _List(_Object({"level": _INT, "name": _TEXT}, frozenset({"level"}))),
        "overall": _Object(
            {"score": _SCORE, "level": _Optional(_INT), "level_name": _Optional(_TEXT)},
            frozenset({"score"}),
        ),
        "dimensions": _List(_DIMENSION),
        "questions": _List(_QUESTION),
        "respondents": _List(
            _Object(
                {
                    "name": _TEXT,
                    "role": _TEXT,
                    "group": _Optional(_TEXT),
                    "assessed_at": _DATE,
                    "answered": _INT,
                }
            )
        ),
        "trust": _TEXT,
        "disagreement_spread": _NUMBER,
        "evidence_servers": _List(
            _Object(
                {
                    "name": _TEXT,
                    "transport": _TEXT,
                    "sources": _List(_TEXT),
                    "findings": _List(
                        _Object({"id": _TEXT, "severity": _TEXT, "count": _INT}),
                    ),
                    "error": _Optional(_TEXT),
                },
                frozenset({"name"}),
            )
        ),
    },
    frozenset({"schema", "questionnaire", "overall", "dimensions", "questions"}),
)


def _shape_problems(value: Any, spec: Any, where: str) -> Iterator[tuple[str, str]]:
    """(JSON path, what is wrong) for each place `value` differs from `spec`."""
    if isinstance(spec, _Optional):
        if value is not None:
            yield from _shape_problems(value, spec.inner, where)
    elif isinstance(spec, _Either):
        first = list(_shape_problems(value, spec.first, where))
        if first and list(_shape_problems(value, spec.second, where)):
            yield from first
    elif isinstance(spec, _List):
        if not isinstance(value, list):
            yield where, f"expected a list, got {_described(value)}"
            return
        for index, item in enumerate(value):
            yield from _shape_problems(item, spec.item, f"{where}[{index}]")
    elif isinstance(spec, _Object):
        if not isinstance(value, dict):
            yield where or "the file", f"expected an object, got {_described(value)}"
            return
        for key, inner in spec.keys.items():
            at = f"{where}.{key}" if where else key
            if key in value:
                yield from _shape_problems(value[key], inner, at)
            elif key in spec.required:
                yield at, "missing; score the answers again rather than editing results"
    else:
        problem = _scalar_problem(value, spec)
        if problem:
            yield where, problem


def _scalar_problem(value: Any, spec: _Scalar) -> str | None:
    got = f"got {_described(value)}"
    if spec is _TEXT:
        return None if isinstance(value, str) else f"expected text, {got}"
    if spec is _BOOL:
        return None if isinstance(value, bool) else f"expected true or false, {got}"
    if spec is _DATE:
        if not isinstance(value, str):
            return f"expected a date (YYYY-MM-DD), {got}"
        try:
            year = dt.date.fromisoformat(value[:10]).year
        except ValueError:
            return f"expected a date (YYYY-MM-DD), {got}"
        if not FIRST_YEAR <= year <= LAST_YEAR:
            return f"year {year} is outside {FIRST_YEAR}-{LAST_YEAR}"
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        return f"expected {spec.name}, {got}"
    if spec is _INT and not isinstance(value, int):
        return f"expected an integer, {got}"
    if not math.isfinite(value) or abs(value) > MAX_NUMBER:
        return f"{value:g} is not a sane number (finite, at most {MAX_NUMBER:,})"
    return None


def _described(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        shown = json.dumps(value[:40] + ("..." if len(value) > 40 else ""), ensure_ascii=False)
        return shown
    return repr(value)
