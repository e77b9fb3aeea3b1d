"""Reads evidence files, a pack's evidence rules and the tool-poisoning rules."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from mcpscale.errors import UserError
from mcpscale.formats.conditions import ConditionError, parse_condition
from mcpscale.formats.evidence import Evidence, EvidenceRule, EvidenceRules, ToolRule, ToolRules
from mcpscale.formats.kinds import EVIDENCE_RULES_FILE, TOOL_RULES_FILE
from mcpscale.formats.questionnaire import Questionnaire


def load_rules(pack_folder: Path | None, questionnaire: Questionnaire) -> list[EvidenceRule]:
    from mcpscale.inputs.load import load_model

    if pack_folder is None or not (pack_folder / EVIDENCE_RULES_FILE).is_file():
        raise UserError(
            f"questionnaire '{questionnaire.id}' has no {EVIDENCE_RULES_FILE} beside it, so "
            "evidence cannot be held against its answers; add rules or drop --evidence"
        )
    path = pack_folder / EVIDENCE_RULES_FILE
    rules = load_model(path, EvidenceRules).rules
    for rule in rules:
        try:
            parse_condition(rule.when)
        except ConditionError as exc:
            raise UserError.at(path, f"rule {rule.id}: when: {exc}") from None
        for question_id, level in rule.caps.items():
            if questionnaire.question(question_id) is None:
                raise UserError.at(path, f"rule {rule.id}: unknown question '{question_id}'")
            if not questionnaire.min_level <= level <= questionnaire.max_level:
                raise UserError.at(path, f"rule {rule.id}: level {level} is off the scale")
    return rules


def read_evidence(paths: Sequence[Path]) -> list[tuple[Path, Evidence]]:
    """Evidence files (YAML or JSON) and folders of them, sorted, each checked."""
    from mcpscale.inputs.load import load_model

    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(
                p for p in path.rglob("*") if p.suffix in (".json", ".yaml", ".yml") and p.is_file()
            )
        elif path.exists():
            files.append(path)
        else:
            raise UserError.at(path, "no such file or directory")
    if not files:
        raise UserError(f"no evidence files in {', '.join(map(str, paths))}")
    return [(file, load_model(file, Evidence)) for file in files]


def bundled_tool_rules_path() -> Path:
    """The bundled pack's tool-rules.yaml (beside its questionnaire)."""
    from mcpscale.inputs.packs import DEFAULT_QUESTIONNAIRE, data_dir

    return data_dir("questionnaires") / DEFAULT_QUESTIONNAIRE / TOOL_RULES_FILE


def load_tool_rules(extra: Sequence[Path] = ()) -> list[ToolRule]:
    """The bundled poisoning rules, then each extra file's; a rule whose id is already
    loaded replaces it (so a pack can retune one, e.g. max_chars), a new id is added.

    A pattern that does not compile, or could backtrack for ever, is a UserError naming the
    file, the line and the rule."""
    from mcpscale.inputs.load import load_model

    rules: dict[str, ToolRule] = {}
    for path in [bundled_tool_rules_path(), *extra]:
        if not path.is_file():
            raise UserError.at(path, "no such file; --tool-rules takes a kind: tool-rules file")
        for rule in load_model(path, ToolRules).rules:
            rules[rule.id] = rule
    return list(rules.values())


def load_evidence(path: Path) -> Evidence:
    """One evidence file (JSON or YAML), checked; evidence@1 files are read as evidence@2."""
    from mcpscale.inputs.load import load_model

    if path.is_dir():
        raise UserError.at(path, "is a folder; name one evidence file")
    if not path.exists():
        raise UserError.at(path, "no such file")
    return load_model(path, Evidence)
