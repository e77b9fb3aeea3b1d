"""A dimension's strengths and weaknesses (assess/strengths.py) as one sentence each."""

from __future__ import annotations

from typing import Any

from mcpscale.assess.strengths import dimension_points
from mcpscale.formats.results import Result
from mcpscale.render.style import fmt_score


def dimension_points_view(result: Result, dimension_id: str) -> list[dict[str, Any]]:
    """Keys: kind, severity, sentence."""
    rows = []
    for p in dimension_points(result, dimension_id):
        level = f" ({p.level_name})" if p.level_name else ""
        if p.shortfall <= 0:
            where = f"at or above the target of {p.target:g}"
        else:
            where = f"{fmt_score(p.shortfall)} below the target of {p.target:g}"
        opener = (
            "Strength"
            if p.kind == "strength" and p.shortfall <= 0
            else "Strongest point, still short"
            if p.kind == "strength"
            else "Weakness"
        )
        split = "; the respondents disagree" if p.disagreement else ""
        rows.append(
            {
                "kind": p.kind,
                "severity": p.severity,
                "question": p.question,
                "sentence": f"{opener}: “{p.text}” scores {fmt_score(p.score)}{level}, "
                f"{where}{split}.",
            }
        )
    return rows
