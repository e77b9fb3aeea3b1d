"""The hostile corpus: what careless colleagues and hostile users do, one folder a case.

Each case is `tests/data/hostile/<area>/<case>/case.yaml` plus any files it needs. The case
folder is copied to a temporary directory, `setup` runs there, then `python -m mcpscale ARGS`
runs with that directory as its working directory. Every case must end with the documented
exit code, no traceback, a message naming what was wrong, every input file unchanged, within
10 s and 300 MB. See tests/data/hostile/README.md for the format.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.zygote import Zygote, shared

HOSTILE = Path(__file__).parent / "data" / "hostile"
REPO = Path(__file__).parent.parent
SECONDS = 10
PEAK_MB = 300


def cases() -> list[Any]:
    found = sorted(HOSTILE.glob("*/*/case.yaml"))
    return [
        pytest.param(path.parent, id=f"{path.parent.parent.name}/{path.parent.name}")
        for path in found
    ]


def _setup(folder: Path, steps: list[list[str]]) -> None:
    for step in steps:
        action, *args = step
        if action == "symlink":  # symlink NAME TARGET
            (folder / args[0]).symlink_to(args[1].replace("{case}", str(folder)))
        elif action == "fifo":
            os.mkfifo(folder / args[0])
        elif action == "mkdir":
            (folder / args[0]).mkdir(parents=True, exist_ok=True)
        elif action == "chmod":  # chmod NAME OCTAL
            (folder / args[0]).chmod(int(args[1], 8))
        elif action == "write":  # write NAME TEXT
            (folder / args[0]).parent.mkdir(parents=True, exist_ok=True)
            (folder / args[0]).write_text(args[1])
        elif action == "big":  # big NAME BYTES: a file of that many bytes of 'a'
            (folder / args[0]).write_bytes(b"a" * int(args[1]))
        elif action == "copy":  # copy SRC DEST; {repo} is the checkout (the bundled pack)
            source = Path(args[0].replace("{repo}", str(REPO)))
            source = source if source.is_absolute() else folder / source
            target = folder / args[1]
            if source.is_dir():
                shutil.copytree(source, target, dirs_exist_ok=True)
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(source, target)
        elif action == "repeat":  # repeat NAME HEAD LINE N: HEAD, then LINE N times ({i}: 0..N-1)
            name, head, line, count = args
            body = "".join(line.replace("{i}", f"{i:05d}") + "\n" for i in range(int(count)))
            (folder / name).write_text(head + "\n" + body)
        else:
            raise AssertionError(f"unknown setup action {action!r}")


def _fingerprint(folder: Path, outputs: set[str]) -> dict[str, str]:
    prints = {}
    for path in sorted(folder.rglob("*")):
        name = str(path.relative_to(folder))
        if name in outputs or name == "case.yaml" or path.is_symlink() or not path.is_file():
            continue
        if not os.access(path, os.R_OK):
            continue
        prints[name] = hashlib.sha256(path.read_bytes()).hexdigest()
    return prints


@pytest.fixture
def zygote() -> Zygote:
    """Each run is a real `python -m mcpscale` process forked from one warmed parent."""
    return shared()


@pytest.mark.parametrize("case", cases())
def test_hostile_case(case: Path, tmp_path: Path, zygote: Zygote) -> None:
    spec = yaml.safe_load((case / "case.yaml").read_text())
    work = tmp_path / "case"
    shutil.copytree(case, work, symlinks=True)
    _setup(work, spec.get("setup", []))
    outputs = set(spec.get("outputs", []))
    before = _fingerprint(work, outputs)
    env = {**os.environ, "MCPSCALE_LOG_DIR": str(tmp_path / "log"), **spec.get("env", {})}
    env.pop("MCPSCALE_DEBUG", None)
    args = [
        str(a).replace("{case}", str(work)).replace("{tmp}", str(tmp_path)) for a in spec["args"]
    ]
    run = zygote.run(args, work, env, spec.get("stdin") or "", timeout=SECONDS)
    code, out, err = run.code, run.out, run.err
    shown = f"exit {code}\n--- stdout\n{out[-2000:]}\n--- stderr\n{err[-2000:]}"
    assert "Traceback" not in out + err, shown
    assert code == spec["exit"], shown
    assert "internal error" not in err, shown
    for expected in spec.get("stderr_contains", []):
        assert expected in err, f"{expected!r} not in stderr\n{shown}"
    for expected in spec.get("stdout_contains", []):
        assert expected in out, f"{expected!r} not in stdout\n{shown}"
    for unexpected in spec.get("never_contains", []):
        assert unexpected not in out + err, f"{unexpected!r} shown\n{shown}"
    assert _fingerprint(work, outputs) == before, "an input file changed"
    assert not run.killed and run.seconds < SECONDS, f"took {run.seconds:.1f} s"
    assert run.peak_mb < PEAK_MB, f"peak {run.peak_mb:.0f} MB"
