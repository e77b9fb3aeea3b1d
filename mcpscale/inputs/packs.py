"""Finds content packs: the bundled ones inside the package, or any folder or file a user names.

A pack is a folder holding `questionnaire.yaml` (and, for planning, more files
beside it); a lone questionnaire YAML file works too.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from mcpscale.errors import Problem, UserError, did_you_mean
from mcpscale.formats.frameworks import FrameworkSet
from mcpscale.formats.kinds import FRAMEWORKS_FILE, MODELS, PLAN_FILES, QUESTIONNAIRE_FILE
from mcpscale.formats.pack import Economics, GateSet, InitiativeSet, RiskSet
from mcpscale.formats.questionnaire import (
    Questionnaire,
    Strict,
)
from mcpscale.inputs.plan_checks import frameworks_problems, mapping_problems, plan_file_problems
from mcpscale.inputs.read import read_model
from mcpscale.inputs.reader import regular_file_size
from mcpscale.inputs.yaml import YamlDocument, load_yaml

DEFAULT_QUESTIONNAIRE = "mcp-enterprise-readiness"  # what a new answers file or form answers


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


def data_dir(name: str) -> Path:
    """A bundled data folder: inside the installed package, or at the checkout's top."""
    packaged = Path(str(resources.files("mcpscale"))) / name
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / name


@dataclass(frozen=True)
class Pack:
    questionnaire: Questionnaire
    path: Path  # the questionnaire file
    folder: Path | None  # the pack folder, when the questionnaire lives in one

    def plan_files(self) -> dict[str, Path]:
        """The planning files this pack has, by kind; a pack may have none of them."""
        if self.folder is None:
            return {}
        found = {kind: self.folder / name for kind, name in PLAN_FILES.items()}
        return {kind: path for kind, path in found.items() if path.is_file()}

    def frameworks_file(self) -> Path | None:
        """The pack's frameworks.yaml, if it has one."""
        if self.folder is None or not (self.folder / FRAMEWORKS_FILE).is_file():
            return None
        return self.folder / FRAMEWORKS_FILE


def load_frameworks(pack: Pack) -> FrameworkSet | None:
    """The pack's frameworks, checked with every question's mappings; None without the file."""
    path = pack.frameworks_file()
    if path is None:
        return None
    document = load_yaml(path)
    checked = read_model(document, FrameworkSet)
    problems = list(checked.problems)
    if isinstance(checked.model, FrameworkSet):
        problems += frameworks_problems(checked.model, document)
        problems += mapping_problems(pack.questionnaire, load_yaml(pack.path), checked.model)
    if problems:
        raise UserError.from_problems(problems)
    assert isinstance(checked.model, FrameworkSet)
    return checked.model


def bundled_pack_paths() -> dict[str, Path]:
    """Bundled questionnaire id -> its questionnaire file, read from the files themselves."""
    root = data_dir("questionnaires")
    found: dict[str, Path] = {}
    if root.is_dir():
        for folder in sorted(root.iterdir()):
            candidate = folder / QUESTIONNAIRE_FILE
            if candidate.is_file():
                found[load_pack(candidate).questionnaire.id] = candidate
    return found


def resolve_pack(ref: str) -> Pack:
    """`ref` is a path (file or pack folder) or a bundled id, optionally id@version."""
    path = Path(ref)
    if path.is_dir():
        path = path / QUESTIONNAIRE_FILE
        if not path.is_file():
            raise UserError.at(ref, f"not a content pack: it holds no {QUESTIONNAIRE_FILE}")
        return load_pack(path)
    if path.is_file() or path.suffix in (".yaml", ".yml"):
        regular_file_size(path, "a questionnaire YAML file")  # named as given, not resolved
        return load_pack(path)
    wanted_id, _, wanted_version = ref.partition("@")
    bundled = bundled_pack_paths()
    if wanted_id not in bundled:
        raise UserError(
            f"unknown questionnaire '{wanted_id}'{did_you_mean(wanted_id, bundled)}; bundled: "
            f"{', '.join(sorted(bundled)) or 'none'}. Pass a path to use your own: "
            "--questionnaire path/to/questionnaire.yaml"
        )
    pack = load_pack(bundled[wanted_id])
    if wanted_version and wanted_version != pack.questionnaire.version:
        raise UserError(
            f"questionnaire '{wanted_id}' is bundled at version {pack.questionnaire.version}, "
            f"not {wanted_version}; pass the questionnaire file of version {wanted_version} "
            "with --questionnaire PATH"
        )
    return pack


@cache
def load_pack(path: Path) -> Pack:
    from mcpscale.inputs.load import load_questionnaire

    resolved = path.resolve()
    questionnaire = load_questionnaire(resolved)
    folder = resolved.parent if resolved.name == QUESTIONNAIRE_FILE else None
    return Pack(questionnaire, resolved, folder)
