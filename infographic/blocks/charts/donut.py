"""Part-of-a-whole: donut and pie charts with a legend, and the progress ring.

Slices are drawn clockwise from twelve o'clock. Zero slices are left out; negative values have
no place in a whole, so they are left out too and reported.
"""

from __future__ import annotations

import math
from typing import Any, NamedTuple, Sequence

from markupsafe import escape

from ...formatting import current_locale, format_percent, number_formatter
from .kit import (Chart, ChartKit, auto_font_size, check_box, finite, num, resolve_kit,
                  share_text)
from .series import points


class Slice(NamedTuple):
    """A drawn slice: a point whose value is present and not negative."""
    label: Any
    value: float


#: Legend and centre texts never go below this size (canvas units), a notch above the charts'
#: READABLE floor: they are read apart from the picture.
LEGEND_READABLE = 13.0
#: The legend entry that sums the slices a legible legend has no room for.
_OTHER = {"vi": "Khác", "en": "Other"}


def _polar(cx: float, cy: float, r: float, fraction: float) -> tuple[float, float]:
    angle = 2 * math.pi * fraction - math.pi / 2
    return cx + r * math.cos(angle), cy + r * math.sin(angle)


def arc_path(cx: float, cy: float, outer: float, inner: float, start: float, end: float) -> str:
    """A ring sector from fraction ``start`` to ``end`` of a turn (a pie slice when inner=0)."""
    if end - start >= 1 - 1e-9:  # a full ring: two halves (an arc cannot end where it starts)
        return arc_path(cx, cy, outer, inner, 0, 0.5) + " " + arc_path(cx, cy, outer, inner,
                                                                       0.5, 1)
    large = 1 if end - start > 0.5 else 0
    x0, y0 = _polar(cx, cy, outer, start)
    x1, y1 = _polar(cx, cy, outer, end)
    d = f"M{num(x0)} {num(y0)} A{num(outer)} {num(outer)} 0 {large} 1 {num(x1)} {num(y1)}"
    if inner > 0:
        x2, y2 = _polar(cx, cy, inner, end)
        x3, y3 = _polar(cx, cy, inner, start)
        d += f" L{num(x2)} {num(y2)} A{num(inner)} {num(inner)} 0 {large} 0 {num(x3)} {num(y3)} Z"
    else:
        d += f" L{num(cx)} {num(cy)} Z"
    return d


def donut_chart(items: Any, x: float = 0, y: float = 0, width: float = 600, height: float = 400,
                *, label: str = "label", value: str = "value", hole: float = 0.6,
                colors: Sequence[str] | None = None, center: Any = None,
                center_label: Any = None, format: Any = None, decimals: int | None = None,
                legend: bool = True, font_size: float | None = None, legible: bool = False,
                other_label: str | None = None, theme: Any = None,
                kit: ChartKit | None = None) -> Chart:
    """A donut (``hole`` 0…0.9 of the radius; 0 makes a pie) with a legend beside it (or below
    it in a tall box): colour, name, value and share. ``center`` is the big text in the hole
    (default: the total), ``center_label`` the small line under it.

    ``legible=True`` keeps every text at or above the kit's caption floor and adapts instead:
    the legend goes below when it cannot stand beside, the smallest slices are summed into one
    ``other_label`` entry ("Khác"; en: "Other") when not all fit, and the hole holds the largest text that reads (the
    total alone, or nothing)."""
    kit = resolve_kit(kit, theme)
    kind = "pie-chart" if hole <= 0 else "donut-chart"
    check_box(kit, kind, width, height)
    try:
        data = points(items, label, value)
    except TypeError as exc:
        raise kit.error(f"{kind}: {exc}") from None
    chart = Chart(kind, (x, y, width, height))
    size = font_size or auto_font_size(width, height)
    if legible:
        size = max(size, kit.legible_size)
    negative = [str(p.label) for p in data if p.value is not None and p.value < 0]
    if negative and kit.report is not None:
        kit.report.add("chart-data", f"{kind}: negative value(s) for {', '.join(negative)} left "
                       "out: a part of a whole cannot be negative")
    shown = [Slice(p.label, p.value) for p in data if p.value is not None and p.value >= 0]
    total = sum(p.value for p in shown)
    fmt = number_formatter(format, decimals=decimals)
    side_by_side = width >= height * 0.8 or not legend
    row_h = kit.line_height(kit.style("body", size)) * 1.3
    if legible and legend and shown:
        side_by_side, two_lines, keep = _legible_legend(kit, shown, width, height, size)
        shown = _with_other(shown, keep, other_label or _OTHER.get(
            current_locale().split("_")[0], _OTHER["en"]))
    fills = [kit.theme.color(c) for c in colors] if colors else kit.series_colors(len(shown))
    if side_by_side:
        diameter = min(height, width * (0.45 if legend else 1.0))
        cx, cy = x + diameter / 2, y + height / 2
        legend_box = (x + diameter + size * 1.2, y, width - diameter - size * 1.2, height)
    else:  # a tall box: the legend under the chart, one line per slice
        diameter = min(width, height - len(shown) * row_h - size * 0.8)
        cx, cy = x + width / 2, y + diameter / 2
        legend_box = (x, y + diameter + size * 0.8, width, height - diameter - size * 0.8)
    if diameter < size * (3.5 if legible else 4):
        raise kit.error(f"{kind}: {width:.0f}×{height:.0f} leaves no room for the chart beside "
                        f"its legend; give it more room or fewer items")
    outer = diameter / 2
    inner = outer * max(0.0, min(0.9, hole))
    if total <= 0:  # nothing to divide: an empty ring, so the reader sees "0", not a hole
        chart.add(f'<path class="slice empty" d="{arc_path(cx, cy, outer, inner, 0, 1)}" '
                  f'fill="{kit.grid_color()}" fill-rule="evenodd"/>')
    start = 0.0
    for point, fill in zip(shown, fills):
        if total <= 0 or point.value == 0:
            continue
        share = point.value / total
        chart.add(f'<path class="slice" data-label="{escape(str(point.label))}" data-value="{point.value:g}" '
                  f'data-share="{share:.6f}" d="{arc_path(cx, cy, outer, inner, start, start + share)}" '
                  f'fill="{fill}" stroke="{kit.background}" stroke-width="{num(max(1.0, outer / 90))}"/>')
        start += share
    if legible:
        if inner > 0:
            full = fmt(total) if center is None else str(center)
            shorter = number_formatter("compact")(total) if center is None else None
            _hole_texts(kit, chart, cx, cy, inner, [full, shorter], center_label, size,
                        kit.theme.palette["text"])
        if legend and shown:
            _legend_rows(kit, chart, shown, fills, total, fmt, legend_box, size,
                         two_lines=two_lines, smallest=size)
        return chart
    if center_label and inner * 0.6 < kit.line_height(kit.style("body", LEGEND_READABLE)) * 1.2:
        center_label = None  # the hole is too small for a second line: the total alone
    big = _center_text(kit, fmt(total) if center is None else str(center),
                       number_formatter("compact")(total) if center is None else None,
                       inner * 1.5) if inner > 0 else None
    if big is None:
        center_label = None
    if big is not None:
        big_style = kit.style("figures", inner * 0.55, min_size=min(inner * 0.2,
                                                                     LEGEND_READABLE),
                              align="center",
                              valign="bottom" if center_label else "middle")
        box_w = inner * 1.5
        if center_label:
            chart.label(kit.label(big, cx - box_w / 2, cy - inner * 0.6, box_w, inner * 0.65,
                                  big_style, "center"))
            label_size = max(LEGEND_READABLE, min(size, inner * 0.2))
            small = kit.style("body", label_size, min_size=LEGEND_READABLE, align="center",
                              valign="top", max_lines=2,
                              line_height=1.1, balance=True, fill=kit.theme.palette["muted"])
            chart.label(kit.label(center_label, cx - inner * 0.8, cy + inner * 0.05,
                                  inner * 1.6, inner * 0.6, small, "center-label"))
        else:
            chart.label(kit.label(big, cx - box_w / 2, cy - inner * 0.45, box_w, inner * 0.9,
                                  big_style, "center"))
    if legend and shown:
        _legend_rows(kit, chart, shown, fills, total, fmt, legend_box, size,
                     two_lines=side_by_side)
    return chart


def _legible_legend(kit: ChartKit, shown: list, width: float, height: float, size: float
                    ) -> tuple[bool, bool, int]:
    """Where a legend at ``size`` reads: beside the chart when that leaves room for a name
    (two lines an entry — name, then value · share — when all fit so; else one line, name and
    share, when the names fit beside the shares; else two lines for fewer entries), else below
    it (one line an entry) under a chart at least 0.4 of the box high. Returns (beside, two
    lines, how many entries it holds: two at least, the largest slice and the rest)."""
    line = kit.line_height(kit.style("body", size, line_height=1.1)) * 1.35
    diameter = min(height, width * 0.45)
    room = width - diameter - size * 1.2
    if width >= height * 0.8 and room >= size * 7:
        two_line_rows = max(2, int(height // (line * 2)))
        if len(shown) <= two_line_rows:
            return True, True, len(shown)
        keep = max(2, int(height // line))
        largest = sorted(shown, key=lambda p: p.value, reverse=True)[:keep]
        share_w = kit.measure("100%", kit.style("figures", size * 0.9)) + 4
        name_room = room - size * 1.3 - share_w - size * 0.4
        body = kit.style("body", size)
        if all(kit.measure(str(p.label), body) <= name_room for p in largest):
            return True, False, keep
        return True, True, two_line_rows
    body_h = kit.line_height(kit.style("body", size))
    chart_h = max(size * 3.5, min(width, height * 0.4))
    return False, False, max(2, int((height - chart_h - size * 0.8) // (body_h * 1.3)))


def _with_other(shown: list[Slice], keep: int, other_label: str) -> list[Slice]:
    """``shown`` as at most ``keep`` slices: the largest ones, and the rest summed into one
    ``other_label`` slice at the end."""
    if len(shown) <= keep:
        return shown
    order = sorted(range(len(shown)), key=lambda i: shown[i].value, reverse=True)
    largest = set(order[:max(1, keep - 1)])
    rest = sum(p.value for i, p in enumerate(shown) if i not in largest)
    return [p for i, p in enumerate(shown) if i in largest] + [Slice(other_label, rest)]


def _hole_texts(kit: ChartKit, chart: Chart, cx: float, cy: float, inner: float,
                candidates: list[str | None], label: Any, floor: float, ink: str) -> None:
    """The largest centre text that fits the hole with every line inside the circle and at or
    above ``floor``: the first candidate that fits (with ``label`` under it at the floor, else
    alone), or nothing — the legend or the figure beside says it too."""
    small = kit.style("body", floor, align="center", valign="top", line_height=1.1,
                      fill=kit.theme.palette["muted"])
    label_h = kit.line_height(small)
    label_w = kit.measure(str(label), small) if label else 0.0
    for with_label in ((True, False) if label else (False,)):
        for text in filter(None, candidates):
            unit = kit.measure(text, kit.style("figures", 100)) / 100
            size = inner * 0.6
            while size >= floor:
                big_h = kit.line_height(kit.style("figures", size))
                block = big_h + (label_h if with_label else 0.0)
                widest = max(unit * size, label_w if with_label else 0.0)
                if (widest / 2 + 2) ** 2 + (block / 2) ** 2 <= inner ** 2:
                    top = cy - block / 2
                    big = kit.style("figures", size, align="center", valign="top", fill=ink)
                    chart.label(kit.label(text, cx - inner, top, inner * 2, big_h, big,
                                          "center"))
                    if with_label:
                        chart.label(kit.label(label, cx - inner, top + big_h, inner * 2,
                                              label_h, small, "center-label"))
                    return
                size -= 0.5


def _center_text(kit: ChartKit, text: str, shorter: str | None, room: float) -> str | None:
    """What fits the hole at a readable size: the text, else its compact form (390 nghìn),
    else nothing — never a number cut short."""
    smallest = kit.style("figures", LEGEND_READABLE)
    for candidate in (text, shorter):
        if candidate and kit.measure(candidate, smallest) <= room:
            return candidate
    return None


def _legend_rows(kit: ChartKit, chart: Chart, shown: list[Slice], fills: list[str], total: float,
                 fmt: Any, box: tuple[float, float, float, float], size: float, *,
                 two_lines: bool, smallest: float | None = None) -> None:
    """One entry per slice: swatch, name, and value · share under it (``two_lines``), or the
    share alone at the right of the name. ``smallest``: no text below it (the legible floor)."""
    lx, ly, lw, lh = box
    figure_size = size * 0.9 if smallest is None else max(size * 0.9, smallest)
    smallest = min(size, LEGEND_READABLE) if smallest is None else smallest
    name_style = kit.style("body", size, min_size=smallest, valign="bottom" if two_lines
                           else "middle", line_height=1.1)
    figure_style = kit.style("figures", figure_size,
                             min_size=min(figure_size, max(smallest, LEGEND_READABLE)),
                             valign="top" if two_lines else "middle",
                             align="left" if two_lines else "right",
                             fill=kit.theme.palette["text"])
    lines = 2 if two_lines else 1
    entry_h = min(lh / len(shown), kit.line_height(name_style) * 1.35 * lines)
    name_h = entry_h / lines
    top = ly + (lh - entry_h * len(shown)) / 2
    swatch = size * 0.8
    text_x = lx + swatch + size * 0.5
    shares = [format_percent(p.value / total * 100) if total > 0 else "–" for p in shown]
    figures = [f"{fmt(p.value)} · {share}" if two_lines else share
               for p, share in zip(shown, shares)]
    room = lx + lw - text_x
    small = kit.style("figures", figure_style.smallest)
    if two_lines and any(kit.measure(t, small) > room for t in figures):
        figures = shares  # no room for the values: the shares alone, still readable
    figure_w = 0.0 if two_lines else max(kit.measure(t, figure_style) for t in figures) + 4
    names, values = [], []
    for index, (point, fill) in enumerate(zip(shown, fills)):
        ry = top + index * entry_h
        swatch_y = ry + name_h - swatch - (name_h - swatch) * (0.15 if two_lines else 0.5)
        chart.add(f'<rect class="legend-swatch" x="{num(lx)}" y="{num(swatch_y)}" '
                  f'width="{num(swatch)}" height="{num(swatch)}" rx="{num(swatch * 0.2)}" '
                  f'fill="{fill}"/>')
        if two_lines:
            names.append((point.label, text_x, ry, lx + lw - text_x, name_h))
            values.append((figures[index], text_x, ry + name_h + size * 0.1, lx + lw - text_x,
                           entry_h - name_h - size * 0.1))
        else:
            names.append((point.label, text_x, ry, lx + lw - figure_w - size * 0.4 - text_x,
                          entry_h))
            values.append((figures[index], lx + lw - figure_w, ry, figure_w, entry_h))
    for placed in kit.uniform_labels(names, name_style, "legend"):
        chart.label(placed)
    for placed in kit.uniform_labels(values, figure_style, "legend-value"):
        chart.label(placed)


def pie_chart(items: Any, x: float = 0, y: float = 0, width: float = 600, height: float = 400,
              **options: Any) -> Chart:
    """:func:`donut_chart` without a hole."""
    return donut_chart(items, x, y, width, height, hole=0, **options)


def progress_ring(value: Any, x: float = 0, y: float = 0, size: float = 240, *,
                  total: float = 100, label: Any = None, color: str | None = None,
                  thickness: float = 0.16, format: Any = "percent", theme: Any = None,
                  font_size: float | None = None, legible: bool = False,
                  kit: ChartKit | None = None) -> Chart:
    """A ring filled to ``value`` / ``total`` with the share in its centre (``98,5%``).
    Over 100% the ring is full and the text tells the real share. ``legible=True`` keeps the
    centre's texts at or above the kit's caption floor (the label goes when both cannot)."""
    kit = resolve_kit(kit, theme)
    check_box(kit, "progress-ring", size, size)
    chart = Chart("progress-ring", (x, y, size, size))
    number = finite(value)
    share = (number / total) if number is not None and total else None
    outer = size / 2
    inner = outer * (1 - max(0.05, min(0.5, thickness)))
    cx, cy = x + outer, y + outer
    stroke = kit.color(color, "primary")
    chart.add(f'<path class="track" d="{arc_path(cx, cy, outer, inner, 0, 1)}" '
              f'fill="{kit.tint(stroke, 0.82)}" fill-rule="evenodd"/>')
    if share is not None and share > 0:
        filled = min(1.0, share)
        chart.add(f'<path class="progress" data-share="{share:.6f}" '
                  f'd="{arc_path(cx, cy, outer, inner, 0, filled)}" fill="{stroke}" '
                  'fill-rule="evenodd"/>')
    text = share_text(share, number, format)
    if legible:
        _hole_texts(kit, chart, cx, cy, inner, [text], label, max(font_size or 0, kit.legible_size),
                    kit.theme.palette["text"])
        return chart
    box_w = inner * 1.6
    big = kit.style("figures", inner * 0.55, min_size=inner * 0.2, align="center",
                    valign="bottom" if label else "middle", fill=kit.theme.palette["text"])
    if label:
        chart.label(kit.label(text, cx - box_w / 2, cy - inner * 0.62, box_w, inner * 0.66,
                              big, "center"))
        label_size = font_size or max(LEGEND_READABLE, min(inner * 0.22, 24))
        small = kit.style("body", label_size, min_size=min(label_size, LEGEND_READABLE),
                          align="center", valign="top", max_lines=2, balance=True,
                          line_height=1.1, fill=kit.theme.palette["muted"])
        chart.label(kit.label(label, cx - box_w / 2, cy + inner * 0.08, box_w, inner * 0.5,
                              small, "center-label"))
    else:
        chart.label(kit.label(text, cx - box_w / 2, cy - inner * 0.45, box_w, inner * 0.9, big,
                              "center"))
    return chart
