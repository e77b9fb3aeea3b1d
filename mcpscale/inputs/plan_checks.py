"""Checks a pack's planning and framework files against its questionnaire, located by line."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from mcpscale.errors import Problem, did_you_mean
from mcpscale.formats.conditions import ConditionError, comparisons, parse_condition
from mcpscale.formats.frameworks import FrameworkSet
from mcpscale.formats.kinds import FRAMEWORKS_FILE
from mcpscale.formats.pack import GateSet, InitiativeSet, RiskSet
from mcpscale.formats.questionnaire import (
    Questionnaire,
    Strict,
)
from mcpscale.inputs.read import _Reporter
from mcpscale.inputs.yaml import YamlDocument, YamlPath

# ---------------------------------------------------------------- planning files


def _condition_problem(
    report: _Reporter, at: YamlPath, raw: Any, allowed: Sequence[str], label: str
) -> None:
    from mcpscale.formats.facts import FACTS_HELP

    try:
        condition = parse_condition(raw, allowed)
    except ConditionError as exc:
        message = str(exc)
        if "conditions can test" in message:  # the list of every question is too long
            message = message.split("; conditions can test")[0] + f"; {FACTS_HELP}"
        report.add(at, f"{label}: {message}")
        return
    # Plan conditions test scores, which are numbers: '{question.x: "at least two"}' would
    # silently never hold, so a comparison with anything but numbers is refused.
    for compare in comparisons(condition):
        values = compare.value if isinstance(compare.value, tuple) else (compare.value,)
        if compare.op == "contains" or not all(_is_number(v) for v in values):
            report.add(
                at,
                f"{label}: '{compare.fact}' is a score, a number; compare it with a number, "
                f'e.g. {{{compare.fact}: ">= 2"}}',
            )


def initiatives_problems(
    initiatives: InitiativeSet, document: YamlDocument, q: Questionnaire
) -> list[Problem]:
    from mcpscale.formats.facts import fact_names
    from mcpscale.formats.pack import cycle_message, find_cycle

    report = _Reporter(document)
    facts = fact_names(q)
    dimension_ids = [d.id for d in q.dimensions]
    ids = [i.id for i in initiatives.initiatives]
    for index, initiative in enumerate(initiatives.initiatives):
        at: list[str | int] = ["initiatives", index]
        if initiative.id in ids[:index]:
            report.add([*at, "id"], f"duplicate initiative id '{initiative.id}'")
        if initiative.dimension not in dimension_ids:
            report.add(
                [*at, "dimension"],
                f"unknown dimension '{initiative.dimension}'"
                f"{did_you_mean(initiative.dimension, dimension_ids)}; dimensions of {q.id}: "
                f"{', '.join(dimension_ids)}",
            )
        _condition_problem(report, [*at, "triggers"], initiative.triggers, facts, "triggers")
        for position, dependency in enumerate(initiative.depends_on):
            if dependency not in ids:
                report.add(
                    [*at, "depends_on", position],
                    f"unknown initiative '{dependency}'{did_you_mean(dependency, ids)} "
                    "in depends_on",
                )
            elif dependency == initiative.id:
                report.add([*at, "depends_on", position], "an initiative cannot depend on itself")
    cycle = find_cycle({i.id: i.depends_on for i in initiatives.initiatives})
    if cycle and len(cycle) > 2:
        index = ids.index(cycle[0])
        report.add(["initiatives", index, "depends_on"], cycle_message(cycle))
    return report.problems


def gates_problems(
    gates: GateSet,
    document: YamlDocument,
    q: Questionnaire,
    initiative_ids: Sequence[str] | None = None,
) -> list[Problem]:
    """`initiative_ids` None: no initiatives file to check `satisfies` against."""
    from mcpscale.formats.facts import fact_names

    report = _Reporter(document)
    facts = fact_names(q)
    for index, gate in enumerate(gates.phases):
        for which in ("entry", "exit"):
            for position, criterion in enumerate(getattr(gate, which)):
                _condition_problem(
                    report,
                    ["phases", index, which, position, "condition"],
                    criterion.condition,
                    facts,
                    "condition",
                )
                for at, initiative in enumerate(criterion.satisfies):
                    if initiative_ids is not None and initiative not in initiative_ids:
                        report.add(
                            ["phases", index, which, position, "satisfies", at],
                            f"unknown initiative '{initiative}'"
                            f"{did_you_mean(initiative, initiative_ids)} in satisfies; "
                            "satisfies names initiatives in initiatives.yaml",
                        )
    return report.problems


def risks_problems(
    risks: RiskSet,
    document: YamlDocument,
    q: Questionnaire,
    initiative_ids: Sequence[str] | None,
) -> list[Problem]:
    """`initiative_ids` None: the pack has no initiatives file to check mitigations against."""
    from mcpscale.formats.facts import fact_names

    report = _Reporter(document)
    facts = fact_names(q)
    ids = [r.id for r in risks.risks]
    for index, risk in enumerate(risks.risks):
        at: list[str | int] = ["risks", index]
        if risk.id in ids[:index]:
            report.add([*at, "id"], f"duplicate risk id '{risk.id}'")
        _condition_problem(report, [*at, "trigger"], risk.trigger, facts, "trigger")
        if initiative_ids is None:
            continue
        for position, mitigation in enumerate(risk.mitigations):
            if mitigation not in initiative_ids:
                report.add(
                    [*at, "mitigations", position],
                    f"unknown initiative '{mitigation}'{did_you_mean(mitigation, initiative_ids)}"
                    " in mitigations; mitigations name initiatives in initiatives.yaml",
                )
    return report.problems


def plan_file_problems(
    model: Strict, document: YamlDocument, q: Questionnaire, initiative_ids: Sequence[str] | None
) -> list[Problem]:
    if isinstance(model, InitiativeSet):
        return initiatives_problems(model, document, q)
    if isinstance(model, GateSet):
        return gates_problems(model, document, q, initiative_ids)
    if isinstance(model, RiskSet):
        return risks_problems(model, document, q, initiative_ids)
    return []


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


# ---------------------------------------------------------------- frameworks and mappings


def frameworks_problems(frameworks: FrameworkSet, document: YamlDocument) -> list[Problem]:
    """A framework or an item named twice: a mapping could not tell which one it means."""
    report = _Reporter(document)
    framework_ids = [f.id for f in frameworks.frameworks]
    for index, framework in enumerate(frameworks.frameworks):
        if framework.id in framework_ids[:index]:
            report.add(["frameworks", index, "id"], f"duplicate framework id '{framework.id}'")
        item_ids = [item.id for item in framework.items]
        for position, item_id in enumerate(item_ids):
            if item_id in item_ids[:position]:
                report.add(
                    ["frameworks", index, "items", position, "id"],
                    f"duplicate item id '{item_id}' in framework {framework.id}",
                )
    return report.problems


def mapping_problems(
    q: Questionnaire, document: YamlDocument, frameworks: FrameworkSet | None
) -> list[Problem]:
    """Every question's `mappings:` names a framework and items that the pack's
    frameworks.yaml holds; `frameworks` None: the pack has no such file."""
    report = _Reporter(document)
    by_id = {f.id: f for f in (frameworks.frameworks if frameworks else [])}
    for index, question in enumerate(q.questions):
        for framework_id, item_ids in question.mappings.items():
            at: list[str | int] = ["questions", index, "mappings", framework_id]
            framework = by_id.get(framework_id)
            if frameworks is None:
                report.add(
                    at,
                    f"mappings name framework '{framework_id}', but there is no "
                    f"{FRAMEWORKS_FILE} beside the questionnaire; add one that lists the "
                    "framework and its items",
                    key=True,
                )
                return report.problems  # one line says it; the rest would repeat it
            if framework is None:
                report.add(
                    at,
                    f"unknown framework '{framework_id}'{did_you_mean(framework_id, by_id)}; "
                    f"frameworks in {FRAMEWORKS_FILE}: {', '.join(by_id)}",
                    key=True,
                )
                continue
            known = [item.id for item in framework.items]
            for position, item_id in enumerate(item_ids):
                if item_id not in known:
                    report.add(
                        [*at, position],
                        f"unknown item '{item_id}' of {framework_id}"
                        f"{did_you_mean(item_id, known)}; its items: {', '.join(known)}",
                    )
    return report.problems
