"""Pictogram (icon array): "3 trên 10 người" as ten people, three of them coloured.

A fractional value colours part of one icon (2,5 → two and a half people). The built-in shapes
are drawn here, so a pictogram needs no icon set.
"""

from __future__ import annotations

import math
from typing import Any

from ...formatting import current_locale, format_number
from .kit import Chart, ChartKit, check_box, finite, num, resolve_kit

#: Built-in shapes as SVG path data in a box SHAPE_W × 100, drawn with fill.
SHAPE_W = 60.0
SHAPES = {
    "person": ("M30 0 A14 14 0 1 1 29.99 0 Z "  # head
               "M12 32 H48 A10 10 0 0 1 58 42 V66 A5 5 0 0 1 48 66 V100 H34 V70 H26 V100 H12 "
               "V66 A5 5 0 0 1 2 66 V42 A10 10 0 0 1 12 32 Z"),
    "circle": "M30 20 A30 30 0 1 1 29.99 20 Z",
    "square": "M0 20 H60 V80 H0 Z",
}
_CAPTION = {"vi": "{n} trên {total} người", "en": "{n} in {total} people"}


def pictogram_caption(value: float, total: int, locale: str | None = None) -> str:
    """``3 trên 10 người`` (en: ``3 in 10 people``)."""
    language = (locale or current_locale()).split("_")[0]
    return _CAPTION.get(language, _CAPTION["en"]).format(
        n=format_number(value, locale=locale), total=format_number(total, locale=locale))


def pictogram(value: Any, x: float = 0, y: float = 0, width: float = 600, height: float = 200,
              *, total: int = 10, columns: int | None = None, icon: str = "person",
              color: str | None = None, empty_color: str | None = None,
              caption: Any = None, theme: Any = None, kit: ChartKit | None = None) -> Chart:
    """``total`` icons in a grid, the first ``value`` of them coloured (a fraction colours part
    of an icon). ``caption=True`` writes "3 trên 10 người" under the grid; a text is written
    as given."""
    kit = resolve_kit(kit, theme)
    check_box(kit, "pictogram", width, height)
    if icon not in SHAPES:
        raise kit.error(f"pictogram: unknown icon '{icon}' (built in: {', '.join(SHAPES)})")
    try:
        total = int(total)
    except (TypeError, ValueError):
        total = 0
    if not 1 <= total <= 1000:
        raise kit.error(f"pictogram: total must be a whole number from 1 to 1000, not {total}")
    chart = Chart("pictogram", (x, y, width, height))
    number = finite(value)
    filled = 0.0 if number is None else max(0.0, min(float(total), number))
    if caption is True:
        caption = pictogram_caption(number if number is not None else 0, total)
    size = max(16.0, min(34.0, height * 0.14))
    style = kit.style("figures", size, min_size=size * 0.7, align="center", valign="top")
    caption_h = kit.line_height(style) + size * 0.4 if caption else 0.0
    grid_h = height - caption_h
    cols = columns or _best_columns(total, width, grid_h)
    rows = math.ceil(total / cols)
    gap = 0.25
    scale = min(width / (cols * SHAPE_W * (1 + gap) - SHAPE_W * gap),
                grid_h / (rows * 100 * (1 + gap * 0.6) - 100 * gap * 0.6))
    cell_w, cell_h = SHAPE_W * scale * (1 + gap), 100 * scale * (1 + gap * 0.6)
    grid_w = cols * cell_w - SHAPE_W * scale * gap
    used_h = rows * cell_h - 100 * scale * gap * 0.6
    left = x + (width - grid_w) / 2
    top = y + (grid_h - used_h) / 2
    full = kit.color(color, "primary")
    empty = kit.color(empty_color, None) if empty_color else kit.tint(full, 0.8)
    shape = SHAPES[icon]
    for index in range(total):
        ix = left + (index % cols) * cell_w
        iy = top + (index // cols) * cell_h
        place = f'transform="matrix({_n(scale)} 0 0 {_n(scale)} {num(ix)} {num(iy)})"'
        part = min(1.0, max(0.0, filled - index))
        state = "full" if part >= 1 else "empty" if part <= 0 else "partial"
        markup = (f'<g {place}><path class="icon {state}" d="{shape}" '
                  f'fill="{empty if part < 1 else full}"/>')
        if 0 < part < 1:  # the clip rectangle is in the icon's own units (0…SHAPE_W)
            clip = kit.new_id("pictogram-clip")
            markup += (f'<clipPath id="{clip}"><rect width="{num(SHAPE_W * part)}" '
                       f'height="100"/></clipPath><path class="icon fill-part" '
                       f'data-part="{part:.4f}" clip-path="url(#{clip})" d="{shape}" '
                       f'fill="{full}"/>')
        chart.add(markup + "</g>")
    if caption:
        chart.label(kit.label(caption, x, y + height - caption_h + size * 0.4, width,
                              caption_h - size * 0.4, style, "caption"))
    return chart


def _n(value: float) -> str:
    return f"{value:.5g}"


def _best_columns(total: int, width: float, height: float) -> int:
    """The column count that lets the icons be largest in the box."""
    best, best_scale = 1, 0.0
    for cols in range(1, min(total, 50) + 1):
        rows = math.ceil(total / cols)
        scale = min(width / (cols * SHAPE_W * 1.25), height / (rows * 115))
        if scale > best_scale + 1e-9:
            best, best_scale = cols, scale
    return best
