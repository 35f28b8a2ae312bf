"""Bar charts: columns, ranked horizontal bars, stacked columns.

Bars start at zero (negative values go the other way), missing values leave a marked gap, value
labels use tabular figures, and category names wrap onto two lines or are shortened with "…".
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Sequence

from ...formatting import number_formatter
from .axis import LinearScale, Ticks, nice_ticks, tick_formatter
from .kit import Chart, ChartKit, auto_font_size, check_box, line, rect, resolve_kit
from .legend import legend
from .series import Point, points, table

MISSING = "–"
#: Row labels of horizontal bars never go below this size; with thinner rows every k-th row is
#: named instead.
MIN_LABEL = 12.0


def _highlight_index(highlight: Any, labels: Sequence[Any]) -> int | None:
    if highlight is None or highlight == "":
        return None
    if isinstance(highlight, int) and not isinstance(highlight, bool):
        return highlight if 0 <= highlight < len(labels) else None
    for index, label in enumerate(labels):
        if str(label) == str(highlight):
            return index
    return None


def _sorted(data: list[Point], sort: str | None) -> list[Point]:
    if not sort:
        return data
    if sort not in ("desc", "asc"):
        raise ValueError(f"sort must be 'desc', 'asc' or empty, not '{sort}'")
    present = [(p.value, p) for p in data if p.value is not None]
    missing = [p for p in data if p.value is None]
    present.sort(key=lambda pair: pair[0], reverse=sort == "desc")
    return [p for _, p in present] + missing  # missing values go last whatever the order


@dataclass
class _Columns:
    """The frame of a column chart: where each band is and how values map to y."""

    scale: LinearScale
    plot: tuple[float, float, float, float]  # left, top, right, bottom
    band: float

    def band_x(self, index: int) -> float:
        return self.plot[0] + index * self.band


def _column_frame(kit: ChartKit, chart: Chart, labels: Sequence[Any], low: float, high: float,
                  box: tuple[float, float, float, float], size: float, *, axis: bool,
                  tick_format: Any, label_lines: int, value_room: float) -> _Columns:
    """Axis, grid and category labels of a column chart; returns the geometry for the bars."""
    x, y, width, height = box
    ticks: Ticks = nice_ticks(low, high, target=max(2, min(6, int(height // (size * 3.2)))))
    fmt = tick_formatter(ticks, tick_format)
    tick_style = kit.style("body", size * 0.85, fill=kit.theme.palette["muted"],
                           features=("tnum",), align="right")
    tick_texts = [fmt(v) for v in ticks.values]
    axis_w = (max(kit.measure(t, tick_style) for t in tick_texts) + size * 0.6) if axis else 0.0
    cat_style = kit.style("body", size, min_size=size * 0.75, max_lines=label_lines,
                          align="center", valign="top", line_height=1.1)
    count = max(1, len(labels))
    band = (width - axis_w) / count
    lines = label_lines if band >= size * 3 else 1
    cat_style = kit.style("body", size, min_size=size * 0.75, max_lines=lines, align="center",
                          valign="top", line_height=1.1)
    cat_h = kit.line_height(cat_style, lines)
    negative = ticks.low < 0
    left, top = x + axis_w, y + value_room
    bottom = y + height - cat_h - size * 0.5 - (value_room if negative else 0.0)
    if bottom - top < size * 2:
        raise kit.error(f"{chart.kind}: {width:.0f}×{height:.0f} is too small for a chart with "
                        f"labels at size {size:g}; give it more room or a smaller font_size")
    scale = LinearScale(ticks.low, ticks.high, bottom, top)
    grid = kit.grid_color()
    if axis:
        for value, text in zip(ticks.values, tick_texts):
            ty = scale(value)
            if value != 0:
                chart.add(line(left, ty, x + width, ty, grid, 1, cls="grid"))
            tick_h = kit.line_height(tick_style)
            chart.label(kit.label(text, x, ty - tick_h / 2, axis_w - size * 0.5, tick_h,
                                  tick_style, "tick"))
    zero = scale(0.0)
    chart.add(line(left, zero, x + width, zero, kit.theme.palette["muted"], 1.5, cls="baseline"))
    # Category labels: every band when they fit, else every k-th.
    texts = [str(label) if label is not None else "" for label in labels]
    label_top = bottom + (value_room if negative else 0.0) + size * 0.5
    short_style = kit.style("body", cat_style.smallest, max_lines=1)
    widths = [kit.measure(t, short_style) for t in texts]
    centres = [left + (i + 0.5) * band for i in range(len(texts))]
    if lines > 1 or all(w <= band - 4 for w in widths):
        boxes = [(text, left + i * band + 2, label_top, band - 4, cat_h)
                 for i, text in enumerate(texts)]
    else:  # too narrow for every name: every k-th, one line at the smallest size
        cat_style = short_style
        boxes = _thinned_boxes(texts, widths, centres, band, left, x + width, label_top, cat_h,
                               gap=size * 0.6, shortest=size * 3)
    for placed in kit.uniform_labels(boxes, kit.style("body", cat_style.size,
                                                      min_size=cat_style.smallest,
                                                      max_lines=cat_style.max_lines,
                                                      align="center", valign="top",
                                                      line_height=1.1), "category"):
        chart.label(placed)
    return _Columns(scale, (left, top, x + width, bottom), band)


def _thinned_boxes(texts: Sequence[str], widths: Sequence[float], centres: Sequence[float],
                   band: float, left: float, right: float, top: float, height: float, *,
                   gap: float, shortest: float) -> list[tuple[str, float, float, float, float]]:
    """Boxes for every k-th category name, the smallest k for which the boxes (each at most
    k bands wide, kept inside left..right) leave ``gap`` between them. Longer names are
    shortened with "…" by the fitting."""
    count = len(texts)
    for every in range(1, count + 1):
        cap = every * band - gap
        if cap < min(shortest, max(widths, default=0) + 4):
            continue
        boxes = []
        for index in range(0, count, every):
            w = min(widths[index] + 4, cap, right - left)
            lx = min(max(centres[index] - w / 2, left), right - w)
            boxes.append((texts[index], lx, top, w, height))
        if all(b[1] - (a[1] + a[3]) >= gap for a, b in zip(boxes, boxes[1:])):
            return boxes
    w = min(widths[0] + 4, right - left) if count else 0
    return [(texts[0], left, top, w, height)] if count else []


def _value_labels_fit(kit: ChartKit, texts: Sequence[str], style: Any, room: float) -> bool:
    smallest = kit.style("figures", style.smallest)
    return all(kit.measure(t, smallest) <= room for t in texts)


def bar_chart(items: Any, x: float = 0, y: float = 0, width: float = 600, height: float = 400,
              *, label: str = "label", value: str = "value", orientation: str = "vertical",
              sort: str | None = None, highlight: Any = None, color: str | None = None,
              highlight_color: str | None = None, format: Any = None,
              decimals: int | None = None, show_values: bool = True, axis: bool | None = None,
              font_size: float | None = None, label_lines: int = 2, theme: Any = None,
              kit: ChartKit | None = None) -> Chart:
    """A column chart (``orientation="vertical"``) or ranked horizontal bars (``"horizontal"``).

    ``items``: rows with ``label`` and ``value`` keys, a mapping, or pairs. ``sort``: ``desc`` or
    ``asc`` ranks the bars. ``highlight``: a label or index drawn in full colour while the other
    bars are faded. ``format``: ``number`` (default), ``percent``, ``compact``, ``currency`` or
    a function, for value labels and ticks. ``axis``: ticks and grid lines; by default bars
    get them only when their values cannot be written beside them.
    """
    kit = resolve_kit(kit, theme)
    kind = "bar-chart" if orientation == "horizontal" else "column-chart"
    check_box(kit, kind, width, height)
    if orientation not in ("vertical", "horizontal"):
        raise kit.error(f"bar_chart: orientation must be vertical or horizontal, "
                        f"not '{orientation}'")
    try:
        data = _sorted(points(items, label, value), sort)
    except (TypeError, ValueError) as exc:
        raise kit.error(f"{kind}: {exc}") from None
    chart = Chart(kind, (x, y, width, height))
    if not data:
        return chart
    size = font_size or auto_font_size(width, height)
    labels = [p.label for p in data]
    values = [p.value for p in data]
    chosen = _highlight_index(highlight, labels)
    base = kit.color(color, "primary")
    strong = kit.color(highlight_color, "primary") if highlight_color or color is None \
        else base
    fills = [base] * len(data)
    if chosen is not None:
        fills = [strong if i == chosen else kit.tint(base, 0.55) for i in range(len(data))]
    fmt = number_formatter(format, decimals=decimals)
    texts = [fmt(v) if v is not None else MISSING for v in values]
    present = [v for v in values if v is not None] or [0.0]
    if format is None and max(abs(v) for v in present) >= 1_000_000:
        texts = [number_formatter("compact")(v) if v is not None else MISSING
                 for v in values]  # 7,6 triệu fits on a bar where 7.605.092 may not
    low, high = min(present), max(present)
    if orientation == "vertical":
        if axis is None:  # labelled bars need no axis; without labels the axis is the scale
            value_style = kit.style("figures", size, min_size=size * 0.7)
            axis = not (show_values and _value_labels_fit(kit, texts, value_style,
                                                          width / len(data)
                                                          - max(4.0, size * 0.6)))
        _columns(kit, chart, labels, values, texts, fills, chosen, low, high, size,
                 axis=axis, show_values=show_values,
                 tick_format=format, label_lines=label_lines)
    else:
        _rows(kit, chart, labels, values, texts, fills, chosen, low, high, size,
              axis=axis, show_values=show_values, tick_format=format,
              label_lines=label_lines)
    return chart


def _columns(kit: ChartKit, chart: Chart, labels: list[Any], values: list[float | None],
             texts: list[str], fills: list[str], chosen: int | None, low: float, high: float,
             size: float, *, axis: bool, show_values: bool, tick_format: Any,
             label_lines: int) -> None:
    value_style = kit.style("figures", size, min_size=size * 0.7, align="center",
                            valign="bottom")
    value_h = kit.line_height(value_style) + size * 0.2
    frame = _column_frame(kit, chart, labels, low, high, chart.box, size, axis=axis,
                          tick_format=tick_format, label_lines=label_lines,
                          value_room=value_h if show_values else size * 0.6)
    bar_w = frame.band * (0.66 if len(values) <= 12 else 0.8)
    pad = max(4.0, size * 0.6)  # the least space between two value labels
    show = show_values and _value_labels_fit(kit, texts, value_style, frame.band - pad)
    if show:
        common = kit.common_size([(t, frame.band - pad, value_h - size * 0.15) for t in texts],
                                 value_style)
        value_style = kit.style("figures", common, align="center", valign="bottom")
    zero = frame.scale(0.0)
    for index, val in enumerate(values):
        bx = frame.band_x(index) + (frame.band - bar_w) / 2
        if val is None:
            chart.add(rect(bx, zero - 2, bar_w, 2, kit.grid_color(), cls="missing",
                           index=index, label=labels[index]))
            top, below = zero, False
        else:
            end = frame.scale(val)
            top_y, bar_h = min(end, zero), abs(end - zero)
            chart.add(rect(bx, top_y, bar_w, max(bar_h, 0.0), fills[index], cls="bar",
                           index=index, value=val, label=labels[index]))
            if val == 0:  # a hairline so a zero reads as zero, not as a missing bar
                chart.add(rect(bx, zero - 1.5, bar_w, 1.5, fills[index], cls="bar-zero"))
            top, below = end, val < 0
        if show:
            style = value_style if index != chosen else kit.style(
                "figures", value_style.size, align="center", valign="bottom",
                fill=kit.theme.palette["primary"])
            if below:
                style = kit.style("figures", style.size, align="center", valign="top",
                                  fill=style.fill)
                box_y = top + size * 0.15
            else:
                box_y = top - value_h
            chart.label(kit.label(texts[index], frame.band_x(index) + pad / 2, box_y,
                                  frame.band - pad, value_h - size * 0.15, style, "value"))


def _rows(kit: ChartKit, chart: Chart, labels: list[Any], values: list[float | None],
          texts: list[str], fills: list[str], chosen: int | None, low: float, high: float,
          size: float, *, axis: bool | None, show_values: bool, tick_format: Any,
          label_lines: int) -> None:
    x, y, width, height = chart.box
    count = len(values)
    negative = low < 0
    gap = size * 0.5
    # Sizes from the row height without an axis (the axis takes one line off the bottom).
    label_size = min(size, max(height / count / 1.3, MIN_LABEL))  # never tiny: thin out
    smallest = min(label_size, max(MIN_LABEL, label_size * 0.75))
    value_style = kit.style("figures", label_size, min_size=smallest, valign="middle")
    natural = max(kit.measure(str(t), kit.style("body", label_size)) for t in labels)
    label_w = min(natural + 2, width * 0.35)
    # Values beside the bars when every row can hold one, whole, and the bars keep room.
    def bars_keep_room(value_w: float) -> bool:
        return width - label_w - gap - value_w * (2 if negative else 1) >= width * 0.25

    value_w = max(kit.measure(t, value_style) for t in texts) + gap  # at the names' size
    if not bars_keep_room(value_w):  # else at the smallest size
        value_w = max(kit.measure(t, kit.style("figures", smallest)) for t in texts) + gap
    show = show_values and height / count >= smallest * 1.05 and bars_keep_room(value_w)
    if axis is None:  # values written beside the bars are the scale; without them, an axis
        axis = not show
    if not show:
        value_w = gap
    axis_h = size * 1.6 if axis else 0.0
    row_h = (height - axis_h) / count
    lines = label_lines if row_h >= label_size * 2.4 else 1
    label_style = kit.style("body", label_size, min_size=smallest, max_lines=lines,
                            align="right", valign="middle", line_height=1.1)
    if show:
        common = kit.common_size([(t, value_w - gap * 0.6, row_h) for t in texts],
                                 kit.style("figures", label_size, min_size=smallest))
        value_style = kit.style("figures", common, valign="middle")
        value_w = max(kit.measure(t, value_style) for t in texts) + gap
    left = x + label_w + gap + (value_w if negative else 0.0)
    right = x + width - value_w
    if right - left < size * 2:
        raise kit.error(f"{chart.kind}: {width:.0f} wide is too narrow for bars with labels at "
                        f"size {size:g}; give it more room or a smaller font_size")
    ticks = nice_ticks(low, high, target=max(2, min(6, int((right - left) // (size * 5)))))
    domain_low = ticks.low if axis else min(0.0, low)
    domain_high = ticks.high if axis else max(0.0, high) or 1.0
    scale = LinearScale(domain_low, domain_high, left, right)
    zero = scale(0.0)
    grid = kit.grid_color()
    if axis:
        fmt = tick_formatter(ticks, tick_format)
        tick_size = min(size * 0.85, max(label_size, 14.0))  # in step with the row names
        tick_style = kit.style("body", tick_size, fill=kit.theme.palette["muted"],
                               features=("tnum",), align="center")
        for value in ticks.values:
            tx = scale(value)
            chart.add(line(tx, y, tx, y + height - axis_h, grid, 1, cls="grid"))
            text = fmt(value)
            tick_w = kit.measure(text, tick_style) + 4
            tick_x = min(max(tx - tick_w / 2, x), x + width - tick_w)  # inside the chart
            chart.label(kit.label(text, tick_x, y + height - axis_h + size * 0.3, tick_w,
                                  axis_h - size * 0.3, tick_style, "tick"))
    bar_h = min(row_h * 0.66, size * 2.4)
    keep = set(range(count))
    box_h = max(row_h, kit.line_height(kit.style("body", label_style.smallest)))
    if row_h < box_h:  # too many rows for every name: label every k-th
        every = math.ceil(box_h * 1.2 / row_h)
        first = math.ceil((box_h - row_h) / 2 / row_h)  # whose box starts inside the chart
        keep = {i for i in range(first, count, every)
                if y + (i + 0.5) * row_h + box_h / 2 <= y + height - axis_h}
    names: list[tuple[Any, float, float, float, float]] = []
    for index, val in enumerate(values):
        row_top = y + index * row_h
        by = row_top + (row_h - bar_h) / 2
        if index in keep:  # a box at least one line tall, centred on its row
            names.append((labels[index], x, row_top + (row_h - box_h) / 2, label_w, box_h))
        if val is None:
            chart.add(rect(zero, by + bar_h / 2 - 1, gap * 2, 2, grid, cls="missing",
                           index=index, label=labels[index]))
            end = zero
        else:
            end = scale(val)
            chart.add(rect(min(zero, end), by, abs(end - zero), bar_h, fills[index], cls="bar",
                           index=index, value=val, label=labels[index]))
            if val == 0:
                chart.add(rect(zero, by, 1.5, bar_h, fills[index], cls="bar-zero"))
        if show:
            style = value_style
            if index == chosen:
                style = kit.style("figures", value_style.size, valign="middle",
                                  fill=kit.theme.palette["primary"])
            if val is not None and val < 0:
                style = kit.style("figures", style.size, valign="middle", align="right",
                                  fill=style.fill)
                chart.label(kit.label(texts[index], end - value_w, row_top, value_w - gap * 0.6,
                                      row_h, style, "value"))
            else:
                chart.label(kit.label(texts[index], end + gap * 0.6, row_top, value_w - gap * 0.6,
                                      row_h, style, "value"))
    for placed in kit.uniform_labels(names, label_style, "category"):
        chart.label(placed)
    chart.add(line(zero, y, zero, y + height - axis_h, kit.theme.palette["muted"], 1.5,
                   cls="baseline"))


def stacked_bar_chart(items: Any, series: Sequence[str], x: float = 0, y: float = 0,
                      width: float = 600, height: float = 400, *, label: str = "label",
                      names: Sequence[str] | None = None, colors: Sequence[str] | None = None,
                      format: Any = None, decimals: int | None = None, show_totals: bool = True,
                      show_values: bool = True, legend_position: str = "top",
                      font_size: float | None = None, label_lines: int = 2, theme: Any = None,
                      kit: ChartKit | None = None) -> Chart:
    """Stacked columns: one column per row, one segment per key in ``series`` (e.g. the first
    and second dose). Positive parts stack up from zero, negative parts down; the total sits on
    top. ``names`` are the legend texts (default: the keys)."""
    kit = resolve_kit(kit, theme)
    check_box(kit, "stacked-bar-chart", width, height)
    series = [str(s) for s in series]
    if not series:
        raise kit.error("stacked_bar_chart: give the value columns as series=[...]")
    try:
        labels, rows = table(items, label, series)
    except TypeError as exc:
        raise kit.error(f"stacked_bar_chart: {exc}") from None
    chart = Chart("stacked-bar-chart", (x, y, width, height))
    if not rows:
        return chart
    size = font_size or auto_font_size(width, height)
    fills = [kit.theme.color(c) for c in colors] if colors else kit.series_colors(len(series))
    legend_h = 0.0
    if legend_position != "none":
        legend_h = legend(kit, chart, list(names or series), fills, x, y, width, size * 0.9)
        legend_h += size * 0.6
    ups = [sum(v for v in row if v is not None and v > 0) for row in rows]
    downs = [sum(v for v in row if v is not None and v < 0) for row in rows]
    fmt = number_formatter(format, decimals=decimals)
    totals = [sum(v for v in row if v is not None) if any(v is not None for v in row) else None
              for row in rows]
    total_texts = [fmt(t) if t is not None else MISSING for t in totals]
    value_style = kit.style("figures", size, min_size=size * 0.7, align="center",
                            valign="bottom")
    value_h = kit.line_height(value_style) + size * 0.2
    frame = _column_frame(kit, chart, labels, min(downs), max(ups),
                          (x, y + legend_h, width, height - legend_h), size, axis=True,
                          tick_format=format, label_lines=label_lines,
                          value_room=value_h if show_totals else size * 0.6)
    bar_w = frame.band * (0.66 if len(rows) <= 12 else 0.8)
    pad = max(4.0, size * 0.6)  # the least space between two totals
    show_total = show_totals and _value_labels_fit(kit, total_texts, value_style,
                                                   frame.band - pad)
    if show_total:
        common = kit.common_size([(t, frame.band - pad, value_h - size * 0.15)
                                  for t in total_texts], value_style)
        value_style = kit.style("figures", common, align="center", valign="bottom")
    for index, row in enumerate(rows):
        bx = frame.band_x(index) + (frame.band - bar_w) / 2
        up = down = 0.0
        for key, part, fill in zip(series, row, fills):
            if part is None or part == 0:
                continue
            start = up if part > 0 else down
            end = start + part
            if part > 0:
                up = end
            else:
                down = end
            y0, y1 = frame.scale(start), frame.scale(end)
            top_y, seg_h = min(y0, y1), abs(y1 - y0)
            chart.add(rect(bx, top_y, bar_w, seg_h, fill, cls="segment", index=index,
                           series=key, value=part))
            inner = kit.style("figures", size * 0.8, min_size=size * 0.65, align="center",
                              valign="middle", fill=kit.ink_on(fill))
            text = fmt(part)
            if show_values and seg_h >= kit.line_height(inner) and \
                    kit.measure(text, kit.style("figures", inner.smallest)) <= bar_w - 6:
                chart.label(kit.label(text, bx + 3, top_y, bar_w - 6, seg_h, inner, "segment"))
        row_total = totals[index]
        if show_total and row_total is not None and row_total < 0 and up == 0:
            below = kit.style("figures", value_style.size, align="center", valign="top")
            chart.label(kit.label(total_texts[index], frame.band_x(index) + pad / 2,
                                  frame.scale(down) + size * 0.15, frame.band - pad,
                                  value_h - size * 0.15, below, "total"))
        elif show_total:
            chart.label(kit.label(total_texts[index], frame.band_x(index) + pad / 2,
                                  frame.scale(up) - value_h, frame.band - pad,
                                  value_h - size * 0.15, value_style, "total"))
    return chart
