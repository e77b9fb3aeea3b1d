"""`mcpscale init` and the CI recipes: the workspace a team commits, and the pipeline that
re-scores it. The pipeline's mcpscale commands are run here, exactly as written."""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from mcpscale.inputs.packs import resolve_pack
from mcpscale.inputs.workspace import ci_template

from .conftest import ACME, ROOT, Cli

DOCS = ROOT / "docs" / "ci.md"
QUESTIONS = resolve_pack("mcp-enterprise-readiness").questionnaire.questions


def test_init_writes_a_workspace_whose_profile_validates(cli: Cli, tmp_path: Path) -> None:
    result = cli("init", tmp_path / "ws")
    assert result.exit_code == 0, result.output
    ws = tmp_path / "ws"
    assert (ws / "results").is_dir() and (ws / "answers").is_dir()
    assert "mcpscale questionnaires show" in (ws / "answers" / "README.md").read_text()
    profile = (ws / "profile.yaml").read_text()
    assert profile.startswith("#") and "kind: profile" in profile
    validated = cli("validate", ws / "profile.yaml")
    assert validated.exit_code == 0 and "1 valid, 0 invalid" in validated.stderr
    assert not (ws / ".github").exists() and not (ws / ".gitlab-ci.yml").exists()


def test_init_refuses_to_overwrite_and_writes_nothing(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "profile.yaml").write_text("kind: profile\nname: Ours\n")
    result = cli("init", tmp_path, "--ci", "github")
    assert result.exit_code == 2
    assert f"{tmp_path / 'profile.yaml'} already exists" in result.stderr
    assert (tmp_path / "profile.yaml").read_text() == "kind: profile\nname: Ours\n"
    assert not (tmp_path / "answers").exists() and not (tmp_path / ".github").exists()


@pytest.mark.parametrize(
    ("system", "path"),
    [("github", ".github/workflows/mcpscale.yml"), ("gitlab", ".gitlab-ci.yml")],
)
def test_init_ci_writes_the_pipeline_shown_in_the_docs(
    cli: Cli, tmp_path: Path, system: str, path: str
) -> None:
    assert cli("init", tmp_path, "--ci", system).exit_code == 0
    written = (tmp_path / path).read_text()
    assert written == ci_template(system)
    assert written in DOCS.read_text(), f"docs/ci.md must show the {system} pipeline verbatim"
    assert isinstance(yaml.safe_load(written), dict)


def github_steps() -> list[dict[str, Any]]:
    workflow = yaml.safe_load(ci_template("github"))
    triggers = workflow[True]  # YAML 1.1 reads the key `on` as true; GitHub reads "on"
    assert set(triggers) >= {"schedule", "pull_request"}
    assert "answers/**" in triggers["pull_request"]["paths"]
    (job,) = workflow["jobs"].values()
    steps: list[dict[str, Any]] = job["steps"]
    assert all("uses" in step or "run" in step for step in steps)
    return steps


def mcpscale_commands(steps: list[dict[str, Any]], baseline: bool) -> list[list[str]]:
    """The mcpscale commands a run would execute, given whether a baseline is committed."""
    commands = []
    for step in steps:
        condition = step.get("if", "")
        if "hashFiles('results/baseline.json') != ''" in condition and not baseline:
            continue
        if "hashFiles('results/baseline.json') == ''" in condition and baseline:
            continue
        for line in str(step.get("run", "")).splitlines():
            if line.startswith("mcpscale "):
                commands.append(shlex.split(line)[1:])
    return commands


def test_the_workflow_commands_run_as_written(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A team's first run, the next quarter's run, and a pull request that lowers a score."""
    assert cli("init", tmp_path, "--ci", "github").exit_code == 0
    shutil.rmtree(tmp_path / "answers")
    shutil.copytree(ACME / "answers", tmp_path / "answers")
    shutil.copy(ACME / "profile.yaml", tmp_path / "profile.yaml")
    monkeypatch.chdir(tmp_path)
    steps = github_steps()

    first = mcpscale_commands(steps, baseline=False)
    assert [c[0] for c in first] == ["validate", "score"]
    for command in first:
        assert cli(*command).exit_code == 0, command
    assert (tmp_path / "results" / "junit.xml").is_file()
    shutil.copy(tmp_path / "results" / "current.json", tmp_path / "results" / "baseline.json")

    later = mcpscale_commands(steps, baseline=True)
    assert [c[0] for c in later] == ["validate", "score", "compare"]
    assert "--baseline" in later[1] and "--junit" in later[1]
    for command in later:
        assert cli(*command).exit_code == 0, command
    assert "**Gate: passed**" in (tmp_path / "results" / "compare.md").read_text()

    # A pull request where two respondents move every governance answer to the lowest level.
    lowest = {q.id: min(q.choices, key=lambda c: c.level).id for q in QUESTIONS}
    for name in ("ana-silva.yaml", "priya-raman.yaml"):
        path = tmp_path / "answers" / name
        path.write_text(
            re.sub(
                r"^  (gov\.[a-z0-9-]+): [a-z0-9-]+$",
                lambda m: f"  {m[1]}: {lowest[m[1]]}",
                path.read_text(),
                flags=re.M,
            )
        )
    outcomes = [cli(*command) for command in later]
    assert [o.exit_code for o in outcomes] == [0, 1, 1]
    assert "exceeds --max-drop" in outcomes[1].stderr
    assert "**Gate: failed**" in (tmp_path / "results" / "compare.md").read_text()


def test_gitlab_runs_the_same_commands_as_github() -> None:
    pipeline = yaml.safe_load(ci_template("gitlab"))
    script = "\n".join(pipeline["mcpscale"]["script"])
    # The same commands; the shell around them ("|| true") records a failed gate for later.
    gitlab = {
        line.strip().split(" || ")[0]
        for line in script.splitlines()
        if line.strip().startswith("mcpscale ")
    }
    steps = github_steps()
    github = {
        line
        for step in steps
        for line in str(step.get("run", "")).splitlines()
        if line.startswith("mcpscale ")
    }
    assert gitlab == github
    assert pipeline["mcpscale"]["artifacts"]["reports"]["junit"] == "results/junit.xml"
