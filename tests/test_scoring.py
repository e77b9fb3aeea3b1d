"""The scoring rules, pinned with hand-computed cases on tests/data/tiny (a 0-3 scale)."""

from __future__ import annotations

import datetime as dt

import pytest

from mcpscale.assess.scoring import score_answers
from mcpscale.formats.answers import AnswerSet
from mcpscale.formats.profile import Profile
from mcpscale.inputs.load import load_questionnaire

from .conftest import TINY

Q = load_questionnaire(TINY / "questionnaire.yaml")
PROFILE = Profile(kind="profile", name="Tiny Org", regulations=["GDPR"])


def respondent(name: str, answers: dict[str, object], day: int = 16) -> AnswerSet:
    return AnswerSet.model_validate(
        {
            "kind": "answers",
            "questionnaire": "tiny",
            "assessed_at": dt.date(2026, 11, day),
            "respondent": {"name": name, "role": "r"},
            "answers": answers,
        }
    )


ANA = respondent(
    "Ana",
    {
        "tech.a": "all",
        "tech.b": "some",
        "tech.hipaa": "all",
        "people.a": {"choice": "na", "reason": "owned-elsewhere"},
        "people.b": "most",
    },
)
BEN = respondent(
    "Ben",
    {"tech.a": "some", "tech.b": "most", "people.a": "unknown", "people.b": "unknown"},
    day=18,
)


def test_single_respondent_question_score_is_the_choice_level() -> None:
    result = score_answers(Q, [ANA], PROFILE)
    by_id = {q.id: q for q in result.questions}
    assert by_id["tech.a"].score == 3
    assert by_id["tech.b"].score == 1
    assert by_id["people.b"].score == 2


def test_dimension_score_is_weighted_mean_of_question_scores() -> None:
    # tech.a = mean(3, 1) = 2 (weight 1); tech.b = mean(1, 2) = 1.5 (weight 3);
    # tech.hipaa does not apply (no HIPAA in the profile): (2*1 + 1.5*3) / 4 = 1.625
    result = score_answers(Q, [ANA, BEN], PROFILE)
    assert result.dimension("tech").score == pytest.approx(1.625)
    assert result.dimension("tech").level == 1
    assert result.dimension("tech").level_name == "Emerging"


def test_overall_is_weighted_mean_of_dimensions() -> None:
    # tech 1.625 (weight 2), people 2.0 (weight 1) -> (3.25 + 2) / 3 = 1.75
    result = score_answers(Q, [ANA, BEN], PROFILE)
    assert result.overall.score == pytest.approx(1.75)
    assert result.overall.level == 1


def test_unknown_and_na_are_left_out_of_means() -> None:
    # people.a: Ana na, Ben unknown -> not scored; people.b: Ana 2, Ben unknown -> 2
    result = score_answers(Q, [ANA, BEN], PROFILE)
    people = result.dimension("people")
    assert people.score == 2.0
    assert people.answered == 1 and people.unknown == 1
    assert people.coverage == 0.5


def test_question_everyone_marks_na_is_not_applicable() -> None:
    result = score_answers(Q, [ANA], PROFILE)
    people_a = next(q for q in result.questions if q.id == "people.a")
    assert people_a.status == "not_applicable"
    assert result.dimension("people").coverage == 1.0  # 1 scored of 1 applicable


def test_applies_if_false_excludes_and_reports_not_applicable() -> None:
    result = score_answers(Q, [ANA], PROFILE)
    hipaa = next(q for q in result.questions if q.id == "tech.hipaa")
    assert hipaa.status == "not_applicable" and hipaa.not_applicable_reason == "applies_if"
    assert result.dimension("tech").not_applicable == 1
    # The same answers with HIPAA in the profile: (3 + 1*3 + 3) / 5 = 1.8
    with_hipaa = Profile(kind="profile", name="Clinic", regulations=["hipaa"])
    assert score_answers(Q, [ANA], with_hipaa).dimension("tech").score == pytest.approx(1.8)


def test_gap_and_targets_with_profile_override() -> None:
    result = score_answers(Q, [ANA, BEN], PROFILE)
    assert result.dimension("tech").target == 2  # the questionnaire's target
    assert result.dimension("tech").gap == pytest.approx(0.375)
    assert result.dimension("people").target == 3  # no target: the top of the scale
    assert result.dimension("people").gap == pytest.approx(1.0)
    override = PROFILE.model_copy(update={"targets": {"tech": 1}})
    assert score_answers(Q, [ANA, BEN], override).dimension("tech").gap == 0.0


def test_disagreement_when_levels_span_two_or_more() -> None:
    result = score_answers(Q, [ANA, BEN], PROFILE)
    assert [d.question for d in result.disagreements] == ["tech.a"]  # 3 vs 1
    assert result.disagreements[0].levels == {"Ana": 3, "Ben": 1}
    tech_b = next(q for q in result.questions if q.id == "tech.b")
    assert tech_b.spread == 1 and not tech_b.disagreement


def test_median_aggregate() -> None:
    cara = respondent("Cara", {"tech.a": "none"})
    by_id = {q.id: q for q in score_answers(Q, [ANA, BEN, cara], PROFILE, "median").questions}
    assert by_id["tech.a"].score == 1  # median(3, 1, 0)
    by_mean = {q.id: q for q in score_answers(Q, [ANA, BEN, cara], PROFILE).questions}
    assert by_mean["tech.a"].score == pytest.approx(4 / 3)


def test_nothing_answered_gives_no_scores_rather_than_zero() -> None:
    result = score_answers(Q, [respondent("Dan", {})], PROFILE)
    assert result.overall.score is None
    assert all(d.score is None and d.gap is None and d.coverage == 0 for d in result.dimensions)


def test_without_profile_every_question_applies() -> None:
    # tech: (3 + 1*3 + 3) / 5 = 1.8 once tech.hipaa counts
    assert score_answers(Q, [ANA]).dimension("tech").score == pytest.approx(1.8)
