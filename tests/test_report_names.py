"""Where a reader looks for an initiative or a question (roadmap, budget, risks), the report
names it; ids stay in the files and the JSON."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

PACK = Path(__file__).parent.parent / "questionnaires" / "mcp-enterprise-readiness"


def _section(html: str, section_id: str) -> str:
    start = html.index(f'<section id="{section_id}"')
    return html[start : html.index("</section>", start)]


def test_roadmap_budget_and_risks_name_initiatives_and_questions(
    acme_report: dict[str, str],
) -> None:
    html = acme_report["html"]
    initiatives = yaml.safe_load((PACK / "initiatives.yaml").read_text())["initiatives"]
    questions = yaml.safe_load((PACK / "questionnaire.yaml").read_text())["questions"]
    ids = [i["id"] for i in initiatives] + [q["id"] for q in questions]
    for section_id in ("roadmap", "budget", "risks"):
        text = re.sub(r"<[^>]+>", " ", _section(html, section_id))  # what a reader sees
        shown = [i for i in ids if re.search(rf"(?<![\w.-]){re.escape(i)}(?![\w.-])", text)]
        assert shown == [], (section_id, shown)
    titles = {i["id"]: i["title"] for i in initiatives}
    assert titles["mtls-rollout"] in _section(html, "risks")  # named where it mitigates
