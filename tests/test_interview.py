"""The interview state machine, without a terminal: keys, walk order, resume and review."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mcpscale.formats.answers import Answer, AnswerSet, Respondent
from mcpscale.formats.questionnaire import Questionnaire
from mcpscale.inputs.clock import today as assessment_date
from mcpscale.inputs.load import load_profile
from mcpscale.inputs.packs import resolve_pack
from mcpscale.interview.session import (
    Interview,
    answers_document,
    level_spread,
    parse_key,
    with_workshop_note,
)

from .conftest import DATA, TINY


@pytest.fixture
def tiny() -> Questionnaire:
    return resolve_pack(str(TINY)).questionnaire


def test_keys_pick_choices_by_number_or_id_and_refuse_the_rest(tiny: Questionnaire) -> None:
    question = tiny.question("tech.a")
    assert question is not None
    assert parse_key(question, "1") == ("answer", "none", "")
    assert parse_key(question, " ALL ").choice == "all"
    assert parse_key(question, "u").choice == "unknown"
    assert [parse_key(question, k).action for k in "?bq"] == ["help", "back", "quit"]
    assert "no choice 5; pick 1-4" in parse_key(question, "5").hint
    assert "no choice 0" in parse_key(question, "0").hint
    assert "did you mean 'most'" in parse_key(question, "mots").hint
    assert "cannot be 'not applicable'" in parse_key(question, "n").hint
    assert parse_key(question, "").action == "invalid"
    assert parse_key(question, "", default="some") == ("keep", "some", "")


def test_n_answers_not_applicable_only_where_allowed(tiny: Questionnaire) -> None:
    training = tiny.question("people.a")
    assert training is not None and training.allow_na
    assert parse_key(training, "n").choice == "na"


def test_walk_skips_questions_that_do_not_apply_and_counts_only_the_rest(
    tiny: Questionnaire,
) -> None:
    profile = load_profile(TINY / "profile.yaml", tiny)
    interview = Interview(tiny, profile)
    assert [q.id for q in interview.skipped] == ["tech.hipaa"]
    assert interview.total == 4
    seen = []
    while not interview.done:
        seen.append((interview.number, interview.current.id))
        interview.record("some")
        interview.advance()
    assert seen == [(1, "tech.a"), (2, "tech.b"), (3, "people.a"), (4, "people.b")]


def test_resume_starts_at_the_first_unanswered_and_review_at_the_first(
    tiny: Questionnaire,
) -> None:
    saved = {"tech.a": Answer(choice="all"), "tech.hipaa": Answer(choice="none")}
    assert Interview(tiny, answers=dict(saved)).current.id == "tech.b"
    review = Interview(tiny, answers=dict(saved), review=True)
    assert review.current.id == "tech.a" and review.default() == "all"
    review.advance()
    assert review.current.id == "tech.b"


def test_back_then_answer_returns_to_the_next_unanswered(tiny: Questionnaire) -> None:
    interview = Interview(tiny, answers={"tech.a": Answer(choice="all")})
    assert interview.current.id == "tech.b"
    assert interview.back() and interview.current.id == "tech.a"
    assert not interview.back()  # already at the first question
    interview.record("most")
    interview.advance()
    assert interview.current.id == "tech.b"
    assert interview.answers["tech.a"].choice == "most"


def test_re_answering_keeps_note_and_evidence(tiny: Questionnaire) -> None:
    interview = Interview(tiny)
    interview.record("some")
    interview.annotate("by hand on Fridays", "https://wiki/x")
    interview.annotate(None, "https://wiki/x")  # the same link is not added twice
    interview.record("most")
    answer = interview.answers["tech.a"]
    assert (answer.choice, answer.note, answer.evidence) == (
        "most",
        "by hand on Fridays",
        ["https://wiki/x"],
    )


def test_answers_document_is_a_valid_answers_file_in_questionnaire_order(
    tiny: Questionnaire,
) -> None:
    answers = {"people.b": Answer(choice="all"), "tech.a": Answer(choice="some", note="n")}
    document = answers_document(
        tiny, Respondent(name="Ana", role="CTO"), answers, dt.date(2026, 1, 2)
    )
    assert list(document["answers"]) == ["tech.a", "people.b"]
    assert document["answers"]["people.b"] == "all"  # shorthand for a bare choice
    assert document["questionnaire"] == "tiny@2"
    AnswerSet.model_validate(document)


def test_workshop_note_replaces_an_earlier_discussion_and_keeps_the_own_note() -> None:
    answer = Answer(choice="some", note="Mine.")
    once = with_workshop_note(answer, "first")
    twice = with_workshop_note(once, "second")
    assert twice.note == "Mine.\nWorkshop discussion: second"


def test_spread_ignores_unknown_and_na(tiny: Questionnaire) -> None:
    question = tiny.question("people.a")
    assert question is not None
    assert level_spread(tiny, question, ["none", "all", "unknown"]) == 3
    assert level_spread(tiny, question, ["none", "na"]) is None


def test_source_date_epoch_fixes_the_assessment_date(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    assert assessment_date() == dt.date(2026, 1, 1)


TINY_QUESTIONNAIRE = resolve_pack(str(TINY)).questionnaire
FEATURES = resolve_pack(str(DATA / "generality" / "features" / "questionnaire.yaml")).questionnaire


@given(
    st.sampled_from(TINY_QUESTIONNAIRE.questions + FEATURES.questions),
    st.one_of(st.text(max_size=20), st.text(alphabet="abcdnqu?:, 0123456789", max_size=8)),
)
def test_any_typed_line_is_an_allowed_answer_an_action_or_a_hint(question, text: str) -> None:
    key = parse_key(question, text)
    allowed = (
        {c.id for c in question.choices} | {"unknown"} | ({"na"} if question.allow_na else set())
    )
    if key.action == "answer" and isinstance(key.choice, list):
        assert question.multi and key.choice
        assert question.selection_problem(key.choice) is None
    elif key.action == "answer":
        assert key.choice in allowed
        assert not question.multi or key.choice in ("unknown", "na")
    elif key.action == "invalid":
        assert key.hint
    else:
        assert key.action in ("help", "back", "quit")
