"""What a report looks like: title, classification, assessor, brand, template folder."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from mcpscale.errors import UserError

if TYPE_CHECKING:
    from mcpscale.formats.narrative import Narrative
    from mcpscale.formats.questionnaire import Questionnaire
DEFAULT_CLASSIFICATION = "Confidential"
DEFAULT_BRAND_COLOUR = "#0b3d91"


@dataclass(frozen=True)
class ReportOptions:
    title: str = ""  # --title; empty: "<subject> assessment", from the questionnaire
    subject: str = ""  # what is assessed (Questionnaire.subject_name), set by for_questionnaire
    classification: str = DEFAULT_CLASSIFICATION
    assessor: str | None = None
    brand_name: str = "mcpscale"
    brand_colour: str = DEFAULT_BRAND_COLOUR
    template_dir: Path | None = None
    logo_uri: str | None = None  # a data: URI, so the HTML stays self-contained
    narrative: Narrative | None = None  # --narrative: render/report/story.py reads it
    narrative_path: Path | None = None


def default_title(subject: str) -> str:
    """The title a report takes without --title: "MCP readiness" -> "MCP readiness assessment"."""
    return f"{_capitalised(subject)} assessment"


def portfolio_title(subject: str) -> str:
    """The portfolio's title without --title: "MCP readiness" -> "MCP readiness portfolio"."""
    return f"{_capitalised(subject)} portfolio" if subject else "Portfolio"


def _capitalised(subject: str) -> str:
    return subject[:1].upper() + subject[1:]


def for_questionnaire(options: ReportOptions, questionnaire: Questionnaire) -> ReportOptions:
    """The options with the questionnaire's subject, and its title where --title gave none."""
    subject = questionnaire.subject_name
    return replace(options, title=options.title or default_title(subject), subject=subject)


LOGO_TYPES = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".svg": "image/svg+xml",
}
MAX_LOGO_BYTES = 1024 * 1024


def report_options(
    title: str | None,
    classification: str | None,
    assessor: str | None,
    template_dir: Path | None,
    brand_path: Path | None,
) -> ReportOptions:
    """Options from the command line, with a brand file's values where none were given.

    A --template-dir that is not a folder is refused here, before anything is written."""
    if template_dir is not None and not template_dir.is_dir():
        raise UserError.at(template_dir, "--template-dir is not a directory")
    if brand_path is None:
        return ReportOptions(
            title=title or "",
            classification=classification or DEFAULT_CLASSIFICATION,
            assessor=assessor,
            template_dir=template_dir,
        )
    from mcpscale.formats.brand import Brand
    from mcpscale.inputs.load import load_model

    brand = load_model(brand_path, Brand)
    return ReportOptions(
        title=title or "",
        classification=classification or brand.classification or DEFAULT_CLASSIFICATION,
        assessor=assessor,
        brand_name=brand.name,
        brand_colour=brand.colour,
        template_dir=template_dir,
        logo_uri=None
        if brand.logo is None
        else _logo_uri(brand_path.parent / brand.logo, brand_path),
    )


def _logo_uri(logo: Path, brand_path: Path) -> str:
    import base64

    media_type = LOGO_TYPES.get(logo.suffix.lower())
    if media_type is None:
        raise UserError.at(brand_path, f"logo {logo.name}: use a PNG, JPEG or SVG file")
    from mcpscale.inputs.reader import read_bounded

    try:
        data = read_bounded(logo, MAX_LOGO_BYTES, "a PNG, JPEG or SVG file")
    except UserError as exc:
        reason = exc.problems[0].message if exc.problems else str(exc)
        raise UserError.at(brand_path, f"logo {logo.name}: {reason}") from None
    return f"data:{media_type};base64,{base64.b64encode(data).decode('ascii')}"
