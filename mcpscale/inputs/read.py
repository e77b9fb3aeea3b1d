"""Reads a YAML document into its model, reporting every shape problem at its line."""

from __future__ import annotations

import types
import typing
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from mcpscale.errors import MAX_PROBLEMS_SHOWN, Problem, did_you_mean
from mcpscale.formats.answers import AnswerSet
from mcpscale.formats.kinds import MODELS
from mcpscale.formats.questionnaire import (
    Strict,
)
from mcpscale.inputs.yaml import YamlDocument, YamlPath

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

    @property
    def full(self) -> bool:
        """As many problems as are shown: costly hints (did you mean) are skipped from here."""
        return len(self.problems) >= MAX_PROBLEMS_SHOWN

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
        unknown_keys: dict[tuple[Any, ...], list[str]] = {}  # by parent: linear, not quadratic
        for error in errors:
            if error["type"] == "extra_forbidden":
                unknown_keys.setdefault(tuple(error["loc"][:-1]), []).append(str(error["loc"][-1]))
        for error in errors:
            if not _explained_by_typo(error, unknown_keys, model_class):
                _report_pydantic_error(report, model_class, error)
        return Checked(document, None, report.problems)
    return Checked(document, model, report.problems)


def _explained_by_typo(
    error: Any, unknown_keys: dict[tuple[Any, ...], list[str]], model_class: type[BaseModel]
) -> bool:
    """A missing key that an unknown key beside it misspells (respondant -> respondent)."""
    if error["type"] != "missing":
        return False
    parent, name = tuple(error["loc"][:-1]), str(error["loc"][-1])
    beside = unknown_keys.get(parent, [])[:MAX_PROBLEMS_SHOWN]  # a typo is among a few keys
    if not beside:
        return False
    suggestion = did_you_mean(name, [name])  # " (did you mean 'respondent'?)"
    fields = _fields_at(model_class, parent)
    return any(did_you_mean(other, fields) == suggestion for other in beside)


def _report_pydantic_error(report: _Reporter, model_class: type[BaseModel], error: Any) -> None:
    loc = tuple(error["loc"])
    kind = error["type"]
    if kind == "extra_forbidden":
        key = str(loc[-1])
        allowed = _fields_at(model_class, loc[:-1])
        hint = "" if report.full else did_you_mean(key, allowed)
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
