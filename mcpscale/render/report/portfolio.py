"""The portfolio as an HTML or PDF section, drawn with the report's templates and print CSS."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mcpscale import __version__
from mcpscale.history.portfolio import Portfolio
from mcpscale.render.portfolio import heatmap
from mcpscale.render.report.html import render_pdf
from mcpscale.render.report.options import ReportOptions, portfolio_title
from mcpscale.render.report.templates import environment, print_css, render_template
from mcpscale.render.style import fmt_score


def portfolio_context(portfolio: Portfolio, options: ReportOptions) -> dict[str, Any]:
    first = portfolio.units[0] if portfolio.units else None
    return {
        "version": __version__,
        "title": options.title or portfolio_title(portfolio.subject),
        "classification": options.classification,
        "brand_colour": options.brand_colour,
        "questionnaire": f"{first.questionnaire[2]} {first.questionnaire[1]}" if first else "-",
        "dimensions": [{"name": d.name} for d in portfolio.dimensions],
        "units": [
            {
                "unit": u.unit,
                "respondents": u.respondents,
                "overall": fmt_score(u.overall),
                "cells": [
                    {
                        "text": fmt_score(d.score),
                        "below": d.score is not None and d.score < d.target,
                    }
                    for d in u.dimensions
                ],
            }
            for u in portfolio.units
        ],
        "failures": [{"unit": f.unit, "message": f.message} for f in portfolio.failures],
        # a chart of more than a page of units says less than the table beside it
        "heatmap": heatmap(portfolio, "svg").decode() if 0 < len(portfolio.units) <= 60 else "",
    }


def portfolio_html(portfolio: Portfolio, options: ReportOptions) -> str:
    env = environment(options)
    context = portfolio_context(portfolio, options)
    svg = context["heatmap"]
    context["heatmap"] = svg[svg.find("<svg") :] if svg else ""
    return render_template(env, "portfolio.html", {**context, "css": print_css(env)})


def write_portfolio_report(
    portfolio: Portfolio, output_dir: Path, formats: list[str], options: ReportOptions
) -> list[Path]:
    from mcpscale.inputs.write import write_atomic, write_atomic_bytes

    html = portfolio_html(portfolio, options)
    written = []
    for fmt in formats:
        path = output_dir / f"portfolio.{fmt}"
        if fmt == "html":
            write_atomic(path, html)
        else:
            write_atomic_bytes(path, render_pdf(html, options))
        written.append(path)
    return written
