"""What the report leaves out and why: regulations the questionnaire does not cover, and
areas that do not apply to the organisation."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from mcpscale.formats.conditions import ConditionError, comparisons, parse_condition
from mcpscale.formats.questionnaire import Questionnaire


def covered_regulations(questionnaire: Questionnaire) -> list[str]:
    """Regulations some question is asked for: `applies_if: {regulations: contains X}`."""
    found: dict[str, str] = {}
    for question in questionnaire.questions:
        if not question.applies_if:
            continue
        try:
            condition = parse_condition(question.applies_if)
        except ConditionError:  # checked when the questionnaire was read; never here
            continue
        for compare in comparisons(condition):
            if compare.fact == "regulations" and compare.op == "contains":
                found.setdefault(str(compare.value).casefold(), str(compare.value))
    return sorted(found.values(), key=str.casefold)


def regulation_coverage(
    questionnaire: Questionnaire, regulations: Sequence[str] | None
) -> dict[str, Any]:
    """The profile's regulations split into those the questionnaire asks about and those it
    does not (named as not covered), and the questionnaire's that do not apply here.

    `regulations` is None without a profile: then nothing is known, and nothing is said."""
    if regulations is None:
        return {
            "known": False,
            "profile": [],
            "covered": [],
            "not_covered": [],
            "not_applicable": [],
        }
    covered = covered_regulations(questionnaire)
    covered_keys = {name.casefold() for name in covered}
    profile_keys = {name.casefold() for name in regulations}
    return {
        "known": True,
        "profile": list(regulations),
        "covered": [name for name in regulations if name.casefold() in covered_keys],
        "not_covered": [name for name in regulations if name.casefold() not in covered_keys],
        "not_applicable": [name for name in covered if name.casefold() not in profile_keys],
    }


def drop_inapplicable_areas(dimensions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Remove, in place, each area whose every question is not applicable (a HIPAA block for
    an organisation not under HIPAA) and return what was left out, for the method section."""
    left_out = []
    for dimension in dimensions:
        kept = []
        for area in dimension["areas"]:
            questions = area["questions"]
            if questions and all(q["status"] == "not_applicable" for q in questions):
                left_out.append(
                    {
                        "dimension": dimension["name"],
                        "area": area["name"],
                        "questions": len(questions),
                    }
                )
            else:
                kept.append(area)
        dimension["areas"] = kept
    return left_out
