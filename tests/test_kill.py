"""SIGKILL at any moment leaves the output whole and old, or whole and new: never half.

`mcpscale score --format json --output X` and `mcpscale report --format html --output X` are
started over and over and killed at random moments (a seeded random.Random, so a failure can be
replayed); each run is a real process forked from one warmed parent (tests/zygote.py). The only
thing a kill may leave besides X is a temporary file the writer names as its own
(`is_temp_name`): SIGKILL cannot be caught, so nobody is left to delete it. Nothing else.
"""

from __future__ import annotations

import json
import os
import random
import signal
import time
from pathlib import Path

import pytest

from mcpscale.inputs.write import is_temp_name
from tests.zygote import REPORT_MODULES, Zygote, warm

from .conftest import TINY

SEED = 20240611
ARGS = [str(TINY / "answers"), "--questionnaire", str(TINY / "questionnaire.yaml")]
BUDGET_SECONDS = 12  # both tests together; each stops starting runs after half


@pytest.fixture
def zygote() -> Zygote:
    """Each run is a real `python -m mcpscale` process forked from one warmed parent, which
    has imported the report's renderers too: a run is mostly its rendering and writing, where
    the kills are aimed."""
    started = warm()
    started.preload(REPORT_MODULES)  # the time budget starts after the parent's imports
    return started


def _complete_json(data: bytes) -> bool:
    try:
        return bool(json.loads(data)["dimensions"])
    except (ValueError, KeyError, TypeError):
        return False


def _complete_html(data: bytes) -> bool:
    return data.lstrip().startswith(b"<!DOCTYPE html") and data.rstrip().endswith(b"</html>")


def _kill_runs(
    zygote: Zygote,
    tmp_path: Path,
    name: str,
    args: list[str],
    old: bytes,
    complete: object,
    runs: int,
) -> dict[str, int]:
    """Time one whole run; then, each time with the complete `old` content in place, run and
    kill at a random moment around the end (where the writing happens), and check what is left.
    Returns how often each kill left the old content, the new one, or (never) nothing."""
    rng = random.Random(f"{SEED}-{name}")
    output = tmp_path / name
    env = {**os.environ, "MCPSCALE_LOG_DIR": str(tmp_path / ".log")}
    started = time.monotonic()
    whole = zygote.run([*args, "--output", name], tmp_path, env)
    assert whole.code == 0, whole.err
    whole_run = whole.seconds
    seen = {"old": 0, "new": 0}
    for run in range(runs):
        if time.monotonic() - started > BUDGET_SECONDS / 2:
            break
        output.write_bytes(old)
        moment = rng.uniform(0.6 * whole_run, 1.1 * whole_run)
        killed = zygote.run([*args, "--output", name], tmp_path, env, timeout=moment)
        assert killed.code in (0, -signal.SIGKILL), killed.err
        assert output.exists(), f"run {run}: the old output vanished"
        data = output.read_bytes()
        assert data == old or complete(data), f"run {run}: {name} is half written ({len(data)} B)"  # type: ignore[operator]
        seen["old" if data == old else "new"] += 1
        strays = [p.name for p in tmp_path.iterdir() if p.name not in (name, ".log")]
        assert all(is_temp_name(stray) for stray in strays), strays
        for stray in strays:  # left by SIGKILL only; the next run starts clean
            (tmp_path / stray).unlink()
    print(name, seen)  # shown with -s: how often each outcome was hit
    return seen


def test_killed_score_never_leaves_half_a_json_file(tmp_path: Path, zygote: Zygote) -> None:
    args = ["score", *ARGS, "--format", "json"]
    seen = _kill_runs(
        zygote, tmp_path, "results.json", args, b'{"old": 1}', _complete_json, runs=20
    )
    assert sum(seen.values()) >= 5, seen


def test_killed_report_never_leaves_half_an_html_file(tmp_path: Path, zygote: Zygote) -> None:
    args = ["report", *ARGS, "--format", "html"]
    old = b"<!DOCTYPE html><html>old</html>"
    seen = _kill_runs(zygote, tmp_path, "report.html", args, old, _complete_html, runs=10)
    assert sum(seen.values()) >= 2, seen  # a loaded machine gets few runs into the budget
