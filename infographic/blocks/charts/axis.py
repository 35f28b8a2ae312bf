"""Scales and axis ticks: nice round numbers (0, 250, 500…) and calendar date ticks."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Callable, Sequence

from ...formatting import format_compact, format_date, format_number

NICE_STEPS = (1.0, 2.0, 5.0, 10.0)


@dataclass(frozen=True)
class Ticks:
    values: tuple[float, ...]
    step: float
    decimals: int  # decimals a tick label needs

    @property
    def low(self) -> float:
        return self.values[0]

    @property
    def high(self) -> float:
        return self.values[-1]


def nice_ticks(low: float, high: float, target: int = 5, include_zero: bool = True) -> Ticks:
    """Round tick values covering ``low``..``high`` with about ``target`` intervals.

    Steps are 1, 2 or 5 × 10ⁿ (not 2,5: its ticks would need a decimal); zero is included
    when ``include_zero`` (bars start at 0).
    A flat range (one value, all zeros) still gets a readable axis.
    """
    if include_zero:
        low, high = min(low, 0.0), max(high, 0.0)
    if high < low:
        low, high = high, low
    if high == low:
        pad = abs(low) * 0.1 or 1.0
        low, high = (low, high + pad) if include_zero else (low - pad, high + pad)
    span = high - low
    target = max(1, target)
    magnitude = 10 ** math.floor(math.log10(span / target))
    step = magnitude * 10
    for multiple in NICE_STEPS:
        if span / (multiple * magnitude) <= target + 1e-9:
            step = multiple * magnitude
            break
    start = math.floor(low / step + 1e-9) * step
    end = math.ceil(high / step - 1e-9) * step
    count = int(round((end - start) / step))
    values = tuple(_clean(start + i * step) for i in range(count + 1))
    return Ticks(values, step, decimals_of(step))


def decimals_of(step: float) -> int:
    """Decimals needed to write multiples of ``step`` exactly: 25 → 0, 2.5 → 1, 0.25 → 2."""
    for decimals in range(0, 12):
        scaled = step * 10 ** decimals
        if math.isclose(scaled, round(scaled), rel_tol=1e-9, abs_tol=1e-9):
            return decimals
    return 12


def _clean(value: float) -> float:
    """Strip float noise: 0.30000000000000004 → 0.3."""
    cleaned = float(f"{value:.12g}")
    return 0.0 if cleaned == 0 else cleaned


def tick_formatter(ticks: Ticks, style: str | Callable[[float], str] | None = None
                   ) -> Callable[[float], str]:
    """Labels for ``ticks`` in the current locale: ``2 triệu`` from a million up, else
    ``20.000`` with the decimals the step needs."""
    if callable(style):
        return style
    plain = _tick_formatter(ticks, style)
    return lambda v: "0" if v == 0 else plain(v)


def _tick_formatter(ticks: Ticks, style: str | None) -> Callable[[float], str]:
    if style == "percent":
        from ...formatting import format_percent
        return lambda v: format_percent(v, ticks.decimals)
    biggest = max(abs(ticks.low), abs(ticks.high))
    if style == "compact" or (style is None and biggest >= 1_000_000):
        unit = 10 ** (3 * math.floor(math.log10(biggest) / 3))
        decimals = min(2, decimals_of(ticks.step / unit))
        return lambda v: format_compact(v, decimals)
    return lambda v: format_number(v, ticks.decimals)


@dataclass(frozen=True)
class LinearScale:
    """Maps a value range onto a pixel range (``start`` may be greater than ``end``)."""

    low: float
    high: float
    start: float
    end: float

    def __call__(self, value: float) -> float:
        if self.high == self.low:
            return (self.start + self.end) / 2
        return self.start + (value - self.low) / (self.high - self.low) * (self.end - self.start)


# -- dates -----------------------------------------------------------------------------------

_DAY_STEPS = (1, 2, 7, 14)
_MONTH_STEPS = (1, 2, 3, 6, 12)


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def date_ticks(first: dt.date, last: dt.date, target: int = 5
               ) -> tuple[list[dt.date], Callable[[dt.date], str]]:
    """Calendar ticks between ``first`` and ``last`` (days, weeks, months or years) and the
    label format that suits them (``13/9``, ``9/2021``, ``2021``)."""
    span = (last - first).days
    if span <= 0:
        return [first], lambda d: format_date(d, "short")
    for days in _DAY_STEPS:
        if span / days <= target:
            ticks = [first + dt.timedelta(days=i) for i in range(0, span + 1, days)]
            if days >= 7:  # weeks start on Monday
                start = first + dt.timedelta(days=(7 - first.weekday()) % 7)
                ticks = [start + dt.timedelta(days=i) for i in range(0, (last - start).days + 1,
                                                                     days)]
            return ticks, lambda d: format_date(d, "day_month")
    months = (last.year - first.year) * 12 + last.month - first.month
    for step in _MONTH_STEPS:
        if months / step <= target:
            start = first if first.day == 1 else _add_months(first, 1)
            start = _add_months(start, (-(start.month - 1)) % step) if step > 1 else start
            if start < first:
                start = _add_months(start, step)
            ticks = []
            tick = start
            while tick <= last:
                ticks.append(tick)
                tick = _add_months(tick, step)
            if step == 12:
                return ticks, lambda d: str(d.year)
            return ticks, lambda d: format_date(d, "month_year")
    years = max(1, math.ceil((last.year - first.year) / target))
    ticks = [dt.date(y, 1, 1) for y in range(first.year + 1, last.year + 1, years)]
    return ticks, lambda d: str(d.year)


def thin_out(positions: Sequence[float], widths: Sequence[float], gap: float) -> list[int]:
    """Indices of labels to keep so that none overlaps: every k-th, smallest k that works."""
    count = len(positions)
    for every in range(1, count + 1):
        kept = list(range(0, count, every))
        if all(positions[b] - widths[b] / 2 - (positions[a] + widths[a] / 2) >= gap
               for a, b in zip(kept, kept[1:])):
            return kept
    return [0] if count else []
