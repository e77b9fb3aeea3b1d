"""Shared fixtures: paths to real input files and a CLI runner that goes through main's handler."""

from __future__ import annotations

import fcntl
import functools
import gc
import io
import json
import os
import pickle
import signal
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from mcpscale.cli import app
from mcpscale.cli.errors import LOG_NAME, log_dir
from mcpscale.errors import EXIT_INTERNAL

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).parent.parent
TINY = DATA / "tiny"
ACME = ROOT / "examples" / "acme"


# Whether this run is the fast loop (`-m "not slow"`): see examples().
_FAST_LOOP = [False]


def pytest_configure(config: pytest.Config) -> None:
    """A test run started as a background job ignores Ctrl-C, and the programs the tests start
    would inherit that: the tests that press Ctrl-C in a pseudo-terminal need it back."""
    if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    _FAST_LOOP[0] = "not slow" in " ".join(str(config.getoption("markexpr") or "").split())


def examples(count: int) -> int:
    """How many examples a property test tries: `count` in the whole suite, which CI runs, and
    a fifth of it (at least 20) in the fast loop, where a developer wants an answer while they
    work. Hypothesis draws new examples each run, so the fast loop still explores."""
    return min(count, max(20, count // 5)) if _FAST_LOOP[0] else count


# xdist hands each worker whole files (pyproject: --dist loadfile), in this order: the files
# that take longest first, so the workers finish together instead of one waiting on a long
# file the other drew last. A file stays on one worker, so its browser or warmed parent is
# started once. The rest keep their collection order.
LONGEST_FIRST = (
    "test_workshop_web.py", "test_hostile.py", "test_pack_speaks.py", "test_finance.py",
    "test_report.py", "test_evidence_conflicts.py", "test_report_plan.py", "test_report_docx.py",
    "test_plan_fit.py", "test_probe.py", "test_charts_any_scale.py", "test_probe_eras.py",
    "test_scoring_properties.py", "test_json_writer.py",
)  # fmt: skip


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    rank = {name: place for place, name in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))


@pytest.fixture(autouse=True, scope="module")
def _frozen_before_each_file() -> None:
    """Python's collector walks every object a test process holds on each full collection: the
    libraries, the collected tests, the files before. Freezing them as each file starts (after
    collecting what is already garbage, which now costs only what the last file made) keeps
    the collections a test pays for to what it makes itself."""
    gc.collect()
    gc.freeze()


@pytest.fixture(autouse=True, scope="session")
def crash_log(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Where the tests' internal errors are logged: never the user's ~/.local/state."""
    folder = tmp_path_factory.mktemp("log")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("MCPSCALE_LOG_DIR", str(folder))
        patch.delenv("MCPSCALE_DEBUG", raising=False)
        yield folder


class Cli:
    """Runs `mcpscale ARGS` in-process: the app holds the one error policy, as `main` runs it.

    An internal error (exit 3) fails the test with the logged traceback, so a bug reads as one."""

    def __init__(self) -> None:
        self.runner = CliRunner()

    def __call__(self, *args: str | Path, input: str | None = None) -> Any:
        result = self.runner.invoke(app, [str(a) for a in args], input=input)
        if result.exception and not isinstance(result.exception, SystemExit):
            raise result.exception
        if result.exit_code == EXIT_INTERNAL:
            log = log_dir() / LOG_NAME
            last_crash = log.read_text().rpartition("\n--- ")[2] if log.exists() else ""
            raise AssertionError(f"{result.stderr}{last_crash}")
        return result

    def json(self, *args: str | Path) -> Any:
        result = self(*args, "--format", "json")
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)


@pytest.fixture
def cli() -> Cli:
    return Cli()


@functools.lru_cache(maxsize=32)
def _pdf_pages(path: Path, stamp: tuple[int, int]) -> tuple[str, ...]:
    from pypdf import PdfReader

    return tuple(page.extract_text() for page in PdfReader(io.BytesIO(path.read_bytes())).pages)


def pdf_pages(path: Path) -> list[str]:
    """The text of each page, as pypdf extracts it; read once per file and version, since
    several tests read the same shared rendering."""
    stat = path.stat()
    return list(_pdf_pages(path.resolve(), (stat.st_mtime_ns, stat.st_size)))


# Reports carry this date, so the demo's bytes are the same on every run.
EPOCH = "1764028800"  # 2025-11-25


def run_demo(output_dir: Path) -> Any:
    """`mcpscale demo --output-dir DIR`: the bundled example, its plan and evidence, as PDF,
    HTML and results.json, dated EPOCH."""
    cli = Cli()
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        result = cli("demo", "--output-dir", output_dir)
    assert result.exit_code == 0, result.output
    return result


def once(factory: pytest.TempPathFactory, name: str, build: Callable[[Path], Any]) -> Any:
    """`build(folder)`'s value, built once per test run and shared by every xdist worker.

    Workers share the parent of their temporary folders; the first to take the lock builds
    into NAME/ there and keeps the value beside it (pickled), the others wait and read it."""
    base = factory.getbasetemp()
    root = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    folder, kept = root / name, root / f"{name}.pickle"
    with open(root / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if kept.exists():
            return pickle.loads(kept.read_bytes())
        folder.mkdir(exist_ok=True)
        value = build(folder)
        kept.write_bytes(pickle.dumps(value))
        return value


@pytest.fixture(scope="session")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo rendered once for the whole run: every test that reads its PDF or HTML shares
    it."""

    def build(folder: Path) -> Path:
        run_demo(folder)
        return folder

    return Path(once(tmp_path_factory, "demo", build))


def report_texts(folder: Path, *args: str | Path) -> dict[str, str]:
    """`mcpscale report ARGS` as HTML and Markdown into FOLDER: each file's text by suffix."""
    cli = Cli()
    texts = {}
    for suffix in ("html", "md"):
        output = folder / f"report.{suffix}"
        result = cli("report", *args, "--output", output, "--quiet")
        assert result.exit_code == 0, result.output
        texts[suffix] = output.read_text(encoding="utf-8")
    return texts


def _acme_report(folder: Path) -> dict[str, str]:
    return report_texts(folder, ACME / "answers", "--profile", ACME / "profile.yaml")


@pytest.fixture(scope="session")
def acme_report(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The example's report with its plan (answers and profile, as the README's first command
    writes it), as HTML and Markdown, rendered once per run and read by many tests."""
    return dict(once(tmp_path_factory, "acme-report", _acme_report))


class PackPdfs:
    """Each test pack's PDF report (tests/data/generality/NAME, planned with the example's
    profile), rendered on first request, once per run."""

    def __init__(self, factory: pytest.TempPathFactory) -> None:
        self.factory = factory

    def __call__(self, name: str) -> Path:
        def build(folder: Path) -> Path:
            pack = DATA / "generality" / name
            output = folder / f"{name}.pdf"
            result = Cli()(
                "report", pack / "answers", "--questionnaire", pack / "questionnaire.yaml",
                "--profile", ACME / "profile.yaml", "--output", output, "--quiet",
            )  # fmt: skip
            assert result.exit_code == 0, result.output
            return output

        return Path(once(self.factory, f"pack-pdf-{name}", build))


@pytest.fixture(scope="session")
def pack_pdf(tmp_path_factory: pytest.TempPathFactory) -> PackPdfs:
    return PackPdfs(tmp_path_factory)
