"""A pack speaks for itself: every title and sentence about what is assessed comes from the
questionnaire (`title`, `subject`), so a report of another model never says "MCP", never
names the bundled economics' inputs, and a pack without planning files gets one line saying
so, not a page per missing file. The bundled pack still reads "MCP readiness"."""

from __future__ import annotations

import io
import json
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from .conftest import ACME, DATA, ROOT, Cli, PackPdfs, once

GENERALITY = DATA / "generality"
MCP = re.compile(r"\bMCP\b")  # the word, case-sensitive: "mcpscale" is the tool's own name
NO_PLANNING_FILES = (
    "This pack has no planning files (initiatives, gates, risks, economics), so the report "
    "holds the assessment only."
)
# What only the bundled economics and roadmap use: never shown for a pack without them.
BUNDLED_ECONOMICS_WORDS = ("core team", "ai_developers", "AI developers", "AI compute")


@dataclass(frozen=True)
class Pack:
    name: str
    title: str  # the questionnaire's title
    subject: str  # the questionnaire's subject

    @property
    def folder(self) -> Path:
        return GENERALITY / self.name

    @property
    def report_title(self) -> str:
        return f"{self.subject[:1].upper()}{self.subject[1:]} assessment"


PACKS = [
    Pack("percent", "Secure build practice", "secure build practice"),
    Pack("wide", "Cyber framework tiers", "cybersecurity tiers"),
]


@dataclass
class Outputs:
    """Everything the commands printed and wrote for one pack, as text, by where it came from."""

    texts: dict[str, str] = field(default_factory=dict)
    folder: Path = Path()


def docx_text(path: Path) -> tuple[str, str, str]:
    """The document's paragraphs and table cells, and its title and keywords properties."""
    import docx

    document = docx.Document(str(path))
    lines = [p.text for p in document.paragraphs]
    lines += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    for section in document.sections:
        lines += [p.text for p in section.footer.paragraphs + section.header.paragraphs]
    properties = document.core_properties
    return "\n".join(lines), properties.title, properties.keywords


def xlsx_text(path: Path) -> tuple[str, str, str, list[str]]:
    """Every cell value, headers and footers, the title and keywords, the sheet names."""
    import openpyxl

    workbook = openpyxl.load_workbook(path)
    cells = []
    for sheet in workbook:
        cells.append(sheet.oddFooter.left.text or "")
        for row in sheet.iter_rows(values_only=True):
            cells += [str(value) for value in row if value is not None]
    properties = workbook.properties
    return "\n".join(cells), properties.title, properties.keywords, workbook.sheetnames


def flat(text: str) -> str:
    """Text on one line, Markdown's escaped brackets as written."""
    return " ".join(text.replace("\\(", "(").replace("\\)", ")").split())


def two_units(pack: Pack, root: Path) -> Path:
    """A portfolio root: one unit per respondent of the pack."""
    for answers in sorted((pack.folder / "answers").glob("*.yaml")):
        unit = root / f"unit-{answers.stem}"
        unit.mkdir(parents=True)
        shutil.copy(answers, unit / answers.name)
    return root


@pytest.fixture(scope="module", params=PACKS, ids=[p.name for p in PACKS])
def pack_outputs(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Pack, Outputs]:
    """score, plan, report (md, html, docx, xlsx), portfolio and init for one pack."""
    pack: Pack = request.param
    return pack, once(
        tmp_path_factory, f"pack-outputs-{pack.name}", lambda out: _outputs(pack, out)
    )


def _outputs(pack: Pack, out: Path) -> Outputs:
    cli = Cli()
    outputs = Outputs(folder=out)
    questionnaire = pack.folder / "questionnaire.yaml"
    answers = pack.folder / "answers"
    common = (answers, "--questionnaire", questionnaire)
    planned = (*common, "--profile", ACME / "profile.yaml")

    def run(name: str, *args: str | Path) -> str:
        result = cli(*args)
        assert result.exit_code == 0, f"{name}: {result.output}"
        outputs.texts[name] = result.output
        return str(result.stdout)

    run("score", "score", *common)
    run("score json", "score", *common, "--format", "json")
    run("plan", "plan", *planned)
    run("plan json", "plan", *planned, "--format", "json")
    for fmt in ("md", "html", "docx", "xlsx"):
        run(f"report {fmt}", "report", *planned, "--output", out / f"report.{fmt}")
    outputs.texts["report.md"] = (out / "report.md").read_text()
    outputs.texts["report.html"] = (out / "report.html").read_text()
    text, title, keywords = docx_text(out / "report.docx")
    outputs.texts["report.docx"] = f"{text}\n{title}\n{keywords}"
    cells, title, keywords, _ = xlsx_text(out / "report.xlsx")
    outputs.texts["report.xlsx"] = f"{cells}\n{title}\n{keywords}"
    units = two_units(pack, out / "units")
    portfolio = out / "portfolio"
    run(
        "portfolio",
        "portfolio",
        units,
        "--questionnaire",
        questionnaire,
        "--output-dir",
        portfolio,
        "--report",
        "html",
    )
    for name in ("portfolio.html", "portfolio.json", "portfolio.csv"):
        outputs.texts[name] = (portfolio / name).read_text()
    run("init", "init", out / "workspace", "--questionnaire", questionnaire)
    for name in ("profile.yaml", "answers/README.md"):
        outputs.texts[f"init {name}"] = (out / "workspace" / name).read_text()
    return outputs


def test_no_output_of_another_model_says_mcp(pack_outputs: tuple[Pack, Outputs]) -> None:
    _, outputs = pack_outputs
    assert len(outputs.texts) == 19  # every output above, none skipped
    for name, text in outputs.texts.items():
        assert not MCP.search(text), f"{name}: {MCP.search(text)} in {text[:2000]}"


def test_the_reports_take_their_title_and_subject_from_the_questionnaire(
    pack_outputs: tuple[Pack, Outputs],
) -> None:
    pack, outputs = pack_outputs
    texts = outputs.texts
    assert texts["report.md"].startswith(f"# {pack.report_title}: Acme Financial Group")
    assert f"<title>{pack.report_title}</title>" in texts["report.html"]
    assert f"<h1>{pack.report_title}</h1>" in texts["report.html"]  # the cover
    _, title, keywords = docx_text(outputs.folder / "report.docx")
    assert (title, keywords) == (pack.report_title, pack.subject)
    _, title, keywords, _ = xlsx_text(outputs.folder / "report.xlsx")
    assert (title, keywords) == (pack.report_title, pack.subject)
    assert f"{pack.report_title}: Scores" in texts["report.xlsx"]  # the sheets' footer
    portfolio_title = f"{pack.subject[:1].upper()}{pack.subject[1:]} portfolio"
    assert f"<title>{portfolio_title}</title>" in texts["portfolio.html"]
    assert texts["score"].lstrip().startswith(pack.title)
    assert texts["init answers/README.md"].startswith(f"# Answers: {pack.title}\n")
    assert f"being assessed for: {pack.title}" in texts["init profile.yaml"]
    assert json.loads(texts["portfolio.json"])["questionnaire"]["title"] == pack.title


def test_a_pack_without_planning_files_gets_one_line_not_a_page_per_file(
    pack_outputs: tuple[Pack, Outputs],
) -> None:
    _, outputs = pack_outputs
    texts = outputs.texts
    for name in ("report.md", "report.html", "report.docx"):
        text = flat(texts[name])
        assert text.count(NO_PLANNING_FILES) == 1, name
        assert "not available" not in text, name
        for section in ("Gate readiness", "Roadmap", "Return on investment", "Risk register"):
            assert section not in text, f"{name}: {section}"
    _, _, _, sheets = xlsx_text(outputs.folder / "report.xlsx")
    assert sheets == ["Scores", "Answers", "Disagreements", "Evidence conflicts"]
    missing = json.loads(texts["plan json"])["missing"]
    assert missing == ["initiatives", "gates", "risks", "economics"]


def test_the_bundled_economics_inputs_appear_nowhere_for_a_pack_without_them(
    pack_outputs: tuple[Pack, Outputs],
) -> None:
    _, outputs = pack_outputs
    for name, text in outputs.texts.items():
        for word in BUNDLED_ECONOMICS_WORDS:
            assert word not in text, f"{name}: {word}"
    plan = json.loads(outputs.texts["plan json"])
    assert plan["inputs"] == {}  # the profile's 240 AI developers plan nothing here
    assert "targets: {" in outputs.texts["init profile.yaml"]  # in the pack's own ids


@pytest.mark.slow
@pytest.mark.parametrize("pack", PACKS, ids=[p.name for p in PACKS])
def test_the_pdf_is_titled_and_worded_by_its_pack(pack_pdf: PackPdfs, pack: Pack) -> None:
    from pypdf import PdfReader

    output = pack_pdf(pack.folder.name)
    reader = PdfReader(io.BytesIO(output.read_bytes()))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert not MCP.search(text)
    assert reader.metadata is not None and reader.metadata.title == pack.report_title
    cover = " ".join(reader.pages[0].extract_text().split())
    assert pack.report_title in cover
    assert f"mcpscale · {pack.report_title}" in " ".join(text.split())  # every page's footer
    assert " ".join(text.split()).count(NO_PLANNING_FILES) == 1


def test_the_bundled_example_still_says_mcp_readiness(cli: Cli, tmp_path: Path) -> None:
    output = tmp_path / "report.html"
    args = (ACME / "answers", "--profile", ACME / "profile.yaml", "--simulations", "50")
    assert cli("report", *args, "--output", output).exit_code == 0
    document = output.read_text()
    assert "<title>MCP readiness assessment</title>" in document
    assert "<h1>MCP readiness assessment</h1>" in document
    assert "planning files" not in document  # the bundled pack has every one
    docx_out = tmp_path / "report.docx"
    assert cli("report", *args, "--output", docx_out).exit_code == 0
    assert docx_text(docx_out)[1:] == ("MCP readiness assessment", "MCP readiness")
    assert cli("init", tmp_path / "ws").exit_code == 0
    profile = (tmp_path / "ws" / "profile.yaml").read_text()
    assert "mcpscale questionnaires show mcp-enterprise-readiness" in profile
    assert "# ai_developers:" in profile and "# core_team_size:" in profile  # it prices them


def test_a_title_given_wins_over_the_questionnaire(cli: Cli, tmp_path: Path) -> None:
    pack = PACKS[0]
    output = tmp_path / "report.md"
    args = (pack.folder / "answers", "--questionnaire", pack.folder / "questionnaire.yaml")
    assert cli("report", *args, "--title", "Build audit 2026", "--output", output).exit_code == 0
    assert output.read_text().startswith("# Build audit 2026: ")
    units = two_units(pack, tmp_path / "units")
    portfolio = tmp_path / "portfolio"
    result = cli(
        "portfolio",
        units,
        "--questionnaire",
        pack.folder / "questionnaire.yaml",
        "--output-dir",
        portfolio,
        "--report",
        "html",
        "--title",
        "Build audit by unit",
    )
    assert result.exit_code == 0, result.output
    assert "<title>Build audit by unit</title>" in (portfolio / "portfolio.html").read_text()
    workspace = tmp_path / "ws"
    args = (workspace, "--questionnaire", pack.folder, "--title", "Build audit")
    assert cli("init", *args).exit_code == 0
    assert (workspace / "answers" / "README.md").read_text().startswith("# Answers: Build audit")


def test_a_pack_missing_some_planning_files_names_them_once(cli: Cli, tmp_path: Path) -> None:
    bundled = ROOT / "questionnaires" / "mcp-enterprise-readiness"
    pack = tmp_path / "pack"
    shutil.copytree(bundled, pack, ignore=shutil.ignore_patterns("economics.yaml"))
    output = tmp_path / "report.md"
    args = (ACME / "answers", "--questionnaire", pack, "--profile", ACME / "profile.yaml")
    assert cli("report", *args, "--output", output).exit_code == 0
    markdown = output.read_text()
    line = "This pack has no economics.yaml, so the report has no return on investment."
    assert markdown.count(line) == 1
    assert "## Return on investment" not in markdown and "## Roadmap" in markdown
    assert "not available" not in markdown
    plan = cli.json("plan", *args)
    assert "ai_developers" not in plan["inputs"] and plan["inputs"]["core_team_size"] == 12


def test_a_report_without_a_profile_says_once_how_to_add_the_plan(cli: Cli, tmp_path: Path) -> None:
    output = tmp_path / "report.md"
    assert cli("report", ACME / "answers", "--output", output).exit_code == 0
    markdown = output.read_text()
    assert markdown.count("No plan: pass --profile with the organisation's profile") == 1
    assert "## Gate readiness" not in markdown and "## Risk register" not in markdown
    pack = PACKS[0]  # a profile would add nothing to a pack without planning files
    args = (pack.folder / "answers", "--questionnaire", pack.folder / "questionnaire.yaml")
    for fmt in ("md", "xlsx"):
        assert cli("report", *args, "--output", tmp_path / f"p.{fmt}").exit_code == 0
    markdown = flat((tmp_path / "p.md").read_text())
    assert markdown.count(NO_PLANNING_FILES) == 1
    assert "pass --profile" not in markdown
    assert xlsx_text(tmp_path / "p.xlsx")[3] == [
        "Scores",
        "Answers",
        "Disagreements",
        "Evidence conflicts",
    ]
