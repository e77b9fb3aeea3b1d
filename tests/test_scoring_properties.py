"""Properties of the scoring maths that hold for every questionnaire and every set of answers."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from mcpscale.assess.scoring import score_answers
from mcpscale.formats.answers import AnswerSet
from mcpscale.formats.questionnaire import Question, Questionnaire
from mcpscale.formats.results import result_to_dict

from .conftest import examples


@st.composite
def questionnaires(draw: st.DrawFn) -> Questionnaire:
    low = draw(st.integers(-1, 2))
    levels = list(range(low, low + draw(st.integers(2, 6))))
    dimensions = [f"d{i}" for i in range(draw(st.integers(1, 4)))]
    questions = []
    for i in range(draw(st.integers(len(dimensions), 12))):
        questions.append(
            {
                "id": f"q{i}",
                "dimension": dimensions[i % len(dimensions)],
                "text": "?",
                "weight": draw(st.floats(0.1, 5, allow_nan=False)),
                "allow_na": True,
                "choices": [{"id": f"c{level}", "label": "x", "level": level} for level in levels],
            }
        )
    return Questionnaire.model_validate(
        {
            "kind": "questionnaire",
            "id": "gen",
            "version": "1",
            "title": "generated",
            "scale": [{"level": level, "name": f"L{level}"} for level in levels],
            "dimensions": [
                {"id": d, "name": d, "weight": draw(st.floats(0.1, 5))} for d in dimensions
            ],
            "questions": questions,
        }
    )


@st.composite
def assessments(draw: st.DrawFn) -> tuple[Questionnaire, list[AnswerSet]]:
    q = draw(questionnaires())
    choice_ids = [c.id for c in q.questions[0].choices] + ["unknown", "na"]
    answer_sets = []
    for person in range(draw(st.integers(1, 6))):
        answers: dict[str, Any] = {}
        for question in q.questions:
            if draw(st.booleans()) or person == 0:
                answers[question.id] = draw(st.sampled_from(choice_ids))
        answer_sets.append(
            AnswerSet.model_validate(
                {
                    "kind": "answers",
                    "questionnaire": "gen",
                    "answers": answers,
                    "assessed_at": dt.date(2026, 1, 1 + person),
                    "respondent": {"name": f"person {person}", "role": "r"},
                }
            )
        )
    return q, answer_sets


@settings(max_examples=examples(200), deadline=None)
@given(assessments(), st.sampled_from(["mean", "median"]))
def test_scores_stay_within_the_scale(
    case: tuple[Questionnaire, list[AnswerSet]], aggregate: str
) -> None:
    q, answer_sets = case
    result = score_answers(q, answer_sets, aggregate=aggregate)  # type: ignore[arg-type]
    scores = [x.score for x in result.questions] + [d.score for d in result.dimensions]
    for score in [*scores, result.overall.score]:
        assert score is None or q.min_level - 1e-9 <= score <= q.max_level + 1e-9
    for dimension in result.dimensions:
        assert dimension.coverage is None or 0 <= dimension.coverage <= 1
        assert dimension.gap is None or dimension.gap >= 0


@settings(max_examples=examples(200), deadline=None)
@given(assessments(), st.randoms(use_true_random=False))
def test_reordering_respondents_changes_nothing(
    case: tuple[Questionnaire, list[AnswerSet]], rng: random.Random
) -> None:
    q, answer_sets = case
    shuffled = list(answer_sets)
    rng.shuffle(shuffled)
    assert result_to_dict(score_answers(q, shuffled)) == result_to_dict(
        score_answers(q, answer_sets)
    )


@settings(max_examples=examples(300), deadline=None)
@given(assessments(), st.data())
def test_raising_one_answer_never_lowers_its_dimension(
    case: tuple[Questionnaire, list[AnswerSet]], data: st.DataObject
) -> None:
    q, answer_sets = case
    # Draw only among answers that can be raised (a choice below the top level, not unknown
    # or na), so that every generated case checks the property.
    raisable: list[tuple[int, Question, list[int]]] = []
    for person, answer_set in enumerate(answer_sets):
        for question in q.questions:
            answer = answer_set.answers.get(question.id)
            chosen = question.choice(answer.choice) if answer else None
            higher = [c.level for c in question.choices if chosen and c.level > chosen.level]
            if higher:
                raisable.append((person, question, higher))
    assume(raisable)
    person, question, higher = data.draw(st.sampled_from(raisable))
    raised_level = data.draw(st.sampled_from(higher))
    raised = answer_sets[person].model_copy(deep=True)
    raised.answers[question.id] = raised.answers[question.id].model_copy(
        update={"choice": f"c{raised_level}"}
    )
    changed = [raised if i == person else a for i, a in enumerate(answer_sets)]
    before = score_answers(q, answer_sets).dimension(question.dimension).score
    after = score_answers(q, changed).dimension(question.dimension).score
    assert before is not None and after is not None
    assert after >= before - 1e-12


def _rescaled(q: Questionnaire, factor: int, shift: int) -> Questionnaire:
    """The same questionnaire with every level mapped to level * factor + shift."""
    data = q.model_dump()
    for level in data["scale"]:
        level["level"] = level["level"] * factor + shift
    for question in data["questions"]:
        for choice in question["choices"]:
            choice["level"] = choice["level"] * factor + shift
    return Questionnaire.model_validate(data)


@settings(max_examples=examples(200), deadline=None)
@given(assessments(), st.integers(1, 25), st.integers(-50, 50))
def test_any_scale_reads_the_same_when_its_levels_are_renumbered(
    assessment: tuple[Questionnaire, list[AnswerSet]], factor: int, shift: int
) -> None:
    # 1-5 renumbered as 0-100 (or shifted below zero) flags the same disagreements and
    # names the same level for every score: nothing depends on the numbers chosen
    q, answer_sets = assessment
    before = score_answers(q, answer_sets)
    after = score_answers(_rescaled(q, factor, shift), answer_sets)
    assert [d.question for d in after.disagreements] == [d.question for d in before.disagreements]
    assert after.overall.level_name == before.overall.level_name
    for old, new in zip(before.dimensions, after.dimensions, strict=True):
        assert new.level_name == old.level_name
        if old.score is not None and new.score is not None:
            assert abs(new.score - (old.score * factor + shift)) < 1e-6 * factor


@settings(max_examples=examples(300), deadline=None)
@given(questionnaires(), st.floats(-100, 100, allow_nan=False))
def test_a_scores_level_is_the_highest_scale_level_at_or_below_it(
    q: Questionnaire, score: float
) -> None:
    level = q.level_at(score)
    assert level in [s.level for s in q.scale]
    higher = [s.level for s in q.scale if s.level > level]
    assert all(h > score for h in higher)
    assert level <= score + 1e-9 or level == q.min_level
