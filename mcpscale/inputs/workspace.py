"""`mcpscale init`: a workspace a team commits, with an optional CI pipeline beside it."""

from __future__ import annotations

import os
from pathlib import Path
from string import Template
from typing import Literal

from mcpscale.errors import UserError
from mcpscale.formats.questionnaire import Questionnaire
from mcpscale.inputs.packs import DEFAULT_QUESTIONNAIRE, data_dir, resolve_pack
from mcpscale.inputs.write import make_folder, write_atomic

CiSystem = Literal["github", "gitlab"]
# Where each CI system expects its pipeline file, and the template it is written from.
CI_FILES: dict[str, tuple[str, str]] = {
    "github": (".github/workflows/mcpscale.yml", "github-actions.yml"),
    "gitlab": (".gitlab-ci.yml", "gitlab-ci.yml"),
}


def ci_template(system: str) -> str:
    """The pipeline text `init --ci SYSTEM` writes (docs/ci.md shows the same text)."""
    return (data_dir("templates") / "ci" / CI_FILES[system][1]).read_text(encoding="utf-8")


def workspace_files(
    ci: CiSystem | None = None,
    questionnaire: str = DEFAULT_QUESTIONNAIRE,
    title: str | None = None,
) -> dict[str, str]:
    """Relative path -> content of every file `init` writes, for the questionnaire `questionnaire`
    (a bundled id or a path, named as given) and the workspace's title (default: the
    questionnaire's). The profile offers the plan's inputs only where the pack's planning files
    use them."""
    init = data_dir("templates") / "init"
    pack = resolve_pack(questionnaire)
    planning = pack.plan_files()
    words = {
        "title": title or pack.questionnaire.title,
        "questionnaire": questionnaire,
        "questionnaire_id": pack.questionnaire.id,
        "targets": _example_targets(pack.questionnaire),
    }
    profile = Template((init / "profile.yaml").read_text(encoding="utf-8")).substitute(words)
    if {"initiatives", "gates"} <= set(planning):
        profile += (init / "profile-budget.yaml").read_text(encoding="utf-8")
        if "economics" in planning:
            profile += (init / "profile-roi.yaml").read_text(encoding="utf-8")
    readme = Template((init / "answers-README.md").read_text(encoding="utf-8"))
    files = {
        "profile.yaml": profile,
        "answers/README.md": readme.substitute(words),
        "results/.gitkeep": "",
    }
    if ci is not None:
        files[CI_FILES[ci][0]] = ci_template(ci)
    return files


def _example_targets(questionnaire: Questionnaire) -> str:
    """`{first: top level, second: the level below}` in the questionnaire's own ids and scale."""
    levels = sorted(level.level for level in questionnaire.scale)
    pairs = zip(questionnaire.dimensions[:2], (levels[-1], levels[-2]), strict=False)
    return "{" + ", ".join(f"{d.id}: {level:g}" for d, level in pairs) + "}"


def init_workspace(
    folder: Path,
    ci: CiSystem | None = None,
    questionnaire: str = DEFAULT_QUESTIONNAIRE,
    title: str | None = None,
) -> list[Path]:
    """Write the workspace into `folder`; refuse, writing nothing, if any file exists."""
    if folder.exists() and not folder.is_dir():
        raise UserError(
            f"{folder}: is a file, not a folder; mcpscale init writes a workspace into a "
            "folder: name a new or existing folder"
        )
    written = workspace_files(ci, questionnaire, title)  # a bad --questionnaire stops here
    make_folder(folder)
    files = {folder / relative: content for relative, content in written.items()}
    existing = [path for path in files if os.path.lexists(path)]
    if existing:
        raise UserError(
            f"{', '.join(map(str, existing))} already exist{'s' * (len(existing) == 1)}; "
            "mcpscale init never overwrites files: move them away or pick another folder"
        )
    for path, content in files.items():
        write_atomic(path, content)
    return list(files)
