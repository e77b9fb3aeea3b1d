"""The assessment and its plan as an xlsx workbook for the client's analysts.

One sheet each for scores, answers (with notes), disagreements, evidence conflicts,
initiatives, budget and cash flows, holding the very figures of `results.json`
(formats.results.result_to_dict) and the plan JSON (plan.document.plan_to_dict): numbers stay
numbers at full precision (formats only change how they show), and text from outside is
escaped so a spreadsheet never runs it as a formula (formats.serialize.spreadsheet_cell).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from mcpscale.formats.results import Result, result_to_dict
from mcpscale.formats.serialize import spreadsheet_cell
from mcpscale.render.report.options import ReportOptions
from mcpscale.render.report.plan_context import missing_note, shown_sections
from mcpscale.render.text import visible

if TYPE_CHECKING:
    from mcpscale.plan.compose import Plan

SCORE = "0.00"
RATE = "0.0%"
MONEY = "#,##0"
FACTOR = "0.0000"
SHEETS = (
    "Scores",
    "Answers",
    "Disagreements",
    "Evidence conflicts",
    "Initiatives",
    "Budget",
    "Cash flows",
)
MAX_WIDTH = 60

# (header, how to get the value from a row, number format or None)
Column = tuple[str, Callable[[dict[str, Any]], Any], str | None]


def _cell(value: Any) -> Any:
    """Numbers and booleans as they are; text shown as written, never as a formula."""
    if isinstance(value, str):
        return spreadsheet_cell(visible(value))
    if isinstance(value, list | tuple):
        return spreadsheet_cell(visible(", ".join(str(v) for v in value)))
    return value


def _sheet(
    workbook: Any,
    title: str,
    columns: Sequence[Column],
    rows: Sequence[dict[str, Any]],
    empty: str,
    options: ReportOptions,
) -> Any:
    """A table from A1: a bold header row frozen above, filters, the classification printed
    on every page; `empty` as its one line when there are no rows."""
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    sheet = workbook.create_sheet(title)
    sheet.oddHeader.right.text = visible(options.classification).replace("&", "&&")
    sheet.oddFooter.left.text = f"{visible(options.title).replace('&', '&&')}: {title}"
    sheet.append([header for header, _, _ in columns])
    fill = PatternFill("solid", fgColor=_brand(options))
    for cell in sheet[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = fill
    widths = [len(header) for header, _, _ in columns]
    for row in rows:
        values = [_cell(get(row)) for _, get, _ in columns]
        sheet.append(values)
        for index, value in enumerate(values):
            widths[index] = max(widths[index], min(len(str(value)), MAX_WIDTH))
    for index, (_, _, number_format) in enumerate(columns, start=1):
        if number_format:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = number_format
        sheet.column_dimensions[get_column_letter(index)].width = widths[index - 1] + 2
    sheet.freeze_panes = "A2"
    if rows:
        sheet.auto_filter.ref = sheet.dimensions
    else:
        sheet.append([empty])
    return sheet


def _totals(sheet: Any, rows: Sequence[tuple[str, Any, str | None]]) -> None:
    """Labelled single figures below a table, after one empty row."""
    from openpyxl.styles import Font

    sheet.append([])
    for label, value, number_format in rows:
        sheet.append([label, _cell(value)])
        sheet.cell(sheet.max_row, 1).font = Font(bold=True)
        if number_format:
            sheet.cell(sheet.max_row, 2).number_format = number_format


def _brand(options: ReportOptions) -> str:
    from mcpscale.render.report.docx import _brand_hex

    return _brand_hex(options.brand_colour)


def render_xlsx(
    result: Result,
    plan: Plan | None,
    options: ReportOptions,
    plan_files: tuple[str, ...] | None = None,
) -> bytes:
    """The workbook's bytes, the same for the same input and SOURCE_DATE_EPOCH.

    `plan_files`: the kinds of planning files the pack has, when known."""
    from openpyxl import Workbook
    from openpyxl.writer.excel import ExcelWriter

    from mcpscale.render.report.office import document_time, fixed_zip

    data = result_to_dict(result)
    plan_data = None
    if plan is not None:
        from mcpscale.plan.document import plan_to_dict

        plan_data = plan_to_dict(plan)
    workbook = Workbook()
    workbook.remove(workbook.active)
    _scores(workbook, data, options)
    _answers(workbook, data, options)
    _disagreements(workbook, data, options)
    _conflicts(workbook, data, options)
    # A pack with no planning files has no plan sheets; a profile would not add them.
    if shown_sections(plan) if plan is not None else plan_files != ():
        empty = missing_note(plan, plan_files)
        _initiatives(workbook, data, plan_data, empty, options)
        _budget(workbook, plan_data, empty, options)
        _cash_flows(workbook, plan_data, empty, options)
    properties = workbook.properties
    properties.title = visible(options.title)
    properties.subject = visible(data.get("profile") or "")
    properties.keywords = visible(options.subject)
    properties.creator = visible(options.assessor or options.brand_name)
    properties.lastModifiedBy = "mcpscale"
    properties.category = visible(options.classification)
    properties.created = properties.modified = document_time()
    buffer = io.BytesIO()
    import zipfile

    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(workbook, archive).save()  # save_workbook would stamp `modified` with now
    return fixed_zip(buffer.getvalue())


def _scores(workbook: Any, data: dict[str, Any], options: ReportOptions) -> None:
    overall = data["overall"]
    rows = [
        {"id": "overall", "name": "Overall", **overall},
        *data["dimensions"],
    ]
    columns: list[Column] = [
        ("Dimension id", lambda r: r["id"], None),
        ("Dimension", lambda r: r["name"], None),
        ("Score", lambda r: r["score"], SCORE),
        ("Level", lambda r: r["level"], None),
        ("Level name", lambda r: r["level_name"], None),
        ("Target", lambda r: r.get("target"), SCORE),
        ("Gap", lambda r: r.get("gap"), SCORE),
        ("Coverage", lambda r: r.get("coverage"), RATE),
        ("Weight", lambda r: r.get("weight"), None),
        ("Applicable", lambda r: r.get("applicable"), None),
        ("Answered", lambda r: r.get("answered"), None),
        ("Unknown", lambda r: r.get("unknown"), None),
        ("Not applicable", lambda r: r.get("not_applicable"), None),
        ("Unanswered", lambda r: r.get("unanswered"), None),
    ]
    _sheet(workbook, "Scores", columns, rows, "No scores.", options)


def _answers(workbook: Any, data: dict[str, Any], options: ReportOptions) -> None:
    names = {d["id"]: d["name"] for d in data["dimensions"]}
    rows = [
        {**answer, "question": q, "dimension_name": names.get(q["dimension"], q["dimension"])}
        for q in data["questions"]
        for answer in q["answers"]
    ]
    columns: list[Column] = [
        ("Dimension", lambda r: r["dimension_name"], None),
        ("Question id", lambda r: r["question"]["id"], None),
        ("Question", lambda r: r["question"]["text"], None),
        ("Question score", lambda r: r["question"]["score"], SCORE),
        ("Respondent", lambda r: r["respondent"], None),
        ("Choice", lambda r: r["choice"], None),
        ("Level", lambda r: r["level"], None),
        ("Confidence", lambda r: r.get("confidence"), None),
        ("Note", lambda r: r.get("note"), None),
        ("Reason", lambda r: r.get("reason"), None),
        ("Evidence", lambda r: r.get("evidence") or None, None),
    ]
    _sheet(workbook, "Answers", columns, rows, "No answers.", options)


def _disagreements(workbook: Any, data: dict[str, Any], options: ReportOptions) -> None:
    people = [r["name"] for r in data["respondents"]]
    columns: list[Column] = [
        ("Question id", lambda r: r["question"], None),
        ("Question", lambda r: r["text"], None),
        ("Dimension", lambda r: r["dimension"], None),
        ("Lowest level", lambda r: r["min_level"], None),
        ("Highest level", lambda r: r["max_level"], None),
        ("Spread", lambda r: r["spread"], None),
        *(
            (person, (lambda r, person=person: r["levels"].get(person)), None)  # type: ignore[misc]
            for person in people
        ),
        ("Agreed choice", lambda r: r.get("consensus"), None),
        ("Agreed level", lambda r: r.get("consensus_level"), None),
    ]
    _sheet(
        workbook,
        "Disagreements",
        columns,
        data["disagreements"],
        "The respondents agree within one level on every question.",
        options,
    )


def _conflicts(workbook: Any, data: dict[str, Any], options: ReportOptions) -> None:
    rows = data["evidence_conflicts"]
    found = {key for row in rows for key in row}
    order = ("question", "respondent", "answered_level", "supported_level", "finding", "says")
    keys = [key for key in order if key in found] + sorted(found - set(order))
    columns: list[Column] = [
        (key.replace("_", " ").capitalize(), (lambda r, key=key: r.get(key)), None)  # type: ignore[misc]
        for key in keys
    ]
    if not columns:
        columns = [("Evidence conflicts", lambda r: None, None)]
    _sheet(
        workbook,
        "Evidence conflicts",
        columns,
        rows,
        "No answer claims more than the evidence supports (or no evidence was given).",
        options,
    )


def _initiatives(
    workbook: Any,
    data: dict[str, Any],
    plan: dict[str, Any] | None,
    empty: str,
    options: ReportOptions,
) -> None:
    names = {d["id"]: d["name"] for d in data["dimensions"]}
    roadmap = plan["roadmap"] if plan else None
    columns: list[Column] = [
        ("Initiative id", lambda r: r["id"], None),
        ("Initiative", lambda r: r["title"], None),
        ("Dimension", lambda r: names.get(r["dimension"], r["dimension"]), None),
        ("Phase", lambda r: r["phase"], None),
        ("Start month", lambda r: r["start_month"], None),
        ("End month", lambda r: r["end_month"], None),
        ("Duration (months)", lambda r: r["duration_months"], None),
        ("FTE", lambda r: r["fte"], "0.0"),
        ("Effort (FTE-months)", lambda r: r["effort_fte_months"], None),
        ("Triggered by the answers", lambda r: r["fired"], None),
        ("Required by", lambda r: r["required_by"] or None, None),
        ("Depends on", lambda r: r["depends_on"] or None, None),
        ("Critical path", lambda r: r["critical"], None),
        ("Success criteria", lambda r: "; ".join(r["success_criteria"]) or None, None),
    ]
    _sheet(
        workbook, "Initiatives", columns, roadmap["initiatives"] if roadmap else [], empty, options
    )


def _budget(workbook: Any, plan: dict[str, Any] | None, empty: str, options: ReportOptions) -> None:
    budget = plan["budget"] if plan else None
    currency = plan["currency"] if plan else ""
    columns: list[Column] = [
        ("Category", lambda r: r["category"], None),
        ("Phase", lambda r: r["phase"], None),
        ("Year", lambda r: r["year"], None),
        (f"Amount ({currency})".replace(" ()", ""), lambda r: r["amount"], MONEY),
    ]
    rows = budget["by_category_phase_year"] if budget else []
    sheet = _sheet(workbook, "Budget", columns, rows, empty, options)
    if budget:
        _totals(
            sheet,
            [
                *((f"Year {year}", amount, MONEY) for year, amount in enumerate(budget["by_year"])),
                *(
                    (f"Phase {phase}", amount, MONEY)
                    for phase, amount in budget["by_phase"].items()
                ),
                *((category, amount, MONEY) for category, amount in budget["by_category"].items()),
                ("Total", budget["total"], MONEY),
                ("Contingency rate", budget["contingency_rate"], RATE),
                ("Contingency", budget["contingency"], MONEY),
                ("Total cost of ownership", budget["total_cost_of_ownership"], MONEY),
            ],
        )


def _cash_flows(
    workbook: Any, plan: dict[str, Any] | None, empty: str, options: ReportOptions
) -> None:
    roi = plan["roi"] if plan else None
    columns: list[Column] = [
        ("Year", lambda r: r["year"], None),
        ("Costs", lambda r: r["costs"], MONEY),
        ("Benefits", lambda r: r["benefits"], MONEY),
        ("Net", lambda r: r["net"], MONEY),
        ("Discount factor", lambda r: r["discount_factor"], FACTOR),
        ("Present costs", lambda r: r["present_costs"], MONEY),
        ("Present benefits", lambda r: r["present_benefits"], MONEY),
        ("Cumulative net (undiscounted)", lambda r: r["cumulative_net"], MONEY),
    ]
    sheet = _sheet(
        workbook, "Cash flows", columns, roi["cash_flows"] if roi else [], empty, options
    )
    if not roi:
        return
    simulation = roi.get("simulation") or {}
    figures: list[tuple[str, Any, str | None]] = [
        ("NPV", roi["npv"], MONEY),
        ("ROI", roi["roi"], RATE),
        ("Benefit-cost ratio", roi["benefit_cost_ratio"], "0.00"),
        ("IRR", roi["irr"], RATE),
        ("Payback (months)", roi["payback_months"], None),
        ("Present costs", roi["present_costs"], MONEY),
        ("Present benefits", roi["present_benefits"], MONEY),
        ("Discount rate", roi["discount_rate"], RATE),
        ("Risk adjustment, benefits", roi["risk_adjustment"]["benefits"], RATE),
        ("Risk adjustment, costs", roi["risk_adjustment"]["costs"], RATE),
        *(
            (f"Benefits: {stream}", amount, MONEY)
            for stream, amount in roi["benefits_by_stream"].items()
        ),
    ]
    for quantile in ("p10", "p50", "p90"):
        if quantile in simulation:
            figures.append((f"NPV {quantile.upper()}", simulation[quantile]["npv"], MONEY))
            figures.append((f"ROI {quantile.upper()}", simulation[quantile]["roi"], RATE))
    if "mean" in simulation:
        figures.append(("NPV mean", simulation["mean"]["npv"], MONEY))
        figures.append(("ROI mean", simulation["mean"]["roi"], RATE))
    if simulation:
        figures.append(("P(ROI > 0)", simulation["prob_positive"], RATE))
        figures.append(("Simulated draws", simulation["draws"], None))
        payback = simulation.get("payback_months") or {}
        for quantile in ("p10", "p50", "p90"):
            if quantile in payback:  # an empty cell: not paid back within the horizon
                figures.append((f"Payback {quantile.upper()} (months)", payback[quantile], None))
        if payback:
            figures.append(("P(payback within horizon)", payback["prob_within_horizon"], RATE))
    flexibility = roi.get("flexibility")
    if flexibility:
        figures += [
            ("Committed NPV (mean)", flexibility["committed_npv"], MONEY),
            ("Staged NPV (mean)", flexibility["staged_npv"], MONEY),
            ("Flexibility value", flexibility["value"], MONEY),
            *(
                (f"Gate {gate['after_phase']} pass probability", gate["pass_probability"], RATE)
                for gate in flexibility["gates"]
            ),
        ]
    _totals(sheet, figures)
