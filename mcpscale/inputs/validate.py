"""`mcpscale validate`: any mix of files and folders, every problem collected."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from mcpscale.errors import Problem, UserError
from mcpscale.formats.answers import AnswerSet
from mcpscale.formats.frameworks import FrameworkSet
from mcpscale.formats.kinds import PLAN_KINDS
from mcpscale.formats.migration import MigrationSet
from mcpscale.formats.pack import GateSet, InitiativeSet, RiskSet
from mcpscale.formats.questionnaire import (
    Questionnaire,
)
from mcpscale.inputs.checks import (
    answers_problems,
    duplicate_respondent_problems,
    questionnaire_problems,
)
from mcpscale.inputs.plan_checks import frameworks_problems, mapping_problems, plan_file_problems
from mcpscale.inputs.read import Checked, read_model
from mcpscale.inputs.reader import regular_file_size
from mcpscale.inputs.yaml import YamlDocument, YamlPath, iter_yaml_files, load_yaml

# ---------------------------------------------------------------- mcpscale validate


def check_paths(paths: Iterable[Path], questionnaire_ref: str | None = None) -> list[Checked]:
    """Check any mix of questionnaires, answers and profiles.

    Problems in the files are collected, never raised; a missing path raises UserError.
    """
    from mcpscale.inputs.migrations import load_migrations
    from mcpscale.inputs.packs import resolve_pack

    paths = list(paths)
    for path in paths:
        if not path.is_dir():  # a device or FIFO named here is a usage mistake, not a problem
            regular_file_size(path, "a YAML file or a folder")
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
            result.problems.extend(_mapping_cross_checks(result.model, document))
        elif isinstance(result.model, FrameworkSet):
            result.problems.extend(frameworks_problems(result.model, document))
        checked.append(result)

    local: dict[str, Questionnaire] = {}  # by id, and by id@version
    for c in checked:
        if isinstance(c.model, Questionnaire) and not c.problems:
            local[c.model.id] = local[c.model.ref] = c.model
    for result in checked:
        if not isinstance(result.model, AnswerSet) or result.document is None:
            continue
        answers = result.model
        migrations = None
        try:
            if questionnaire_ref is None and answers.questionnaire in local:
                q = local[answers.questionnaire]  # the version the answers name, when here
            elif questionnaire_ref is None and answers.questionnaire_id in local:
                q = local[answers.questionnaire_id]
            else:
                pack = resolve_pack(questionnaire_ref or answers.questionnaire_id)
                q = pack.questionnaire
                if answers.questionnaire_version not in (None, q.version):
                    migrations = load_migrations(pack)
        except UserError as exc:
            result.problems.extend(_relocate(exc, result.document, ["questionnaire"]))
            continue
        result.problems.extend(
            answers_problems(answers, result.document, q, migrations, questionnaire_ref)
        )
    for result in checked:
        if result.model is None or result.document is None:
            continue
        if result.document.kind in PLAN_KINDS:
            result.problems.extend(_plan_file_cross_checks(result, questionnaire_ref))
        elif isinstance(result.model, MigrationSet):
            result.problems.extend(_migrations_cross_checks(result, questionnaire_ref))
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


def _mapping_cross_checks(q: Questionnaire, document: YamlDocument) -> list[Problem]:
    """A pack's questionnaire.yaml: its mappings against the frameworks.yaml beside it.

    A frameworks.yaml with problems of its own is reported as itself, not here."""
    from mcpscale.formats.kinds import FRAMEWORKS_FILE, QUESTIONNAIRE_FILE

    if document.path.name != QUESTIONNAIRE_FILE or not any(x.mappings for x in q.questions):
        return []
    path = document.path.parent / FRAMEWORKS_FILE
    if not path.is_file():
        return mapping_problems(q, document, None)
    try:
        frameworks = read_model(load_yaml(path), FrameworkSet).model
    except UserError:
        return []
    if not isinstance(frameworks, FrameworkSet):
        return []
    return mapping_problems(q, document, frameworks)


def _questionnaire_beside(
    document: YamlDocument, questionnaire_ref: str | None
) -> Questionnaire | Problem:
    """The questionnaire a pack file is checked against: --questionnaire, else the one beside it."""
    from mcpscale.formats.kinds import QUESTIONNAIRE_FILE
    from mcpscale.inputs.packs import resolve_pack

    folder = document.path.parent
    ref = questionnaire_ref
    if ref is None:
        if not (folder / QUESTIONNAIRE_FILE).is_file():
            return Problem(
                str(document.path),
                None,
                None,
                f"cannot check its references: no {QUESTIONNAIRE_FILE} beside it; "
                "pass --questionnaire ID|PATH",
            )
        ref = str(folder)
    try:
        return resolve_pack(ref).questionnaire
    except UserError as exc:
        return Problem(str(document.path), None, None, f"cannot check its references: {exc}")


def _migrations_cross_checks(checked: Checked, questionnaire_ref: str | None) -> list[Problem]:
    from mcpscale.inputs.migrations import migration_problems

    assert checked.document is not None and isinstance(checked.model, MigrationSet)
    q = _questionnaire_beside(checked.document, questionnaire_ref)
    if isinstance(q, Problem):
        return [q]
    return migration_problems(checked.model, checked.document, q)


def _plan_file_cross_checks(checked: Checked, questionnaire_ref: str | None) -> list[Problem]:
    """A planning file is checked against the questionnaire beside it (or --questionnaire)."""
    from mcpscale.formats.kinds import PLAN_FILES

    assert checked.document is not None and checked.model is not None
    document = checked.document
    folder = document.path.parent
    q = _questionnaire_beside(document, questionnaire_ref)
    if isinstance(q, Problem):
        return [q]
    initiative_ids = None
    initiatives_path = folder / PLAN_FILES["initiatives"]
    if isinstance(checked.model, RiskSet | GateSet) and initiatives_path.is_file():
        try:
            initiatives_checked = read_model(load_yaml(initiatives_path), InitiativeSet)
        except UserError:
            initiatives_checked = Checked(None, None)
        if isinstance(initiatives_checked.model, InitiativeSet):
            initiative_ids = [i.id for i in initiatives_checked.model.initiatives]
    return plan_file_problems(checked.model, document, q, initiative_ids)
