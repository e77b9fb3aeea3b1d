"""The plan as people and programs read it: rich tables, JSON and CSV text."""

from __future__ import annotations

from typing import Any

from rich import box
from rich.table import Table
from rich.text import Text

from mcpscale.formats.kinds import PLAN_FILES
from mcpscale.formats.serialize import csv_text, to_json
from mcpscale.plan.budget import COST_KINDS
from mcpscale.plan.compose import Plan, add_months
from mcpscale.plan.document import plan_to_dict
from mcpscale.plan.roi import cost_bases
from mcpscale.render.finance import (
    KIND_TITLES,
    convention,
    option_rows,
    payback_range,
    probability_text,
    reconciliation,
    risk_basis_rows,
    sensitivity_label,
)
from mcpscale.render.results import result_table
from mcpscale.render.style import fmt_money, fmt_percent
from mcpscale.render.text import rich_text

PHASE_NAMES = {1: "Phase 1", 2: "Phase 2", 3: "Phase 3"}
_SECTIONS_BY_FILE = {
    "initiatives": "roadmap, budget and ROI",
    "gates": "roadmap, gate readiness, budget and ROI",
    "risks": "risk register",
    "economics": "ROI",
}


def plan_json(plan: Plan) -> str:
    return to_json(plan_to_dict(plan))


ROADMAP_COLUMNS = [
    "id",
    "title",
    "dimension",
    "phase",
    "start_month",
    "end_month",
    "fte",
    "fired",
    "critical",
    "depends_on",
]


def plan_csv(plan: Plan) -> str:
    """One row per initiative on the roadmap, in start order; full precision."""
    roadmap = plan_to_dict(plan)["roadmap"]
    rows = roadmap["initiatives"] if roadmap else []
    return csv_text(
        ROADMAP_COLUMNS, ({**row, "depends_on": " ".join(row["depends_on"])} for row in rows)
    )


def money(amount: float | None, currency: str) -> str:
    """Terminal tables name the currency in their title, to keep columns narrow."""
    return fmt_money(amount, currency, compact=True)


def plan_renderables(plan: Plan) -> list[Any]:
    out: list[Any] = [
        rich_text(
            f"{plan.profile.name}: plan from {plan.plan_start.isoformat()}, "
            f"{plan.horizon_years}-year horizon"
            + (  # only a pack with a roadmap has a core team and amounts
                f", core team of {plan.team_size}"
                f"{' (derived from size)' if plan.team_size_derived else ''}, "
                f"amounts in {plan.profile.currency}"
                if plan.roadmap is not None
                else ""
            ),
            style="bold",
        )
    ]
    out.append(result_table(plan.result))
    if len(plan.missing) == len(_SECTIONS_BY_FILE):
        out.append(
            Text(
                f"This questionnaire's pack has no planning files ({', '.join(PLAN_FILES.values())}"
                "): scores only, no roadmap, budget, ROI or risks."
            )
        )
    else:
        for kind in plan.missing:
            out.append(
                Text(f"No {PLAN_FILES[kind]} in this pack: no {_SECTIONS_BY_FILE[kind]} from it.")
            )
    if plan.roadmap is not None:
        out += _roadmap_tables(plan)
    if plan.gates is not None:
        out.append(_gates_table(plan))
    if plan.budget is not None:
        out.append(_budget_table(plan))
    if plan.risk_basis is not None:
        out.append(_risk_basis_table(plan))
    if plan.roi is not None:
        out += _roi_tables(plan)
    if plan.risks is not None:
        out.append(_risks_table(plan))
    return out


def _roadmap_tables(plan: Plan) -> list[Any]:
    roadmap = plan.roadmap
    assert roadmap is not None
    phases = Table(title="Phases and gates", box=box.SIMPLE_HEAD, title_justify="left")
    for column in ("Phase", "Months", "Duration", "Range", "Gate date", "Note"):
        phases.add_column(column)
    for p in roadmap.phases:
        phases.add_row(
            rich_text(f"{p.phase} {p.name}"),
            f"{p.start_month}-{p.end_month}",
            str(p.duration_months),
            f"{p.low}-{p.high}",
            add_months(plan.plan_start, p.end_month).isoformat(),
            rich_text(p.note or ""),
        )
    if not roadmap.initiatives:
        return [phases, Text("Roadmap: no initiative is triggered by these scores.")]
    table = Table(
        title="Roadmap",
        box=box.SIMPLE_HEAD,
        title_justify="left",
        caption=rich_text(
            "* on the critical path: "
            + " -> ".join(roadmap.critical_path)
            + "; (dep) = brought in as a dependency"
        ),
    )
    for column in ("Initiative", "Dimension", "Phase", "Months", "FTE"):
        table.add_column(column, justify="right" if column == "FTE" else "left")
    for item in roadmap.initiatives:
        marks = ("*" if item.critical else "") + ("" if item.fired else " (dep)")
        table.add_row(
            rich_text(f"{item.id}{marks}"),
            rich_text(item.initiative.dimension),
            str(item.phase),
            f"{item.start_month}-{item.end_month}",
            f"{item.fte:.1f}",
        )
    if not roadmap.left_out:
        return [phases, table]
    from mcpscale.render.check_words import describe

    left_out = Table(
        title="Left out: already in place (not scheduled, not charged)",
        box=box.SIMPLE_HEAD,
        title_justify="left",
    )
    for column in ("Initiative", "Why", "Needed by"):
        left_out.add_column(column, overflow="fold")
    for out in roadmap.left_out:
        shown = "; ".join(describe(check, plan) for check in out.checks)
        why = f"gate criterion met: {out.criterion}" if out.criterion else "in place"
        left_out.add_row(
            rich_text(out.initiative.id),
            rich_text(f"{why} ({shown})" if shown else why),
            rich_text(", ".join(out.needed_by) or "-"),
        )
    return [phases, table, left_out]


def _gates_table(plan: Plan) -> Table:
    table = Table(title="Gate readiness today", box=box.SIMPLE_HEAD, title_justify="left")
    for column in ("Phase", "Ready to enter", "Blocking entry criteria"):
        table.add_column(column)
    for gate in plan.gates or ():
        table.add_row(
            rich_text(f"{gate.phase} {gate.name}"),
            "yes" if gate.ready else "no",
            rich_text("; ".join(gate.blocking)),
        )
    return table


def _budget_table(plan: Plan) -> Table:
    """By phase, one-off against running costs, by calendar year, summing to the TCO."""
    budget = plan.budget
    assert budget is not None
    currency = plan.profile.currency
    start = plan.plan_start
    rate = budget.contingency_rate
    table = Table(
        title=rich_text(f"Budget by phase and calendar year ({currency})"),
        box=box.SIMPLE_HEAD,
        title_justify="left",
        caption_justify="left",
        caption=rich_text(
            reconciliation(cost_bases(budget, plan.roi), currency)
            if plan.roi
            else "one-off = build (incl. the core team); running = operate, to the horizon"
        ),
    )
    table.add_column("Phase")
    table.add_column("Costs")
    for year in budget.calendar_years(start):
        table.add_column(str(year), justify="right")
    table.add_column("Total", justify="right")

    def row(label: str, kind: str, values: list[float]) -> None:
        amounts = (money(v, currency) for v in values)
        table.add_row(rich_text(label), kind, *amounts, money(sum(values), currency))

    names = {p.phase: f"{p.phase} {p.name}" for p in plan.roadmap.phases} if plan.roadmap else {}
    for phase in (1, 2, 3):
        for kind in COST_KINDS:
            label = names.get(phase, str(phase)) if kind == "one_off" else ""
            row(label, KIND_TITLES[kind], budget.by_calendar_year(start, phase, kind))
    table.add_section()
    by_year = budget.by_calendar_year(start)
    row("Budget", "", by_year)
    row(f"Contingency {fmt_percent(rate)}", "", [rate * v for v in by_year])
    row("Total cost of ownership", "", [(1 + rate) * v for v in by_year])
    return table


def _roi_tables(plan: Plan) -> list[Any]:
    roi = plan.roi
    assert roi is not None
    currency = plan.profile.currency
    flows = Table(
        title=rich_text(f"Risk-adjusted cash flows, TEI style ({currency})"),
        box=box.SIMPLE_HEAD,
        title_justify="left",
        caption_justify="left",
        caption=f"benefits -{fmt_percent(roi.benefit_risk)}, costs +{fmt_percent(roi.cost_risk)}; "
        f"discount rate {fmt_percent(roi.discount_rate)}\nCum. net = cumulative net, "
        "undiscounted; PV = present value of the year's net; Cum. PV = cumulative present "
        "value (the last is the NPV)",
    )
    for column in ("Year", "Costs", "Benefits", "Net", "Cum. net", "PV", "Cum. PV"):
        flows.add_column(column, justify="right")
    for c in roi.cash_flows:
        flows.add_row(
            str(c.year),
            money(c.costs, currency),
            money(c.benefits, currency),
            money(c.net, currency),
            money(c.cumulative_net, currency),
            money(c.present_benefits - c.present_costs, currency),
            money(c.cumulative_present_net, currency),
        )
    headline = Table(
        title=rich_text(f"Return on investment ({currency})"),
        box=box.SIMPLE_HEAD,
        title_justify="left",
        caption_justify="left",
    )
    headline.add_column("Measure")
    headline.add_column("Most likely", justify="right")
    headline.add_column("P10 (low)", justify="right")
    headline.add_column("Median (P50)", justify="right")
    headline.add_column("Mean", justify="right")
    headline.add_column("P90 (high)", justify="right")
    sim = roi.simulation
    headline.add_row(
        "NPV",
        money(roi.npv, currency),
        *(
            (money(v, currency) for v in (sim.npv[0], sim.npv[1], sim.npv_mean, sim.npv[2]))
            if sim
            else ("-",) * 4
        ),
    )
    headline.add_row(
        "ROI",
        fmt_percent(roi.roi),
        *(
            (fmt_percent(v) for v in (sim.roi[0], sim.roi[1], sim.roi_mean, sim.roi[2]))
            if sim
            else ("-",) * 4
        ),
    )
    headline.add_row(
        "Benefit-cost ratio",
        "-" if roi.benefit_cost_ratio is None else f"{roi.benefit_cost_ratio:.2f}",
    )
    headline.add_row("IRR", fmt_percent(roi.irr))
    headline.add_row(
        "Payback",
        "not within the horizon" if roi.payback_months is None else f"{roi.payback_months} months",
    )
    notes = []
    if sim:
        notes.append(probability_text(sim))
    notes.append(convention(sim))
    benchmark = roi.assumptions.get("roi_benchmark")
    if benchmark is not None:
        notes.append(
            f"reported for mature deployments: {benchmark.likely:g}:1 on average, "
            f"up to {benchmark.high:g}:1"
        )
    headline.caption = "\n".join(notes) or None
    sensitivity = Table(
        title=rich_text(
            f"Sensitivity of NPV ({currency}): each input at its low and high, "
            "the others at most likely"
        ),
        box=box.SIMPLE_HEAD,
        title_justify="left",
    )
    for column in ("Input", "Low", "High", "NPV at low", "NPV at high", "Swing"):
        sensitivity.add_column(
            column, justify="left" if column == "Input" else "right", no_wrap=column == "Input"
        )
    for s in roi.sensitivity:
        sensitivity.add_row(
            rich_text(sensitivity_label(s.input)),
            f"{s.low:g}",
            f"{s.high:g}",
            money(s.npv_at_low, currency),
            money(s.npv_at_high, currency),
            money(s.swing, currency),
        )
    tables = [flows, headline]
    if sim:
        options = Table(
            title=rich_text("Schedule, payback and gates as options"),
            box=box.SIMPLE_HEAD,
            title_justify="left",
        )
        options.add_column("Measure")
        options.add_column("Simulated")
        options.add_row("Payback", payback_range(sim, 12 * plan.horizon_years))
        for measure, value in option_rows(sim, currency):
            options.add_row(rich_text(measure), rich_text(value))
        tables.append(options)
    return [*tables, sensitivity]


def _risk_basis_table(plan: Plan) -> Any:
    """The risk adjustment: the pack's figure and what each finding of the assessment adds."""
    assert plan.risk_basis is not None
    table = Table(
        title="Risk adjustment, from the assessment",
        box=box.SIMPLE_HEAD,
        title_justify="left",
        caption_justify="left",
        caption="Each factor adds its weight (economics.yaml) times its share, up to the pack's "
        "maximum; benefits are cut and costs raised by the result.",
    )
    table.add_column("Factor")
    table.add_column("What the assessment found")
    table.add_column("Benefits", justify="right", no_wrap=True)
    table.add_column("Costs", justify="right", no_wrap=True)
    for row in risk_basis_rows(plan.risk_basis):
        table.add_row(
            rich_text(row["factor"]), rich_text(row["found"]), row["benefits"], row["costs"]
        )
    return table


def _risks_table(plan: Plan) -> Any:
    if not plan.risks:
        return Text("Risk register: no risk is triggered by these scores.")
    table = Table(
        title="Risk register (score = probability x impact)",
        box=box.SIMPLE_HEAD,
        title_justify="left",
    )
    for column in ("Score", "Risk", "Category", "Mitigations"):
        table.add_column(column, justify="right" if column == "Score" else "left")
    for fired in plan.risks:
        mitigations = ", ".join(
            m.initiative
            + ("" if m.start_month is None else f" (months {m.start_month}-{m.end_month})")
            for m in fired.mitigations
        )
        table.add_row(
            str(fired.score),
            rich_text(f"{fired.risk.id}: {fired.risk.title}"),
            rich_text(fired.risk.category),
            rich_text(mitigations),
        )
    return table
