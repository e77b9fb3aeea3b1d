"""The narrative file (`kind: narrative`): a consultant's verdict, messages and findings.

Everything is optional. What it says replaces or adds to what the report derives from the
data: `mcpscale report ... --narrative narrative.yaml`.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from mcpscale.formats.evidence import Severity
from mcpscale.formats.strict import Strict

MAX_NARRATIVE_ITEMS = 20
MAX_NARRATIVE_TEXT = 2000


class NarrativeFinding(Strict):
    """A key finding the consultant adds; with `question` and no `title`, the respondents'
    note on that question becomes the finding (a note promoted to a finding)."""

    title: str | None = Field(
        None,
        min_length=1,
        max_length=MAX_NARRATIVE_TEXT,
        description="The finding in one sentence. Default: the note on `question`.",
    )
    severity: Severity = Field("high", description="high, medium or low.")
    question: str | None = Field(
        None,
        min_length=1,
        description="A question id: the finding is argued in that question's dimension, and "
        "without a title it quotes the note a respondent wrote there.",
    )
    respondent: str | None = Field(
        None,
        min_length=1,
        description="Whose note on `question` to quote. Default: the longest note there.",
    )

    @model_validator(mode="after")
    def _title_or_question(self) -> NarrativeFinding:
        if self.title is None and self.question is None:
            raise ValueError("give a title, or a question whose note becomes the finding")
        return self


class Narrative(Strict):
    """What the executive summary says in the consultant's words, beside what the data says."""

    kind: Literal["narrative"]
    verdict: str | None = Field(
        None,
        min_length=1,
        max_length=MAX_NARRATIVE_TEXT,
        description="One sentence; replaces the verdict derived from the scores and gates.",
    )
    key_messages: list[str] = Field(
        default_factory=list,
        max_length=MAX_NARRATIVE_ITEMS,
        description="Short messages shown under the verdict, in this order.",
    )
    findings: list[NarrativeFinding] = Field(
        default_factory=list,
        max_length=MAX_NARRATIVE_ITEMS,
        description="Key findings, ranked above the derived ones in this order.",
    )
    derived_findings: bool = Field(
        True, description="false: show only the findings listed here, none derived."
    )
    drop: list[str] = Field(
        default_factory=list,
        max_length=MAX_NARRATIVE_ITEMS,
        description="Ids of derived findings to leave out (each finding's id is in the "
        "Markdown report), e.g. 'gap:gov' or 'outlier'.",
    )
    recommendation: str | None = Field(
        None,
        min_length=1,
        max_length=MAX_NARRATIVE_TEXT,
        description="Replaces the derived recommendation.",
    )
    decision: str | None = Field(
        None,
        min_length=1,
        max_length=MAX_NARRATIVE_TEXT,
        description="The decision asked of the board; replaces the derived one.",
    )
