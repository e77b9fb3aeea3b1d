"""One style for numbers, percentages, money, months and dates, everywhere mcpscale shows them."""

from __future__ import annotations


def fmt_score(value: float | None, digits: int = 2) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def fmt_percent(value: float | None) -> str:
    return "-" if value is None else f"{value:.0%}"


def fmt_money(amount: float | None, currency: str) -> str:
    """The report's one style for amounts: "EUR 3,790,000", to the nearest thousand
    (the inputs are estimates; more digits would claim a precision they do not have)."""
    if amount is None:
        return "-"
    rounded = round(amount, -3) if abs(amount) >= 1000 else round(amount)
    sign = "-" if rounded < 0 else ""
    return f"{sign}{currency} {abs(rounded):,.0f}"


def fmt_months(months: int | None) -> str:
    if months is None:
        return "-"
    return "1 month" if months == 1 else f"{months} months"
