"""A pack's optional migrations.yaml, read and checked against the pack's questionnaire."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from mcpscale.errors import Problem, UserError, did_you_mean
from mcpscale.formats.kinds import MIGRATIONS_FILE
from mcpscale.formats.migration import MigrationSet
from mcpscale.formats.questionnaire import RESERVED_CHOICE_IDS, Questionnaire
from mcpscale.inputs.packs import Pack, bundled_pack_paths, load_pack, resolve_pack
from mcpscale.inputs.read import _Reporter, read_model
from mcpscale.inputs.yaml import YamlDocument, YamlPath, load_yaml


def load_migrations(pack: Pack) -> MigrationSet | None:
    """The pack's migrations, checked; None when the pack has no migrations.yaml."""
    if pack.folder is None or not (pack.folder / MIGRATIONS_FILE).is_file():
        return None
    return _load(pack.folder / MIGRATIONS_FILE, pack.path)


@cache
def _load(path: Path, questionnaire_path: Path) -> MigrationSet:
    document = load_yaml(path)
    checked = read_model(document, MigrationSet)
    problems = list(checked.problems)
    if isinstance(checked.model, MigrationSet):
        problems += migration_problems(
            checked.model, document, load_pack(questionnaire_path).questionnaire
        )
    if problems:
        raise UserError.from_problems(problems)
    assert isinstance(checked.model, MigrationSet)
    return checked.model


def migration_problems(
    migrations: MigrationSet, document: YamlDocument, q: Questionnaire
) -> list[Problem]:
    """The questionnaire id, and in steps that end at the questionnaire's version, every new
    question id and new choice id, checked against the questionnaire."""
    report = _Reporter(document)
    if migrations.questionnaire != q.id:
        report.add(
            ["questionnaire"],
            f"these migrations are for '{migrations.questionnaire}', the questionnaire beside "
            f"them is '{q.id}'; write questionnaire: {q.id}",
        )
        return report.problems
    for i, step in enumerate(migrations.migrations):
        if step.to != q.version:
            continue  # an intermediate version: its questionnaire is not at hand
        at: list[str | int] = ["migrations", i]

        def question_at(question_id: str, where: YamlPath, key: bool = False) -> bool:
            if q.question(question_id) is not None:
                return True
            report.add(
                where,
                f"version {q.version} of {q.id} has no question '{question_id}'"
                f"{did_you_mean(question_id, q.questions_by_id)}",
                key=key,
            )
            return False

        def choices_of(question_id: str, choice_map: dict[str, str], where: YamlPath) -> None:
            question = q.question(question_id)
            if question is None:
                return
            offered = [choice.id for choice in question.choices]
            for old, new in choice_map.items():
                if new not in offered and new not in RESERVED_CHOICE_IDS:
                    report.add(
                        [*where, old],
                        f"question {question_id} has no choice '{new}'"
                        f"{did_you_mean(new, offered)} (choices: {', '.join(offered)})",
                    )

        for old, new in step.renamed.items():
            question_at(new, [*at, "renamed", old])
        for old, choice_map in step.choices.items():
            new = step.renamed.get(old, old)
            if question_at(new, [*at, "choices", old], key=True):
                choices_of(new, choice_map, [*at, "choices", old])
        for old, parts in step.split.items():
            for j, part in enumerate(parts):
                where: list[str | int] = [*at, "split", old, j]
                if question_at(part.id, [*where, "id"]) and part.choices:
                    choices_of(part.id, part.choices, [*where, "choices"])
        for j, merge in enumerate(step.merged):
            where = [*at, "merged", j]
            if question_at(merge.to, [*where, "to"]):
                choices_of(merge.to, merge.choices, [*where, "choices"])
        for j, question_id in enumerate(step.added):
            question_at(question_id, [*at, "added", j])
        for old in step.dropped:
            if q.question(old) is not None:
                report.add(
                    [*at, "dropped", old],
                    f"question {old} is dropped, yet version {q.version} still asks it; "
                    "remove it from dropped",
                    key=True,
                )
    return report.problems


def find_migrations(questionnaire_id: str, questionnaire_ref: str | None) -> MigrationSet | None:
    """The migrations of the pack `questionnaire_ref` names, else of the bundled pack with this
    id; None when there is no such pack, no migrations.yaml, or it is for another questionnaire."""
    if questionnaire_ref is not None:
        pack = resolve_pack(questionnaire_ref)
    else:
        bundled = bundled_pack_paths()
        if questionnaire_id not in bundled:
            return None
        pack = load_pack(bundled[questionnaire_id])
    migrations = load_migrations(pack)
    if migrations is None or migrations.questionnaire != questionnaire_id:
        return None
    return migrations
