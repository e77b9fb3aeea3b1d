"""Many business units at once: score each unit's answers, then a units x dimensions table.

ROOT holds one folder per unit; a unit's answers files may sit anywhere below its folder,
and with --profile-per-unit its `profile.yaml` sits at the top of it. A unit whose files
are broken is reported by name and the others are still scored.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from .errors import UserError
from .scoring import Aggregate

PORTFOLIO_SCHEMA = "mcpscale/portfolio@1"
UNIT_PROFILE = "profile.yaml"
# Below this many units a process pool costs more to start than it saves.
_POOL_MIN_UNITS = 50


class DimensionCell(NamedTuple):
    id: str
    name: str
    score: float | None
    target: float


class UnitScore(NamedTuple):
    """What the portfolio keeps of one unit's result (small: it crosses process bounds)."""

    unit: str
    questionnaire: tuple[str, str, str]  # id, version, title
    scale: tuple[int, int]  # lowest and highest level
    profile: str | None
    respondents: int
    assessed_at: str | None
    overall: float | None
    dimensions: tuple[DimensionCell, ...]


class UnitFailure(NamedTuple):
    unit: str
    message: str


class UnitJob(NamedTuple):
    folder: Path
    profile: Path | None
    questionnaire: str | None
    aggregate: Aggregate


@dataclass(frozen=True)
class Portfolio:
    units: tuple[UnitScore, ...]
    failures: tuple[UnitFailure, ...]

    @property
    def dimensions(self) -> list[DimensionCell]:
        return list(self.units[0].dimensions) if self.units else []


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
    from .assessment import assess_files

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


def failures_message(portfolio: Portfolio) -> str:
    """Every broken unit by name, then its problems, indented."""
    lines = [
        f"{len(portfolio.failures)} of {len(portfolio.units) + len(portfolio.failures)} units "
        "could not be scored:"
    ]
    for failure in portfolio.failures:
        lines.append(f"unit '{failure.unit}':")
        lines += [f"  {line}" for line in failure.message.splitlines()]
    return "\n".join(lines)


def portfolio_frame(portfolio: Portfolio) -> Any:
    """Units x dimensions as a pandas DataFrame: one row per scored unit, full precision."""
    import pandas as pd

    dimension_ids = [d.id for d in portfolio.dimensions]
    rows = [
        {
            "unit": u.unit,
            "profile": u.profile,
            "respondents": u.respondents,
            "assessed_at": u.assessed_at,
            "overall": u.overall,
            **{d.id: d.score for d in u.dimensions},
        }
        for u in portfolio.units
    ]
    columns = ["unit", "profile", "respondents", "assessed_at", "overall", *dimension_ids]
    return pd.DataFrame(rows, columns=columns).set_index("unit")


def portfolio_csv(portfolio: Portfolio) -> str:
    return str(portfolio_frame(portfolio).to_csv(lineterminator="\n"))


def portfolio_to_dict(portfolio: Portfolio) -> dict[str, Any]:
    frame = portfolio_frame(portfolio)
    dimension_ids = [d.id for d in portfolio.dimensions]
    first = portfolio.units[0] if portfolio.units else None
    summary = frame[["overall", *dimension_ids]].agg(["mean", "min", "max"]) if first else None
    return {
        "schema": PORTFOLIO_SCHEMA,
        "questionnaire": None
        if first is None
        else dict(zip(("id", "version", "title"), first.questionnaire, strict=True)),
        "dimensions": [{"id": d.id, "name": d.name} for d in portfolio.dimensions],
        "units": [
            {
                "unit": u.unit,
                "profile": u.profile,
                "respondents": u.respondents,
                "assessed_at": u.assessed_at,
                "overall": u.overall,
                "dimensions": {d.id: d.score for d in u.dimensions},
                "targets": {d.id: d.target for d in u.dimensions},
            }
            for u in portfolio.units
        ],
        "summary": None
        if summary is None
        else {
            column: {
                stat: _none_if_nan(summary.at[stat, column]) for stat in ("mean", "min", "max")
            }
            for column in summary.columns
        },
        "failures": [{"unit": f.unit, "message": f.message} for f in portfolio.failures],
    }


def _none_if_nan(value: Any) -> float | None:
    number = float(value)
    return None if number != number else number


def heatmap(portfolio: Portfolio, image_format: str) -> bytes:
    """Units down, dimensions (and overall) across, coloured on the questionnaire's scale."""
    import numpy as np

    from .figures import figure_bytes, pyplot

    plt = pyplot()
    dimensions = portfolio.dimensions
    columns = [d.name for d in dimensions] + ["Overall"]
    values = np.array(
        [
            [np.nan if d.score is None else d.score for d in u.dimensions]
            + [np.nan if u.overall is None else u.overall]
            for u in portfolio.units
        ],
        dtype=float,
    ).reshape(len(portfolio.units), len(columns))
    low, high = portfolio.units[0].scale if portfolio.units else (0, 1)
    rows = len(portfolio.units)
    labelled = rows <= 60
    figure, axes = plt.subplots(figsize=(1.6 + 1.3 * len(columns), min(2 + 0.32 * rows, 40)))
    try:
        # cividis reads the same to people with colour-vision deficiencies
        image = axes.imshow(values, cmap="cividis", vmin=low, vmax=high, aspect="auto")
        axes.set_xticks(range(len(columns)), columns, rotation=30, ha="right")
        if labelled:
            axes.set_yticks(range(rows), [u.unit for u in portfolio.units])
        else:
            axes.set_ylabel(f"{rows} units (see portfolio.csv)")
            axes.set_yticks([])
        if rows <= 40:
            for (row, column), value in np.ndenumerate(values):
                if value == value:  # not NaN
                    dark = value < (low + high) / 2  # light text on the dark half
                    axes.text(
                        column,
                        row,
                        f"{value:.1f}",
                        ha="center",
                        va="center",
                        fontsize=8,
                        color="white" if dark else "black",
                    )
        figure.colorbar(image, ax=axes, label="score")
        axes.set_title("Portfolio: score per unit and dimension")
        figure.tight_layout()
        return figure_bytes(figure, image_format)
    finally:
        plt.close(figure)


def write_outputs(portfolio: Portfolio, output_dir: Path, image_format: str = "svg") -> list[Path]:
    """portfolio.csv, portfolio.json and portfolio-heatmap.svg|png in output_dir."""
    from .output import to_json
    from .yamlio import write_atomic

    written: list[Path] = []
    outputs: Sequence[tuple[str, str | bytes]] = [
        ("portfolio.csv", portfolio_csv(portfolio)),
        ("portfolio.json", to_json(portfolio_to_dict(portfolio))),
    ]
    if portfolio.units:
        outputs = [
            *outputs,
            (f"portfolio-heatmap.{image_format}", heatmap(portfolio, image_format)),
        ]
    for name, content in outputs:
        path = output_dir / name
        write_atomic(path, content)
        written.append(path)
    return written


def portfolio_table(portfolio: Portfolio) -> Any:
    from rich import box
    from rich.table import Table

    from .output import fmt_score

    table = Table(title="Portfolio", box=box.SIMPLE_HEAD)
    table.add_column("Unit")
    table.add_column("Resp.", justify="right")
    for d in portfolio.dimensions:
        table.add_column(d.name, justify="right")
    table.add_column("Overall", justify="right")
    for u in portfolio.units:
        table.add_row(
            u.unit,
            str(u.respondents),
            *(fmt_score(d.score) for d in u.dimensions),
            fmt_score(u.overall),
        )
    return table
