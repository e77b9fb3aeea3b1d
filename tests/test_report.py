"""Reports as a reader gets them: PDF and HTML from real answers, safe, brandable, reproducible."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from mcpscale.render.report.html import locked_url_fetcher
from mcpscale.render.report.options import ReportOptions
from mcpscale.render.report.templates import template_dirs

from .conftest import TINY, Cli, pdf_pages

TINY_ARGS = (
    TINY / "answers",
    "--questionnaire",
    TINY / "questionnaire.yaml",
    "--profile",
    TINY / "profile.yaml",
)
HOSTILE_NOTE = '<img src="file:///etc/passwd"> <script>alert(1)</script> <b>bold</b>'


def pdf_text(path: Path) -> str:
    return "\n".join(pdf_pages(path))


@pytest.fixture
def hostile_answers(tmp_path: Path) -> Path:
    folder = tmp_path / "answers"
    shutil.copytree(TINY / "answers", folder)
    ben = folder / "ben.yaml"
    ben.write_text(
        ben.read_text().replace(
            "tech.b: most",
            f"tech.b: {{choice: most, note: '{HOSTILE_NOTE}', "
            "evidence: ['http://example.com/evil.png']}",
        )
    )
    return folder


@pytest.mark.slow
def test_pdf_report_names_the_organisation_and_scores(cli: Cli, tmp_path: Path) -> None:
    output = tmp_path / "report.pdf"
    result = cli("report", *TINY_ARGS, "--output", output, "--assessor", "Jo Consultant")
    assert result.exit_code == 0, result.output
    text = pdf_text(output)
    for expected in (
        "Tiny Org",
        "Jo Consultant",
        "Technology",
        "1.62",
        "People",
        "2.00",
        "Disagreements to resolve",
        "Page 2 of",
    ):
        assert expected in text
    assert "CONFIDENTIAL" in text  # the running header on inner pages


@pytest.mark.slow
def test_user_text_is_escaped_and_nothing_is_fetched(
    cli: Cli, tmp_path: Path, hostile_answers: Path
) -> None:
    html_path, pdf_path = tmp_path / "r.html", tmp_path / "r.pdf"
    args = (hostile_answers, "--questionnaire", TINY / "questionnaire.yaml")
    assert cli("report", *args, "--output", html_path).exit_code == 0
    html = html_path.read_text()
    assert "&lt;img src=&#34;file:///etc/passwd&#34;&gt;" in html
    assert "<script>" not in html and "<b>bold</b>" not in html
    assert not re.search(r"<img\b", html)
    assert cli("report", *args, "--output", pdf_path).exit_code == 0
    text = pdf_text(pdf_path)
    assert '<img src="file:///etc/passwd">' in text  # shown as the text the user wrote
    assert "root:x:0" not in text


def test_fetcher_serves_only_our_assets(tmp_path: Path) -> None:
    fetch = locked_url_fetcher(template_dirs(ReportOptions()))
    css = template_dirs(ReportOptions())[0] / "print.css"
    assert fetch(css.as_uri()) is not None
    for url in (
        "file:///etc/passwd",
        "http://127.0.0.1:9/x.png",
        "https://example.com/a.css",
        (css.parent / ".." / ".." / "pyproject.toml").as_uri(),
    ):
        with pytest.raises(ValueError):
            fetch(url)


def test_template_dir_overrides_a_template_by_name(cli: Cli, tmp_path: Path) -> None:
    brand = tmp_path / "brand"
    brand.mkdir()
    (brand / "cover.html").write_text(
        '<section class="cover" id="cover"><h1>{{ title }}</h1>'
        "<p>Prepared by Example Consulting for {{ organisation }}</p></section>"
    )
    output = tmp_path / "r.html"
    result = cli("report", *TINY_ARGS, "--output", output, "--template-dir", brand)
    assert result.exit_code == 0, result.output
    html = output.read_text()
    assert "Prepared by Example Consulting for Tiny Org" in html
    assert "Executive summary" in html  # the other templates are still ours


def test_broken_override_template_is_a_located_user_error(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "summary.html").write_text("<section>\n{% if %}\n</section>")
    result = cli("report", *TINY_ARGS, "--output", tmp_path / "r.html", "--template-dir", tmp_path)
    assert result.exit_code == 2
    assert "summary.html:2" in result.stderr


@pytest.mark.slow
def test_same_inputs_give_byte_identical_reports(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764028800")
    outputs = []
    for run in ("a", "b"):
        for suffix in ("pdf", "html"):
            path = tmp_path / run / f"report.{suffix}"
            assert cli("report", *TINY_ARGS, "--output", path).exit_code == 0
            outputs.append(path.read_bytes())
    assert outputs[0] == outputs[2] and outputs[1] == outputs[3]
    assert "2025-11-25" in outputs[1].decode()  # the cover date comes from SOURCE_DATE_EPOCH


def test_html_report_is_self_contained(cli: Cli, tmp_path: Path) -> None:
    output = tmp_path / "r.html"
    assert cli("report", *TINY_ARGS, "--output", output).exit_code == 0
    html = output.read_text()
    assert html.count("<svg") >= 2  # the maturity chart and per-dimension charts, inline
    assert not re.search(r'(src|href)="(?!#)', html)  # nothing loaded from elsewhere
    assert "<link" not in html


def test_unknown_suffix_asks_for_a_format(cli: Cli, tmp_path: Path) -> None:
    result = cli("report", *TINY_ARGS, "--output", tmp_path / "report.odt")
    assert result.exit_code == 2
    assert "--format pdf|html" in result.stderr


@pytest.mark.slow
def test_brand_file_sets_name_colour_logo_and_classification(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "logo.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="10">'
        '<rect width="40" height="10" fill="#E69F00"/></svg>'
    )
    brand = tmp_path / "brand.yaml"
    brand.write_text(
        "kind: brand\nname: Example Consulting\ncolour: '#7a1f5c'\nlogo: logo.svg\n"
        "classification: Client confidential\n"
    )
    html_path, pdf_path = tmp_path / "r.html", tmp_path / "r.pdf"
    for output in (html_path, pdf_path):
        result = cli("report", *TINY_ARGS, "--output", output, "--brand", brand)
        assert result.exit_code == 0, result.output
    html = html_path.read_text()
    assert "--brand: #7a1f5c" in html
    assert '<img class="logo" src="data:image/svg+xml;base64,' in html
    assert "Example Consulting" in html and "Client confidential" in html
    text = pdf_text(pdf_path)
    assert "EXAMPLE CONSULTING" in text and "CLIENT CONFIDENTIAL" in text  # CSS capitals
    assert "Example Consulting · Tiny readiness check assessment" in text  # every footer
    # the command line still wins over the brand file
    cli("report", *TINY_ARGS, "--output", html_path, "--brand", brand, "--classification", "Draft")
    assert "Client confidential" not in html_path.read_text()


def test_brand_colour_must_be_a_hex_colour(cli: Cli, tmp_path: Path) -> None:
    brand = tmp_path / "brand.yaml"
    brand.write_text("kind: brand\nname: X\ncolour: 'red; } body { display: none'\n")
    result = cli("report", *TINY_ARGS, "--output", tmp_path / "r.html", "--brand", brand)
    assert result.exit_code == 2
    assert f"{brand}:3:9:" in result.stderr and "colour" in result.stderr


def test_short_q_means_questionnaire_on_report_as_everywhere(cli: Cli, tmp_path: Path) -> None:
    result = cli("report", TINY / "answers", "-q", TINY, "--output", tmp_path / "r.html")
    assert result.exit_code == 0, result.output
