"""Any scale, any size, over time: compare, trend and portfolio on the generality packs.

Given two quarters of answers to a questionnaire on a 0-100, 0/1 or -2..2 scale, with 22
dimensions or with gated and multi-select questions, `compare`, `trend` and `portfolio`
name every dimension and carry the scores the questionnaire's own scale gives.
"""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest

from .conftest import DATA, Cli

PACKS = DATA / "generality"
ALL = ["percent", "binary", "signed", "wide", "features"]


def two_quarters(cli: Cli, pack: str, tmp_path: Path) -> tuple[Path, Path]:
    """Results of the pack's answers as given, and a quarter later with one answer raised."""
    folder = PACKS / pack
    questionnaire = folder / "questionnaire.yaml"
    later = tmp_path / "later"
    shutil.copytree(folder / "answers", later)
    first_file = sorted(later.glob("*.yaml"))[0]
    text = first_file.read_text().replace("assessed_at: '2026-11-02'", "assessed_at: '2027-02-01'")
    first_file.write_text(text.replace("assessed_at: 2026-11-02", "assessed_at: 2027-02-01"))
    before, after = tmp_path / "q1.json", tmp_path / "q2.json"
    for answers, output in ((folder / "answers", before), (later, after)):
        result = cli(
            "score", answers, "--questionnaire", questionnaire, "--format", "json", "-o", output
        )
        assert result.exit_code == 0, result.output
    return before, after


@pytest.mark.parametrize("pack", ALL)
def test_compare_and_trend_name_every_dimension(cli: Cli, pack: str, tmp_path: Path) -> None:
    before, after = two_quarters(cli, pack, tmp_path)
    names = [d["name"] for d in json.loads(before.read_text())["dimensions"]]
    compared = cli("compare", before, after, "--format", "json")
    assert compared.exit_code == 0, compared.output
    data = json.loads(compared.stdout)
    assert [d["name"] for d in data["dimensions"]] == names
    markdown = cli("compare", before, after, "--format", "markdown")
    escaped = [name.replace("[", "\\[").replace("]", "\\]") for name in names]
    assert all(f"| {name} |" in markdown.stdout for name in escaped), markdown.stdout
    chart = tmp_path / "trend.svg"
    trended = cli("trend", before, after, "--output", chart)
    assert trended.exit_code == 0, trended.output
    assert chart.stat().st_size > 0
    trend = cli("trend", before, after, "--format", "json")
    assert len(json.loads(trend.stdout)["dimensions"]) == len(names)


@pytest.mark.parametrize("pack", ["percent", "wide", "features"])
def test_a_portfolio_of_units_on_any_scale(cli: Cli, pack: str, tmp_path: Path) -> None:
    folder = PACKS / pack
    root = tmp_path / "units"
    for unit in ("north", "south"):
        shutil.copytree(folder / "answers", root / unit)
    output = tmp_path / "portfolio"
    result = cli("portfolio", root, "--questionnaire", folder / "questionnaire.yaml", "-o", output)
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader((output / "portfolio.csv").open()))
    assert [row["unit"] for row in rows] == ["north", "south"]
    scored = json.loads(
        cli(
            "score", folder / "answers", "-q", folder / "questionnaire.yaml", "--format", "json"
        ).stdout
    )
    overall = scored["overall"]["score"]
    assert all(abs(float(row["overall"]) - overall) < 0.01 for row in rows)
    assert (output / "portfolio-heatmap.svg").exists()
