"""The options several commands share, and every choice a command offers, each defined once."""

from __future__ import annotations

import math
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer


class TableFormat(StrEnum):
    """What score, plan and trend print."""

    table = "table"
    json = "json"
    csv = "csv"


class EvidenceFormat(StrEnum):
    """What evidence probe prints."""

    table = "table"
    json = "json"


class ScanFormat(StrEnum):
    """What evidence scan prints: sarif is for code scanning (GitHub, GitLab)."""

    table = "table"
    json = "json"
    sarif = "sarif"


class CompareFormat(StrEnum):
    table = "table"
    json = "json"
    markdown = "markdown"


class ReportFormat(StrEnum):
    pdf = "pdf"
    html = "html"
    md = "md"


class DocumentFormat(StrEnum):
    """`mcpscale report`: the portfolio's formats and, for one assessment, DOCX and xlsx."""

    pdf = "pdf"
    html = "html"
    md = "md"
    docx = "docx"
    xlsx = "xlsx"


class ImageFormat(StrEnum):
    svg = "svg"
    png = "png"


class FormFormat(StrEnum):
    xlsx = "xlsx"
    csv = "csv"


class AggregateChoice(StrEnum):
    mean = "mean"
    median = "median"


class TrustChoice(StrEnum):
    answers = "answers"
    evidence = "evidence"


class SeverityChoice(StrEnum):
    low = "low"
    medium = "medium"
    high = "high"


class CiChoice(StrEnum):
    github = "github"
    gitlab = "gitlab"


class SchemaKind(StrEnum):
    questionnaire = "questionnaire"
    answers = "answers"
    profile = "profile"
    initiatives = "initiatives"
    gates = "gates"
    risks = "risks"
    economics = "economics"
    brand = "brand"
    evidence = "evidence"
    evidence_rules = "evidence-rules"
    tool_rules = "tool-rules"
    narrative = "narrative"
    migrations = "migrations"
    frameworks = "frameworks"


AnswersArgument = Annotated[
    list[Path],
    typer.Argument(metavar="ANSWERS_OR_DIRS...", help="Answers files or folders of them."),
]
QuestionnaireOption = Annotated[
    str | None,
    typer.Option(
        "--questionnaire",
        "-q",
        metavar="ID|PATH",
        help="Bundled questionnaire id or path to a questionnaire file or "
        "pack folder. Default: the one the answers name.",
    ),
]
MigrationsOption = Annotated[
    str | None,
    typer.Option(
        "--questionnaire",
        "-q",
        metavar="ID|PATH",
        help="Across questionnaire versions: the pack whose migrations.yaml says which "
        "questions map. Default: the bundled pack the results score.",
    ),
]
NewQuestionnaireOption = Annotated[
    str | None,
    typer.Option(
        "--questionnaire",
        "-q",
        metavar="ID|PATH",
        help="Bundled questionnaire id or path to a questionnaire file or pack folder. "
        "Default: the one existing answers name, else mcp-enterprise-readiness.",
    ),
]
ProfileOption = Annotated[
    Path | None,
    typer.Option(
        "--profile",
        "-p",
        help="Organisation profile YAML (kind: "
        "profile): applies_if conditions and target overrides.",
    ),
]
EvidenceOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--evidence",
        help="Evidence files or folders (from `mcpscale evidence scan|probe`) to hold the "
        "answers against (repeatable).",
    ),
]
TrustOption = Annotated[
    TrustChoice,
    typer.Option(
        help="answers: report evidence conflicts, score the answers as given; evidence: "
        "score conflicting answers at the level the evidence supports."
    ),
]
AggregateOption = Annotated[
    AggregateChoice, typer.Option(help="How respondents' levels combine per question.")
]
OutputOption = Annotated[
    Path | None, typer.Option("--output", "-o", help="Write here instead of stdout.")
]
MAX_SIMULATIONS = 1_000_000  # a million draws take seconds; more only exhausts memory
MAX_SEED = 2**32 - 1  # numpy seeds are unsigned 32-bit words


def finite(value: float | None) -> float | None:
    """An option callback: inf and nan pass click's ranges (nan compares false) but mean nothing."""
    if value is not None and not math.isfinite(value):
        raise typer.BadParameter(f"{value} is not a finite number")
    return value


MaxDropOption = Annotated[
    float | None,
    typer.Option(
        min=0,
        callback=finite,
        metavar="X",
        help="How far a score may drop from the baseline before the gate fails (default 0: "
        "any drop fails).",
    ),
]
JunitOption = Annotated[
    Path | None,
    typer.Option(metavar="FILE", help="Also write the gates as a JUnit XML report, for CI."),
]
SimulationsOption = Annotated[
    int | None,
    typer.Option(
        min=0,
        max=MAX_SIMULATIONS,
        metavar="N",
        help="Monte Carlo draws (0: none). Default: 10,000.",
    ),
]
SeedOption = Annotated[
    int | None,
    typer.Option(min=0, max=MAX_SEED, metavar="S", help="Seed of the Monte Carlo. Default: 20261."),
]
QuietOption = Annotated[
    bool,
    typer.Option("--quiet", help="No progress display (automatic when stderr is not a terminal)."),
]
