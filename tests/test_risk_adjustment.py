"""The risk adjustment comes from the assessment: the pack's figure, raised by low answer
confidence, disagreement, evidence conflicts and blocked gate criteria, never above the pack's
maximum; the plan JSON, the terminal table and the report say why; a profile still fixes it."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mcpscale.formats.pack import RISK_FACTORS, RiskAdjustment, RiskSides
from mcpscale.formats.results import EvidenceConflict, Result
from mcpscale.pipeline import Options, plan_files, score_files
from mcpscale.plan.risk_adjustment import Factor, adjusted, assessment_factors

from .conftest import ACME, DATA, ROOT, Cli, examples

PACK = ROOT / "questionnaires" / "mcp-enterprise-readiness"
LOWER = {"high": "medium", "medium": "low", "low": "low"}

shares = st.floats(min_value=0, max_value=1, allow_nan=False)
weights = st.floats(min_value=0, max_value=0.99, allow_nan=False)


@st.composite
def packs(draw: st.DrawFn) -> RiskAdjustment:
    """Any valid risk adjustment a pack may declare."""
    maximum = RiskSides(
        benefits=draw(st.floats(min_value=0, max_value=0.99)),
        costs=draw(st.floats(min_value=0, max_value=3)),
    )
    return RiskAdjustment(
        benefits=draw(st.floats(min_value=0, max_value=maximum.benefits)),
        costs=draw(st.floats(min_value=0, max_value=maximum.costs)),
        maximum=maximum,
        weights={
            name: RiskSides(benefits=draw(weights), costs=draw(shares))
            for name in draw(st.sets(st.sampled_from(RISK_FACTORS)))
        },
    )


@given(
    pack=packs(),
    before=st.tuples(shares, shares, shares, shares),
    rise=st.tuples(shares, shares, shares, shares),
)
def test_more_doubt_never_lowers_the_adjustment_and_it_stays_within_the_pack_bounds(
    pack: RiskAdjustment, before: tuple[float, ...], rise: tuple[float, ...]
) -> None:
    after = [min(1.0, b + r) for b, r in zip(before, rise, strict=True)]
    low = adjusted(pack, [Factor(n, m, "") for n, m in zip(RISK_FACTORS, before, strict=True)])
    high = adjusted(pack, [Factor(n, m, "") for n, m in zip(RISK_FACTORS, after, strict=True)])
    for side in ("benefits", "costs"):
        default, maximum = getattr(pack, side), getattr(pack.maximum, side)
        assert default <= low.side(side).result <= high.side(side).result <= maximum


@pytest.fixture(scope="module")
def acme() -> tuple[Result, Any, RiskAdjustment]:
    plan = plan_files([ACME / "answers"], Options(profile=ACME / "profile.yaml", simulations=0))
    assert plan.economics is not None
    return plan.result, plan.gates, plan.economics.risk_adjustment


@settings(max_examples=examples(60), suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_on_the_example_lower_confidence_or_more_conflicts_never_lower_it(
    acme: tuple[Result, Any, RiskAdjustment], data: st.DataObject
) -> None:
    result, gates, pack = acme
    answered = [
        (q, a) for q in result.questions if q.scored for a in q.answers if a.level is not None
    ]
    lowered = data.draw(st.sets(st.integers(0, len(answered) - 1), max_size=60))
    conflicted = data.draw(st.sets(st.sampled_from([q.id for q, _ in answered]), max_size=20))
    changes = {
        (answered[i][0].id, answered[i][1].respondent): LOWER.get(answered[i][1].confidence or "")
        or "low"
        for i in lowered
    }
    questions = tuple(
        dataclasses.replace(
            q,
            answers=tuple(
                a._replace(confidence=changes.get((q.id, a.respondent), a.confidence))
                for a in q.answers
            ),
        )
        for q in result.questions
    )
    conflicts = tuple(EvidenceConflict(q, "someone", 4, 1, "f", "s", "says") for q in conflicted)
    doubted = dataclasses.replace(
        result, questions=questions, evidence_conflicts=result.evidence_conflicts + conflicts
    )
    before = adjusted(pack, assessment_factors(result, gates))
    after = adjusted(pack, assessment_factors(doubted, gates))
    for side in ("benefits", "costs"):
        assert before.side(side).result <= after.side(side).result <= getattr(pack.maximum, side)


def with_every_confidence(folder: Path, confidence: str) -> Path:
    """A copy of the example whose every answer is held with `confidence`."""
    copy = folder / "acme"
    shutil.copytree(ACME, copy)
    for path in (copy / "answers").glob("*.yaml"):
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        document["answers"] = {
            question: {
                **(answer if isinstance(answer, dict) else {"choice": answer}),
                **{"confidence": confidence},
            }
            for question, answer in document["answers"].items()
        }
        path.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    return copy


def test_the_example_answered_with_low_confidence_costs_more_risk_and_less_npv(
    cli: Cli, tmp_path: Path
) -> None:
    base = cli.json("plan", ACME / "answers", "--profile", ACME / "profile.yaml")["roi"]
    doubtful = with_every_confidence(tmp_path, "low")
    low = cli.json("plan", doubtful / "answers", "--profile", doubtful / "profile.yaml")["roi"]
    basis = base["risk_adjustment"]["basis"]
    pack = yaml.safe_load((PACK / "economics.yaml").read_text(encoding="utf-8"))
    # the pack's figures are where the adjustment starts, and the assessment raises them
    assert basis["benefits"]["default"] == pack["risk_adjustment"]["benefits"]
    assert basis["costs"]["default"] == pack["risk_adjustment"]["costs"]
    assert base["risk_adjustment"]["benefits"] > basis["benefits"]["default"]
    assert base["risk_adjustment"]["benefits"] == pytest.approx(
        basis["benefits"]["default"] + sum(basis["benefits"]["contributions"].values())
    )
    factors = {f["name"]: f for f in basis["factors"]}
    assert factors["confidence"]["detail"] == (
        "35 of 236 answers state a confidence (20 high, 6 medium, 9 low)"
    )
    assert factors["blocked_criteria"]["detail"] == "5 of 7 gate entry criteria are not met today"
    # every answer held with low confidence: more risk, a lower risk-adjusted NPV
    lowered = low["risk_adjustment"]
    assert lowered["basis"]["factors"][0]["measure"] == 1
    assert lowered["benefits"] > base["risk_adjustment"]["benefits"]
    assert lowered["costs"] > base["risk_adjustment"]["costs"]
    assert low["npv"] < base["npv"]
    assert low["simulation"]["p50"]["npv"] < base["simulation"]["p50"]["npv"]


def test_the_terminal_plan_and_the_report_say_where_the_adjustment_comes_from(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    table = cli("plan", ACME / "answers", "--profile", ACME / "profile.yaml", "--simulations", "0")
    assert table.exit_code == 0, table.output
    text = " ".join(table.stdout.split())
    assert "Risk adjustment, from the assessment" in text
    assert "The pack's figure for an assessment that leaves nothing to doubt 15% 10%" in text
    assert "Blocked gate criteria 5 of 7 gate entry criteria are not met today +3.6 points" in text
    report = tmp_path / "report.md"
    result = cli("report", ACME / "answers", "--profile", ACME / "profile.yaml", "--output", report)
    assert result.exit_code == 0, result.output
    markdown = report.read_text(encoding="utf-8").replace("\\", "")
    assert (
        "Benefits -25%, costs +17%: the pack's 15% and 10%, raised by answer confidence, "
        "disagreement and blocked gate criteria."
    ) in markdown
    assert "| Answer confidence | 35 of 236 answers state a confidence" in markdown
    assert "| Risk adjustment |  | -25% | +17% |" in markdown


def test_a_profile_still_fixes_the_adjustment_and_the_basis_says_so(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    profile = tmp_path / "profile.yaml"
    profile.write_text(
        (ACME / "profile.yaml").read_text(encoding="utf-8") + "risk_adjustment: {benefits: 0.5}\n",
        encoding="utf-8",
    )
    args = (ACME / "answers", "--profile", profile, "--simulations", "0")
    adjustment = cli.json("plan", *args)["roi"]["risk_adjustment"]
    # above the pack's 40% maximum: a profile's figure is used as given
    assert adjustment["benefits"] == 0.5
    assert adjustment["basis"]["benefits"]["set_by"] == "profile"
    assert adjustment["basis"]["benefits"]["computed"] < 0.5
    assert adjustment["basis"]["costs"]["set_by"] == "assessment"
    assert adjustment["costs"] == adjustment["basis"]["costs"]["computed"] > 0.10
    text = " ".join(cli("plan", *args).stdout.split())
    assert "benefits set by the organisation profile (the assessment gives 25%)" in text


def test_a_pack_default_above_its_maximum_is_refused_at_its_line(cli: Cli, tmp_path: Path) -> None:
    pack = tmp_path / "pack"
    shutil.copytree(PACK, pack)
    economics = pack / "economics.yaml"
    source = economics.read_text(encoding="utf-8")
    economics.write_text(
        source.replace("maximum: {benefits: 0.40,", "maximum: {benefits: 0.10,"),
        encoding="utf-8",
    )
    result = cli("validate", pack)
    assert result.exit_code != 0
    line = source.splitlines().index("  benefits: 0.15") + 1
    assert (
        f"economics.yaml:{line}:3: risk_adjustment: benefits (0.15) is above maximum.benefits "
        "(0.1); raise the maximum or lower benefits"
    ) in result.stdout


def test_disagreement_is_measured_on_any_scale() -> None:
    folder = DATA / "generality" / "percent"
    result = score_files(
        [folder / "answers"], Options(questionnaire=str(folder / "questionnaire.yaml"))
    )
    factors = {f.name: f for f in assessment_factors(result)}
    assert 0 <= factors["disagreement"].measure <= 1
    assert f"a spread of {result.disagreement_spread:g} points or more" in (
        factors["disagreement"].detail
    )
    assert factors["blocked_criteria"].measure == 0  # no gates: nothing blocked
