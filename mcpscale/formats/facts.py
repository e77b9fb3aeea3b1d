"""The facts that plan triggers, gate criteria and risk triggers test, taken from scores.

Plan conditions use the `applies_if` language (formats/conditions.py) over these facts:

    dimension.<id>   the dimension's score           {dimension.governance: "< 3"}
    gap.<id>         target minus score (>= 0)       {gap.technical: "> 0"}
    question.<id>    the question's score            {question.gov.mtls: "< 3"}
    overall          the overall score               {overall: ">= 2.5"}

A fact without a score (a question nobody answered, or one that does not apply) makes
its entry false, so "below a level" never fires on a question that does not apply.
"""

from __future__ import annotations

from typing import Any

from mcpscale.formats.questionnaire import Questionnaire
from mcpscale.formats.results import Result

FACTS_HELP = (
    "plan conditions can test overall, dimension.<id>, gap.<id> and question.<id> "
    "(ids from the questionnaire)"
)


def fact_names(questionnaire: Questionnaire) -> list[str]:
    names = ["overall"]
    for dimension in questionnaire.dimensions:
        names += [f"dimension.{dimension.id}", f"gap.{dimension.id}"]
    names += [f"question.{question.id}" for question in questionnaire.questions]
    return names


def score_facts(result: Result) -> dict[str, Any]:
    facts: dict[str, Any] = {"overall": result.overall.score}
    for dimension in result.dimensions:
        facts[f"dimension.{dimension.id}"] = dimension.score
        facts[f"gap.{dimension.id}"] = dimension.gap
    for question in result.questions:
        facts[f"question.{question.id}"] = question.score
    return facts
