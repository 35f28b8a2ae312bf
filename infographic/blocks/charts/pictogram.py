"""Pictogram (icon array): "3 trên 10 người" as ten people, three of them coloured.

A fractional value colours part of one icon (2,5 → two and a half people). ``icon`` is a
built-in shape (``figure``, ``person``, ``circle``, ``square``) or any icon of the bundled set by
name. ``figure`` is the standing person drawn for pictograms; its part fills from the feet up by
area, so 0,2 of a person is a fifth of its ink.
"""

from __future__ import annotations

import math
from typing import Any, Callable

from ...errors import InfographicError
from ...formatting import current_locale, format_number
from .kit import Chart, ChartKit, check_box, finite, num, resolve_kit

#: The ``figure`` pictogram: a standing person drawn from simple parts in a box 60 × 100 — a round
#: head, a torso with rounded shoulders, arms and legs set apart from it — as (x, y, width, height,
#: corner radius); the head is the circle (cx, cy, r). One description gives both the drawing and
#: the area profile that fills part of a figure honestly (see :func:`rise_level`).
FIGURE_HEAD = (30.0, 12.0, 11.5)
FIGURE_PARTS = (
    (15.0, 26.5, 30.0, 41.0, 8.0),   # torso
    (3.5, 27.5, 9.0, 32.0, 4.5),     # left arm
    (47.5, 27.5, 9.0, 32.0, 4.5),    # right arm
    (16.0, 58.0, 13.0, 42.0, 5.5),   # left leg, overlapping the torso so the body is one piece
    (31.0, 58.0, 13.0, 42.0, 5.5),   # right leg
)


def _rounded_rect_path(x: float, y: float, w: float, h: float, r: float) -> str:
    return (f"M{_n(x + r)} {_n(y)} H{_n(x + w - r)} A{_n(r)} {_n(r)} 0 0 1 {_n(x + w)} {_n(y + r)} "
            f"V{_n(y + h - r)} A{_n(r)} {_n(r)} 0 0 1 {_n(x + w - r)} {_n(y + h)} "
            f"H{_n(x + r)} A{_n(r)} {_n(r)} 0 0 1 {_n(x)} {_n(y + h - r)} "
            f"V{_n(y + r)} A{_n(r)} {_n(r)} 0 0 1 {_n(x + r)} {_n(y)} Z")


def _figure_path() -> str:
    cx, cy, r = FIGURE_HEAD
    head = f"M{_n(cx)} {_n(cy - r)} A{_n(r)} {_n(r)} 0 1 1 {_n(cx - 0.01)} {_n(cy - r)} Z"
    return " ".join([head, *(_rounded_rect_path(*part) for part in FIGURE_PARTS)])


def _figure_width_at(y: float) -> float:
    """Width of the figure's ink on the horizontal line at height ``y`` (0 … 100): the union
    of its parts' spans, so overlapping parts are counted once."""
    cx, cy, r = FIGURE_HEAD
    spans = []
    if abs(y - cy) < r:
        half = math.sqrt(r * r - (y - cy) ** 2)
        spans.append((cx - half, cx + half))
    for x, top, w, h, radius in FIGURE_PARTS:
        if top <= y <= top + h:
            edge = min(y - top, top + h - y)
            inset = radius - math.sqrt(max(0.0, radius * radius - (radius - edge) ** 2)) \
                if edge < radius else 0.0
            spans.append((x + inset, x + w - inset))
    total, reach = 0.0, -math.inf
    for start, end in sorted(spans):
        start = max(start, reach)
        if end > start:
            total += end - start
            reach = end
    return total


def _figure_area_from_feet(steps: int = 400) -> list[float]:
    """Cumulative share of the figure's area below each of ``steps`` levels, from the feet up."""
    dy = 100.0 / steps
    widths = [_figure_width_at(100.0 - (i + 0.5) * dy) for i in range(steps)]
    total, running, table = sum(widths), 0.0, [0.0]
    for w in widths:
        running += w
        table.append(running / total)
    return table


_FIGURE_AREA = _figure_area_from_feet()


def rise_level(part: float) -> float:
    """The height (share of the figure's, from the feet) to fill so that the filled ink is
    ``part`` of the figure's area: 0.2 of a person is the lower fifth of its ink, not one arm."""
    part = min(1.0, max(0.0, part))
    steps = len(_FIGURE_AREA) - 1
    for i in range(1, steps + 1):
        if _FIGURE_AREA[i] >= part:
            low, high = _FIGURE_AREA[i - 1], _FIGURE_AREA[i]
            frac = 0.0 if high == low else (part - low) / (high - low)
            return (i - 1 + frac) / steps
    return 1.0


#: Built-in shapes as SVG path data in a box SHAPE_W × 100, drawn with fill. ``figure`` fills a
#: part by area from the feet up; the others fill a part from the left.
SHAPE_W = 60.0
SHAPES = {
    "figure": "",  # filled in below, from FIGURE_HEAD and FIGURE_PARTS
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
              caption: Any = None, legible: bool = False, theme: Any = None,
              kit: ChartKit | None = None) -> Chart:
    """``total`` icons in a grid, the first ``value`` of them coloured (a fraction colours part
    of an icon). ``caption=True`` writes "3 trên 10 người" under the grid; a text is written
    as given. ``legible=True`` keeps the caption at or above the kit's caption floor."""
    kit = resolve_kit(kit, theme)
    check_box(kit, "pictogram", width, height)
    draw, aspect = _drawer(kit, icon)
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
    least = size * 0.7
    if legible:
        least = kit.legible_size
        size = max(size, least)
    style = kit.style("figures", size, min_size=least, align="center", valign="top")
    caption_h = kit.line_height(style) + size * 0.4 if caption else 0.0
    grid_h = height - caption_h
    cols = columns or _best_columns(total, width, grid_h, aspect)
    rows = math.ceil(total / cols)
    gap_x, gap_y = 0.25, 0.15  # of the icon's width and height
    icon_h = min(width / (cols * aspect * (1 + gap_x) - aspect * gap_x),
                 grid_h / (rows * (1 + gap_y) - gap_y))
    icon_w = icon_h * aspect
    cell_w, cell_h = icon_w * (1 + gap_x), icon_h * (1 + gap_y)
    grid_w = cols * cell_w - icon_w * gap_x
    used_h = rows * cell_h - icon_h * gap_y
    left = x + (width - grid_w) / 2
    top = y + (grid_h - used_h) / 2
    full = kit.color(color, "primary")
    empty = kit.theme.color(empty_color) if empty_color else kit.tint(full, 0.8)
    for index in range(total):
        ix = left + (index % cols) * cell_w
        iy = top + (index // cols) * cell_h
        part = min(1.0, max(0.0, filled - index))
        state = "full" if part >= 1 else "empty" if part <= 0 else "partial"
        markup = f'<g class="icon {state}">{draw(ix, iy, icon_h, empty if part < 1 else full)}'
        if 0 < part < 1:  # the coloured part, clipped in canvas units
            clip = kit.new_id("pictogram-clip")
            if icon == "figure":  # rises from the feet, the filled ink is `part` of the figure
                level = icon_h * rise_level(part)
                box = (ix, iy + icon_h - level, icon_w, level)
            else:
                box = (ix, iy, icon_w * part, icon_h)
            markup += (f'<clipPath id="{clip}"><rect x="{num(box[0])}" y="{num(box[1])}" '
                       f'width="{num(box[2])}" height="{num(box[3])}"/></clipPath>'
                       f'<g class="icon fill-part" data-part="{part:.4f}" '
                       f'clip-path="url(#{clip})">{draw(ix, iy, icon_h, full)}</g>')
        chart.add(markup + "</g>")
    if caption:
        chart.label(kit.label(caption, x, y + height - caption_h + size * 0.4, width,
                              caption_h - size * 0.4, style, "caption"))
    return chart


def _n(value: float) -> str:
    return f"{value:.5g}"


SHAPES["figure"] = _figure_path()


def _best_columns(total: int, width: float, height: float, aspect: float) -> int:
    """The column count that lets the icons be largest in the box."""
    best, best_size = 1, 0.0
    for cols in range(1, min(total, 50) + 1):
        rows = math.ceil(total / cols)
        size = min(width / (cols * aspect * 1.25), height / (rows * 1.15))
        if size > best_size + 1e-9:
            best, best_size = cols, size
    return best


def _drawer(kit: ChartKit, icon: str) -> tuple[Callable[[float, float, float, str], str], float]:
    """How to draw one ``icon`` at (x, y) with height h, and its width / height ratio: a
    built-in shape, else an icon of the bundled set by name (``mask``, ``khau-trang``…)."""
    if icon in SHAPES:
        shape = SHAPES[icon]

        def builtin(ix: float, iy: float, h: float, fill: str) -> str:
            scale = _n(h / 100)
            return (f'<path transform="matrix({scale} 0 0 {scale} {num(ix)} {num(iy)})" '
                    f'd="{shape}" fill="{fill}"/>')
        return builtin, SHAPE_W / 100
    try:
        from ...media.icons import get_icon
        found = get_icon(icon)
    except ImportError:
        raise kit.error(f"pictogram: unknown icon '{icon}' (built in: "
                        f"{', '.join(SHAPES)})") from None
    except InfographicError as exc:
        raise kit.error(f"pictogram: {exc.message}") from None

    def bundled(ix: float, iy: float, h: float, fill: str) -> str:
        return str(found.markup(ix, iy, h, fill))
    return bundled, 1.0
