"""The facts that plan triggers, gate criteria and risk triggers test, taken from scores.

Plan conditions use the `applies_if` language (formats/conditions.py) over these facts:

    dimension.<id>   the dimension's score           {dimension.governance: "< 3"}
    gap.<id>         target minus score (>= 0)       {gap.technical: "> 0"}
    question.<id>    the question's score            {question.gov.mtls: "< 3"}
    question_gap.<id>  its own target minus its score, for a question with a `target`
                                                     {question_gap.gov.mtls: "> 0"}
    overall          the overall score               {overall: ">= 2.5"}

A fact without a score (a question nobody answered, or one that does not apply) makes
its entry false, so "below a level" never fires on a question that does not apply.
"""

from __future__ import annotations

from typing import Any

from mcpscale.formats.questionnaire import Questionnaire
from mcpscale.formats.results import Result

FACTS_HELP = (
    "plan conditions can test overall, dimension.<id>, gap.<id>, question.<id> and "
    "question_gap.<id> for a question with a target (ids from the questionnaire)"
)


def fact_names(questionnaire: Questionnaire) -> list[str]:
    names = ["overall"]
    for dimension in questionnaire.dimensions:
        names += [f"dimension.{dimension.id}", f"gap.{dimension.id}"]
    names += [f"question.{question.id}" for question in questionnaire.questions]
    names += [f"question_gap.{q.id}" for q in questionnaire.questions if q.target is not None]
    return names


def score_facts(result: Result) -> dict[str, Any]:
    facts: dict[str, Any] = {"overall": result.overall.score}
    for dimension in result.dimensions:
        facts[f"dimension.{dimension.id}"] = dimension.score
        facts[f"gap.{dimension.id}"] = dimension.gap
    for question in result.questions:
        facts[f"question.{question.id}"] = question.score
        if question.target is not None:
            facts[f"question_gap.{question.id}"] = question.gap
    return facts
