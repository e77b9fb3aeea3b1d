"""Text from outside is text: given names, labels and versions holding markup, escapes, HTML,
formulas or math, every command shows them as written, and nothing crashes or is spoofed."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from mcpscale.cli import app
from mcpscale.render.text import markdown_text, rich_text, spreadsheet_cell, visible

from .conftest import ACME, ROOT, TINY, Cli

ESCAPES = "Eve \x1b[31mred\x1b[0m \x1b]8;;http://evil\x07link\x1b]8;;\x07 \r\x07\u202eevil"
PACK = ROOT / "questionnaires" / "mcp-enterprise-readiness"


def wide(*args: str | Path) -> tuple[int, str, str]:
    """The command's exit, stdout and stderr on a wide, non-terminal console."""
    result = CliRunner().invoke(app, [str(a) for a in args], env={"COLUMNS": "400"})
    return result.exit_code, result.stdout, result.stderr


def questionnaire(tmp_path: Path, dimension: str = "Technology", question: str = "") -> Path:
    data = yaml.safe_load((TINY / "questionnaire.yaml").read_text())
    data["dimensions"][0]["name"] = dimension
    if question:
        data["questions"][0]["text"] = question
    path = tmp_path / "questionnaire.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True))
    return path


def answers(folder: Path, name: str, tech_a: str = "all", tech_b: str = "most") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{len(list(folder.iterdir()))}.yaml"
    document = {
        "kind": "answers",
        "questionnaire": "tiny@2",
        "respondent": {"name": name, "role": "CTO"},
        "assessed_at": "2026-11-16",
        "answers": {"tech.a": tech_a, "tech.b": tech_b, "people.a": "most", "people.b": "most"},
    }
    path.write_text(yaml.safe_dump(document, allow_unicode=True))
    return path


def test_a_respondent_in_brackets_shows_literally_in_score(tmp_path: Path) -> None:
    room = tmp_path / "answers"
    answers(room, "Bob [contractor]", tech_a="all")
    answers(room, "Bob [/]", tech_a="none")  # a closing tag with nothing open crashed rich
    code, out, _ = wide("score", room, "-q", questionnaire(tmp_path))
    assert code == 0
    assert "Bob [contractor] 3" in out and "Bob [/] 0" in out


def test_escape_sequences_in_a_name_never_reach_the_terminal(tmp_path: Path) -> None:
    room = tmp_path / "answers"
    answers(room, ESCAPES, tech_a="all")
    answers(room, "Ana", tech_a="none")
    code, out, _ = wide("score", room, "-q", questionnaire(tmp_path, dimension=ESCAPES))
    assert code == 0
    assert "\x1b" not in out and "\x07" not in out and "\r" not in out and "\u202e" not in out
    assert r"Eve \x1b[31mred\x1b[0m \x1b]8;;http://evil\x07link" in out
    assert r"\x0d\x07\u202eevil" in out


def test_scanned_server_names_are_shown_not_obeyed(tmp_path: Path) -> None:
    names = ["[/bold]", "[red]innocent[/red]", "[link=https://evil.example]x[/link]", ESCAPES]
    servers = {name: {"command": "npx", "args": ["-y", f"pkg@1.0.0{name}"]} for name in names}
    (tmp_path / ".mcp.json").write_text(json.dumps({"mcpServers": servers}))
    code, out, err = wide("evidence", "scan", tmp_path)
    assert "Traceback" not in err and code in (0, 1)
    for name in names[:3]:
        assert name in out
    assert "\x1b" not in out and r"\x1b]8;;http://evil\x07" in out


def scored(cli: Cli, tmp_path: Path, name: str, dimension: str, tech_a: str) -> Path:
    folder = tmp_path / name
    answers(folder, "Ana", tech_a=tech_a)
    output = tmp_path / f"{name}.json"
    q = questionnaire(tmp_path, dimension=dimension)
    result = cli("score", folder, "-q", q, "--format", "json", "--output", output)
    assert result.exit_code == 0, result.output
    return output


def test_compare_markdown_keeps_its_table_and_renders_nothing(cli: Cli, tmp_path: Path) -> None:
    dimension = "Tech | ops <img src=x> ![x](http://evil) @everyone"
    base = scored(cli, tmp_path, "base", dimension, "all")
    new = scored(cli, tmp_path, "new", dimension, "none")
    comment = tmp_path / "compare.md"
    cli("compare", base, new, "--format", "markdown", "--output", comment)
    text = comment.read_text()
    row = next(line for line in text.splitlines() if line.startswith("| Tech"))
    assert len(re.findall(r"(?<!\\)\|", row)) == 5  # four columns, whatever the name holds
    assert "<img" not in text and "![x]" not in text and "@everyone" not in text
    assert (
        r"\!\[x\]\(http://evil\)" in row and "&lt;img src=x&gt;" in row and "@\u200beveryone" in row
    )


def test_score_csv_neutralises_formulas(cli: Cli, tmp_path: Path) -> None:
    room = tmp_path / "answers"
    answers(room, "Ana")
    formula = '=HYPERLINK("http://evil","click")'
    result = cli("score", room, "-q", questionnaire(tmp_path, dimension=formula), "-f", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows[1]["name"] == "'" + formula
    assert rows[1]["score"] == "2.25"  # numbers stay numbers


def test_plan_csv_neutralises_formulas(cli: Cli, tmp_path: Path) -> None:
    pack = tmp_path / "pack"
    shutil.copytree(PACK, pack)
    initiatives = pack / "initiatives.yaml"
    initiatives.write_text(
        initiatives.read_text().replace(
            "title: Central, tamper-evident audit log of context access",
            "title: '@SUM(1+1)*cmd|x'",
            1,
        )
    )
    result = cli("plan", ACME / "answers", "-p", ACME / "profile.yaml", "-q", pack, "-f", "csv")
    assert result.exit_code == 0, result.output
    titles = [row["title"] for row in csv.DictReader(io.StringIO(result.stdout))]
    assert "'@SUM(1+1)*cmd|x" in titles and "@SUM(1+1)*cmd|x" not in titles


def test_form_export_keeps_a_formula_label_as_text(cli: Cli, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    formula = '=HYPERLINK("http://evil","click")'
    q = questionnaire(tmp_path, question=formula)
    xlsx, csv_form = tmp_path / "form.xlsx", tmp_path / "form.csv"
    assert cli("form", "export", "-q", q, "--output", xlsx).exit_code == 0
    assert cli("form", "export", "-q", q, "--output", csv_form).exit_code == 0
    sheet = load_workbook(xlsx)["Questions"]
    cell = next(c for row in sheet.iter_rows() for c in row if c.value == formula)
    assert cell.data_type == "s"
    assert "'" + formula in next(csv.DictReader(io.StringIO(csv_form.read_text())))["question"]


def test_dollars_in_names_and_currency_stay_literal_in_charts(cli: Cli, tmp_path: Path) -> None:
    profile = tmp_path / "profile.yaml"
    profile.write_text(
        (ACME / "profile.yaml").read_text().replace("currency: EUR", "currency: $x^2$")
    )
    pack = tmp_path / "pack"
    shutil.copytree(PACK, pack)
    text = (pack / "questionnaire.yaml").read_text()
    name = re.search(r"^    name: (.+)$", text, re.MULTILINE)
    assert name is not None
    (pack / "questionnaire.yaml").write_text(text.replace(name.group(0), "    name: $a_1$", 1))
    report = tmp_path / "report.html"
    args = (ACME / "answers", "-p", profile, "-q", pack, "--simulations", "0")
    assert cli("report", *args, "--output", report).exit_code == 0
    html = report.read_text()
    assert "$a_1$" in html and "$x^2$ thousands" in html
    assert 'http-equiv="Content-Security-Policy"' in html and "default-src 'none'" in html


def test_trend_chart_with_hostile_names(cli: Cli, tmp_path: Path) -> None:
    base = scored(cli, tmp_path, "base", "$x^2$ \x1b[31m", "all")
    new = scored(cli, tmp_path, "new", "$x^2$ \x1b[31m", "none")
    chart = tmp_path / "trend.svg"
    assert cli("trend", base, new, "--output", chart).exit_code == 0
    svg = chart.read_text()
    assert r"$x^2$ \x1b[31m" in svg and "\x1b" not in svg


@given(st.text())
def test_rich_text_is_always_the_visible_text(value: str) -> None:
    text = rich_text(value)
    assert text.plain == visible(value)
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", text.plain)


@given(st.text())
def test_markdown_text_is_one_line_without_live_syntax(value: str) -> None:
    text = markdown_text(value)
    assert "\n" not in text and "<" not in text
    assert not re.search(r"(?<!\\)[|\[\]`]", text.replace("\\\\", ""))


@pytest.mark.parametrize(
    ("value", "cell"),
    [("=1+1", "'=1+1"), ("+1", "'+1"), ("-x", "'-x"), ("@a", "'@a"), ("\tx", "'\tx"), (-1.5, -1.5)],
)
def test_spreadsheet_cells(value: object, cell: object) -> None:
    assert spreadsheet_cell(value) == cell
