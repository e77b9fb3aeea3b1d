"""The report tells a story: on the demo workshop the executive summary names its findings and
the pages that argue them, the CTO who rates above everyone is found, a narrative file adds
and overrides, and a bad one is refused in one line."""

from __future__ import annotations

import random
import re
from pathlib import Path

import jsonschema
import pytest
import yaml

from mcpscale.assess.findings import KeyFinding, rank
from mcpscale.assess.respondents import overall_without, read_respondents
from mcpscale.formats.results import Result
from mcpscale.formats.schemas import schema_dict
from mcpscale.pipeline import Options, plan_files, run
from mcpscale.render.style import fmt_money

from .conftest import ACME, TINY, Cli, pdf_pages

ACME_ARGS = (ACME / "answers", "--profile", ACME / "profile.yaml")


@pytest.fixture(scope="module")
def acme() -> Result:
    return run([ACME / "answers"], Options(profile=ACME / "profile.yaml")).result


@pytest.fixture
def acme_html(acme_report: dict[str, str]) -> str:
    return acme_report["html"]


def summary_of(html: str) -> str:
    return html.split('<section id="summary">', 1)[1].split("</section>", 1)[0]


def test_the_cto_is_the_outlier_and_the_overall_is_shown_without_her(acme: Result) -> None:
    reading = read_respondents(acme)
    assert reading.outlier is not None and reading.outlier.name == "Ana Silva"
    ana = reading.outlier
    assert round(ana.mean_level or 0, 2) == 2.98 and round(ana.room_mean or 0, 1) == 2.0
    assert ana.alone_high == reading.disagreements == 18
    assert round(reading.overall or 0, 2) == 2.22
    assert round(reading.overall_without_outlier or 0, 2) == 1.98
    # leaving no one out is the score itself: the same rules as scoring.py
    assert overall_without(acme, ()) == pytest.approx(acme.overall.score)
    others = [s for s in reading.standings if s.name != "Ana Silva"]
    assert all(s.alone_high == 0 and (s.difference or 0) < 0 for s in others)


def test_two_people_are_never_an_outlier() -> None:
    tiny = run([TINY / "answers"], Options(questionnaire=str(TINY / "questionnaire.yaml"))).result
    reading = read_respondents(tiny)
    assert reading.disagreements == 1 and reading.outlier is None
    assert reading.overall_without_outlier is None


def test_findings_rank_by_the_documented_rule_whatever_the_input_order() -> None:
    findings = [
        KeyFinding("gap:a", "gap", "high", "a", "dimension-a", 1.6),
        KeyFinding("gap:b", "gap", "high", "b", "dimension-b", 1.9),
        KeyFinding("scan", "scan", "high", "s", "evidence-estate", 1),
        KeyFinding("outlier", "outlier", "medium", "o", "respondents", 0.1),
        KeyFinding("unknown", "unknown", "low", "u", "dimension-a", 9),
    ]
    expected = ["scan", "gap:b", "gap:a", "outlier", "unknown"]
    for seed in range(5):
        shuffled = findings[:]
        random.Random(seed).shuffle(shuffled)
        assert [f.id for f in rank(shuffled)] == expected


def test_summary_lists_findings_each_linking_the_section_that_argues_it(acme_html: str) -> None:
    summary = summary_of(acme_html)
    links = re.findall(
        r'<li data-finding="([^"]+)">.*?class="page-ref" href="#([^"]+)"', summary, re.S
    )
    assert 3 <= len(links) <= 5
    ids = dict(links)
    assert {"gap:governance", "gap:technical", "outlier"} <= set(ids)
    for _finding, section in links:
        assert f'<section id="{section}"' in acme_html
    assert ids["outlier"] == "respondents"
    assert "Ana Silva (Chief Technology Officer) rates above the room" in summary
    phase_one = plan_files([ACME / "answers"], Options(profile=ACME / "profile.yaml")).budget
    assert phase_one is not None
    assert f"Fund phase 1 Foundation at {fmt_money(phase_one.by_phase()[1], 'EUR')}" in summary
    assert "by 2027-01-01" in summary


def test_respondents_section_and_confidence_beside_each_answer(acme_html: str) -> None:
    section = acme_html.split('<section id="respondents">', 1)[1].split("</section>", 1)[0]
    assert "Ana Silva" in section and "outlier</span>" in section
    assert "2.22 with their answers and 1.98 without them" in section
    assert "check first" in section  # a lone answer held less firmly than the room's
    # Tomasz's answer on secrets management is stated with high confidence
    assert re.search(r"Tomasz Nowak: 1 \(plaintext-config\) · high confidence", acme_html)


def test_markdown_carries_the_story_and_the_respondents(acme_report: dict[str, str]) -> None:
    text = acme_report["md"]
    summary = text.split("## Executive summary", 1)[1].split("## Maturity by dimension", 1)[0]
    assert len(re.findall(r"^\d\. \*\*(high|medium|low)\*\*: .* See \*.+\*\.", summary, re.M)) >= 3
    assert "**Decision asked:** Fund phase 1 Foundation" in summary
    assert "## Respondents as evidence" in text and "Ana Silva **(outlier)**" in text


def test_narrative_overrides_and_promotes_notes(cli: Cli, tmp_path: Path) -> None:
    narrative = tmp_path / "narrative.yaml"
    narrative.write_text(
        yaml.safe_dump(
            {
                "kind": "narrative",
                "verdict": "Acme can scale MCP once secrets and the estate are under control.",
                "key_messages": ["Ungoverned laptops are the real estate."],
                "findings": [
                    {"question": "gov.server-inventory", "respondent": "Tomasz Nowak"},
                    {
                        "title": "Partner tokens nobody approved are still valid.",
                        "severity": "medium",
                    },
                ],
                "drop": ["outlier"],
                "recommendation": "Start with the vault and the inventory.",
                "decision": "Approve EUR 2.3M for phase 1 at the January board.",
            }
        )
    )
    path = tmp_path / "report.md"
    result = cli("report", *ACME_ARGS, "--narrative", narrative, "--output", path, "--quiet")
    assert result.exit_code == 0, result.output
    summary = path.read_text().split("## Maturity by dimension", 1)[0]
    assert "**Acme can scale MCP once secrets and the estate are under control.**" in summary
    assert "- Ungoverned laptops are the real estate." in summary
    first, second = re.findall(r"^\d\. \*\*\w+\*\*: (.*)$", summary, re.M)[:2]
    assert first.startswith("The registry only lists what the platform team hosts. EDR shows")
    assert "See *Governance, security and compliance*" in first
    assert second.startswith("Partner tokens nobody approved")
    assert "finding outlier" not in summary and "rates above the room" not in summary
    assert "Start with the vault and the inventory." in summary
    assert "**Decision asked:** Approve EUR 2.3M for phase 1 at the January board." in summary


@pytest.mark.parametrize(
    ("content", "says"),
    [
        ("kind: narrative\nfindings:\n  - title: x\n    severity: critical\n", "severity"),
        ("kind: narrative\nfindings:\n  - question: gov.server-inventry\n", "gov.server-inventory"),
        ("kind: narrative\ndrop: [outlyer]\n", "did you mean 'outlier'"),
        ("kind: narrative\nverdcit: x\n", "verdcit"),
    ],
)
def test_bad_narrative_is_one_error_line_and_exit_2(
    cli: Cli, tmp_path: Path, content: str, says: str
) -> None:
    narrative = tmp_path / "narrative.yaml"
    narrative.write_text(content)
    output = tmp_path / "report.md"
    result = cli("report", *ACME_ARGS, "--narrative", narrative, "--output", output, "--quiet")
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "narrative.yaml" in lines[0] and says in lines[0], result.stderr
    assert not output.exists()


def test_narrative_schema_accepts_the_example_and_catches_typos(cli: Cli) -> None:
    example = yaml.safe_load((ACME / "narrative.yaml").read_text())
    jsonschema.validate(example, schema_dict("narrative"))
    assert cli("validate", ACME / "narrative.yaml").exit_code == 0
    example["findings"][0]["severty"] = "high"
    with pytest.raises(jsonschema.ValidationError, match="severty"):
        jsonschema.validate(example, schema_dict("narrative"))
    assert '"narrative"' in cli("schema", "narrative").stdout


@pytest.mark.slow
def test_pdf_summary_names_the_page_of_each_finding(demo_dir: Path) -> None:
    path = demo_dir / "report.pdf"
    pages = pdf_pages(path)
    summary_page = next(i for i, text in enumerate(pages) if "Key findings" in text)
    summary = pages[summary_page]
    assert "Decision asked" in summary and "What it costs and returns" in summary  # one page
    refs = re.findall(r"See ([^\n]+?),\s*page\s*(\d+)\.", summary)
    assert len(refs) >= 3, summary
    for title, number in refs:  # the named page opens the section the finding names
        assert title.split(",")[0] in pages[int(number) - 1], (title, number)
