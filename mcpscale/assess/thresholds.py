"""Score gates for CI: --fail-under for the overall score and per dimension."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from mcpscale.errors import UserError, did_you_mean
from mcpscale.formats.results import Result


@dataclass(frozen=True)
class GateCheck:
    name: str
    passed: bool
    message: str


def parse_dimension_thresholds(specs: list[str]) -> dict[str, float]:
    """`DIM=X` strings -> {dimension: threshold}."""
    thresholds: dict[str, float] = {}
    for spec in specs:
        dimension, sep, value = spec.partition("=")
        try:
            if not sep or not dimension.strip():
                raise ValueError
            thresholds[dimension.strip()] = float(value)
        except ValueError:
            raise UserError(
                f"--fail-under-dimension '{spec}': write DIMENSION=SCORE, e.g. governance=3"
            ) from None
    return thresholds


def check_thresholds(
    result: Result, overall: float | None, per_dimension: Mapping[str, float]
) -> list[GateCheck]:
    checks: list[GateCheck] = []
    if overall is not None:
        score = result.overall.score
        passed = score is not None and score >= overall
        checks.append(
            GateCheck(
                "overall",
                passed,
                f"overall score {_fmt(score)} "
                f"{'meets' if passed else 'is below'} --fail-under {overall:g}",
            )
        )
    known = [d.id for d in result.dimensions]
    for dimension_id, threshold in sorted(per_dimension.items()):
        if dimension_id not in known:
            raise UserError(
                f"--fail-under-dimension: unknown dimension '{dimension_id}'"
                f"{did_you_mean(dimension_id, known)}; dimensions: "
                f"{', '.join(known)}"
            )
        score = result.dimension(dimension_id).score
        passed = score is not None and score >= threshold
        checks.append(
            GateCheck(
                f"dimension:{dimension_id}",
                passed,
                f"{dimension_id} score {_fmt(score)} "
                f"{'meets' if passed else 'is below'} {threshold:g}",
            )
        )
    return checks


def _fmt(score: float | None) -> str:
    return "n/a (nothing scored)" if score is None else f"{score:.2f}"
