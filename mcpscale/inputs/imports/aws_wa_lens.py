"""An AWS Well-Architected custom lens (JSON) read into a questionnaire.

One dimension per pillar, one multi-select question per lens question, on a scale named after
the lens's risks (0 High risk, 1 Medium risk, 2 No risk). Each risk rule's condition
("a && !b || c", "default") is rewritten as an OR of ANDs, one `rules:` entry per AND, in the
lens's order, so the first rule that matches gives the same risk as the Well-Architected Tool.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mcpscale.errors import UserError
from mcpscale.formats.questionnaire import RESERVED_CHOICE_IDS
from mcpscale.inputs.imports import Conversion, counted, slug, unique
from mcpscale.inputs.reader import MB, read_bounded

# The largest real lenses are a few hundred kilobytes.
MAX_LENS_BYTES = 8 * MB
RISK_LEVELS = {"HIGH_RISK": 0, "MEDIUM_RISK": 1, "NO_RISK": 2}
SCALE = [
    {"level": 0, "name": "High risk", "description": "The lens rates this a high risk."},
    {"level": 1, "name": "Medium risk", "description": "The lens rates this a medium risk."},
    {"level": 2, "name": "No risk", "description": "The lens finds no risk here."},
]
# A condition whose OR of ANDs grows past this many terms is not carried (none real comes near).
MAX_TERMS = 64
# Real conditions nest two or three brackets deep; the parser recurses once per level.
MAX_NESTING = 50
_NONE_OF_THESE = re.compile(r"^\s*none\s+of\s+(these|the\s+above|above)\b", re.IGNORECASE)
_CARRIED_LENS = {"schemaVersion", "name", "description", "pillars", "_version"}
_CARRIED_PILLAR = {"id", "name", "questions"}
_CARRIED_QUESTION = {"id", "title", "description", "choices", "riskRules", "helpfulResource"}
_CARRIED_CHOICE = {"id", "title"}

JsonPath = tuple[str | int, ...]


def convert_lens(path: Path) -> Conversion:
    """Read a custom lens JSON file; every problem with it is a UserError naming file and line."""
    return _Lens(path).convert()


# ---------------------------------------------------------------- conditions


class ConditionError(ValueError):
    """A risk rule's condition that cannot be read, in plain words."""


Literal_ = tuple[str, bool]  # a choice id, and whether it must be selected (False: not)
Term = frozenset[Literal_]  # an AND of literals


@dataclass(frozen=True)
class _Node:
    op: str  # "id", "not", "and", "or"
    value: str = ""
    children: tuple[_Node, ...] = ()


_TOKEN = re.compile(r"\s*(?:(&&|\|\||!|\(|\))|([A-Za-z0-9_.:\-]+))")


def _tokens(condition: str) -> list[str]:
    tokens: list[str] = []
    position = 0
    text = condition.rstrip()
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None:
            found = text[position:].lstrip()[:1]
            raise ConditionError(f"'{found}' is not &&, ||, !, a bracket or a choice id")
        tokens.append(match.group(1) or match.group(2))
        position = match.end()
    return tokens


def parse_condition(condition: str) -> _Node:
    """`a && (b || !c)` as a tree: || binds loosest, then &&, then !."""
    tokens = _tokens(condition)
    if not tokens:
        raise ConditionError("the condition is empty")
    depth = negations = deepest = 0
    for token in tokens:
        depth += {"(": 1, ")": -1}.get(token, 0)
        negations = negations + 1 if token == "!" else 0
        deepest = max(deepest, depth + negations)
    if deepest > MAX_NESTING:
        raise ConditionError(f"it nests more than {MAX_NESTING} brackets or negations deep")
    index = 0

    def peek() -> str | None:
        return tokens[index] if index < len(tokens) else None

    def take() -> str:
        nonlocal index
        token = peek()
        if token is None:
            raise ConditionError("the condition ends too early")
        index += 1
        return token

    def either() -> _Node:
        parts = [both()]
        while peek() == "||":
            take()
            parts.append(both())
        return parts[0] if len(parts) == 1 else _Node("or", children=tuple(parts))

    def both() -> _Node:
        parts = [single()]
        while peek() == "&&":
            take()
            parts.append(single())
        return parts[0] if len(parts) == 1 else _Node("and", children=tuple(parts))

    def single() -> _Node:
        token = take()
        if token == "!":
            return _Node("not", children=(single(),))
        if token == "(":
            inner = either()
            if take() != ")":
                raise ConditionError("a bracket is not closed")
            return inner
        if token in ("&&", "||", ")"):
            raise ConditionError(f"'{token}' where a choice id should be")
        return _Node("id", token)

    tree = either()
    if peek() is not None:
        raise ConditionError(f"'{peek()}' where && or || should be")
    return tree


def disjunctive_form(tree: _Node, negated: bool = False) -> list[Term]:
    """The condition as an OR of ANDs of (choice, selected?) literals, simplest first-kept.

    Contradictions (a && !a) are dropped, and so is an AND that holds whenever a shorter one
    does; more than MAX_TERMS terms is a ConditionError.
    """
    if tree.op == "id":
        return [frozenset({(tree.value, not negated)})]
    if tree.op == "not":
        return disjunctive_form(tree.children[0], not negated)
    parts = [disjunctive_form(child, negated) for child in tree.children]
    # De Morgan: a negated AND is an OR of negations, and a negated OR an AND of them.
    if (tree.op == "or") != negated:
        return _simplest([term for part in parts for term in part])
    terms: list[Term] = [frozenset()]
    for part in parts:
        terms = _simplest([a | b for a in terms for b in part if not _contradicts(a | b)])
        if len(terms) > MAX_TERMS:
            raise ConditionError(f"it expands to more than {MAX_TERMS} alternatives")
    return terms


def _contradicts(term: Term) -> bool:
    return any((choice, not selected) in term for choice, selected in term)


def _simplest(terms: list[Term]) -> list[Term]:
    kept: list[Term] = []
    for term in terms:
        if term in kept or any(other < term for other in terms):
            continue
        kept.append(term)
    return kept


# ---------------------------------------------------------------- the lens


class _Lens:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.lines: dict[JsonPath, int] = {}
        self.not_carried: list[str] = []
        self.informational: list[str] = []  # questions whose every answer has the same risk

    def line(self, at: JsonPath) -> int | None:
        while at and at not in self.lines:
            at = at[:-1]
        return self.lines.get(at)

    def fail(self, at: JsonPath, message: str) -> UserError:
        return UserError.at(self.path, message, self.line(at))

    def note(self, at: JsonPath, message: str) -> None:
        line = self.line(at)
        self.not_carried.append(f"line {line}: {message}" if line else message)

    def read(self) -> Any:
        from mcpscale.inputs.jsonc import JsoncError, parse_jsonc

        data = read_bounded(self.path, MAX_LENS_BYTES, "a lens JSON file")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise UserError.at(
                self.path, f"not UTF-8 text (byte {exc.start}); save the lens as UTF-8 JSON"
            ) from None
        try:
            parsed = parse_jsonc(text)
        except JsoncError as exc:
            raise UserError.at(
                self.path,
                f"invalid JSON: {exc.reason}; pass a custom lens JSON file, as the "
                "Well-Architected Tool exports it",
                exc.line,
                exc.column,
            ) from None
        except RecursionError:
            raise UserError.at(self.path, "JSON nests too deeply to be a lens") from None
        self.lines = parsed.lines
        return parsed.value

    def convert(self) -> Conversion:
        lens = self.read()
        if not isinstance(lens, dict) or not isinstance(lens.get("pillars"), list):
            raise UserError.at(
                self.path,
                "not a Well-Architected custom lens: it has no 'pillars' list; pass the lens "
                "JSON file (as the Well-Architected Tool exports it)",
            )
        name = self._text(lens, "name", ()) or self.path.stem
        extra = [key for key in lens if key not in _CARRIED_LENS]
        if extra:
            self.note((), f"lens fields {', '.join(extra)}: mcpscale has no place for them")
        dimensions: list[dict[str, Any]] = []
        questions: list[dict[str, Any]] = []
        dimension_ids: set[str] = set()
        question_ids: set[str] = set()
        skipped_keys: list[str] = []
        for p, pillar in enumerate(lens["pillars"]):
            at: JsonPath = ("pillars", p)
            if not isinstance(pillar, dict) or not isinstance(pillar.get("questions"), list):
                raise self.fail(at, f"pillar {p + 1} has no 'questions' list; add one")
            pillar_name = self._text(pillar, "name", at) or f"Pillar {p + 1}"
            dimension_id = unique(self._id(pillar, at) or slug(pillar_name), dimension_ids)
            skipped_keys += [f"pillar {key}" for key in pillar if key not in _CARRIED_PILLAR]
            asked = []
            for q, question in enumerate(pillar["questions"]):
                converted = self._question(question, (*at, "questions", q), dimension_id)
                skipped_keys += [
                    f"question {key}" for key in question if key not in _CARRIED_QUESTION
                ]
                for choice in question.get("choices", []):
                    if isinstance(choice, dict):
                        skipped_keys += [
                            f"choice {key}" for key in choice if key not in _CARRIED_CHOICE
                        ]
                lens_id = converted["id"]
                converted["id"] = unique(lens_id, question_ids)
                if converted["id"] != lens_id:
                    self.note(
                        (*at, "questions", q, "id"),
                        f"question id '{lens_id}' is used twice; the second is "
                        f"'{converted['id']}' here",
                    )
                asked.append(converted)
            if not asked:
                self.note(at, f"pillar '{pillar_name}' has no questions; left out")
                continue
            dimension_ids.add(dimension_id)
            dimensions.append({"id": dimension_id, "name": pillar_name})
            questions += asked
        if not questions:
            raise UserError.at(self.path, "the lens has no questions; add some to its pillars")
        if self.informational:
            self.not_carried.append(
                f"{len(self.informational)} question{'s' * (len(self.informational) > 1)} "
                f"({', '.join(self.informational[:5])}"
                f"{', ...' if len(self.informational) > 5 else ''}) "
                f"{'rate' if len(self.informational) > 1 else 'rates'} every answer the same "
                "risk: asked and reported, but left out of the scores (scored: false)"
            )
        if skipped_keys:
            self.not_carried.append(
                f"fields with no place in a questionnaire (how often): {counted(skipped_keys)}; "
                "choices keep only their title, so helpful resources and improvement plans "
                "stay in the lens"
            )
        version = lens.get("_version")
        questionnaire: dict[str, Any] = {
            "kind": "questionnaire",
            "id": slug(name),
            "version": str(version) if isinstance(version, str | int | float) else "1",
            "title": name,
            "description": self._text(lens, "description", ()),
            "scale": SCALE,
            "dimensions": dimensions,
            "questions": questions,
        }
        if not questionnaire["description"]:
            del questionnaire["description"]
        header = [
            f"Converted by `mcpscale import aws-wa-lens` from {self.path.name}: the AWS "
            f"Well-Architected custom lens '{name}' (schema {lens.get('schemaVersion', '?')}).",
            "One dimension per pillar, one multi-select question per lens question. The levels "
            "are the lens's risks (0 High risk, 1 Medium risk, 2 No risk); each risk rule became "
            "one rule per alternative of its condition, in the lens's order, first match wins.",
        ]
        return Conversion(questionnaire, header, self.not_carried)

    def _question(self, question: Any, at: JsonPath, dimension_id: str) -> dict[str, Any]:
        if not isinstance(question, dict) or not isinstance(question.get("choices"), list):
            raise self.fail(at, "a question has no 'choices' list; add one")
        title = self._text(question, "title", at)
        if not title:
            raise self.fail(at, "a question has no 'title'; add one")
        question_id = self._id(question, at) or slug(title)
        choices, renamed = self._choices(question["choices"], (*at, "choices"), question_id)
        converted: dict[str, Any] = {
            "id": question_id,
            "dimension": dimension_id,
            "type": "multi",
            "text": title,
        }
        help_text = self._help(question, at, title)
        if help_text:
            converted["help"] = help_text
        converted["allow_na"] = True  # the Tool lets any question be marked "does not apply"
        converted["choices"] = choices
        converted["rules"] = self._rules(question, at, question_id, renamed)
        if all(len(rule) == 1 for rule in converted["rules"]):
            # Every answer gets the same risk: the lens asks it without rating it.
            converted["scored"] = False
            self.informational.append(question_id)
        return converted

    def _choices(
        self, choices: list[Any], at: JsonPath, question_id: str
    ) -> tuple[list[dict[str, Any]], dict[str, str]]:
        """The choices, and the lens's choice ids that had to be renamed (old -> new)."""
        converted: list[dict[str, Any]] = []
        taken: set[str] = set()
        renamed: dict[str, str] = {}
        for c, choice in enumerate(choices):
            where = (*at, c)
            if not isinstance(choice, dict):
                raise self.fail(where, f"a choice of question {question_id} is not an object")
            label = self._text(choice, "title", where)
            if not label:
                raise self.fail(where, f"a choice of question {question_id} has no 'title'")
            lens_id = self._id(choice, where) or slug(label)
            if lens_id in taken or lens_id in renamed:
                self.note(
                    where,
                    f"question {question_id}: choice id '{lens_id}' twice; the second is left out",
                )
                continue
            choice_id = lens_id
            if lens_id.casefold() in RESERVED_CHOICE_IDS or lens_id.isdigit():
                choice_id = unique(f"choice-{lens_id}", taken)
                renamed[lens_id] = choice_id
            else:
                taken.add(choice_id)
            entry: dict[str, Any] = {"id": choice_id, "label": label}
            if _NONE_OF_THESE.match(label):
                entry["exclusive"] = True
            converted.append(entry)
        if not any(choice.get("exclusive") for choice in converted):
            converted.append(
                {"id": unique("none", taken), "label": "None of these", "exclusive": True}
            )
        if len(converted) < 2:
            raise self.fail(at, f"question {question_id} has no choices; add some")
        return converted, renamed

    def _rules(
        self, question: dict[str, Any], at: JsonPath, question_id: str, renamed: dict[str, str]
    ) -> list[dict[str, Any]]:
        rules: list[dict[str, Any]] = []
        raw = question.get("riskRules")
        lens_ids = {self._id(c, ()) for c in question["choices"] if isinstance(c, dict)}
        if not isinstance(raw, list) or not raw:
            self.note(
                at, f"question {question_id} has no risk rules: every answer scores High risk"
            )
            return [{"level": 0}]
        for r, rule in enumerate(raw):
            where = (*at, "riskRules", r)
            risk = rule.get("risk") if isinstance(rule, dict) else None
            condition = rule.get("condition") if isinstance(rule, dict) else None
            if risk not in RISK_LEVELS or not isinstance(condition, str):
                self.note(
                    where,
                    f"question {question_id}: a risk rule without a known risk "
                    f"(HIGH_RISK, MEDIUM_RISK, NO_RISK) and a condition; left out",
                )
                continue
            level = RISK_LEVELS[risk]
            if condition.strip() == "default":
                rules.append({"level": level})
                continue
            try:
                terms = disjunctive_form(parse_condition(condition))
            except ConditionError as exc:
                self.note(
                    (*where, "condition"),
                    f"question {question_id}: condition '{condition}' cannot be "
                    f"read ({exc}); that {risk} rule is left out",
                )
                continue
            unknown = sorted({c for term in terms for c, _ in term if c not in lens_ids})
            if unknown:
                self.note(
                    (*where, "condition"),
                    f"question {question_id}: condition '{condition}' names "
                    f"{', '.join(unknown)}, not a choice of the question; read as never "
                    "selected",
                )
            for term in terms:
                if any(selected and c not in lens_ids for c, selected in term):
                    continue  # needs a choice that does not exist: never holds
                kept = [(renamed.get(c, c), selected) for c, selected in term if c in lens_ids]
                entry: dict[str, Any] = {"level": level}
                selected_ids = sorted(c for c, selected in kept if selected)
                unselected_ids = sorted(c for c, selected in kept if not selected)
                if selected_ids:
                    entry["all"] = selected_ids
                if unselected_ids:
                    entry["none"] = unselected_ids
                rules.append(entry)
        if not any(len(rule) == 1 for rule in rules):
            # Lenses that list HIGH_RISK and MEDIUM_RISK rules only mean "otherwise no risk".
            given = {rule.get("risk") for rule in raw if isinstance(rule, dict)}
            left = [risk for risk in RISK_LEVELS if risk not in given]
            fallback = RISK_LEVELS[left[0]] if len(left) == 1 else 0
            rules.append({"level": fallback})
            self.note(
                at,
                f"question {question_id} has no default risk rule: a selection no rule matches "
                f"scores {SCALE[fallback]['name']}"
                f"{' (the one risk no rule gives)' if len(left) == 1 else ''}",
            )
        return rules

    def _help(self, question: dict[str, Any], at: JsonPath, title: str) -> str:
        parts = []
        description = self._text(question, "description", at)
        if description and description.strip() != title.strip():
            parts.append(description.strip())
        resource = question.get("helpfulResource")
        if isinstance(resource, dict):
            text, url = resource.get("displayText"), resource.get("url")
            if isinstance(text, str) and text.strip():
                parts.append(text.strip())
            if isinstance(url, str) and url.strip():
                parts.append(url.strip())
        return "\n\n".join(parts)

    def _text(self, item: dict[str, Any], key: str, at: JsonPath) -> str:
        value = item.get(key)
        if value is None:
            return ""
        if not isinstance(value, str):
            raise self.fail((*at, key), f"'{key}' should be text, not {type(value).__name__}")
        return value.strip()

    def _id(self, item: dict[str, Any], at: JsonPath) -> str:
        value = item.get("id")
        if isinstance(value, int | float) and not isinstance(value, bool):
            return str(value)
        return value.strip() if isinstance(value, str) else ""
