"""Reads input files into models and checks them, collecting every problem with its line.

`check_paths` powers `mcpscale validate`; the `load_*` functions are what the other
commands call, raising one UserError that lists every problem found.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from .conditions import ConditionError, parse_condition
from .errors import Problem, UserError
from .models import (
    MODELS,
    NOT_APPLICABLE,
    PLAN_KINDS,
    PROFILE_FACTS,
    RESERVED_CHOICE_IDS,
    UNKNOWN,
    AnswerSet,
    Profile,
    Questionnaire,
    Strict,
)
from .pack_models import Economics, GateSet, InitiativeSet, RiskSet
from .suggest import did_you_mean
from .yamlio import YamlDocument, YamlPath, iter_yaml_files, load_yaml

M = TypeVar("M", bound=Strict)


@dataclass
class Checked:
    """One file after checking: its document, its model (if the shape was valid), problems."""

    document: YamlDocument | None
    model: Strict | None
    problems: list[Problem] = field(default_factory=list)


class _Reporter:
    """Collects problems for one document, locating each by its YAML path."""

    def __init__(self, document: YamlDocument) -> None:
        self.document = document
        self.problems: list[Problem] = []

    def add(self, path: YamlPath, message: str, key: bool = False) -> None:
        line, column = self.document.locate(path, key=key) or (None, None)
        self.problems.append(Problem(str(self.document.path), line, column, message))


# ---------------------------------------------------------------- shape


def read_model(document: YamlDocument, expected: type[M] | None = None) -> Checked:
    """Check a document's `kind` and shape against its model."""
    report = _Reporter(document)
    data = document.data
    expected_kind = next((k for k, m in MODELS.items() if m is expected), None)
    if data is None:
        report.add(
            [],
            "no YAML content (the file is empty or only comments); expected a YAML "
            f"mapping with kind: {expected_kind or ' | '.join(MODELS)}",
        )
        return Checked(document, None, report.problems)
    if not isinstance(data, dict):
        report.add([], f"expected a YAML mapping with a 'kind:' key, found a {type(data).__name__}")
        return Checked(document, None, report.problems)
    kind = data.get("kind")
    if kind is None:
        report.add([], f"missing 'kind:'; add kind: {expected_kind or ' | '.join(MODELS)}")
        return Checked(document, None, report.problems)
    if not isinstance(kind, str):
        report.add(
            ["kind"],
            f"kind must be one word, one of: {', '.join(MODELS)}; found a {type(kind).__name__}",
        )
        return Checked(document, None, report.problems)
    if kind not in MODELS:
        report.add(
            ["kind"],
            f"unknown kind '{kind}'{did_you_mean(str(kind), MODELS)}; "
            f"expected one of: {', '.join(MODELS)}",
        )
        return Checked(document, None, report.problems)
    if expected_kind is not None and kind != expected_kind:
        article = "an" if kind[0] in "aeiou" else "a"
        report.add(
            ["kind"],
            f"this is {article} {kind} file, expected kind: {expected_kind}; "
            "is this the right file?",
        )
        return Checked(document, None, report.problems)
    model_class = MODELS[kind]
    try:
        model = model_class.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors()
        for error in errors:
            if not _explained_by_typo(error, errors, model_class):
                _report_pydantic_error(report, model_class, error)
        return Checked(document, None, report.problems)
    return Checked(document, model, report.problems)


def _explained_by_typo(error: Any, errors: list[Any], model_class: type[BaseModel]) -> bool:
    """A missing key that an unknown key beside it misspells (respondant -> respondent)."""
    if error["type"] != "missing":
        return False
    parent, name = tuple(error["loc"][:-1]), str(error["loc"][-1])
    suggestion = did_you_mean(name, [name])  # " (did you mean 'respondent'?)"
    return any(
        other["type"] == "extra_forbidden"
        and tuple(other["loc"][:-1]) == parent
        and did_you_mean(str(other["loc"][-1]), _fields_at(model_class, parent)) == suggestion
        for other in errors
    )


def _report_pydantic_error(report: _Reporter, model_class: type[BaseModel], error: Any) -> None:
    loc = tuple(error["loc"])
    kind = error["type"]
    if kind == "extra_forbidden":
        key = str(loc[-1])
        allowed = _fields_at(model_class, loc[:-1])
        hint = did_you_mean(key, allowed)
        report.add(loc, f"unknown key '{key}'{hint}; allowed here: {', '.join(allowed)}", key=True)
    elif kind == "missing":
        where = f" in {_dotted(loc[:-1])}" if loc[:-1] else ""
        report.add(loc[:-1], f"missing required key '{loc[-1]}'{where}")
    elif kind in ("model_type", "dict_type"):  # pydantic: "a valid dictionary or instance of"
        value = error["input"]
        is_answer = model_class is AnswerSet and len(loc) == 2 and loc[0] == "answers"
        if is_answer:
            expected = "a choice id, 'unknown' or 'na'"
        elif kind == "model_type":
            expected = f"a mapping with {', '.join(_fields_at(model_class, loc))}"
        else:
            expected = "a mapping (key: value lines)"
        if value is None:
            found = "nothing"
        elif isinstance(value, bool):
            found = f"{str(value).lower()} (YAML reads yes/no/on/off as true/false; quote it)"
        elif isinstance(value, list):
            found = "a list" + ("" if is_answer else "; write the entries without '- ' or [ ]")
        else:
            found = f"'{str(value)[:40]}'"
        report.add(loc, f"{_dotted(loc)}: expected {expected}, found {found}")
    else:
        message = error["msg"]
        if message.startswith("Value error, "):
            message = message[len("Value error, ") :]
        if kind.startswith("date"):
            message += "; write dates as YYYY-MM-DD"
        report.add(loc, f"{_dotted(loc)}: {message[0].lower()}{message[1:]}")


def _dotted(loc: Sequence[str | int]) -> str:
    text = ""
    for step in loc:
        text += f"[{step}]" if isinstance(step, int) else (f".{step}" if text else str(step))
    return text


def _fields_at(model_class: type[BaseModel], loc: Sequence[str | int]) -> list[str]:
    """Field names of the model found by walking `loc` from `model_class`."""
    annotation: Any = model_class
    for step in loc:
        annotation = _unwrap(annotation)
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            info = annotation.model_fields.get(str(step))
            if info is None:
                return []
            annotation = info.annotation
        else:  # a list item or a dict value: step is an index or a key
            args = typing.get_args(annotation)
            annotation = args[-1] if args else None
    annotation = _unwrap(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return list(annotation.model_fields)
    return []


def _unwrap(annotation: Any) -> Any:
    """Optional[X] -> X."""
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return args[0]
    return annotation


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
        choice_ids: list[str] = []
        for j, choice in enumerate(question.choices):
            if choice.id in choice_ids:
                report.add(
                    [*at, "choices", j, "id"],
                    f"duplicate choice id '{choice.id}' in question '{question.id}'",
                )
            choice_ids.append(choice.id)
            if choice.id in RESERVED_CHOICE_IDS:
                report.add(
                    [*at, "choices", j, "id"],
                    f"choice id '{choice.id}' is reserved "
                    f"({', '.join(sorted(RESERVED_CHOICE_IDS))}); pick another",
                )
            elif choice.id.isdigit():
                report.add(
                    [*at, "choices", j, "id"],
                    f"choice id '{choice.id}' is a number; "
                    "numbers pick choices by position in interviews, use a word",
                )
            if choice.level not in levels:
                report.add(
                    [*at, "choices", j, "level"],
                    f"level {choice.level} is not on the scale ({', '.join(map(str, levels))})",
                )
        if question.applies_if is not None:
            try:
                parse_condition(question.applies_if, PROFILE_FACTS)
            except ConditionError as exc:
                report.add([*at, "applies_if"], f"applies_if: {exc}")
    for dimension_id, i in dimension_ids.items():
        if dimension_id not in used_dimensions:
            report.add(["dimensions", i, "id"], f"dimension '{dimension_id}' has no questions")
    return report.problems


def answers_problems(answers: AnswerSet, document: YamlDocument, q: Questionnaire) -> list[Problem]:
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
        report.add(
            ["questionnaire"],
            f"answers are for version {version} of '{q.id}', the "
            f"questionnaire is version {q.version}; review them, then write "
            f"questionnaire: {q.ref}",
        )
    for question_id, answer in answers.answers.items():
        question = q.question(question_id)
        if question is None:
            report.add(
                ["answers", question_id],
                f"unknown question id '{question_id}'"
                f"{did_you_mean(question_id, q.questions_by_id)}",
                key=True,
            )
            continue
        if answer.choice == UNKNOWN:
            continue
        if answer.choice == NOT_APPLICABLE:
            if not question.allow_na:
                report.add(
                    ["answers", question_id, "choice"],
                    f"question {question_id} does "
                    "not allow "
                    "'na'; pick a choice or answer 'unknown'",
                )
            continue
        if question.choice(answer.choice) is None:
            ids = [c.id for c in question.choices]
            report.add(
                ["answers", question_id, "choice"],
                f"unknown choice '{answer.choice}' "
                "for question "
                f"{question_id}{did_you_mean(answer.choice, ids)} (choices: "
                f"{', '.join(ids)}, unknown{', na' if question.allow_na else ''})",
            )
    return report.problems


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


# ---------------------------------------------------------------- planning files


def _condition_problem(
    report: _Reporter, at: YamlPath, raw: Any, allowed: Sequence[str], label: str
) -> None:
    from .scorefacts import FACTS_HELP

    try:
        parse_condition(raw, allowed)
    except ConditionError as exc:
        message = str(exc)
        if "conditions can test" in message:  # the list of every question is too long
            message = message.split("; conditions can test")[0] + f"; {FACTS_HELP}"
        report.add(at, f"{label}: {message}")


def initiatives_problems(
    initiatives: InitiativeSet, document: YamlDocument, q: Questionnaire
) -> list[Problem]:
    from .roadmap import cycle_message, find_cycle
    from .scorefacts import fact_names

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


def gates_problems(gates: GateSet, document: YamlDocument, q: Questionnaire) -> list[Problem]:
    from .scorefacts import fact_names

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
    return report.problems


def risks_problems(
    risks: RiskSet,
    document: YamlDocument,
    q: Questionnaire,
    initiative_ids: Sequence[str] | None,
) -> list[Problem]:
    """`initiative_ids` None: the pack has no initiatives file to check mitigations against."""
    from .scorefacts import fact_names

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
        return gates_problems(model, document, q)
    if isinstance(model, RiskSet):
        return risks_problems(model, document, q, initiative_ids)
    return []


@dataclass(frozen=True)
class PlanContent:
    """A pack's planning files; any of them may be missing."""

    initiatives: InitiativeSet | None = None
    gates: GateSet | None = None
    risks: RiskSet | None = None
    economics: Economics | None = None


def load_plan_content(pack: Any) -> PlanContent:
    """Read and check the planning files of a pack (packs.Pack); raise every problem at once."""
    loaded: dict[str, tuple[Strict, YamlDocument]] = {}
    problems: list[Problem] = []
    for kind, path in pack.plan_files().items():
        document = load_yaml(path)
        checked = read_model(document, MODELS[kind])
        problems.extend(checked.problems)
        if checked.model is not None:
            loaded[kind] = (checked.model, document)
    initiative_ids = None
    if "initiatives" in loaded:
        initiative_set = loaded["initiatives"][0]
        assert isinstance(initiative_set, InitiativeSet)
        initiative_ids = [i.id for i in initiative_set.initiatives]
    for model, document in loaded.values():
        problems.extend(plan_file_problems(model, document, pack.questionnaire, initiative_ids))
    if problems:
        raise UserError.from_problems(problems)
    models = {kind: model for kind, (model, _) in loaded.items()}
    return PlanContent(**models)  # type: ignore[arg-type]


# ---------------------------------------------------------------- loading for commands


def _load(path: Path, model_class: type[M]) -> tuple[M, YamlDocument]:
    document = load_yaml(path)
    checked = read_model(document, model_class)
    if checked.problems or checked.model is None:
        raise UserError.from_problems(checked.problems)
    assert isinstance(checked.model, model_class)
    return checked.model, document


def load_model(path: Path, model_class: type[M]) -> M:
    """A file of one kind, checked for shape; every problem raised as one UserError."""
    return _load(path, model_class)[0]


def load_questionnaire(path: Path) -> Questionnaire:
    questionnaire, document = _load(path, Questionnaire)
    problems = questionnaire_problems(questionnaire, document)
    if problems:
        raise UserError.from_problems(problems)
    return questionnaire


def load_profile(path: Path, q: Questionnaire | None = None) -> Profile:
    profile, document = _load(path, Profile)
    if q is not None:
        problems = profile_problems(profile, document, q)
        if problems:
            raise UserError.from_problems(problems)
    return profile


def profile_plan_problems(
    profile: Profile, document: YamlDocument, economics: Economics | None
) -> list[Problem]:
    """The profile's economics and risk_adjustment overrides against the pack's economics."""
    from .pack_models import merged_risk_adjustment

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


def load_plan_profile(path: Path, q: Questionnaire, economics: Economics | None) -> Profile:
    profile, document = _load(path, Profile)
    problems = profile_problems(profile, document, q)
    problems += profile_plan_problems(profile, document, economics)
    if problems:
        raise UserError.from_problems(problems)
    return profile


def read_answer_documents(paths: Sequence[Path]) -> list[YamlDocument]:
    """Parse the answers files among `paths`, each once.

    Directories contribute their YAML files of kind answers (a profile beside them is
    skipped); files named explicitly must be answers. Every unreadable file is reported.
    """
    documents: dict[Path, YamlDocument] = {}  # resolved path: a file named twice is read once
    problems: list[Problem] = []
    for path in paths:
        if not path.exists():
            raise UserError.at(path, "no such file or directory")
        for file in iter_yaml_files([path]) if path.is_dir() else [path]:
            if file.resolve() in documents:
                continue
            try:
                document = load_yaml(file)
            except UserError as exc:
                problems.extend(exc.problems)
                continue
            if path.is_dir() and document.kind not in (None, "answers"):
                continue
            documents[file.resolve()] = document
    if problems:
        raise UserError.from_problems(problems)
    if not documents:
        raise UserError(
            f"no answers files found in {', '.join(map(str, paths))}; answers "
            "files are YAML with kind: answers"
        )
    return list(documents.values())


def load_answer_sets(
    paths: Sequence[Path], questionnaire_ref: str | None
) -> tuple[Questionnaire, list[AnswerSet]]:
    """Load answers files (and directories of them) and the questionnaire they answer.

    Without `questionnaire_ref`, the questionnaire named in the answers is used; all
    answers must then name the same one.
    """
    from .packs import resolve_pack

    loaded: list[tuple[AnswerSet, YamlDocument]] = []
    problems: list[Problem] = []
    for document in read_answer_documents(paths):
        checked = read_model(document, AnswerSet)
        problems.extend(checked.problems)
        if isinstance(checked.model, AnswerSet):
            loaded.append((checked.model, document))
    if problems:
        raise UserError.from_problems(problems)
    if questionnaire_ref is None:
        named = sorted({a.questionnaire for a, _ in loaded})
        ids = sorted({a.questionnaire_id for a, _ in loaded})
        if len(ids) > 1:
            raise UserError(
                f"these answers are for different questionnaires ({', '.join(ids)}); "
                "score each set separately or pass --questionnaire"
            )
        questionnaire_ref = named[0] if len(named) == 1 else ids[0]
    q = resolve_pack(questionnaire_ref).questionnaire
    for answers, document in loaded:
        problems.extend(answers_problems(answers, document, q))
    problems.extend(duplicate_respondent_problems(loaded))
    if problems:
        raise UserError.from_problems(problems)
    return q, [answers for answers, _ in loaded]


# ---------------------------------------------------------------- mcpscale validate


def check_paths(paths: Iterable[Path], questionnaire_ref: str | None = None) -> list[Checked]:
    """Check any mix of questionnaires, answers and profiles.

    Problems in the files are collected, never raised; a missing path raises UserError.
    """
    from .packs import resolve_pack

    paths = list(paths)
    for path in paths:
        if not path.exists():
            raise UserError.at(path, "no such file or directory")
    files = list(iter_yaml_files(paths))
    if not files:
        raise UserError(f"no YAML files (*.yaml, *.yml) found in {', '.join(map(str, paths))}")
    checked: list[Checked] = []
    for path in files:
        try:
            document = load_yaml(path)
        except UserError as exc:
            checked.append(
                Checked(None, None, exc.problems or [Problem(str(path), None, None, str(exc))])
            )
            continue
        result = read_model(document)
        if isinstance(result.model, Questionnaire):
            result.problems.extend(questionnaire_problems(result.model, document))
        checked.append(result)

    local = {
        c.model.id: c.model
        for c in checked
        if isinstance(c.model, Questionnaire) and not c.problems
    }
    for result in checked:
        if not isinstance(result.model, AnswerSet) or result.document is None:
            continue
        answers = result.model
        try:
            if questionnaire_ref is not None:
                q = resolve_pack(questionnaire_ref).questionnaire
            elif answers.questionnaire_id in local:
                q = local[answers.questionnaire_id]
            else:
                q = resolve_pack(answers.questionnaire_id).questionnaire
        except UserError as exc:
            result.problems.extend(_relocate(exc, result.document, ["questionnaire"]))
            continue
        result.problems.extend(answers_problems(answers, result.document, q))
    for result in checked:
        if result.model is None or result.document is None:
            continue
        if result.document.kind in PLAN_KINDS:
            result.problems.extend(_plan_file_cross_checks(result, questionnaire_ref))
    answer_docs = [
        (c.model, c.document)
        for c in checked
        if isinstance(c.model, AnswerSet) and c.document is not None
    ]
    for problem in duplicate_respondent_problems(answer_docs):
        owner = next(c for c in checked if c.document and str(c.document.path) == problem.path)
        owner.problems.append(problem)
    return checked


def _relocate(exc: UserError, document: YamlDocument, path: YamlPath) -> list[Problem]:
    """A resolution error, reported at the line of the answers file that caused it."""
    line, column = document.locate(path) or (None, None)
    return [Problem(str(document.path), line, column, str(exc))]


def _plan_file_cross_checks(checked: Checked, questionnaire_ref: str | None) -> list[Problem]:
    """A planning file is checked against the questionnaire beside it (or --questionnaire)."""
    from .packs import PLAN_FILES, QUESTIONNAIRE_FILE, resolve_pack

    assert checked.document is not None and checked.model is not None
    document = checked.document
    folder = document.path.parent
    ref = questionnaire_ref
    if ref is None:
        if not (folder / QUESTIONNAIRE_FILE).is_file():
            return [
                Problem(
                    str(document.path),
                    None,
                    None,
                    f"cannot check its references: no {QUESTIONNAIRE_FILE} beside it; "
                    "pass --questionnaire ID|PATH",
                )
            ]
        ref = str(folder)
    try:
        q = resolve_pack(ref).questionnaire
    except UserError as exc:
        return [Problem(str(document.path), None, None, f"cannot check its references: {exc}")]
    initiative_ids = None
    initiatives_path = folder / PLAN_FILES["initiatives"]
    if isinstance(checked.model, RiskSet) and initiatives_path.is_file():
        try:
            initiatives_checked = read_model(load_yaml(initiatives_path), InitiativeSet)
        except UserError:
            initiatives_checked = Checked(None, None)
        if isinstance(initiatives_checked.model, InitiativeSet):
            initiative_ids = [i.id for i in initiatives_checked.model.initiatives]
    return plan_file_problems(checked.model, document, q, initiative_ids)
