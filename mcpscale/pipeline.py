"""Loads an assessment's files (answers, questionnaire, profile) and scores them."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from mcpscale.assess.evidence import Cap, evidence_caps
from mcpscale.errors import UserError
from mcpscale.formats.answers import AnswerSet
from mcpscale.formats.profile import Profile
from mcpscale.formats.questionnaire import Questionnaire
from mcpscale.formats.results import Aggregate, Result, Trust
from mcpscale.history.portfolio import DimensionCell, Portfolio, UnitFailure, UnitScore
from mcpscale.inputs.packs import PlanContent
from mcpscale.plan.compose import build_plan
from mcpscale.plan.roi import (
    DEFAULT_SEED,
    DEFAULT_SIMULATIONS,
)

if TYPE_CHECKING:
    from mcpscale.formats.questionnaire import Questionnaire
    from mcpscale.plan.compose import Plan
from mcpscale.assess.scoring import score_answers
from mcpscale.formats.questionnaire import Questionnaire
from mcpscale.inputs.answers import load_answer_sets
from mcpscale.inputs.load import load_profile

UNIT_PROFILE = "profile.yaml"
# Below this many units a process pool costs more to start than it saves.
_POOL_MIN_UNITS = 50


class UnitJob(NamedTuple):
    folder: Path
    profile: Path | None
    questionnaire: str | None
    aggregate: Aggregate


def find_units(root: Path) -> list[Path]:
    if not root.is_dir():
        raise UserError.at(root, "not a folder; pass the folder that holds one folder per unit")
    units = sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))
    if not units:
        raise UserError.at(
            root, "holds no unit folders; put each business unit's answers in its own folder"
        )
    return units


def score_unit(job: UnitJob) -> UnitScore | UnitFailure:
    """Score one unit; its problems come back as a UnitFailure instead of stopping the run."""
    from mcpscale.pipeline import assess_files

    try:
        if job.profile is not None and not job.profile.is_file():
            raise UserError.at(
                job.profile, f"no such file; --profile-per-unit needs a {UNIT_PROFILE} per unit"
            )
        result = assess_files([job.folder], job.profile, job.questionnaire, job.aggregate)
    except UserError as exc:
        return UnitFailure(job.folder.name, str(exc))
    levels = [level for level, _ in result.scale]
    return UnitScore(
        unit=job.folder.name,
        questionnaire=(
            result.questionnaire_id,
            result.questionnaire_version,
            result.questionnaire_title,
        ),
        scale=(min(levels), max(levels)),
        profile=result.profile_name,
        respondents=len(result.respondents),
        assessed_at=result.assessed_at,
        overall=result.overall.score,
        dimensions=tuple(DimensionCell(d.id, d.name, d.score, d.target) for d in result.dimensions),
    )


def score_portfolio(
    root: Path,
    profile_per_unit: bool = False,
    profile: Path | None = None,
    questionnaire: str | None = None,
    aggregate: Aggregate = "mean",
    jobs: int | None = None,
) -> Portfolio:
    """Score every unit under ROOT, in parallel over `jobs` processes (default: the CPUs)."""
    if profile_per_unit and profile is not None:
        raise UserError("pass either --profile or --profile-per-unit, not both")
    if jobs is not None and jobs < 1:
        raise UserError(f"--jobs {jobs}: use 1 or more processes")
    if profile is not None and not profile.is_file():
        raise UserError.at(profile, "no such file")
    folders = find_units(root)
    unit_jobs = [
        UnitJob(
            folder, folder / UNIT_PROFILE if profile_per_unit else profile, questionnaire, aggregate
        )
        for folder in folders
    ]
    if jobs is None:
        jobs = (os.cpu_count() or 1) if len(unit_jobs) >= _POOL_MIN_UNITS else 1
    jobs = min(jobs, len(unit_jobs))
    # The first unit is scored here: it loads the questionnaire into this process's cache,
    # which forked workers then inherit instead of each parsing it again.
    outcomes = [score_unit(unit_jobs[0])]
    rest = unit_jobs[1:]
    if jobs > 1 and rest:
        chunk = max(1, len(rest) // (jobs * 8))
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            outcomes.extend(pool.map(score_unit, rest, chunksize=chunk))
    else:
        outcomes.extend(score_unit(job) for job in rest)
    units = tuple(o for o in outcomes if isinstance(o, UnitScore))
    failures = tuple(o for o in outcomes if isinstance(o, UnitFailure))
    questionnaires = sorted({f"{u.questionnaire[0]}@{u.questionnaire[1]}" for u in units})
    if len(questionnaires) > 1:
        raise UserError(
            f"the units answer different questionnaires ({', '.join(questionnaires)}); "
            "pass --questionnaire to score them all against one"
        )
    return Portfolio(units, failures)


@dataclass(frozen=True)
class PlanInputs:
    """What a plan is made from, read and checked but not yet scored."""

    questionnaire: Questionnaire
    answer_sets: list[AnswerSet]
    profile: Profile | None
    content: PlanContent | None  # None without a profile: there is nothing to plan for


def load_plan_inputs(
    answer_paths: Sequence[Path], profile_path: Path | None, questionnaire_ref: str | None = None
) -> PlanInputs:
    from mcpscale.inputs.answers import load_answer_sets
    from mcpscale.inputs.load import load_plan_profile
    from mcpscale.inputs.packs import load_plan_content, resolve_pack

    questionnaire, answer_sets = load_answer_sets(answer_paths, questionnaire_ref)
    if profile_path is None:
        return PlanInputs(questionnaire, answer_sets, None, None)
    content = load_plan_content(resolve_pack(questionnaire_ref or questionnaire.id))
    profile = load_plan_profile(profile_path, questionnaire, content.economics)
    return PlanInputs(questionnaire, answer_sets, profile, content)


def plan_from_files(
    answer_paths: Sequence[Path],
    profile_path: Path,
    questionnaire_ref: str | None = None,
    horizon_years: int | None = None,
    simulations: int | None = None,
    seed: int | None = None,
    evidence_paths: Sequence[Path] = (),
    trust: Trust = "answers",
) -> Plan:
    """None for simulations or seed means the default (10,000 draws, seed 20261)."""
    from mcpscale.assess.scoring import score_answers
    from mcpscale.pipeline import caps_for

    inputs = load_plan_inputs(answer_paths, profile_path, questionnaire_ref)
    caps = caps_for(evidence_paths, inputs.questionnaire, questionnaire_ref)
    result = score_answers(
        inputs.questionnaire, inputs.answer_sets, inputs.profile, "mean", caps, trust
    )
    plan = plan_inputs(inputs, result, horizon_years, simulations, seed)
    assert plan is not None  # a profile was given
    return plan


def plan_inputs(
    inputs: PlanInputs,
    result: Result,
    horizon_years: int | None = None,
    simulations: int | None = None,
    seed: int | None = None,
) -> Plan | None:
    """The plan for scored inputs; None without a profile. None for simulations or seed
    means the default (10,000 draws, seed 20261)."""
    if inputs.profile is None or inputs.content is None:
        return None
    return build_plan(
        result,
        inputs.profile,
        inputs.content,
        horizon_years,
        DEFAULT_SIMULATIONS if simulations is None else simulations,
        DEFAULT_SEED if seed is None else seed,
    )


# The steps a report goes through, in order; `Step` is told each one as it starts.
STEPS = ("load", "score", "plan", "charts", "render")
Step = Callable[[str], None]


def _no_progress(step: str) -> None:
    pass


@dataclass(frozen=True)
class Prepared:
    questionnaire: Questionnaire
    result: Result
    plan: Plan | None  # None without a profile


def prepare(
    answer_paths: Sequence[Path],
    profile_path: Path | None,
    questionnaire_ref: str | None = None,
    simulations: int | None = None,
    seed: int | None = None,
    step: Step = _no_progress,
    evidence_paths: Sequence[Path] = (),
    trust: Trust = "answers",
) -> Prepared:
    """Load, score and plan, as `mcpscale plan` does; no plan without a profile."""
    from mcpscale.assess.scoring import score_answers
    from mcpscale.pipeline import caps_for, load_plan_inputs, plan_inputs

    step("load")
    inputs = load_plan_inputs(answer_paths, profile_path, questionnaire_ref)
    caps = caps_for(evidence_paths, inputs.questionnaire, questionnaire_ref)
    step("score")
    result = score_answers(
        inputs.questionnaire, inputs.answer_sets, inputs.profile, "mean", caps, trust
    )
    step("plan")
    return Prepared(
        inputs.questionnaire, result, plan_inputs(inputs, result, None, simulations, seed)
    )


def caps_for(
    paths: Sequence[Path], questionnaire: Questionnaire, questionnaire_ref: str | None
) -> dict[str, Cap]:
    """The caps from evidence files for the answers' questionnaire; none without files."""
    if not paths:
        return {}
    from mcpscale.inputs.packs import resolve_pack

    return evidence_caps(
        paths, questionnaire, resolve_pack(questionnaire_ref or questionnaire.id).folder
    )


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
    from mcpscale.pipeline import caps_for

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
