"""Reads answers files (and folders of them) with the questionnaire they answer."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from mcpscale.errors import Problem, UserError
from mcpscale.formats.answers import AnswerSet
from mcpscale.formats.questionnaire import Questionnaire
from mcpscale.inputs.bulk import cycle_collection_paused
from mcpscale.inputs.checks import answers_problems, duplicate_respondent_problems
from mcpscale.inputs.packs import resolve_pack
from mcpscale.inputs.read import read_model
from mcpscale.inputs.yaml import YamlDocument, load_yaml, resolved_yaml_files


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
        is_dir = path.is_dir()
        files = resolved_yaml_files([path]) if is_dir else [(path, path.resolve())]
        for file, resolved in files:
            if resolved in documents:
                continue
            try:
                document = load_yaml(file)
            except UserError as exc:
                problems.extend(exc.problems)
                continue
            if is_dir and document.kind not in (None, "answers"):
                continue
            documents[resolved] = document
    if problems:
        raise UserError.from_problems(problems)
    if not documents:
        raise UserError(
            f"no answers files found in {', '.join(map(str, paths))}; answers "
            "files are YAML with kind: answers"
        )
    return list(documents.values())


def read_answer_sets(paths: Sequence[Path]) -> list[tuple[AnswerSet, YamlDocument]]:
    """Every answers file under `paths` as a model with its document; one UserError naming
    every file and line whose shape is wrong."""
    loaded: list[tuple[AnswerSet, YamlDocument]] = []
    problems: list[Problem] = []
    with cycle_collection_paused():
        for document in read_answer_documents(paths):
            checked = read_model(document, AnswerSet)
            problems.extend(checked.problems)
            if isinstance(checked.model, AnswerSet):
                loaded.append((checked.model, document))
    if problems:
        raise UserError.from_problems(problems)
    return loaded


def load_answer_sets(
    paths: Sequence[Path], questionnaire_ref: str | None
) -> tuple[Questionnaire, list[AnswerSet]]:
    """Load answers files (and directories of them) and the questionnaire they answer.

    Without `questionnaire_ref`, the questionnaire named in the answers is used; all
    answers must then name the same one.
    """
    loaded = read_answer_sets(paths)
    problems: list[Problem] = []
    given_ref = questionnaire_ref
    if questionnaire_ref is None:
        ids = sorted({a.questionnaire_id for a, _ in loaded})
        if len(ids) > 1:
            raise UserError(
                f"these answers are for different questionnaires ({', '.join(ids)}); "
                "score each set separately or pass --questionnaire"
            )
        # the bundled questionnaire by id: answers to another version of it are then
        # checked against it, and told how to migrate when the pack can take them there
        questionnaire_ref = ids[0]
    pack = resolve_pack(questionnaire_ref)
    q = pack.questionnaire
    migrations = None
    if any(a.questionnaire_version not in (None, q.version) for a, _ in loaded):
        from mcpscale.inputs.migrations import load_migrations

        migrations = load_migrations(pack)
    for answers, document in loaded:
        problems.extend(answers_problems(answers, document, q, migrations, given_ref))
    problems.extend(duplicate_respondent_problems(loaded))
    if problems:
        raise UserError.from_problems(problems)
    return q, [answers for answers, _ in loaded]
