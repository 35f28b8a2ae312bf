"""A legend: colour swatches with names, flowing left to right and wrapping into rows."""

from __future__ import annotations

from typing import Sequence

from .kit import Chart, ChartKit, rect


def legend(kit: ChartKit, chart: Chart, names: Sequence[str], colors: Sequence[str], x: float,
           y: float, width: float, size: float, *, max_rows: int = 3) -> float:
    """Draw the legend at (x, y) within ``width``; returns its height (0 with no names)."""
    if not names:
        return 0.0
    style = kit.style("body", size, min_size=size * 0.8, fill=kit.theme.palette["text"])
    swatch = size * 0.8
    gap, pad = size * 1.1, size * 0.4
    row_h = kit.line_height(style)
    cursor_x, row = x, 0
    for name, color in zip(names, colors):
        natural = kit.measure(str(name), style)
        item_w = swatch + pad + natural
        if cursor_x > x and cursor_x + item_w > x + width:
            row += 1
            cursor_x = x
        if row >= max_rows:
            break
        top = y + row * row_h
        room = x + width - cursor_x - swatch - pad
        chart.add(rect(cursor_x, top + (row_h - swatch) / 2, swatch, swatch, color,
                       rx=swatch * 0.2, cls="legend-swatch"))
        chart.label(kit.label(name, cursor_x + swatch + pad, top, max(room, 1), row_h, style,
                              "legend"))
        cursor_x += min(item_w, width) + gap
    return (row + 1) * row_h
