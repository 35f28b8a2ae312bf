"""Vietnamese number and date formats for templates (``{{ cases | number }}``)."""

from __future__ import annotations

import datetime as dt


def format_number(value: float | int, decimals: int | None = None) -> str:
    """``7605092`` → ``7.605.092``; ``98.5`` → ``98,5`` (vi-VN grouping and decimal comma)."""
    if decimals is None:
        decimals = 0 if float(value).is_integer() else 1
    text = f"{abs(value):,.{decimals}f}".replace(",", "\u2009").replace(".", ",")
    text = text.replace("\u2009", ".")
    return ("-" if value < 0 else "") + text


def format_date(value: dt.date, style: str = "short") -> str:
    """``short``: 13/9/2021; ``long``: ngày 13 tháng 9 năm 2021."""
    if style == "long":
        return f"ngày {value.day} tháng {value.month} năm {value.year}"
    return f"{value.day}/{value.month}/{value.year}"


FILTERS = {
    "number": format_number,
    "date": format_date,
}
