"""Cross-file checks: answers, profiles and questionnaires against each other, located by line."""

from __future__ import annotations

from collections.abc import Sequence

from mcpscale.errors import Problem, did_you_mean
from mcpscale.formats.answers import AnswerSet
from mcpscale.formats.conditions import ConditionError, parse_condition
from mcpscale.formats.migration import MigrationSet
from mcpscale.formats.pack import Economics, find_cycle
from mcpscale.formats.profile import PROFILE_FACTS, Profile
from mcpscale.formats.questionnaire import (
    NOT_APPLICABLE,
    RESERVED_CHOICE_IDS,
    UNKNOWN,
    Question,
    Questionnaire,
)
from mcpscale.inputs.read import _Reporter
from mcpscale.inputs.yaml import YamlDocument, YamlPath

# ---------------------------------------------------------------- meaning


def questionnaire_problems(q: Questionnaire, document: YamlDocument) -> list[Problem]:
    report = _Reporter(document)
    levels = [s.level for s in q.scale]
    if levels != sorted(set(levels)):
        report.add(["scale"], "scale levels must be unique and in increasing order")
    dimension_ids: dict[str, int] = {}
    for i, dimension in enumerate(q.dimensions):
        if dimension.id in dimension_ids:
            report.add(["dimensions", i, "id"], f"duplicate dimension id '{dimension.id}'")
        dimension_ids[dimension.id] = i
        if dimension.target is not None and not q.min_level <= dimension.target <= q.max_level:
            report.add(
                ["dimensions", i, "target"],
                f"target {dimension.target:g} is outside the scale ({q.min_level}-{q.max_level})",
            )
        area_ids = [a.id for a in dimension.areas]
        for j, area_id in enumerate(area_ids):
            if area_id in area_ids[:j]:
                report.add(["dimensions", i, "areas", j, "id"], f"duplicate area id '{area_id}'")
    seen_questions: dict[str, int] = {}
    used_dimensions: set[str] = set()
    for i, question in enumerate(q.questions):
        at: list[str | int] = ["questions", i]
        if question.id in seen_questions:
            first = document.locate(["questions", seen_questions[question.id], "id"])
            report.add(
                [*at, "id"],
                f"duplicate question id '{question.id}' (first on line "
                f"{first[0] if first else '?'})",
            )
        else:
            seen_questions[question.id] = i
        dimension_index = dimension_ids.get(question.dimension)
        if dimension_index is None:
            report.add(
                [*at, "dimension"],
                f"unknown dimension '{question.dimension}'"
                f"{did_you_mean(question.dimension, dimension_ids)}; dimensions: "
                f"{', '.join(dimension_ids)}",
            )
        else:
            used_dimensions.add(question.dimension)
            areas = [a.id for a in q.dimensions[dimension_index].areas]
            if question.area is not None and question.area not in areas:
                report.add(
                    [*at, "area"],
                    f"unknown area '{question.area}' in dimension "
                    f"'{question.dimension}'{did_you_mean(question.area, areas)}; "
                    f"areas: {', '.join(areas) or 'none defined'}",
                )
        _choice_problems(report, question, at, levels)
        if question.level is not None and question.level not in levels:
            report.add(
                [*at, "level"],
                f"level {question.level} is not on the scale ({', '.join(map(str, levels))})",
            )
        if question.target is not None and not q.min_level <= question.target <= q.max_level:
            report.add(
                [*at, "target"],
                f"target {question.target:g} is outside the scale ({q.min_level}-{q.max_level})",
            )
        if dimension_index is not None and question.level is None:
            dimension = q.dimensions[dimension_index]
            area = next((a for a in dimension.areas if a.id == question.area), None)
            if ((area.scoring if area else None) or dimension.scoring) == "gated":
                report.add(
                    at,
                    f"question '{question.id}' is in a gated "
                    f"{'area' if area and area.scoring else 'dimension'}: give it the maturity "
                    f"level it belongs to (level: one of {', '.join(map(str, levels))})",
                )
        if question.applies_if is not None:
            try:
                parse_condition(question.applies_if, PROFILE_FACTS)
            except ConditionError as exc:
                report.add([*at, "applies_if"], f"applies_if: {exc}")
    _dependency_problems(report, q, seen_questions)
    span = q.max_level - q.min_level
    if q.disagreement.min_spread is not None and q.disagreement.min_spread > span:
        report.add(
            ["disagreement", "min_spread"],
            f"min_spread {q.disagreement.min_spread:g} is more than the scale spans ({span}), "
            "so no answers could ever disagree; use at most the span",
        )
    for dimension_id, i in dimension_ids.items():
        if dimension_id not in used_dimensions:
            report.add(["dimensions", i, "id"], f"dimension '{dimension_id}' has no questions")
    return report.problems


def _choice_problems(
    report: _Reporter, question: Question, at: list[str | int], levels: list[int]
) -> None:
    """A question's choices (ids, levels) and, for a multi-select, its rules."""
    choice_ids: list[str] = []
    on_scale = ", ".join(map(str, levels))
    for j, choice in enumerate(question.choices):
        where: list[str | int] = [*at, "choices", j]
        if choice.id in choice_ids:
            report.add(
                [*where, "id"], f"duplicate choice id '{choice.id}' in question '{question.id}'"
            )
        choice_ids.append(choice.id)
        if choice.id.casefold() in RESERVED_CHOICE_IDS:
            report.add(
                [*where, "id"],
                f"choice id '{choice.id}' is reserved (every question accepts "
                f"{' and '.join(sorted(RESERVED_CHOICE_IDS))}); pick another",
            )
        elif choice.id.isdigit():
            report.add(
                [*where, "id"],
                f"choice id '{choice.id}' is a number; "
                "numbers pick choices by position in interviews, use a word",
            )
        if question.multi:
            if choice.level is not None:
                report.add(
                    [*where, "level"],
                    "a multi-select question's levels come from its rules; remove this level",
                )
        elif choice.level is None:
            report.add(where, f"choice '{choice.id}' needs a level (one of {on_scale})")
        elif choice.level not in levels:
            report.add([*where, "level"], f"level {choice.level} is not on the scale ({on_scale})")
        if choice.exclusive and not question.multi:
            report.add(
                [*where, "exclusive"],
                "exclusive applies to multi-select questions only (type: multi); remove it",
            )
    if not question.multi:
        if question.rules:
            report.add(
                [*at, "rules"],
                "rules score multi-select questions only; add type: multi, or remove the rules",
            )
        return
    if not question.rules:
        report.add(
            at,
            f"multi-select question '{question.id}' needs rules: that map a selection to a "
            "level (first match wins), e.g. - {all: [a, b], level: 3}",
        )
    for j, rule in enumerate(question.rules):
        if rule.level not in levels:
            report.add(
                [*at, "rules", j, "level"], f"level {rule.level} is not on the scale ({on_scale})"
            )
        for key in ("all", "any", "none"):
            for k, choice_id in enumerate(getattr(rule, key)):
                if choice_id not in choice_ids:
                    report.add(
                        [*at, "rules", j, key, k],
                        f"unknown choice '{choice_id}'{did_you_mean(choice_id, choice_ids)} "
                        f"in a rule of '{question.id}' (choices: {', '.join(choice_ids)})",
                    )


def _dependency_problems(report: _Reporter, q: Questionnaire, index: dict[str, int]) -> None:
    """depends_on names questions that exist, never the question itself, and has no cycle."""
    for i, question in enumerate(q.questions):
        for k, other in enumerate(question.depends_on):
            if other == question.id:
                report.add(["questions", i, "depends_on", k], f"'{question.id}' depends on itself")
            elif other not in index:
                report.add(
                    ["questions", i, "depends_on", k],
                    f"unknown question '{other}'{did_you_mean(other, index)} in depends_on",
                )
    cycle = find_cycle(
        {item.id: [o for o in item.depends_on if o != item.id] for item in q.questions}
    )
    if cycle:
        report.add(
            ["questions", index[cycle[0]], "depends_on"],
            f"depends_on goes round in a circle ({' -> '.join(cycle)}); remove one of them",
        )


def answers_problems(
    answers: AnswerSet,
    document: YamlDocument,
    q: Questionnaire,
    migrations: MigrationSet | None = None,
    questionnaire_ref: str | None = None,
) -> list[Problem]:
    """The answers against the questionnaire they are scored with; answers to another version
    that `migrations` lead from are told to migrate (with `--questionnaire questionnaire_ref`
    when the user named one), and not checked question by question."""
    report = _Reporter(document)
    if answers.questionnaire_id != q.id:
        report.add(
            ["questionnaire"],
            f"answers are for questionnaire '{answers.questionnaire_id}'"
            f", but scored against '{q.id}'; pass the questionnaire they answer with "
            "--questionnaire, or correct this line",
        )
        return report.problems
    version = answers.questionnaire_version
    if version is not None and version != q.version:
        if migrations is not None and migrations.path(version, q.version) is not None:
            report.add(
                ["questionnaire"],
                f"answers are for version {version} of '{q.id}', the questionnaire is version "
                f"{q.version}; run mcpscale migrate {document.path} --to {q.version}"
                + (f" --questionnaire {questionnaire_ref}" if questionnaire_ref else ""),
            )
            return report.problems
        report.add(
            ["questionnaire"],
            f"answers are for version {version} of '{q.id}', the "
            f"questionnaire is version {q.version}; review them, then write "
            f"questionnaire: {q.ref}",
        )
    questions = q.questions_by_id
    for question_id, answer in answers.answers.items():
        question = questions.get(question_id)
        if question is None:
            report.add(
                ["answers", question_id],
                f"unknown question id '{question_id}'"
                f"{'' if report.full else did_you_mean(question_id, questions)}",
                key=True,
            )
            continue
        choice = answer.choice
        if (
            isinstance(choice, str)
            and choice in question.choices_by_id
            and not question.multi
            and answer.consensus is None
            and not answer.rounds
        ):
            continue  # the everyday answer: one of the question's choices, and nothing more
        where = ["answers", question_id]
        _check_choice(report, question, choice, [*where, "choice"], "choice")
        if answer.consensus is not None:
            _check_choice(report, question, answer.consensus, [*where, "consensus"], "consensus")
        for number, votes in enumerate(answer.rounds):
            for name, choice in votes.items():
                what = f"choice in round {number + 1} ({name})"
                _check_choice(report, question, choice, [*where, "rounds", number, name], what)
    return report.problems


def _check_choice(
    report: _Reporter, question: Question, choice: str | list[str], path: YamlPath, what: str
) -> None:
    """One problem when `choice` (an answer's choice, its consensus or a round's vote) is not a
    choice id of `question`, 'unknown', or 'na' where the question allows it; for a
    multi-select, a list of its choice ids, an exclusive one alone."""
    if isinstance(choice, list):
        _check_selection(report, question, choice, path, what)
        return
    if question.multi and choice not in (UNKNOWN, NOT_APPLICABLE):
        report.add(
            path,
            f"question {question.id} is multi-select: write the {what} as a list, e.g. [{choice}]",
        )
        return
    if choice == UNKNOWN or (choice == NOT_APPLICABLE and question.allow_na):
        return
    if choice == NOT_APPLICABLE:
        report.add(
            path,
            f"question {question.id} does not allow 'na'"
            f"{'' if what == 'choice' else f' (as its {what})'}; pick a choice or answer "
            "'unknown'",
        )
        return
    if question.choice(choice) is not None:
        return
    ids = [c.id for c in question.choices]
    report.add(
        path,
        f"unknown {what} '{choice}' for question "
        f"{question.id}{'' if report.full else did_you_mean(choice, ids)} (choices: "
        f"{', '.join(ids)}, unknown{', na' if question.allow_na else ''})",
    )


def _check_selection(
    report: _Reporter, question: Question, selected: list[str], path: YamlPath, what: str
) -> None:
    ids = [c.id for c in question.choices]
    if not question.multi:
        report.add(
            path,
            f"question {question.id} takes one choice, not a list; write one of {', '.join(ids)}",
        )
        return
    problem = question.selection_problem(selected)
    if problem is not None:
        report.add(path, f"question {question.id} ({what}): {problem}")


def profile_problems(profile: Profile, document: YamlDocument, q: Questionnaire) -> list[Problem]:
    report = _Reporter(document)
    dimension_ids = [d.id for d in q.dimensions]
    for dimension_id, target in profile.targets.items():
        if dimension_id not in dimension_ids:
            report.add(
                ["targets", dimension_id],
                f"unknown dimension '{dimension_id}'"
                f"{did_you_mean(dimension_id, dimension_ids)} in targets; dimensions of "
                f"{q.id}: {', '.join(dimension_ids)}",
                key=True,
            )
        elif not q.min_level <= target <= q.max_level:
            report.add(
                ["targets", dimension_id],
                f"target {target:g} is outside the scale ({q.min_level}-{q.max_level})",
            )
    return report.problems


def duplicate_respondent_problems(
    loaded: Sequence[tuple[AnswerSet, YamlDocument]],
) -> list[Problem]:
    first_file: dict[str, YamlDocument] = {}
    problems: list[Problem] = []
    for answers, document in loaded:
        name = answers.respondent.name.strip().casefold()
        if name in first_file:
            line, column = document.locate(["respondent", "name"]) or (None, None)
            problems.append(
                Problem(
                    str(document.path),
                    line,
                    column,
                    f"respondent "
                    f"'{answers.respondent.name}' also answers in "
                    f"{first_file[name].path}; one file per respondent",
                )
            )
        else:
            first_file[name] = document
    return problems


def profile_plan_problems(
    profile: Profile, document: YamlDocument, economics: Economics | None
) -> list[Problem]:
    """The profile's economics and risk_adjustment overrides against the pack's economics."""
    from mcpscale.formats.pack import merged_risk_adjustment

    report = _Reporter(document)
    if economics is None:
        for key in ("economics", "risk_adjustment"):
            if getattr(profile, key):
                report.add([key], f"{key}: this pack has no economics.yaml to override", key=True)
        return report.problems
    names = sorted(economics.assumptions)
    for name, override in profile.economics.items():
        if name not in economics.assumptions:
            report.add(
                ["economics", name],
                f"economics: unknown assumption '{name}'{did_you_mean(name, names)}; "
                f"assumptions: {', '.join(names)}",
                key=True,
            )
            continue
        try:
            economics.assumptions[name].merged_for(name, override)
        except ValueError as exc:
            report.add(["economics", name], f"economics: {name}: {exc}")
    try:
        merged_risk_adjustment(economics.risk_adjustment, profile.risk_adjustment)
    except ValueError as exc:
        report.add(["risk_adjustment"], f"risk_adjustment: {exc}")
    return report.problems
