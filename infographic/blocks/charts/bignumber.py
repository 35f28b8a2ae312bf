"""The headline figure of a dashboard: a big number, its label, the change, and a sparkline."""

from __future__ import annotations

from typing import Any

from ...formatting import format_delta, number_formatter
from .kit import Chart, ChartKit, check_box, finite, num, resolve_kit
from .axis import LinearScale
from .series import points


def sparkline(items: Any, x: float = 0, y: float = 0, width: float = 300, height: float = 60,
              *, value: str = "value", color: str | None = None, theme: Any = None,
              kit: ChartKit | None = None) -> Chart:
    """A small line without axes: the shape of the last days. Gaps for missing values; the last
    point is marked."""
    kit = resolve_kit(kit, theme)
    check_box(kit, "sparkline", width, height)
    chart = Chart("sparkline", (x, y, width, height))
    try:
        data = points(items, "date", value)
    except TypeError as exc:
        raise kit.error(f"sparkline: {exc}") from None
    values = [p.value for p in data]
    present = [v for v in values if v is not None]
    if not present:
        return chart
    stroke = kit.color(color, "primary")
    dot = max(2.0, min(6.0, height / 10))
    low, high = min(present), max(present)
    if low == high:
        low, high = low - 1, high + 1
    sy = LinearScale(low, high, y + height - dot, y + dot)
    step = (width - 2 * dot) / max(1, len(values) - 1)
    runs: list[list[tuple[float, float]]] = []
    run: list[tuple[float, float]] = []
    for index, v in enumerate(values):
        px = x + dot + index * step if len(values) > 1 else x + width / 2
        if v is None:
            if run:
                runs.append(run)
            run = []
        else:
            run.append((px, sy(v)))
    if run:
        runs.append(run)
    for part in runs:
        if len(part) > 1:
            d = "M" + " L".join(f"{num(a)} {num(b)}" for a, b in part)
            chart.add(f'<path class="sparkline" d="{d}" fill="none" stroke="{stroke}" '
                      f'stroke-width="{num(max(1.5, dot * 0.6))}" stroke-linejoin="round" '
                      'stroke-linecap="round"/>')
    last_x, last_y = runs[-1][-1]
    chart.add(f'<circle class="last-point" cx="{num(last_x)}" cy="{num(last_y)}" r="{num(dot)}" '
              f'fill="{stroke}"/>')
    return chart


def big_number(value: Any, x: float = 0, y: float = 0, width: float = 400, height: float = 240,
               *, label: Any = None, delta: Any = None, delta_percent: bool = False,
               delta_label: Any = None, good: str = "up", series: Any = None,
               format: Any = "number", decimals: int | None = None, color: str | None = None,
               align: str = "left", legible: bool = False, theme: Any = None,
               kit: ChartKit | None = None) -> Chart:
    """``7.605.092`` as large as the box allows, the label under it, the change (``▲ 12,3%`` in
    the theme's positive or negative colour; ``good="down"`` for cases, where a fall is good),
    and an optional sparkline of ``series`` at the bottom. ``legible=True`` keeps the change and
    the label at or above the kit's caption floor; the sparkline goes when that leaves the
    number no room."""
    kit = resolve_kit(kit, theme)
    check_box(kit, "big-number", width, height)
    if good not in ("up", "down"):
        raise kit.error(f"big_number: good must be 'up' or 'down', not '{good}'")
    chart = Chart("big-number", (x, y, width, height))
    number = finite(value)
    text = "–" if number is None else number_formatter(format, decimals=decimals)(number)
    floor = kit.legible_size if legible else 0.0
    if series and floor and height * 0.78 < floor * 6.5:
        series = None  # the number, its change and label at the floor need the whole box
    spark_h = height * 0.22 if series else 0.0
    rest = height - spark_h
    palette = kit.theme.palette
    figure = kit.style("figures", rest * 0.5, min_size=rest * 0.12, align=align,
                       valign="bottom", fill=kit.color(color, "primary"))
    if number is not None and kit.measure(text, kit.style("figures", figure.smallest)) > width:
        text = number_formatter("compact")(number)  # 383 tỷ rather than a number cut short
    placed = chart.label(kit.label(text, x, y, width, rest * 0.52, figure, "figure"))
    cursor = placed.box[1] + placed.box[3] + rest * 0.04 if placed else y + rest * 0.52
    small = max(14.0, floor, min(30.0, rest * 0.13))
    least = max(small * 0.7, floor)
    change = finite(delta)
    if change is not None:
        better = (change > 0) == (good == "up")
        tone = palette["muted"] if change == 0 else palette["positive" if better else
                                                            "negative"]
        line_text = format_delta(change, percent=delta_percent)
        if delta_label:
            line_text += f" {delta_label}"
        style = kit.style("figures", small, min_size=least, align=align, fill=tone)
        placed_delta = chart.label(kit.label(line_text, x, cursor, width, small * 1.4, style,
                                             "delta"))
        cursor = (placed_delta.box[1] + placed_delta.box[3] if placed_delta else cursor) \
            + small * 0.3
    if label:
        style = kit.style("body", small, min_size=least, align=align, max_lines=2,
                          fill=palette["text"], valign="top")
        chart.label(kit.label(label, x, cursor, width, max(small * 1.3, y + rest - cursor),
                              style, "label"))
    if series:
        chart.parts.append(sparkline(series, x, y + height - spark_h * 0.9, width,
                                     spark_h * 0.9, color=color, kit=kit).svg)
    return chart
