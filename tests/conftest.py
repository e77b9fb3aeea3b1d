"""Shared fixtures: paths to real input files and a CLI runner that goes through main's handler."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from mcpscale.cli import app

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).parent.parent
TINY = DATA / "tiny"
ACME = ROOT / "examples" / "acme"


class Cli:
    def __init__(self) -> None:
        self.runner = CliRunner()

    def __call__(self, *args: str | Path, input: str | None = None) -> Any:
        result = self.runner.invoke(app, [str(a) for a in args], input=input)
        if result.exception and not isinstance(result.exception, SystemExit):
            raise result.exception
        return result

    def json(self, *args: str | Path) -> Any:
        result = self(*args, "--format", "json")
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)


@pytest.fixture
def cli() -> Cli:
    return Cli()
