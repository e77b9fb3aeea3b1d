"""Any scale, any size: the packs in tests/data/generality score to hand-computed values.

Given a questionnaire on a 0-100, 0/1 or -2..2 scale, with 22 dimensions, or with a gated
dimension, a multi-select question, dependencies and an informational question, `mcpscale
score` reports the levels a reader of that scale expects and flags disagreements relative
to the scale's span.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from .conftest import DATA, Cli

PACKS = DATA / "generality"


def scored(cli: Cli, pack: str) -> dict[str, Any]:
    return scored_at(cli, PACKS / pack)


def scored_at(cli: Cli, folder: Path) -> dict[str, Any]:
    data: dict[str, Any] = cli.json(
        "score", folder / "answers", "--questionnaire", folder / "questionnaire.yaml"
    )
    return data


def dimension(data: dict[str, Any], dimension_id: str) -> dict[str, Any]:
    return next(d for d in data["dimensions"] if d["id"] == dimension_id)


def question(data: dict[str, Any], question_id: str) -> dict[str, Any]:
    return next(q for q in data["questions"] if q["id"] == question_id)


@pytest.mark.parametrize("pack", ["percent", "binary", "signed", "wide", "features"])
def test_every_pack_validates(cli: Cli, pack: str) -> None:
    result = cli("validate", PACKS / pack)
    assert result.exit_code == 0, result.output
    assert "0 invalid" in result.output


def test_a_percent_scale_names_the_level_reached_not_the_floor_of_the_score(cli: Cli) -> None:
    data = scored(cli, "percent")
    # build: deps mean(75, 100) = 87.5, sbom mean(25, 50) = 37.5 -> 62.5: "Half done" (50),
    # never a level 62 that the scale does not have
    build = dimension(data, "build")
    assert build["score"] == pytest.approx(62.5, abs=1e-9)
    assert (build["level"], build["level_name"]) == (50, "Half done")
    assert data["overall"]["score"] == pytest.approx((62.5 + 50 + 50) / 3, abs=1e-9)
    assert data["overall"]["level"] == 50
    assert {level for level, _ in _scale(data)} >= {data["overall"]["level"]}


def test_disagreement_is_relative_to_the_scale(cli: Cli) -> None:
    # 0-100: the default rule is 40% of the span, 40 points, which levels 0/25/50/75/100
    # can first reach 50 apart; 25 apart agrees, 100 apart not
    percent = scored(cli, "percent")
    assert percent["disagreement_spread"] == 50
    assert [d["question"] for d in percent["disagreements"]] == ["release.sign"]
    # 0/1: one step apart is the whole span, so it is a disagreement
    binary = scored(cli, "binary")
    assert binary["disagreement_spread"] == 1
    assert [d["question"] for d in binary["disagreements"]] == ["backup.offsite"]
    # -2..2: 40% of 4 is 1.6, so two levels apart, as on the 1-5 scale
    signed = scored(cli, "signed")
    assert signed["disagreement_spread"] == 2
    assert [d["question"] for d in signed["disagreements"]] == ["cost.unit"]


def test_a_questionnaire_can_set_its_own_disagreement_spread(cli: Cli, tmp_path: Path) -> None:
    pack = _copy(PACKS / "percent", tmp_path)
    text = (pack / "questionnaire.yaml").read_text()
    (pack / "questionnaire.yaml").write_text(
        text.replace("scale:\n", "disagreement: {min_spread: 25}\nscale:\n", 1)
    )
    data = scored_at(cli, pack)
    assert data["disagreement_spread"] == 25
    assert [d["question"] for d in data["disagreements"]] == [
        "build.deps",
        "build.sbom",
        "release.sign",
    ]


def test_a_signed_scale_keeps_negative_levels(cli: Cli) -> None:
    data = scored(cli, "signed")
    speed = dimension(data, "speed")  # mean(-1, 0) = -0.5: at or below -0.5 is "Behind" (-1)
    assert speed["score"] == pytest.approx(-0.5)
    assert (speed["level"], speed["level_name"]) == (-1, "Behind")
    assert speed["gap"] == pytest.approx(1.5)  # target 1


def test_twenty_two_dimensions_all_score(cli: Cli) -> None:
    data = scored(cli, "wide")
    assert len(data["dimensions"]) == 22
    assert all(d["score"] is not None for d in data["dimensions"])
    assert data["overall"]["score"] == pytest.approx(53 / 22)


def test_gated_multi_select_informational(cli: Cli) -> None:
    data = scored(cli, "features")
    # activities is gated: l1 met (3, 3); l2 is not (mean(1, 3) = 2 < 3), so level 1 is
    # the highest level with every question of it and below met, whatever l3 scores
    assert dimension(data, "activities")["score"] == 1.0
    assert dimension(data, "activities")["scoring"] == "gated"
    # controls: the gated area baseline reaches 1 (base2 mean 2 is not met), weight 2;
    # practices: Ana [a, b, c] -> 3, Ben [n] -> the default rule 0: 1.5; review: q 2, u 1: 1.5
    assert question(data, "controls.practices")["score"] == 1.5
    practices = {a["respondent"]: a for a in question(data, "controls.practices")["answers"]}
    assert practices["Ana"]["choice"] == ["a", "b", "c"]
    assert (practices["Ana"]["level"], practices["Ben"]["level"]) == (3, 0)
    assert dimension(data, "controls")["score"] == pytest.approx((1 * 2 + 1.5 + 1.5) / 4)
    # the informational question is shown, never scored
    team = question(data, "context.team")
    assert team["scored"] is False
    assert team["spread"] == 3 and not team["disagreement"]
    assert "context.team" not in [d["question"] for d in data["disagreements"]]
    assert dimension(data, "context")["score"] is None
    assert data["overall"]["score"] == pytest.approx((1 + 1.25 + 2) / 3)
    # a question's own target and priority, and the gap to it
    review = question(data, "controls.review")
    assert (review["target"], review["gap"], review["priority"]) == (2, 0.5, "high")
    assert question(data, "activities.l2")["depends_on"] == ["activities.l1"]


@pytest.mark.parametrize(
    ("edit", "says"),
    [
        (("level: 0}\n      - {id: partly", "level: 7}\n      - {id: partly"), "not on the scale"),
        (("      - {level: 0}\n", ""), ""),  # no default rule is valid: no match scores lowest
        (("{all: [a, b], level: 2}", "{all: [a, zz], level: 2}"), "unknown choice 'zz'"),
        (("depends_on: [activities.l1]", "depends_on: [activities.l3]"), "round in a circle"),
        (("    level: 2\n    text: Are builds", "    text: Are builds"), "gated"),
        (("- {id: a, label: Threat modelling}", "- {id: a, label: T, level: 1}"), "rules"),
        (("    type: multi\n", ""), "multi-select"),
        (("target: 2\n", "target: 9\n"), "outside the scale"),
        (("- {id: q, label", "- {id: NA, label"), "reserved"),
    ],
)
def test_bad_features_are_named_with_file_and_line(
    cli: Cli, tmp_path: Path, edit: tuple[str, str], says: str
) -> None:
    pack = _copy(PACKS / "features", tmp_path)
    path = pack / "questionnaire.yaml"
    text = path.read_text()
    assert edit[0] in text
    path.write_text(text.replace(edit[0], edit[1], 1))
    result = cli("validate", path)
    if not says:
        assert result.exit_code == 0, result.output
        return
    assert result.exit_code == 1, result.output  # validate found problems
    assert f"{path}:" in result.output
    assert says in result.output
    assert "Traceback" not in result.output


def test_a_multi_select_answer_must_be_a_valid_selection(cli: Cli, tmp_path: Path) -> None:
    pack = _copy(PACKS / "features", tmp_path)
    answers = pack / "answers" / "ben.yaml"
    answers.write_text(answers.read_text().replace("[n]", "[a, n]"))
    result = cli("validate", pack)
    assert result.exit_code == 1
    assert "ben.yaml:" in result.output
    assert "'n' (None of these) is selected on its own" in result.output
    answers.write_text(answers.read_text().replace("[a, n]", "[]"))
    result = cli("validate", pack)
    assert result.exit_code == 1
    assert "nothing is selected; select 'n' (None of these) if none holds" in result.output


def _scale(data: dict[str, Any]) -> list[tuple[int, str]]:
    return [(s["level"], s["name"]) for s in data["scale"]]


def _copy(source: Path, tmp_path: Path) -> Path:
    target = tmp_path / source.name
    shutil.copytree(source, target)
    return target


def test_a_question_is_held_against_its_own_target_in_the_report() -> None:
    from mcpscale.assess.strengths import dimension_points
    from mcpscale.pipeline import Options, run

    folder = PACKS / "features"
    result = run([folder / "answers"], Options(questionnaire=str(folder))).result
    points = {p.question: p for p in dimension_points(result, "controls")}
    # controls.review scores 1.5 against its own target 2 (not the dimension's 3): a low
    # weakness, half a level short, where against 3 it would read as a high one
    review = points["controls.review"]
    assert (review.target, review.shortfall, review.severity) == (2, 0.5, "low")
    context = dimension_points(result, "context")
    assert context == []  # the informational question is no strength and no weakness
