"""Framework coverage: which items of each external framework the questionnaire's questions
meet (their `mappings:`), which it does not and why, and, for scored answers, the
organisation's result per item: the mean score of the questions mapped to it."""

from __future__ import annotations

from dataclasses import dataclass

from mcpscale.errors import UserError, did_you_mean
from mcpscale.formats.frameworks import Framework, FrameworkSet
from mcpscale.formats.questionnaire import Questionnaire
from mcpscale.formats.results import Result


@dataclass(frozen=True)
class ItemCoverage:
    id: str
    name: str
    questions: tuple[str, ...]  # the question ids mapped to it, in questionnaire order
    not_covered: str | None  # the pack's reason, shown only while no question maps to it
    score: float | None = None  # mean of its scored questions; None without answers or scores
    level: int | None = None
    level_name: str | None = None
    scored_questions: int = 0  # how many of `questions` have a score in the answers

    @property
    def covered(self) -> bool:
        return bool(self.questions)


@dataclass(frozen=True)
class FrameworkCoverage:
    id: str
    name: str
    version: str
    url: str
    items: tuple[ItemCoverage, ...]

    @property
    def covered(self) -> int:
        return sum(1 for item in self.items if item.covered)

    @property
    def unexplained(self) -> tuple[ItemCoverage, ...]:
        """Items no question meets and the pack gives no reason for."""
        return tuple(i for i in self.items if not i.covered and not i.not_covered)


@dataclass(frozen=True)
class Coverage:
    questionnaire_id: str
    questionnaire_version: str
    frameworks: tuple[FrameworkCoverage, ...]
    with_results: bool  # True when answers were scored: each item carries a result


def framework_coverage(
    questionnaire: Questionnaire,
    frameworks: FrameworkSet,
    result: Result | None = None,
    framework_id: str | None = None,
) -> Coverage:
    """Coverage of every framework (or only `framework_id`) by the questionnaire's mappings."""
    chosen = frameworks.frameworks
    if framework_id is not None:
        found = frameworks.framework(framework_id)
        if found is None:
            ids = [f.id for f in frameworks.frameworks]
            raise UserError(
                f"unknown framework '{framework_id}'{did_you_mean(framework_id, ids)}; "
                f"frameworks of {questionnaire.id}: {', '.join(ids)}"
            )
        chosen = [found]
    return Coverage(
        questionnaire.id,
        questionnaire.version,
        tuple(_one_framework(questionnaire, framework, result) for framework in chosen),
        result is not None,
    )


def _one_framework(
    questionnaire: Questionnaire, framework: Framework, result: Result | None
) -> FrameworkCoverage:
    mapped: dict[str, list[str]] = {item.id: [] for item in framework.items}
    for question in questionnaire.questions:
        for item_id in question.mappings.get(framework.id, []):
            # an unknown item id was refused when the pack was read; a repeated one counts once
            if item_id in mapped and question.id not in mapped[item_id]:
                mapped[item_id].append(question.id)
    scores: dict[str, float] = {}
    if result is not None:
        # an informational (scored: false) question is left out of every score, here too
        scores = {q.id: q.score for q in result.questions if q.scored and q.score is not None}
    items = []
    for item in framework.items:
        question_ids = tuple(mapped[item.id])
        item_scores = [scores[q] for q in question_ids if q in scores]
        score = sum(item_scores) / len(item_scores) if item_scores else None
        level = None if score is None else questionnaire.level_at(score)
        items.append(
            ItemCoverage(
                id=item.id,
                name=item.name,
                questions=question_ids,
                not_covered=None if question_ids else item.not_covered,
                score=score,
                level=level,
                level_name=None if level is None else questionnaire.level_name(level),
                scored_questions=len(item_scores),
            )
        )
    return FrameworkCoverage(
        framework.id, framework.name, framework.version, framework.url, tuple(items)
    )
