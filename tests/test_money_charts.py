"""The plan's money and risk charts (budget, cash flows, cumulative, tornado, heat map) read
whole for any plan: round ticks in thousands of the profile's currency, every label on the
canvas and clear of its neighbours, a sensible picture for one year, no simulation, a
negative NPV, no risks or every risk in one cell; the same plan gives the same bytes, and
drawing them never imports pyplot."""

from __future__ import annotations

import base64
import io
import re
import shutil
from dataclasses import dataclass, replace
from pathlib import Path
from xml.etree import ElementTree

import pytest

from mcpscale.pipeline import Options, run
from mcpscale.plan.compose import Plan
from mcpscale.render import charts
from mcpscale.render.drawing import as_png, text_width
from mcpscale.render.finance import sensitivity_label
from mcpscale.render.style import fmt_thousands

from .conftest import ACME, ROOT

SVG = "{http://www.w3.org/2000/svg}"
PACK = ROOT / "questionnaires" / "mcp-enterprise-readiness"
MONEY_CHARTS = (
    charts.budget_by_phase,
    charts.yearly_cash_flows,
    charts.cumulative_cash_flow,
    charts.npv_tornado,
)
ALL_CHARTS = (*MONEY_CHARTS, charts.risk_heat_map)


@dataclass(frozen=True)
class Label:
    text: str
    left: float
    right: float
    baseline: float
    size: float
    group: str


def labels(svg: str) -> list[Label]:
    """Each line of text drawn, with how far it reaches left and right (DejaVu's widths)."""
    found = []
    root = ElementTree.fromstring(svg)
    groups = {t: g.get("id", "") for g in root.iter(f"{SVG}g") for t in g.iter(f"{SVG}text")}
    for text in root.iter(f"{SVG}text"):
        if "rotate" in text.get("transform", ""):
            continue  # an axis title up the side: checked on its own
        content, size = text.text or "", float(text.get("font-size", "0"))
        width = text_width(content, size, text.get("font-weight") == "bold")
        x = float(text.get("x", "0"))
        left = {"start": x, "middle": x - width / 2, "end": x - width}[
            text.get("text-anchor", "start")
        ]
        found.append(
            Label(content, left, left + width, float(text.get("y", "0")), size, groups[text])
        )
    return found


def canvas(svg: str) -> tuple[float, float]:
    root = ElementTree.fromstring(svg)
    _, _, width, height = (float(v) for v in root.get("viewBox", "").split())
    return width, height


def ticks(svg: str, axis: str) -> list[str]:
    return [label.text for label in labels(svg) if re.fullmatch(rf"{axis}tick_\d+", label.group)]


def assert_readable(svg: str) -> None:
    """Every label inside the canvas; labels on one baseline never run into each other."""
    width, height = canvas(svg)
    drawn = labels(svg)
    for label in drawn:
        assert label.left >= 0 and label.right <= width, label
        assert label.size <= label.baseline <= height, label
    by_line: dict[float, list[Label]] = {}
    for label in drawn:
        by_line.setdefault(round(label.baseline, 1), []).append(label)
    for row in by_line.values():
        row.sort(key=lambda label: label.left)
        for before, after in zip(row, row[1:], strict=False):
            assert before.right <= after.left, (before, after)


def acme_plan(tmp_path: Path | None = None, profile_edit: str = "", **options: object) -> Plan:
    profile = ACME / "profile.yaml"
    if tmp_path is not None:
        profile = tmp_path / "profile.yaml"
        text = (ACME / "profile.yaml").read_text(encoding="utf-8")
        for line in profile_edit.splitlines():
            key = line.split(":")[0]
            text = re.sub(rf"(?m)^{key}:.*$", line, text)
        profile.write_text(text, encoding="utf-8")
    plan = run([ACME / "answers"], Options(profile=profile, **options)).plan  # type: ignore[arg-type]
    assert plan is not None
    return plan


@pytest.fixture(scope="module")
def plan() -> Plan:
    return acme_plan(simulations=200)


def test_the_same_plan_draws_the_same_bytes_with_every_label_readable(plan: Plan) -> None:
    for chart in ALL_CHARTS:
        svg = chart(plan)
        assert svg == chart(plan), chart.__name__
        assert_readable(svg)


def test_money_axes_count_round_thousands_of_the_profiles_currency(plan: Plan) -> None:
    svg = charts.yearly_cash_flows(plan)
    shown = ticks(svg, "y")
    amounts = [float(t.replace(",", "")) * 1000 for t in shown]
    step = amounts[1] - amounts[0]
    assert step in (500e3, 1e6, 2e6, 2.5e6, 5e6) and len(shown) >= 5  # in thousands: round
    assert all(b - a == step for a, b in zip(amounts, amounts[1:], strict=False))
    nets = [c.net for c in plan.roi.cash_flows] if plan.roi else []
    assert amounts[0] - step < min(nets) and max(nets) < amounts[-1] + step
    assert "0" in shown  # the zero line has its label
    assert ticks(svg, "x") == ["Year 0", "Year 1", "Year 2", "Year 3"]
    assert "Cash flow (EUR thousands)" in svg


def test_the_budget_shows_each_phases_total_above_its_bar_and_every_category(
    plan: Plan,
) -> None:
    assert plan.budget is not None
    svg = charts.budget_by_phase(plan)
    texts = [label.text for label in labels(svg)]
    for total in plan.budget.by_phase().values():
        assert fmt_thousands(total) in texts
    assert ticks(svg, "x") == ["Phase 1", "Phase 2", "Phase 3"]
    for category in ("infrastructure", "personnel", "operations"):  # the legend, to the right
        entry = next(label for label in labels(svg) if label.text == category)
        assert entry.left > max(label.right for label in labels(svg) if label.group)


def test_the_tornado_names_each_input_largest_swing_on_top(plan: Plan) -> None:
    assert plan.roi is not None
    svg = charts.npv_tornado(plan)
    assert ticks(svg, "y") == [sensitivity_label(row.input) for row in plan.roi.sensitivity]
    assert "NPV (EUR thousands); line: most likely" in svg


def test_one_year_without_simulation_draws_its_points_and_no_band(tmp_path: Path) -> None:
    plan = acme_plan(tmp_path, "horizon_years: 1", simulations=0)
    assert plan.roi is not None and plan.roi.simulation is None
    cumulative = charts.cumulative_cash_flow(plan)
    texts = [label.text for label in labels(cumulative)]
    assert "P10-P90" not in texts and "Cumulative net cash flow" in texts
    assert ticks(cumulative, "x") == ["0", "1"]
    assert cumulative.count("<circle") == 2  # a dot a year
    assert ticks(charts.yearly_cash_flows(plan), "x") == ["Year 0", "Year 1"]


def test_the_initial_investment_alone_draws_one_bar_one_dot_one_band(plan: Plan) -> None:
    assert plan.roi is not None and plan.roi.simulation is not None
    simulation = replace(plan.roi.simulation, cumulative=plan.roi.simulation.cumulative[:1])
    only = replace(plan.roi, cash_flows=plan.roi.cash_flows[:1], simulation=simulation)
    for chart in (charts.yearly_cash_flows, charts.cumulative_cash_flow):
        svg = chart(replace(plan, roi=only))
        assert_readable(svg)
        assert ticks(svg, "x") in (["Year 0"], ["0"])
    assert "P10-P90" in charts.cumulative_cash_flow(replace(plan, roi=only))


def test_ten_years_label_years_by_number_when_year_n_would_not_fit(tmp_path: Path) -> None:
    plan = acme_plan(tmp_path, "horizon_years: 10", simulations=0)
    svg = charts.yearly_cash_flows(plan)
    assert ticks(svg, "x") == [str(year) for year in range(11)]
    assert_readable(svg)


def test_a_loss_making_plan_reads_below_zero(tmp_path: Path) -> None:
    plan = acme_plan(
        tmp_path,
        "ai_developers: 2\nannual_value_per_application: 0\nnew_ai_applications_per_year: 0",
        simulations=50,
    )
    assert plan.roi is not None and plan.roi.npv < 0
    for chart in MONEY_CHARTS:
        svg = chart(plan)
        assert_readable(svg)
    assert all(t.startswith("-") for t in ticks(charts.npv_tornado(plan), "x"))
    assert ticks(charts.cumulative_cash_flow(plan), "y")[-1] == "0"  # nothing above zero


def test_every_risk_in_one_cell_is_listed_three_a_line_inside_it(tmp_path: Path) -> None:
    pack = tmp_path / "pack"
    shutil.copytree(PACK, pack)
    risks = (pack / "risks.yaml").read_text(encoding="utf-8")
    risks = re.sub(r"(?m)^(\s*)probability: \d", r"\1probability: 4", risks)
    risks = re.sub(r"(?m)^(\s*)impact: \d", r"\1impact: 4", risks)
    (pack / "risks.yaml").write_text(risks, encoding="utf-8")
    plan = run(
        [ACME / "answers"],
        Options(profile=ACME / "profile.yaml", questionnaire=str(pack), simulations=0),
    ).plan
    assert plan is not None and plan.risks
    svg = charts.risk_heat_map(plan)
    assert_readable(svg)
    ids = [label for label in labels(svg) if re.match(r"R\d", label.text)]
    assert [i for label in ids for i in label.text.split(", ")] == [
        f"R{n}" for n in range(1, len(plan.risks) + 1)
    ]
    assert all(len(label.text.split(", ")) <= 3 for label in ids)
    ticks_at = {label.text: label for label in labels(svg) if label.group.startswith("xtick")}
    cell = (ticks_at["5"].left - ticks_at["1"].left) / 4  # one cell's width
    centre = (ticks_at["4"].left + ticks_at["4"].right) / 2
    assert all(centre - cell / 2 < label.left and label.right < centre + cell / 2 for label in ids)
    # no risks: the grid and its axes, nothing in the cells
    empty = charts.risk_heat_map(replace(plan, risks=()))
    assert not [label for label in labels(empty) if re.match(r"R\d", label.text)]
    assert ticks(empty, "x") == ticks(empty, "y") == ["1", "2", "3", "4", "5"]


def test_the_currency_is_drawn_as_text_not_markup(tmp_path: Path) -> None:
    plan = acme_plan(tmp_path, "currency: '<b>A&B</b>'", simulations=0)
    for chart in MONEY_CHARTS:
        svg = chart(plan)
        ElementTree.fromstring(svg)  # well-formed
        assert "<b>" not in svg and "&lt;b&gt;A&amp;B&lt;/b&gt; thousands" in svg


def test_the_docx_picture_is_the_same_chart_at_its_own_size(plan: Plan) -> None:
    from matplotlib.image import imread

    for chart in ALL_CHARTS:
        width, height = canvas(chart(plan))
        with as_png(100):
            html = chart(plan)
        data = base64.b64decode(html.split(",", 1)[1].split('"')[0])
        pixels = imread(io.BytesIO(data), format="png")
        assert pixels.shape[:2] == (int(height / 72 * 100), int(width / 72 * 100))
        assert pixels[..., :3].min() < 0.2  # something dark is drawn: the axes, the text
