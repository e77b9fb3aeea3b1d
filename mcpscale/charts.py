"""Charts as SVG text, one function per chart; matplotlib is imported only here.

Every chart uses the same colour-blind-safe palette (Okabe-Ito), has a title and
labelled axes, and renders byte-identically for the same data: the SVG hash salt is
fixed and no date is written.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from .scoring import Result

# Okabe & Ito (2008): distinguishable with the common colour-vision deficiencies.
PALETTE = {
    "current": "#0072B2",
    "target": "#E69F00",
    "good": "#009E73",
    "warn": "#D55E00",
    "neutral": "#999999",
    "accent": "#CC79A7",
    "sky": "#56B4E9",
    "yellow": "#F0E442",
}
SERIES = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#999999"]


def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    matplotlib.rcParams.update(
        {
            "svg.hashsalt": "mcpscale",  # stable ids inside the SVG
            "svg.fonttype": "none",  # text stays text: sharp, searchable, small
            "font.family": "DejaVu Sans",
            "font.size": 9,
            "axes.titlesize": 10,
            "axes.titleweight": "bold",
            "axes.spines.top": False,
            "axes.spines.right": False,
        }
    )
    return plt


def _svg(figure: Any) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    import matplotlib.pyplot as plt

    plt.close(figure)
    text = buffer.getvalue()
    return text[text.index("<svg") :]  # drop the XML prolog and doctype: inlined in HTML


def maturity_radar(result: Result) -> str:
    """Current score against target per dimension, on the questionnaire's scale."""
    import numpy as np

    plt = _pyplot()
    dimensions = list(result.dimensions)
    names = [d.name for d in dimensions]
    current = [d.score or 0.0 for d in dimensions]
    target = [d.target for d in dimensions]
    low, high = result.scale[0][0], result.scale[-1][0]
    if len(dimensions) < 3:  # a radar needs three spokes; bars say the same thing
        return maturity_bars(result)
    angles = np.linspace(0, 2 * np.pi, len(dimensions), endpoint=False).tolist()
    figure = plt.figure(figsize=(5.2, 4.4))
    axes = figure.add_subplot(polar=True)
    for values, label, colour, style in (
        (target, "Target", PALETTE["target"], "--"),
        (current, "Current", PALETTE["current"], "-"),
    ):
        closed = [*values, values[0]]
        axes.plot([*angles, angles[0]], closed, style, color=colour, linewidth=2, label=label)
        if label == "Current":
            axes.fill([*angles, angles[0]], closed, color=colour, alpha=0.15)
    axes.set_xticks(angles)
    axes.set_xticklabels(_wrap(names, 16))
    axes.set_ylim(low, high)
    axes.set_yticks(range(low, high + 1))
    axes.set_rlabel_position(90)
    axes.set_title("Maturity by dimension (level)", pad=18)
    axes.legend(loc="upper right", bbox_to_anchor=(1.25, 1.12), frameon=False)
    return _svg(figure)


def maturity_bars(result: Result) -> str:
    """Horizontal bars of current score with target markers and the gap."""
    plt = _pyplot()
    dimensions = list(result.dimensions)
    figure, axes = plt.subplots(figsize=(6.2, 0.55 * len(dimensions) + 1.2))
    positions = list(range(len(dimensions)))[::-1]
    scores = [d.score or 0.0 for d in dimensions]
    axes.barh(positions, scores, color=PALETTE["current"], height=0.55, label="Current score")
    axes.scatter(
        [d.target for d in dimensions],
        positions,
        marker="|",
        s=400,
        linewidths=3,
        color=PALETTE["target"],
        label="Target",
        zorder=3,
    )
    for position, score in zip(positions, scores, strict=True):
        axes.text(score + 0.05, position, f"{score:.2f}", va="center", fontsize=8)
    axes.set_yticks(positions)
    axes.set_yticklabels([d.name for d in dimensions])
    low, high = result.scale[0][0], result.scale[-1][0]
    axes.set_xlim(low, high + 0.3)
    axes.set_xlabel("Maturity level")
    axes.set_title("Current score and target by dimension")
    axes.legend(loc="lower right", frameon=False, fontsize=8)
    return _svg(figure)


def question_spread(result: Result, dimension_id: str) -> str:
    """Per question: the range of respondents' levels and the aggregated score."""
    plt = _pyplot()
    questions = [q for q in result.questions if q.dimension == dimension_id and q.answers]
    scored = [q for q in questions if q.score is not None]
    figure, axes = plt.subplots(figsize=(6.4, 0.24 * max(len(scored), 1) + 1.1))
    positions = list(range(len(scored)))[::-1]
    for position, question in zip(positions, scored, strict=True):
        levels = [a.level for a in question.answers if a.level is not None]
        colour = PALETTE["warn"] if question.disagreement else PALETTE["neutral"]
        axes.plot([min(levels), max(levels)], [position, position], color=colour, linewidth=3)
        axes.plot(question.score, position, "o", color=PALETTE["current"], markersize=5)
    axes.set_yticks(positions)
    axes.set_yticklabels([q.id for q in scored], fontsize=7)
    low, high = result.scale[0][0], result.scale[-1][0]
    axes.set_xlim(low - 0.2, high + 0.2)
    axes.set_xticks(range(low, high + 1))
    axes.set_xlabel("Maturity level (dot: aggregated score; bar: respondents' range)")
    name = next(d.name for d in result.dimensions if d.id == dimension_id)
    axes.set_title(f"{name}: scores and spread per question")
    axes.grid(axis="x", color="#dddddd", linewidth=0.6)
    return _svg(figure)


def _wrap(labels: Sequence[str], width: int) -> list[str]:
    import textwrap

    return ["\n".join(textwrap.wrap(label, width)) or label for label in labels]
