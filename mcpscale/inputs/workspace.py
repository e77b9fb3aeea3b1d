"""`mcpscale init`: a workspace a team commits, with an optional CI pipeline beside it."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from mcpscale.errors import UserError
from mcpscale.inputs.packs import data_dir
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


def workspace_files(ci: CiSystem | None = None) -> dict[str, str]:
    """Relative path -> content of every file `init` writes."""
    init = data_dir("templates") / "init"
    files = {
        "profile.yaml": (init / "profile.yaml").read_text(encoding="utf-8"),
        "answers/README.md": (init / "answers-README.md").read_text(encoding="utf-8"),
        "results/.gitkeep": "",
    }
    if ci is not None:
        files[CI_FILES[ci][0]] = ci_template(ci)
    return files


def init_workspace(folder: Path, ci: CiSystem | None = None) -> list[Path]:
    """Write the workspace into `folder`; refuse, writing nothing, if any file exists."""
    if folder.exists() and not folder.is_dir():
        raise UserError(
            f"{folder}: is a file, not a folder; mcpscale init writes a workspace into a "
            "folder: name a new or existing folder"
        )
    make_folder(folder)
    files = {folder / relative: content for relative, content in workspace_files(ci).items()}
    existing = [path for path in files if os.path.lexists(path)]
    if existing:
        raise UserError(
            f"{', '.join(map(str, existing))} already exist{'s' * (len(existing) == 1)}; "
            "mcpscale init never overwrites files: move them away or pick another folder"
        )
    for path, content in files.items():
        write_atomic(path, content)
    return list(files)
