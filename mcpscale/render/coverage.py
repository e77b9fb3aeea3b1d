"""Framework coverage as people and programs read it: rich tables, JSON, and the plain data
the report's Appendix C shows (render/report/markdown.py renders it as Markdown)."""

from __future__ import annotations

from typing import Any

from mcpscale.assess.coverage import Coverage, FrameworkCoverage, ItemCoverage
from mcpscale.formats.serialize import to_json
from mcpscale.render.style import fmt_score

COVERAGE_TITLE = "Appendix C: framework coverage"
NO_REASON = "no reason given in frameworks.yaml"


def coverage_to_dict(coverage: Coverage) -> dict[str, Any]:
    """Every framework and item with full-precision results (null without answers)."""
    return {
        "questionnaire": {
            "id": coverage.questionnaire_id,
            "version": coverage.questionnaire_version,
        },
        "scored": coverage.with_results,
        "frameworks": [
            {
                "id": framework.id,
                "name": framework.name,
                "version": framework.version,
                "url": framework.url,
                "items_covered": framework.covered,
                "items": [
                    {
                        "id": item.id,
                        "name": item.name,
                        "covered": item.covered,
                        "questions": list(item.questions),
                        "not_covered": item.not_covered,
                        "score": item.score,
                        "level": item.level,
                        "level_name": item.level_name,
                    }
                    for item in framework.items
                ],
            }
            for framework in coverage.frameworks
        ],
    }


def coverage_json(coverage: Coverage) -> str:
    return to_json(coverage_to_dict(coverage))


def _result_text(item: ItemCoverage) -> str:
    return "-" if item.score is None else f"{fmt_score(item.score)} {item.level_name}"


def _framework_title(framework: FrameworkCoverage) -> str:
    return f"{framework.name} {framework.version}".strip()


def _summary(framework: FrameworkCoverage) -> str:
    return f"{framework.covered} of {len(framework.items)} items covered"


def coverage_view(coverage: Coverage) -> dict[str, Any]:
    """What the report's appendix and `coverage --format markdown` show, as text."""
    return {
        "title": COVERAGE_TITLE,
        "scored": coverage.with_results,
        "frameworks": [
            {
                "id": framework.id,
                "title": _framework_title(framework),
                "url": framework.url,
                "summary": _summary(framework),
                "rows": [  # not "items": templates would read dict.items
                    {
                        "id": item.id,
                        "name": item.name,
                        "covered": item.covered,
                        "questions": list(item.questions),
                        "not_covered": item.not_covered,  # None: no reason given
                        "result_text": _result_text(item),
                    }
                    for item in framework.items
                ],
            }
            for framework in coverage.frameworks
        ],
    }


def coverage_renderables(coverage: Coverage) -> list[Any]:
    """One table per framework: each item, the questions that meet it or why none does,
    and with answers the organisation's result."""
    from rich import box
    from rich.table import Table

    from mcpscale.render.text import rich_text

    tables = []
    for framework in coverage.frameworks:
        table = Table(
            title=rich_text(f"{_framework_title(framework)}: {_summary(framework)}"),
            caption=rich_text(framework.url) if framework.url else None,
            box=box.SIMPLE_HEAD,
            pad_edge=False,
        )
        table.add_column("Item", no_wrap=True)
        table.add_column("Name")
        table.add_column("Questions")
        if coverage.with_results:
            table.add_column("Result", no_wrap=True)
        for item in framework.items:
            questions = (
                rich_text(", ".join(item.questions))
                if item.covered
                else rich_text(f"not covered: {item.not_covered or NO_REASON}", "yellow")
            )
            row = [rich_text(item.id), rich_text(item.name), questions]
            if coverage.with_results:
                row.append(rich_text(_result_text(item)))
            table.add_row(*row)
        tables.append(table)
    return tables
