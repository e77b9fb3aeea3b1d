"""Loads an assessment's files (answers, questionnaire, profile) and scores them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .models import Profile, Questionnaire
from .scoring import Aggregate, Result, Trust, score_answers
from .validate import load_answer_sets, load_profile


@dataclass(frozen=True)
class Assessment:
    questionnaire: Questionnaire
    profile: Profile | None
    result: Result


def load_assessment(
    answer_paths: Sequence[Path],
    profile_path: Path | None = None,
    questionnaire_ref: str | None = None,
    aggregate: Aggregate = "mean",
    evidence_paths: Sequence[Path] = (),
    trust: Trust = "answers",
) -> Assessment:
    from .evidence import caps_for

    questionnaire, answer_sets = load_answer_sets(answer_paths, questionnaire_ref)
    profile = load_profile(profile_path, questionnaire) if profile_path else None
    caps = caps_for(evidence_paths, questionnaire, questionnaire_ref)
    return Assessment(
        questionnaire,
        profile,
        score_answers(questionnaire, answer_sets, profile, aggregate, caps, trust),
    )


def assess_files(
    answer_paths: Sequence[Path],
    profile_path: Path | None = None,
    questionnaire_ref: str | None = None,
    aggregate: Aggregate = "mean",
    evidence_paths: Sequence[Path] = (),
    trust: Trust = "answers",
) -> Result:
    return load_assessment(
        answer_paths, profile_path, questionnaire_ref, aggregate, evidence_paths, trust
    ).result
