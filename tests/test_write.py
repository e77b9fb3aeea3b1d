"""The one writer on real files: links kept, devices written through, modes kept, 1-line errors."""

from __future__ import annotations

import json
import os
import stat
import sys
import threading
from pathlib import Path

import pytest

from mcpscale.errors import UserError
from mcpscale.inputs.write import is_temp_name, write_atomic

from .conftest import TINY, Cli

TINY_ARGS = (TINY / "answers", "--questionnaire", TINY / "questionnaire.yaml")
ROOT_ONLY = pytest.mark.skipif(os.geteuid() != 0, reason="mknod needs root")


def score_to(cli: Cli, output: Path | str) -> object:
    return cli("score", *TINY_ARGS, "--format", "json", "--output", output)


def one_error_line(result: object) -> str:
    lines = result.stderr.strip().splitlines()  # type: ignore[attr-defined]
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr  # type: ignore[attr-defined]
    assert result.exit_code == 2  # type: ignore[attr-defined]
    return lines[0]


def no_temp_files(folder: Path) -> None:
    assert not [p for p in folder.rglob("*") if is_temp_name(p.name)]


def test_a_symlink_keeps_its_link_and_its_target_gets_the_new_content(cli: Cli, tmp_path: Path):
    target = tmp_path / "kept" / "results.json"
    target.parent.mkdir()
    target.write_text("old")
    link = tmp_path / "latest.json"
    link.symlink_to(target)
    assert score_to(cli, link).exit_code == 0
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert json.loads(target.read_text())["dimensions"]
    no_temp_files(tmp_path)


def test_a_dangling_symlink_creates_its_target_and_stays_a_link(tmp_path: Path):
    link = tmp_path / "out.json"
    link.symlink_to("real.json")
    write_atomic(link, "{}")
    assert link.is_symlink() and (tmp_path / "real.json").read_text() == "{}"


def test_a_fifo_is_written_through_not_replaced(cli: Cli, tmp_path: Path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    result = score_to(cli, fifo)
    reader.join(10)
    assert result.exit_code == 0, result.output
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert json.loads(received[0])["dimensions"]


@ROOT_ONLY
def test_a_character_device_is_written_through_not_replaced(cli: Cli, tmp_path: Path):
    null = tmp_path / "null"
    os.mknod(null, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    assert score_to(cli, null).exit_code == 0
    assert stat.S_ISCHR(os.lstat(null).st_mode)
    assert os.lstat(null).st_rdev == os.makedev(1, 3)


@ROOT_ONLY
def test_a_full_disk_is_one_error_line_and_the_device_stays(cli: Cli, tmp_path: Path):
    full = tmp_path / "full"
    os.mknod(full, 0o666 | stat.S_IFCHR, os.makedev(1, 7))
    line = one_error_line(score_to(cli, full))
    assert str(full) in line and "the disk is full" in line
    assert stat.S_ISCHR(os.lstat(full).st_mode)


def test_a_disk_that_fills_up_keeps_the_old_file(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """ENOSPC in the middle of the write: the old results survive, no temp file is left."""
    output = tmp_path / "results.json"
    output.write_text('{"old": true}')

    def full_disk(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_disk)
    line = one_error_line(score_to(cli, output))
    assert "results.json: cannot write: the disk is full (No space left on device)" in line
    assert output.read_text() == '{"old": true}'
    no_temp_files(tmp_path)


def test_a_private_file_stays_private_when_overwritten(cli: Cli, tmp_path: Path):
    output = tmp_path / "answers-scored.json"
    output.write_text("old")
    output.chmod(0o600)
    assert score_to(cli, output).exit_code == 0
    assert stat.S_IMODE(output.stat().st_mode) == 0o600
    assert json.loads(output.read_text())["dimensions"]


def test_a_new_file_gets_the_umask_mode(tmp_path: Path):
    old = os.umask(0o027)
    try:
        write_atomic(tmp_path / "new.txt", "x")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "new.txt").stat().st_mode) == 0o640


def test_dash_is_standard_output(cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)
    result = score_to(cli, "-")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["dimensions"]
    assert not (tmp_path / "-").exists()


def test_report_to_dash_is_html_on_standard_output(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.chdir(tmp_path)
    result = cli("report", *TINY_ARGS, "--format", "html", "--output", "-")
    assert result.exit_code == 0, result.output
    assert result.stdout.rstrip().endswith("</html>")
    assert list(tmp_path.iterdir()) == []


def test_a_markdown_report_refuses_dash(cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)
    line = one_error_line(cli("report", *TINY_ARGS, "--format", "md", "--output", "-"))
    assert "Markdown" in line and "charts" in line
    assert list(tmp_path.iterdir()) == []


def test_a_folder_in_the_way(cli: Cli, tmp_path: Path):
    line = one_error_line(score_to(cli, tmp_path))
    assert "it is a folder" in line


def test_a_file_in_the_way_of_the_folder(cli: Cli, tmp_path: Path):
    (tmp_path / "file").write_text("keep")
    line = one_error_line(score_to(cli, tmp_path / "file" / "out.json"))
    assert "file/out.json: cannot write: a part of the path is a file" in line
    assert (tmp_path / "file").read_text() == "keep"


def test_a_file_that_cannot_be_written_under_proc(cli: Cli):
    line = one_error_line(score_to(cli, "/proc/version"))
    assert line.startswith("error: /proc/version: cannot write:")
    assert Path("/proc/version").read_text().startswith("Linux")


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders anyway")
def test_a_read_only_folder(cli: Cli, tmp_path: Path):
    folder = tmp_path / "locked"
    folder.mkdir()
    (folder / "results.json").write_text("old")
    folder.chmod(0o555)
    try:
        line = one_error_line(score_to(cli, folder / "results.json"))
    finally:
        folder.chmod(0o755)
    assert "read-only (Permission denied)" in line
    assert (folder / "results.json").read_text() == "old"


def test_a_250_character_name_is_written_and_a_300_character_one_refused(cli: Cli, tmp_path: Path):
    """250 characters is a legal name: the temporary file's name must not push it over 255."""
    assert score_to(cli, tmp_path / ("a" * 250)).exit_code == 0
    line = one_error_line(score_to(cli, tmp_path / ("b" * 300)))
    assert "the name is too long" in line
    no_temp_files(tmp_path)


def test_init_onto_a_file_or_under_a_file(cli: Cli, tmp_path: Path):
    (tmp_path / "file").write_text("keep")
    assert "is a file, not a folder" in one_error_line(cli("init", tmp_path / "file"))
    assert "not a folder" in one_error_line(cli("init", tmp_path / "file" / "ws"))
    assert (tmp_path / "file").read_text() == "keep"


def test_writer_errors_are_user_errors_naming_the_path(tmp_path: Path):
    with pytest.raises(UserError, match=r"cannot write: it is a folder \(Is a directory\)"):
        write_atomic(tmp_path, "x")


def test_missing_pango_is_one_line_before_anything_is_written(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """cffi raises OSError from `import weasyprint` when libpango cannot be loaded."""
    import builtins

    real_import = builtins.__import__

    def no_pango(name: str, *args: object, **kwargs: object) -> object:
        if name == "weasyprint" or name.startswith("weasyprint."):
            raise OSError("cannot load library 'libpango-1.0-0': libpango-1.0-0: not found")
        return real_import(name, *args, **kwargs)  # type: ignore[arg-type]

    for module in [m for m in sys.modules if m == "weasyprint" or m.startswith("weasyprint.")]:
        monkeypatch.delitem(sys.modules, module)
    monkeypatch.setattr(builtins, "__import__", no_pango)
    out = tmp_path / "demo"
    line = one_error_line(cli("demo", "--output-dir", out))
    assert "apt install libpango-1.0-0 libpangoft2-1.0-0" in line and "brew install pango" in line
    assert not out.exists()
    line = one_error_line(cli("report", *TINY_ARGS, "--output", tmp_path / "r.pdf"))
    assert "libpango" in line and not (tmp_path / "r.pdf").exists()
