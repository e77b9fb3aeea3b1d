"""The Python API: the README's example runs as written and agrees with the command line."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from mcpscale import api

from .conftest import ACME, ROOT, Cli


def readme_example() -> str:
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Python API", 1)[1]
    match = re.search(r"```python\n(.*?)```", section, re.S)
    assert match, "the README's Python API section has a python example"
    return match.group(1)


def test_the_readme_example_runs_as_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copytree(ACME, tmp_path / "examples" / "acme")
    (tmp_path / ".mcp.json").write_text('{"mcpServers": {"s": {"url": "http://10.0.0.9/mcp"}}}')
    monkeypatch.chdir(tmp_path)
    exec(compile(readme_example(), "README.md", "exec"), {})
    printed = capsys.readouterr().out
    assert printed.startswith("overall ")
    assert "1 servers, 2 findings" in printed  # plain http off the machine, and no auth
    report = (tmp_path / "acme-report.md").read_text()
    assert report.startswith("# Acme readiness: Acme Financial Group")


def test_api_scores_as_the_command_line_does(cli: Cli) -> None:
    options = api.Options(profile=ACME / "profile.yaml", aggregate="median")
    result = api.score([ACME / "answers"], options)
    scored = cli.json(
        "score", ACME / "answers", "--profile", ACME / "profile.yaml", "--aggregate", "median"
    )
    assert api.result_to_dict(result) == scored


def test_api_plan_matches_the_plan_command(cli: Cli) -> None:
    options = api.Options(profile=ACME / "profile.yaml", simulations=200, seed=7)
    built = api.plan([ACME / "answers"], options)
    planned = cli.json(
        "plan", ACME / "answers", "--profile", ACME / "profile.yaml",
        "--simulations", "200", "--seed", "7",
    )  # fmt: skip
    assert api.plan_to_dict(built) == planned


def test_bad_input_raises_user_error_naming_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "ana.yaml"
    bad.write_text("kind: answers\nquestionnaire: nope\n")
    with pytest.raises(api.UserError, match="ana.yaml"):
        api.score([bad])


def test_a_single_path_is_refused_with_a_hint() -> None:
    with pytest.raises(TypeError, match="list"):
        api.score(ACME / "answers")  # type: ignore[arg-type]
