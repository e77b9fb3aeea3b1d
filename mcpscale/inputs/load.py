"""The `load_*` functions commands call: one file of one kind, read and checked.

Each raises one UserError listing every problem found, each with its file and line;
`inputs/validate.py` collects problems instead of raising, for `mcpscale validate`.
"""

from __future__ import annotations

from pathlib import Path

from mcpscale.errors import UserError
from mcpscale.formats.pack import Economics
from mcpscale.formats.profile import Profile
from mcpscale.formats.questionnaire import (
    Questionnaire,
)
from mcpscale.inputs.checks import (
    profile_plan_problems,
    profile_problems,
    questionnaire_problems,
)
from mcpscale.inputs.read import M, read_model
from mcpscale.inputs.yaml import YamlDocument, load_yaml

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


def load_plan_profile(path: Path, q: Questionnaire, economics: Economics | None) -> Profile:
    profile, document = _load(path, Profile)
    problems = profile_problems(profile, document, q)
    problems += profile_plan_problems(profile, document, economics)
    if problems:
        raise UserError.from_problems(problems)
    return profile
