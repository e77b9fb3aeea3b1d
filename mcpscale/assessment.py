"""Loads an assessment's files (answers, questionnaire, profile) and scores them."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from .scoring import Aggregate, Result, score_answers
from .validate import load_answer_sets, load_profile


def assess_files(
    answer_paths: Sequence[Path],
    profile_path: Path | None = None,
    questionnaire_ref: str | None = None,
    aggregate: Aggregate = "mean",
) -> Result:
    questionnaire, answer_sets = load_answer_sets(answer_paths, questionnaire_ref)
    profile = load_profile(profile_path, questionnaire) if profile_path else None
    return score_answers(questionnaire, answer_sets, profile, aggregate)
