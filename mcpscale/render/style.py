"""One style for numbers, percentages, money, months and dates, everywhere mcpscale shows them."""

from __future__ import annotations

from collections.abc import Iterable


def fmt_score(value: float | None, digits: int = 2) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def fmt_percent(value: float | None) -> str:
    return "-" if value is None else f"{value:.0%}"


def fmt_points(share: float) -> str:
    """A change to a percentage, in percentage points: 0.034 -> "+3.4 points"."""
    return f"{100 * share:+.1f} points"


def and_list(words: Iterable[str]) -> str:
    """ "a", "a and b", "a, b and c"."""
    listed = list(words)
    return listed[0] if len(listed) == 1 else f"{', '.join(listed[:-1])} and {listed[-1]}"


def fmt_probability(value: float | None) -> str:
    """A probability estimated from draws: "> 99%" and "< 1%" at the ends, never "100%" or
    "0%", which would claim a certainty no simulation gives."""
    if value is None:
        return "-"
    if value > 0.99:
        return "> 99%"
    if value < 0.01:
        return "< 1%"
    return f"{value:.0%}"


def fmt_money(amount: float | None, currency: str, compact: bool = False) -> str:
    """The one style for amounts: "EUR 3,790,000", to the nearest thousand (the inputs are
    estimates; more digits would claim a precision they do not have).

    `compact` is for narrow table columns whose title names the currency: "3.79M", "790k"."""
    if amount is None:
        return "-"
    if compact:
        value = abs(amount)
        sign = "-" if amount < 0 else ""
        if value < 0.5:
            return "0"
        if value >= 1e6:
            return f"{sign}{value / 1e6:,.2f}M"
        return f"{sign}{value / 1e3:,.0f}k"
    rounded = round(amount, -3) if abs(amount) >= 1000 else round(amount)
    sign = "-" if rounded < 0 else ""
    return f"{sign}{currency} {abs(rounded):,.0f}"


def fmt_thousands(amount: float) -> str:
    """A chart axis tick for amounts shown in thousands (the axis label names the currency)."""
    return f"{amount / 1e3:,.0f}"


def thousands_label(currency: str) -> str:
    return f"{currency} thousands"


def fmt_months(months: int | None) -> str:
    if months is None:
        return "-"
    return "1 month" if months == 1 else f"{months} months"
