"""Any questionnaire on any terminal: 22 dimensions at 80 columns lose no column, text shows as
written (never as rich markup, HTML or Markdown), and ids never lead a file out of its folder."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from rich.cells import cell_len

from mcpscale.cli import app
from mcpscale.render.text import file_name, file_names

from .conftest import DATA, Cli
from .terminal import Terminal

GENERALITY = DATA / "generality"
WIDE = GENERALITY / "wide"
FEATURES = GENERALITY / "features"
SCORE_HEADERS = ("Dimension", "Score", "Level", "Target", "Gap", "Cov.", "Unk.", "N/A")


def narrow(cli: Cli, *args: str | Path, columns: int = 80) -> str:
    """`mcpscale ARGS` printed to a terminal `columns` wide; exit 0 or 1 (a gate), no crash."""
    result = cli.runner.invoke(
        app,
        [str(a) for a in args],
        env={"COLUMNS": str(columns)},
    )
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert result.exit_code in (0, 1), result.output
    return str(result.stdout)


def widest(text: str) -> int:
    """The widest line drawn (not the `wrote PATH` lines on stderr, which name tmp paths)."""
    lines = [line for line in text.splitlines() if not line.startswith("wrote ")]
    return max(cell_len(line.rstrip()) for line in lines)


def dimension_names(questionnaire: Path) -> list[str]:
    from mcpscale.inputs.load import load_questionnaire

    return [d.name for d in load_questionnaire(questionnaire).dimensions]


def files_under(folder: Path) -> set[Path]:
    return {path for path in folder.rglob("*")}


# --- 22 dimensions at 80 columns -------------------------------------------------------------


@pytest.mark.parametrize("columns", [80, 40])
def test_score_of_22_dimensions_keeps_every_column_at_80_and_40_columns(
    cli: Cli, columns: int
) -> None:
    out = narrow(cli, "score", WIDE / "answers", "-q", WIDE / "questionnaire.yaml", columns=columns)
    for header in SCORE_HEADERS:
        assert header in out, f"{header} missing at {columns} columns:\n{out}"
    assert widest(out) <= columns
    # every dimension row is there with its coverage, the column that was dropped before
    assert out.count("100%") == 22


def test_compare_of_22_dimensions_names_every_dimension_at_80_columns(
    cli: Cli, tmp_path: Path
) -> None:
    for name in ("ana", "ben"):
        result = cli(
            "score", WIDE / "answers" / f"{name}.yaml", "-q", WIDE / "questionnaire.yaml",
            "-f", "json", "-o", tmp_path / f"{name}.json",
        )  # fmt: skip
        assert result.exit_code == 0, result.output
    out = narrow(cli, "compare", tmp_path / "ana.json", tmp_path / "ben.json", "--max-drop", "4")
    for header in ("Dimension", "Base", "New", "Change"):
        assert header in out
    for name in dimension_names(WIDE / "questionnaire.yaml"):
        assert name in out
    assert widest(out) <= 80


def wide_portfolio(tmp_path: Path) -> Path:
    root = tmp_path / "units"
    for unit, answers in (("north", "ana.yaml"), ("south", "ben.yaml")):
        (root / unit).mkdir(parents=True)
        shutil.copy(WIDE / "answers" / answers, root / unit / answers)
    return root


def test_portfolio_of_22_dimensions_shows_every_dimension_for_every_unit_at_80_columns(
    cli: Cli, tmp_path: Path
) -> None:
    root = wide_portfolio(tmp_path)
    out = narrow(cli, "portfolio", root, "-q", WIDE / "questionnaire.yaml", "-o", tmp_path / "out")
    assert widest(out) <= 80
    # many dimensions: a row per dimension, a column per unit, so every score has its place
    header = next(line for line in out.splitlines() if "Dimension" in line)
    assert "north" in header and "south" in header, out
    for name in ("Respondents", "Overall", *dimension_names(WIDE / "questionnaire.yaml")):
        row = next((line for line in out.splitlines() if line.strip().startswith(name)), "")
        assert len(row.split()) >= len(name.split()) + 2, f"{name} lacks a unit's score:\n{out}"


def test_plan_of_22_dimensions_keeps_every_score_column_at_80_columns(
    cli: Cli, tmp_path: Path
) -> None:
    profile = tmp_path / "profile.yaml"
    profile.write_text("kind: profile\nname: Odd [bold]Org[/bold]\n")
    out = narrow(cli, "plan", WIDE / "answers", "-q", WIDE / "questionnaire.yaml", "-p", profile)
    for header in SCORE_HEADERS:
        assert header in out
    assert "Odd [bold]Org[/bold]" in out  # a profile name is text, not markup
    assert widest(out) <= 80


def run_in_pty(args: list[str], columns: int = 80) -> str:
    """`mcpscale ARGS` in a real pseudo-terminal `columns` wide, as a person sees it: the
    screen is tall enough to hold all of it; the width comes from the terminal itself."""
    terminal = Terminal(args, rows=300, columns=columns)
    assert terminal.ended() == 0, "\n".join(terminal.lines())
    return "\n".join(terminal.lines())


def test_score_and_portfolio_in_a_real_80_column_terminal_keep_every_column(
    tmp_path: Path,
) -> None:
    questionnaire = str(WIDE / "questionnaire.yaml")
    out = run_in_pty(["score", str(WIDE / "answers"), "-q", questionnaire])
    header = next(line for line in out.splitlines() if "Dimension" in line)
    for name in SCORE_HEADERS:
        assert name in header, out
    assert out.count("100%") == 22
    assert widest(out) <= 80
    root = wide_portfolio(tmp_path)
    out = run_in_pty(["portfolio", str(root), "-q", questionnaire, "-o", str(tmp_path / "o")])
    for name in dimension_names(WIDE / "questionnaire.yaml"):
        assert out.count(name) == 1, out  # one row each, both units' scores on it
    assert widest(out) <= 80


# --- text shows as written -------------------------------------------------------------------


def test_questionnaires_show_prints_markup_and_conditions_literally(
    cli: Cli, tmp_path: Path
) -> None:
    pack = tmp_path / "questionnaire.yaml"
    text = (FEATURES / "questionnaire.yaml").read_text()
    pack.write_text(
        text.replace(
            "    text: Does an odd dimension id stay inside the output folder?\n",
            "    text: Does an odd dimension id stay inside the output folder?\n"
            "    applies_if:\n      regulations: contains [GDPR]\n",
        )
    )
    out = narrow(cli, "questionnaires", "show", pack)
    assert "Controls [/x]" in out
    assert "How are reviews [/x] recorded? [bold]" in out
    assert "Not recorded [/x]." in out
    assert "regulations: 'contains [GDPR]'" in out
    assert "levels: all a, b, c -> 3; all a, b -> 2; any a, b, c, d -> 1; else -> 0" in out
    assert "None of these (alone only)" in out
    assert "None a" not in out  # a multi-select choice has no level of its own


@pytest.mark.parametrize("pack", [FEATURES, WIDE], ids=["features", "wide"])
def test_every_command_runs_on_the_features_and_wide_packs_without_a_traceback(
    cli: Cli, tmp_path: Path, pack: Path
) -> None:
    questionnaire = pack / "questionnaire.yaml"
    answers = sorted((pack / "answers").glob("*.yaml"))
    assert "Traceback" not in narrow(cli, "questionnaires", "show", questionnaire)
    result = cli("validate", questionnaire, *answers)
    assert result.exit_code == 0, result.output
    assert "Traceback" not in narrow(cli, "score", pack / "answers", "-q", questionnaire)
    out = tmp_path / "OUT"
    out.mkdir()
    before = files_under(tmp_path)
    for suffix in ("md", "html"):
        result = cli(
            "report", pack / "answers", "-q", questionnaire, "--output", out / f"r.{suffix}"
        )
        assert result.exit_code == 0, result.output
    written = files_under(tmp_path) - before
    assert written and all(out in path.parents for path in written)


# --- ids in file names, text in reports ------------------------------------------------------


def test_a_dimension_id_with_dots_and_slashes_stays_inside_the_output_folder(
    cli: Cli, tmp_path: Path
) -> None:
    work = tmp_path / "a" / "b"
    out = work / "OUT"
    out.mkdir(parents=True)
    before = files_under(tmp_path)
    result = cli(
        "report", FEATURES / "answers", "--questionnaire", FEATURES / "questionnaire.yaml",
        "--output", out / "report.md",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    written = files_under(tmp_path) - before
    assert all(out in path.parents for path in written), sorted(written)
    chart = out / "report-charts" / "dimension-x-y.svg"
    assert chart in written
    markdown = (out / "report.md").read_text()
    assert "](report-charts/dimension-x-y.svg)" in markdown
    for link in re.findall(r"\]\((report-charts/[^)]+)\)", markdown):
        assert (out / link).is_file(), link


def test_report_text_shows_markup_and_html_literally_in_markdown_and_html(
    cli: Cli, tmp_path: Path
) -> None:
    pack = tmp_path / "pack"
    shutil.copytree(FEATURES, pack)
    questionnaire = pack / "questionnaire.yaml"
    questionnaire.write_text(
        questionnaire.read_text().replace(
            "name: Odd id", 'name: "Odd <script>alert(1)</script> id"'
        )
    )
    for suffix in ("md", "html"):
        result = cli(
            "report", pack / "answers", "-q", questionnaire, "--output", tmp_path / f"r.{suffix}"
        )
        assert result.exit_code == 0, result.output
    html = (tmp_path / "r.html").read_text()
    markdown = (tmp_path / "r.md").read_text()
    assert "<script>alert" not in html and "<script>alert" not in markdown
    assert "Odd &lt;script&gt;alert(1)&lt;/script&gt; id" in html
    assert "How are reviews [/x] recorded? [bold]" in html
    assert "Controls [/x]" in html
    assert r"Odd &lt;script&gt;alert\(1\)&lt;/script&gt; id" in markdown
    assert r"How are reviews \[/x\] recorded? \[bold\]" in markdown
    assert r"## Controls \[/x\]" in markdown


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("x/../../y", "x-y"),
        ("../../etc/passwd", "etc-passwd"),
        ("..", "file"),
        ("", "file"),
        (".hidden", "hidden"),
        ("v1.2_final", "v1.2_final"),
        ("a b/c", "a-b-c"),
        ("Ünïcode", "n-code"),
    ],
)
def test_a_file_name_from_an_id_keeps_only_safe_characters(value: str, expected: str) -> None:
    assert file_name(value) == expected


def test_file_names_from_ids_that_collide_are_made_distinct() -> None:
    names = file_names(["a/b", "a-b", "A-B", "..", "", "x"], fallback="chart")
    assert names == {
        "a/b": "a-b",
        "a-b": "a-b-2",
        "A-B": "A-B-3",
        "..": "chart",
        "": "chart-2",
        "x": "x",
    }
