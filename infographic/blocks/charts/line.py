"""Line and area charts of a time series, with a calendar axis.

Missing points (None) break the line instead of dropping to zero; a single point is drawn as a
dot; the last value is labelled so the reader gets today's figure without reading the axis.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Sequence

from ...formatting import number_formatter
from .axis import LinearScale, date_ticks, nice_ticks, thin_out, tick_formatter
from .kit import Chart, ChartKit, auto_font_size, check_box, line, num, resolve_kit
from .series import as_date, points


def _segments(xs: Sequence[float], ys: Sequence[float | None]) -> list[list[tuple[float, float]]]:
    """Runs of consecutive present points."""
    runs: list[list[tuple[float, float]]] = [[]]
    for px, py in zip(xs, ys):
        if py is None:
            if runs[-1]:
                runs.append([])
        else:
            runs[-1].append((px, py))
    return [run for run in runs if run]


def _path(run: Sequence[tuple[float, float]]) -> str:
    return "M" + " L".join(f"{num(px)} {num(py)}" for px, py in run)


def line_chart(items: Any, x: float = 0, y: float = 0, width: float = 600, height: float = 400,
               *, date: str = "date", value: str = "value", area: bool = False,
               color: str | None = None, format: Any = None, decimals: int | None = None,
               show_last: bool = True, start_at_zero: bool | None = None,
               font_size: float | None = None, theme: Any = None,
               kit: ChartKit | None = None) -> Chart:
    """A time series as a line (``area=True``: filled to zero). Rows carry ``date`` and
    ``value``; dates may be ``date`` objects, ISO text or 13/9/2021. Rows without a date are
    placed one per step as categories."""
    kit = resolve_kit(kit, theme)
    kind = "area-chart" if area else "line-chart"
    check_box(kit, kind, width, height)
    try:
        data = points(items, date, value)
    except TypeError as exc:
        raise kit.error(f"{kind}: {exc}") from None
    chart = Chart(kind, (x, y, width, height))
    if not data:
        return chart
    size = font_size or auto_font_size(width, height)
    dates = [day for day in (as_date(p.label) for p in data) if day is not None]
    by_date = len(dates) == len(data)  # every row has a date
    if by_date:
        order = sorted(range(len(data)), key=lambda i: dates[i])
        data = [data[i] for i in order]
        dates = [dates[i] for i in order]
    values = [p.value for p in data]
    present = [v for v in values if v is not None]
    zero_based = area or (start_at_zero if start_at_zero is not None else True)
    low, high = (min(present), max(present)) if present else (0.0, 1.0)
    ticks = nice_ticks(low, high, target=max(2, min(6, int(height // (size * 3.2)))),
                       include_zero=zero_based)
    fmt_tick = tick_formatter(ticks, format)
    if format is None and present and max(abs(v) for v in present) >= 1_000_000:
        format = "compact"  # 3 tỷ, not 3.000.000.000 beside the line
    fmt = number_formatter(format, decimals=decimals)
    muted = kit.theme.palette["muted"]
    tick_style = kit.style("body", size * 0.85, fill=muted, features=("tnum",), align="right")
    tick_texts = [fmt_tick(v) for v in ticks.values]
    axis_w = max(kit.measure(t, tick_style) for t in tick_texts) + size * 0.6
    date_style = kit.style("body", size * 0.85, fill=muted, features=("tnum",), align="center")
    date_h = kit.line_height(date_style)
    last_style = kit.style("figures", size, min_size=size * 0.7, fill=kit.color(color,
                                                                                  "primary"))
    last_text = fmt(present[-1]) if present else ""
    last_w = kit.measure(last_text, last_style) + size * 0.5 if show_last and present else 0.0
    left, right = x + axis_w, x + width - last_w
    tick_h = kit.line_height(tick_style)
    date_gap = tick_h / 2 + size * 0.1  # below the "0" tick label, which is centred on zero
    top, bottom = y + tick_h / 2, y + height - date_h - date_gap
    if right - left < size * 4 or bottom - top < size * 2:
        raise kit.error(f"{kind}: {width:.0f}×{height:.0f} is too small for a chart with labels "
                        f"at size {size:g}; give it more room or a smaller font_size")
    scale_y = LinearScale(ticks.low, ticks.high, bottom, top)
    count = len(data)
    if by_date:
        first, last = dates[0], dates[-1]
        span = max(1, (last - first).days)
        inset = (right - left) / 2 if first == last else 0.0
        def x_of(day: dt.date) -> float:
            return left + inset + (day - first).days / span * (right - left - 2 * inset)
        xs = [x_of(d) for d in dates]
        tick_days, fmt_date = date_ticks(first, last, target=max(3, int((right - left) //
                                                                         (size * 5))))
        axis_labels = [(x_of(d), fmt_date(d)) for d in tick_days]
    else:
        step = (right - left) / max(1, count - 1)
        xs = [left + i * step if count > 1 else (left + right) / 2 for i in range(count)]
        axis_labels = [(px, str(p.label)) for px, p in zip(xs, data)]
    grid = kit.grid_color()
    for tick, text in zip(ticks.values, tick_texts):
        ty = scale_y(tick)
        chart.add(line(left, ty, x + width, ty, grid if tick != 0 else muted,
                       1 if tick != 0 else 1.5, cls="grid" if tick != 0 else "baseline"))
        chart.label(kit.label(text, x, ty - tick_h / 2, axis_w - size * 0.5, tick_h, tick_style,
                              "tick"))
    if axis_labels:
        widths = [kit.measure(t, date_style) for _, t in axis_labels]
        keep = thin_out([p for p, _ in axis_labels], widths, size * 0.8)
        for index in keep:
            px, text = axis_labels[index]
            w = widths[index] + 4
            lx = min(max(px - w / 2, x + axis_w * 0.5), x + width - w)
            chart.add(line(px, bottom, px, bottom + size * 0.25, muted, 1, cls="date-tick"))
            chart.label(kit.label(text, lx, bottom + date_gap, w, date_h, date_style, "date"))
    stroke = kit.color(color, "primary")
    ys = [scale_y(v) if v is not None else None for v in values]
    runs = _segments(xs, ys)
    stroke_w = max(2.0, min(5.0, size * 0.18))
    base = scale_y(max(ticks.low, min(0.0, ticks.high)))
    for run in runs:
        if area and len(run) > 1:
            shape = _path(run) + f" L{num(run[-1][0])} {num(base)} L{num(run[0][0])} {num(base)} Z"
            chart.add(f'<path class="area" d="{shape}" fill="{kit.tint(stroke, 0.7)}"/>')
        if len(run) > 1:
            chart.add(f'<path class="line" d="{_path(run)}" fill="none" stroke="{stroke}" '
                      f'stroke-width="{num(stroke_w)}" stroke-linejoin="round" '
                      'stroke-linecap="round"/>')
        else:  # an isolated point: a dot, so it does not vanish
            px, py = run[0]
            chart.add(f'<circle class="point" cx="{num(px)}" cy="{num(py)}" '
                      f'r="{num(stroke_w * 1.6)}" fill="{stroke}"/>')
    if show_last and present:
        index, py = [(i, at) for i, at in enumerate(ys) if at is not None][-1]
        px = xs[index]
        chart.add(f'<circle class="last-point" cx="{num(px)}" cy="{num(py)}" '
                  f'r="{num(stroke_w * 1.8)}" fill="{stroke}" stroke="{kit.background}" '
                  f'stroke-width="{num(stroke_w * 0.8)}"/>')
        box_h = kit.line_height(last_style)
        label_y = min(max(py - box_h / 2, y), bottom - box_h)
        chart.label(kit.label(last_text, px + size * 0.45, label_y,
                              x + width - px - size * 0.45, box_h, last_style, "last-value"))
    return chart


def area_chart(items: Any, x: float = 0, y: float = 0, width: float = 600, height: float = 400,
               **options: Any) -> Chart:
    """:func:`line_chart` filled down to zero."""
    return line_chart(items, x, y, width, height, area=True, **options)
