"""load -> score -> plan: the one pipeline every command that reads answers goes through.

`Options` carries what the command line says about an assessment (`--questionnaire`,
`--profile`, `--aggregate`, `--evidence`, `--trust`, and for plans `--horizon-years`,
`--simulations`, `--seed`), so each option means the same thing in `score`, `plan`,
`report`, `portfolio`, `demo` and the public API.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from mcpscale.errors import UserError
from mcpscale.formats.results import Aggregate, EvidenceServer, Result, Trust
from mcpscale.history.portfolio import DimensionCell, Portfolio, UnitFailure, UnitScore

if TYPE_CHECKING:
    from mcpscale.assess.coverage import Coverage
    from mcpscale.assess.evidence import Cap
    from mcpscale.assess.migrate import Migrated
    from mcpscale.formats.answers import AnswerSet
    from mcpscale.formats.frameworks import FrameworkSet
    from mcpscale.formats.profile import Profile
    from mcpscale.formats.questionnaire import Questionnaire
    from mcpscale.inputs.packs import PlanContent
    from mcpscale.plan.compose import Plan

# The steps an assessment goes through, in order; a `Step` callback is told each as it starts.
STEPS = ("load", "score", "plan", "charts", "render")
Step = Callable[[str], None]


def no_progress(step: str) -> None:
    """The default `Step`: report nothing."""


@dataclass(frozen=True)
class Options:
    """How to read, score and plan an assessment; None means the documented default."""

    questionnaire: str | None = None  # a bundled id, a pack folder or a questionnaire file
    profile: Path | None = None
    aggregate: Aggregate = "mean"
    evidence: tuple[Path, ...] = ()
    trust: Trust = "answers"
    horizon_years: int | None = None  # default: the profile's, else 3
    simulations: int | None = None  # default: 10,000 Monte Carlo draws
    seed: int | None = None  # default: 20261


@dataclass(frozen=True)
class Loaded:
    """An assessment's files, read and checked, not yet scored."""

    questionnaire: Questionnaire
    answer_sets: list[AnswerSet]
    profile: Profile | None
    content: PlanContent | None  # the pack's planning files; None when not planning
    caps: dict[str, Cap]  # what the evidence supports, by question id
    estate: tuple[EvidenceServer, ...] = ()  # the servers the evidence names, with findings
    frameworks: FrameworkSet | None = None  # the pack's frameworks.yaml, when reporting


@dataclass(frozen=True)
class Assessment:
    """The outcome of the pipeline: the questionnaire, the scores and, with a profile, the plan."""

    questionnaire: Questionnaire
    profile: Profile | None
    result: Result
    plan: Plan | None = None
    # The planning files the questionnaire's pack has, by kind (a report without a profile
    # says whether one would add a plan); None when not planning.
    plan_files: tuple[str, ...] | None = None
    coverage: Coverage | None = None  # framework items met, when the pack has frameworks.yaml


def load(answer_paths: Sequence[Path], options: Options, planning: bool = False) -> Loaded:
    """Read and check the answers, their questionnaire, the profile and the evidence.

    With `planning` and a profile, the pack's planning files are read too, and the profile's
    financial overrides are checked against the pack's economics; with `planning`, the
    pack's frameworks too."""
    from mcpscale.inputs.answers import load_answer_sets
    from mcpscale.inputs.load import load_plan_profile, load_profile
    from mcpscale.inputs.packs import load_frameworks, load_plan_content, resolve_pack

    questionnaire, answer_sets = load_answer_sets(answer_paths, options.questionnaire)
    content = None
    profile = None
    if options.profile is not None:
        if planning:
            content = load_plan_content(resolve_pack(options.questionnaire or questionnaire.id))
            profile = load_plan_profile(options.profile, questionnaire, content.economics)
        else:
            profile = load_profile(options.profile, questionnaire)
    caps, estate = _evidence(options.evidence, questionnaire, options.questionnaire)
    frameworks = (
        load_frameworks(resolve_pack(options.questionnaire or questionnaire.id))
        if planning
        else None
    )
    return Loaded(questionnaire, answer_sets, profile, content, caps, estate, frameworks)


def score(loaded: Loaded, options: Options) -> Result:
    from mcpscale.assess.scoring import score_answers

    result = score_answers(
        loaded.questionnaire,
        loaded.answer_sets,
        loaded.profile,
        options.aggregate,
        loaded.caps,
        options.trust,
    )
    return replace(result, evidence_servers=loaded.estate) if loaded.estate else result


def plan(loaded: Loaded, result: Result, options: Options) -> Plan | None:
    """The plan for a scored assessment; None without a profile (nothing to plan for)."""
    if loaded.profile is None or loaded.content is None:
        return None
    from mcpscale.plan.compose import build_plan
    from mcpscale.plan.roi import DEFAULT_SEED, DEFAULT_SIMULATIONS

    return build_plan(
        result,
        loaded.profile,
        loaded.content,
        options.horizon_years,
        DEFAULT_SIMULATIONS if options.simulations is None else options.simulations,
        DEFAULT_SEED if options.seed is None else options.seed,
    )


def run(
    answer_paths: Sequence[Path],
    options: Options = Options(),
    planning: bool = True,
    step: Step = no_progress,
) -> Assessment:
    """load -> score -> plan; without `planning` (or without a profile) there is no plan."""
    from mcpscale.inputs.bulk import cycle_collection_paused

    with cycle_collection_paused():
        step("load")
        loaded = load(answer_paths, options, planning)
        step("score")
        result = score(loaded, options)
    step("plan")
    built = plan(loaded, result, options) if planning else None
    plan_files = None
    if planning:
        from mcpscale.inputs.packs import resolve_pack

        pack = resolve_pack(options.questionnaire or loaded.questionnaire.id)
        plan_files = tuple(pack.plan_files())
    coverage = None
    if loaded.frameworks is not None:
        from mcpscale.assess.coverage import framework_coverage

        coverage = framework_coverage(loaded.questionnaire, loaded.frameworks, result)
    return Assessment(loaded.questionnaire, loaded.profile, result, built, plan_files, coverage)


def score_files(answer_paths: Sequence[Path], options: Options = Options()) -> Result:
    """The scores alone, as `mcpscale score` computes them."""
    return run(answer_paths, options, planning=False).result


def plan_files(answer_paths: Sequence[Path], options: Options) -> Plan:
    """The plan, as `mcpscale plan` computes it; the options must name a profile."""
    if options.profile is None:
        raise UserError("a plan needs --profile: the organisation's profile YAML")
    built = run(answer_paths, options).plan
    assert built is not None  # a profile was given, so there is a plan
    return built


def coverage_files(
    answer_paths: Sequence[Path], options: Options, framework_id: str | None = None
) -> Coverage:
    """Framework coverage, as `mcpscale coverage` shows it: of the questionnaire alone, or
    with the organisation's result per item when there are answers to score."""
    from mcpscale.assess.coverage import framework_coverage
    from mcpscale.formats.kinds import FRAMEWORKS_FILE
    from mcpscale.inputs.packs import DEFAULT_QUESTIONNAIRE, load_frameworks, resolve_pack

    result = None
    if answer_paths:
        assessment = run(answer_paths, options, planning=False)
        questionnaire, result = assessment.questionnaire, assessment.result
        ref = options.questionnaire or questionnaire.id
    else:
        if options.profile is not None:
            raise UserError("--profile needs answers to score: pass ANSWERS_OR_DIRS too")
        ref = options.questionnaire or DEFAULT_QUESTIONNAIRE
    pack = resolve_pack(ref)
    frameworks = load_frameworks(pack)
    if frameworks is None:
        raise UserError.at(
            pack.folder or pack.path,
            f"this pack has no {FRAMEWORKS_FILE}; add one beside {pack.path.name} listing "
            "the frameworks its questions' mappings name (see README: Framework mappings)",
        )
    return framework_coverage(pack.questionnaire, frameworks, result, framework_id)


def caps_for(
    paths: Sequence[Path], questionnaire: Questionnaire, questionnaire_ref: str | None
) -> dict[str, Cap]:
    """What the evidence files support for the answers' questionnaire; nothing without files."""
    return _evidence(paths, questionnaire, questionnaire_ref)[0]


def _evidence(
    paths: Sequence[Path], questionnaire: Questionnaire, questionnaire_ref: str | None
) -> tuple[dict[str, Cap], tuple[EvidenceServer, ...]]:
    """The caps the evidence files support, and the servers they name; nothing without files."""
    if not paths:
        return {}, ()
    from mcpscale.assess.evidence import estate_servers, evidence_caps
    from mcpscale.inputs.evidence import load_rules, read_evidence
    from mcpscale.inputs.packs import resolve_pack

    folder = resolve_pack(questionnaire_ref or questionnaire.id).folder
    files = read_evidence(paths)
    return evidence_caps(load_rules(folder, questionnaire), files), estate_servers(files)


# ---------------------------------------------------------------- many business units

UNIT_PROFILE = "profile.yaml"
# Below this many units a process pool costs more to start than it saves.
_POOL_MIN_UNITS = 50


class UnitJob(NamedTuple):
    folder: Path
    options: Options


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
    profile = job.options.profile
    try:
        if profile is not None and not profile.is_file():
            raise UserError.at(
                profile, f"no such file; --profile-per-unit needs a {UNIT_PROFILE} per unit"
            )
        assessment = run([job.folder], job.options, planning=False)
    except UserError as exc:
        return UnitFailure(job.folder.name, str(exc))
    result = assessment.result
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
        subject=assessment.questionnaire.subject_name,
    )


def score_portfolio(
    root: Path,
    options: Options = Options(),
    profile_per_unit: bool = False,
    jobs: int | None = None,
    while_scoring: Callable[[], object] | None = None,
) -> Portfolio:
    """Score every unit under ROOT, in parallel over `jobs` processes (default: the CPUs).

    `while_scoring` is work for this process while the pool's processes score the units,
    such as importing the libraries that writing the outputs needs."""
    if profile_per_unit and options.profile is not None:
        raise UserError("pass either --profile or --profile-per-unit, not both")
    if jobs is not None and jobs < 1:
        raise UserError(f"--jobs {jobs}: use 1 or more processes")
    if options.profile is not None and not options.profile.is_file():
        raise UserError.at(options.profile, "no such file")
    unit_jobs = [
        UnitJob(
            folder,
            replace(options, profile=folder / UNIT_PROFILE) if profile_per_unit else options,
        )
        for folder in find_units(root)
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
            scored = pool.map(score_unit, rest, chunksize=chunk)  # every process started
            if while_scoring is not None:
                while_scoring()
            outcomes.extend(scored)
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


# ---------------------------------------------------------------- migrate


class FileMigration(NamedTuple):
    """One answers file moved to a new questionnaire version (or already there)."""

    path: Path
    answer_set: AnswerSet
    migrated: Migrated | None  # None: the file is already at the version
    text: str  # the file's new text (its old text when nothing changes)
    comments_kept: bool  # False: the file is written anew from its data, without comments
    comments_lost: tuple[int, ...] = ()  # lines of comments on answers rewritten or removed


def migrate_files(
    answer_paths: Sequence[Path], version: str, questionnaire_ref: str | None
) -> list[FileMigration]:
    """Every answers file under `answer_paths` moved to `version` along its pack's migrations,
    in memory; nothing is written. Any file that cannot move raises, before any is written."""
    from mcpscale.assess.migrate import migrate_answers
    from mcpscale.errors import Problem
    from mcpscale.inputs.answers import read_answer_sets
    from mcpscale.inputs.answers_text import answers_text
    from mcpscale.inputs.migrations import load_migrations
    from mcpscale.inputs.packs import resolve_pack
    from mcpscale.inputs.reader import read_bounded
    from mcpscale.inputs.yaml import MAX_FILE_BYTES

    loaded = read_answer_sets(answer_paths)
    problems: list[Problem] = []
    ids = sorted({answers.questionnaire_id for answers, _ in loaded})
    if questionnaire_ref is None and len(ids) > 1:
        raise UserError(
            f"these answers are for different questionnaires ({', '.join(ids)}); "
            "migrate each set separately or pass --questionnaire"
        )
    pack = resolve_pack(questionnaire_ref or ids[0])
    q = pack.questionnaire
    if q.version != version:
        raise UserError(
            f"questionnaire '{q.id}' here is version {q.version}, not {version}; pass the "
            f"pack of version {version} with --questionnaire PATH, or --to {q.version}"
        )
    migrations = load_migrations(pack)
    files: list[FileMigration] = []
    for answers, document in loaded:
        line, column = document.locate(["questionnaire"]) or (None, None)
        start = answers.questionnaire_version
        if answers.questionnaire_id != q.id:
            problems.append(
                Problem(
                    str(document.path),
                    line,
                    column,
                    f"answers are for questionnaire '{answers.questionnaire_id}', not "
                    f"'{q.id}'; pass the questionnaire they answer with --questionnaire",
                )
            )
            continue
        text = read_bounded(document.path, MAX_FILE_BYTES, "a YAML file").decode("utf-8-sig")
        if start == version:
            files.append(FileMigration(document.path, answers, None, text, True))
            continue
        if start is None:
            problems.append(
                Problem(
                    str(document.path),
                    line,
                    column,
                    f"names no version of '{q.id}', so where to start is unknown; write the "
                    "version these answers were given to, e.g. "
                    f"questionnaire: {q.id}@VERSION",
                )
            )
            continue
        steps = migrations.path(start, version) if migrations is not None else None
        if steps is None:
            have = (
                ", ".join(f"{m.from_} -> {m.to}" for m in migrations.migrations)
                if migrations is not None
                else "none: the pack has no migrations.yaml"
            )
            problems.append(
                Problem(
                    str(document.path),
                    line,
                    column,
                    f"no migration leads from version {start} to {version} of '{q.id}' "
                    f"(migrations: {have}); review the answers by hand, then write "
                    f"questionnaire: {q.ref}",
                )
            )
            continue
        migrated = migrate_answers(answers.answers, steps, start, q)
        rewritten = answers_text(document, text, q.ref, migrated.answers, migrated.origins)
        files.append(
            FileMigration(
                document.path,
                answers,
                migrated,
                rewritten.text,
                rewritten.comments_kept,
                rewritten.comments_lost,
            )
        )
    if problems:
        raise UserError.from_problems(problems)
    return files


def write_migrations(files: Sequence[FileMigration]) -> list[Path]:
    """Write every migrated file through the one atomic writer; the paths written."""
    from mcpscale.inputs.write import write_atomic

    written = []
    for file in files:
        if file.migrated is not None:
            write_atomic(file.path, file.text)
            written.append(file.path)
    return written
