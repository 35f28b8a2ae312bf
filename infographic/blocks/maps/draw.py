"""The ``map(...)`` block: areas projected into a box, coloured by category or value class,
labelled by the text engine, with a legend that counts the areas of each class.

Stages hand each other plain structures: :func:`~.geo.read_areas` (lon/lat) →
:class:`~.outlines.MapGeometry` (shared borders; outlines in canvas units per box) →
:func:`~.join.join_rows` (which row colours which area) → colours → labels → SVG.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Callable, Mapping, Sequence

from markupsafe import escape

from ...formatting import format_number
from ...layout.design import TYPE_STEPS
from ..charts.kit import Chart, ChartKit, Label, check_box, finite, resolve_kit
from ...svgsyntax import svg_number as num
from .colouring import (Category, category_key, category_scale, class_breaks, class_names,
                        class_of, sequential_colors)
from .geo import Area, Polygon
from .join import Join, abbreviated, join_rows
from .outlines import MapGeometry, Outlines
from .shapes import Box, area_pole, box_inside, boxes_overlap, segments_cross

NO_DATA = "Chưa có số liệu"
#: The areas and borders are drawn with the rasteriser's faster, coarser anti-aliasing (cairo's
#: ANTIALIAS_FAST): it halves the cost of filling and stroking a dense map (measured on the
#: 724-ward city), and beside the default it is not told apart, zoomed in, under the borders.
_SPEED = ' shape-rendering="optimizeSpeed"'
#: The type steps a map sets its text at, before the canvas factor: the names start at the
#: block's ``label_size`` (by default ``sm``) and step down; the legend is ``sm``, then the
#: steps below it (``xs``) when ``sm`` crowds the box.
NAME_STEP, LEGEND_STEP = "sm", "sm"
#: Hatching of each class for black-and-white printing: (angle, spacing × stroke); denser and
#: crossed for the higher classes.
_HATCHES = ((45, 0.0), (45, 5.0), (-45, 3.5), (45, 2.4), (0, 2.0), (-45, 1.6), (90, 1.4))


@dataclass
class DrawnArea:
    """An area as drawn: canvas polygons, the row joined to it, its class and its label."""

    name: str
    code: str
    polygons: list[Polygon]
    row: dict[str, Any] | None
    klass: int | None          # index into MapChart.classes; None: no data
    fill: str
    pole: tuple[float, float] = (0.0, 0.0)
    room: float = 0.0          # radius of the largest inscribed circle
    label: Label | None = None
    #: what the label occupies: the name's ink, or the numbered badge's circle (its box)
    label_box: Box | None = None
    key_number: int | None = None
    leader: tuple[float, float, float, float] | None = None
    #: the name as labelled: in full, or abbreviated ("P. Võ Thị Sáu") on a crowded map
    shown: str = ""
    #: always named, in this order (``callouts``): inside when the name fits, else beside it
    #: with a leader line; None for the other areas
    callout: int | None = None

    def __post_init__(self) -> None:
        self.shown = self.shown or self.name


@dataclass
class MapChart(Chart):
    """A drawn map: the chart's markup and labels, plus the areas, classes and the join."""

    areas: list[DrawnArea] = field(default_factory=list)
    classes: list[Category] = field(default_factory=list)
    counts: list[int] = field(default_factory=list)
    join: Join = field(default_factory=Join)
    map_box: Box = (0.0, 0.0, 0.0, 0.0)
    legend_box: Box = (0.0, 0.0, 0.0, 0.0)
    warnings: list[str] = field(default_factory=list)
    #: the callouts' spots found for a map box (planning, then drawing, look for them once)
    callouts_planned: dict[Box, Any] = field(default_factory=dict, repr=False)

    @property
    def no_data(self) -> list[str]:
        return [a.name for a in self.areas if a.klass is None]


def area_map(areas: "Sequence[Area] | MapGeometry", rows: Sequence[dict[str, Any]] | None, x: float, y: float,
             width: float, height: float, *, by: str = "category", value: str | None = None,
             key: str = "name", code: str = "code", categories: Any = None,
             method: str = "quantile", classes: int = 5, breaks: Sequence[float] | None = None,
             unit: str = "", number: Callable[[float], str] | None = None,
             labels: str = "auto", label_size: float | str | None = None,
             canvas_k: float = 1.0, max_keys: int = 20,
             callouts: Sequence[Any] = (), legend: str = "auto",
             counts: bool = True, hatch: bool = False, pixels_per_unit: float = 1.0,
             kit: ChartKit | None = None, theme: str | None = None) -> MapChart:
    """Draw ``areas`` (from :func:`~.geo.read_areas`, or a :class:`~.outlines.MapGeometry`
    that keeps their outlines between calls) into the box, coloured from ``rows``.

    ``by="category"``: each row's ``value`` column (default ``level``) names a category of
    ``categories`` (default: the four epidemic levels). ``by="value"``: the ``value`` column
    (default ``value``) is a number, put in classes by ``method`` (``quantile``, ``equal`` or
    ``breaks`` with ``breaks=[…]``). Rows join areas by ``code`` or by ``key`` (the name,
    compared Vietnamese-aware). ``labels``: ``auto`` (names inside areas, a numbered key for
    those too small; only names when more than ``max_keys`` areas would need a number),
    ``names`` (no key), ``none``. ``callouts``: rows (or names) whose areas are named whatever
    ``labels`` says, first — inside the area when the name fits, else beside it, where it hides
    the least of the map, with a leader line (the five highest of a crowded map, say).
    ``legend``: ``auto``, ``bottom``,
    ``right`` or ``none``. ``hatch`` adds a hatching per class for black-and-white printing.
    Text is set on the type scale times ``canvas_k`` (a template's map gets its canvas's
    ``canvas.k``): names at ``label_size`` (a size, or a step such as ``"md"``; by default
    ``sm``), else at each smaller step, never below the caption floor (``kit.floor``); numbers
    at the smallest of those steps; the legend at ``sm``, ``xs`` when ``sm`` crowds the box.
    ``pixels_per_unit`` (output pixels per canvas unit) sets how much outline detail is kept.
    """
    kit = resolve_kit(kit, theme)
    check_box(kit, "map", width, height)
    geometry = MapGeometry.of(areas)
    areas = geometry.areas
    if by not in ("category", "value"):
        raise kit.error(f"map: by must be 'category' or 'value', not '{by}'")
    value = value or ("level" if by == "category" else "value")
    rows = [dict(r) for r in (rows or [])]
    chart = MapChart("map", (x, y, width, height))
    palette = kit.theme.palette
    sizes = label_ladder(label_size if label_size is not None else NAME_STEP, canvas_k,
                         kit.floor)

    # -- classes and the join ------------------------------------------------------------
    joined = join_rows(areas, rows, key=key, code=code, index=geometry.index)
    chart.join = joined
    called_rows = [dict(c) if isinstance(c, Mapping) else {key: c} for c in callouts or ()]
    called = {index: called_rows.index(row) for index, row in join_rows(
        areas, called_rows, key=key, code=code, index=geometry.index).rows.items()}
    klass_of_area: dict[int, int | None] = {}
    if by == "category":
        scale = category_scale(categories)
        index_of = {c.key: i for i, c in enumerate(scale)}
        for area_index, row in joined.rows.items():
            raw = row.get(value)
            if raw in (None, ""):
                klass_of_area[area_index] = None
                continue
            found = index_of.get(category_key(raw))
            if found is None:
                raise kit.error(
                    f"map: row '{row.get(key)}' has {value} '{raw}', which the category scale "
                    f"does not know (known: {', '.join(c.key for c in scale)}): fix the value or "
                    "declare the category")
            klass_of_area[area_index] = found
        chart.classes = scale
    else:
        numbers = {i: finite(row.get(value)) for i, row in joined.rows.items()}
        present = [v for v in numbers.values() if v is not None]
        limits = class_breaks(present, "quantile" if method == "breaks" and not breaks
                              else method, classes, breaks if method == "breaks" or breaks
                              else None)
        names = class_names(limits, unit, number)
        colours = sequential_colors(palette["primary"], palette["background"], len(names))
        chart.classes = [Category(str(i), n, c) for i, (n, c) in enumerate(zip(names, colours))]
        for area_index, number_value in numbers.items():
            klass_of_area[area_index] = (None if number_value is None
                                         else class_of(number_value, limits))
    chart.counts = [sum(1 for k in klass_of_area.values() if k == i)
                    for i in range(len(chart.classes))]

    # -- where the map and the legend go -------------------------------------------------
    no_data_names = [a.name for i, a in enumerate(areas) if klass_of_area.get(i) is None]
    # the legend at sm (never larger than the names), xs when sm takes too much of the box
    legend_sizes = [s for s in label_ladder(LEGEND_STEP, canvas_k, kit.floor)
                    if s <= sizes[0] + 0.01] or [sizes[-1]]
    items = _legend_items(chart, no_data_names, counts)
    for legend_size in legend_sizes:
        side = legend
        legend_w = _legend_width(kit, items, width, legend_size)
        legend_h = _legend_height(kit, items, width, legend_size)
        if legend == "auto":  # the side that leaves the map the larger scale for its shape
            aspect = geometry.aspect
            beside_w = width - legend_w - legend_size
            below_h = height - legend_h - legend_size
            beside = min(beside_w / aspect, height)
            below = min(width / aspect, max(below_h, height * 0.4))
            side = "right" if beside >= below else "bottom"
        tight = (legend_w > width * 0.45 or legend_h > height) if side == "right" else (
            legend_h > height * 0.3 if side == "bottom" else False)
        if not tight:
            break
    if side not in ("right", "bottom", "none"):
        raise kit.error(f"map: legend must be auto, bottom, right or none, not '{legend}'")
    if labels not in ("auto", "names", "none"):
        raise kit.error(f"map: labels must be auto, names or none, not '{labels}'")

    def lay_out() -> None:
        """The map's and the legend's boxes (for the numbered key planned so far), and the
        areas outlined in the map's box."""
        items = _legend_items(chart, no_data_names, counts)
        if side == "right":
            legend_w = _legend_width(kit, items, width, legend_size)
            chart.map_box = (x, y, width - legend_w - legend_size, height)
            chart.legend_box = (x + width - legend_w, y, legend_w, height)
        elif side == "bottom":
            legend_h = _legend_height(kit, items, width, legend_size)
            map_h = max(height * 0.4, height - legend_h - legend_size)
            chart.map_box = (x, y, width, map_h)
            chart.legend_box = (x, y + map_h + legend_size, width, height - map_h - legend_size)
        else:
            chart.map_box, chart.legend_box = (x, y, width, height), (x, y + height, width, 0.0)
        before = drawn_in[0]
        outlines = drawn_in[0] = geometry.outlines(chart.map_box, pixels_per_unit)
        no_data_fill = kit.tint(palette["muted"], 0.72)
        previous, chart.areas = chart.areas, []
        for index, (area, polygons) in enumerate(zip(areas, outlines.polygons)):
            klass = klass_of_area.get(index)
            fill = chart.classes[klass].color if klass is not None else no_data_fill
            drawn = DrawnArea(area.name, area.code, polygons, joined.rows.get(index), klass, fill,
                              callout=called.get(index))
            if outlines.poles:
                drawn.pole, drawn.room = outlines.poles[index]
            chart.areas.append(drawn)
        if before is not None and not outlines.poles:
            # the poles found in the first layout, moved and scaled with the map
            ratio = outlines.scale / before.scale
            (old_x, old_y), (new_x, new_y) = before.origin, outlines.origin
            for was, now in zip(previous, chart.areas):
                now.pole = (new_x + (was.pole[0] - old_x) * ratio,
                            new_y + (was.pole[1] - old_y) * ratio)
                now.room = was.room * ratio

    drawn_in: list[Outlines | None] = [None]  # the outlines of the latest layout

    def beside_map() -> tuple[Box, Box]:
        """Where a callout may go: the block's box, but not over the legend's entries."""
        if side == "none":
            return (x, y, width, height), (x, y + height, 0.0, 0.0)
        legend_x, legend_y, legend_w, _ = chart.legend_box
        used = _legend_height(kit, _legend_items(chart, no_data_names, counts), legend_w,
                              legend_size)
        return (x, y, width, height), _padded((legend_x, legend_y, legend_w, used), legend_size)

    lay_out()
    numbered = labels == "auto"
    if numbered and side != "none":
        # the numbered key takes legend room: plan the labels, then make room for the key
        keys = _place_labels(kit, chart, drawn_in[0], sizes, numbered=True, draw=False,
                             limit=max_keys, beside=beside_map())
        _remember_poles(drawn_in[0], chart.areas)
        legend_room = height if side == "right" else height * 0.45
        if keys > max_keys or (keys and _legend_height(
                kit, _legend_items(chart, no_data_names, counts), chart.legend_box[2],
                legend_size) > legend_room):
            # a key longer than the legend's room is no help: names where they fit
            numbered = False
            chart.warnings.append(f"map: {keys} areas are too small for their names at this "
                                  "size and too many for a numbered key: left unlabelled "
                                  "(a larger size, or a map box with more room)")
            for area in chart.areas:
                area.key_number = None
            if keys * 2 > len(chart.areas):
                # a few names among many unnamed areas read as a mistake: none, the legend
                # and the fit report say why
                labels = "none"
        elif keys:
            lay_out()

    # -- outlines, labels, legend -------------------------------------------------------
    hatch_ids = _hatch_defs(kit, chart, len(chart.classes)) if hatch else {}
    stroke = palette["background"]
    outline_w = max(0.6, min(2.0, min(width, height) / 500))
    # one compound path per class, filled: a path element costs the rasteriser far more than
    # its segments (a 724-ward city drew 724 of them), and the areas do not overlap, so even-odd
    # fills each area, hole and enclave as its own path did; the class with the most areas
    # (without hatching) is the whole map's outline, painted first, the others over it; then
    # every border stroked once (stroking each area's outline drew each border twice)
    outlines = drawn_in[0]
    assert outlines is not None
    groups: dict[int | None, list[int]] = {}
    for index, drawn in enumerate(chart.areas):
        groups.setdefault(drawn.klass, []).append(index)
    plain = [k for k in groups if not hatch_ids.get(k if k is not None else "none")]
    ground = max(plain, key=lambda k: len(groups[k])) if plain else -1
    for klass, members in sorted(groups.items(), key=lambda item: item[0] != ground):
        d = (outlines.outline if klass == ground
             else "".join(outlines.paths[i] for i in members))
        name = chart.classes[klass].name if klass is not None else NO_DATA
        chart.add(f'<path class="map-area" d="{d}" fill="{escape(chart.areas[members[0]].fill)}" '
                  f'fill-rule="evenodd" data-class="{escape(name)}"{_SPEED}/>')
        pattern = hatch_ids.get(klass if klass is not None else "none")
        if pattern:
            chart.add(f'<path d="{d}" fill="url(#{pattern})" fill-rule="evenodd"/>')
    chart.add(f'<path class="map-borders" d="{outlines.borders}" fill="none" '
              f'stroke="{escape(stroke)}" stroke-width="{num(outline_w)}" '
              f'stroke-linejoin="round" stroke-linecap="round"{_SPEED}/>')
    if labels != "none" or called:
        _place_labels(kit, chart, outlines, sizes, numbered=numbered, draw=True,
                      names=labels != "none", beside=beside_map())
        _remember_poles(outlines, chart.areas)
    if side != "none":
        _draw_legend(kit, chart, _legend_items(chart, no_data_names, counts), chart.legend_box,
                     legend_size, hatch_ids)
    chart.warnings.extend(joined.problems("map"))
    return chart


def label_ladder(size: float | str, canvas_k: float, floor: float) -> list[float]:
    """The sizes a map's names try, largest first: ``size`` (a number, or a type step's name
    times ``canvas_k``), then each smaller type step times ``canvas_k``, none below ``floor``
    (if even the first is below it: the floor alone)."""
    first = TYPE_STEPS[size] * canvas_k if isinstance(size, str) else float(size)
    steps = [step * canvas_k for step in sorted(TYPE_STEPS.values(), reverse=True)
             if step * canvas_k < first - 0.25]
    return [s for s in [first, *steps] if s >= floor - 0.01] or [floor]


def _remember_poles(outlines: "Outlines | None", drawn: list[DrawnArea]) -> None:
    """Keep the poles found for these outlines (the next render of the map finds them)."""
    if outlines is not None and not outlines.poles:
        outlines.poles.extend((area.pole, area.room) for area in drawn)


# --- labels -----------------------------------------------------------------------------------

def _place_labels(kit: ChartKit, chart: MapChart, outlines: Outlines | None,
                  sizes: list[float],
                  numbered: bool, draw: bool = True, limit: int = 10**6, names: bool = True,
                  beside: tuple[Box, Box] | None = None) -> int:
    """The callouts first (:func:`_callout_spot`); then, with ``names``, each other area's
    name at its pole of inaccessibility, at the first of ``sizes`` (type steps, largest
    first) at which it fits; an area too small gets a number at the smallest step (inside
    it, or beside it with a leader line) that the legend explains.
    Roomiest areas first; no label overlaps another or leaves the map's box. ``beside``: the
    box a callout may use beside the map and the legend in it. ``draw=False`` only plans
    (nothing placed or recorded). Returns how many numbers."""
    within, legend_used = beside or (chart.map_box, (0.0, 0.0, 0.0, 0.0))
    taken: list[Box] = [legend_used]
    for area in chart.areas:
        if not area.room:
            area.pole, area.room = area_pole(area.polygons, precision=2.0)
    called = sorted((a for a in chart.areas if a.callout is not None),
                    key=lambda a: a.callout or 0)
    if called:
        # greedy placement depends on the order: the first of these orders that places every
        # callout at the largest step (else at a smaller one; else the try that places most)
        orders = [called, sorted(called, key=lambda a: a.pole[1]),
                  sorted(called, key=lambda a: -a.pole[1]), sorted(called, key=lambda a: a.room)]
        chosen = chart.callouts_planned.get(chart.map_box)
        tries = [(size, order) for size in sizes for order in orders]
        for size, order in tries if chosen is None else ():
            trial = list(taken)
            leaders: list[tuple[float, float, float, float]] = []
            spots = [(area, _callout_spot(kit, chart, outlines, area, sizes, size, trial,
                                          leaders, within)) for area in order]
            found = sum(1 for _, spot in spots if spot is not None)
            if chosen is None or found > chosen[0]:
                chosen = (found, trial, spots)
            if found == len(order):
                break
        assert chosen is not None
        chart.callouts_planned[chart.map_box] = chosen  # the same map box: the same spots
        taken[:] = chosen[1]
        if draw:
            for area, spot in chosen[2]:
                _draw_callout(kit, chart, area, spot)
    if not names:
        return 0
    order = sorted((a for a in chart.areas if a.callout is None), key=lambda a: a.room,
                   reverse=True)
    steps = list(sizes)
    if len(order) <= UNIFORM_UP_TO:
        # one type size for every name, as a designer would set them: the largest at which
        # all fit, else the one at which most fit (the rest get numbers); when not all fit,
        # the names as maps abbreviate them ("P.9", "P. Võ Thị Sáu") if more fit so
        for area in order:
            area.shown = area.name
        fitting = {s: _count_fitting(kit, order, s, chart.map_box) for s in steps}
        best = max(steps, key=lambda s: (fitting[s], s))
        if fitting[best] < len(order) and any(abbreviated(a.name) != a.name for a in order):
            for area in order:
                area.shown = abbreviated(area.name)
            short = {s: _count_fitting(kit, order, s, chart.map_box) for s in steps}
            short_best = max(steps, key=lambda s: (short[s], s))
            if short[short_best] > fitting[best]:
                best = short_best
            else:
                for area in order:
                    area.shown = area.name
        steps = [best]
    too_small = [area for area in order
                 if not _place_name(kit, chart, area, steps, taken, draw)]
    if not numbered:
        return 0
    if not draw and len(too_small) > limit:
        return len(too_small)  # planning: more than the key may hold, no need to place them
    ordered = sorted(too_small, key=lambda a: (a.pole[1], a.pole[0]))  # numbered north to south
    for number, area in enumerate(ordered, start=1):
        _place_number(kit, chart, area, number, sizes[-1], taken, draw)
    return len(ordered)


#: Maps with at most this many areas set every name at one size (more: each its largest).
UNIFORM_UP_TO = 60


def _count_fitting(kit: ChartKit, order: list[DrawnArea], size: float, within: Box) -> int:
    taken: list[Box] = []
    return sum(1 for area in order if _name_box(kit, area, size, taken, within) is not None)


def _one_line_height(kit: ChartKit, size: float) -> float:
    """Height of one line of a name at ``size`` (remembered per kit: thousands of areas ask)."""
    cache = kit.__dict__.setdefault("_map_line_heights", {})
    if size not in cache:
        cache[size] = kit.line_height(kit.style("body", size, weight=700))
    return cache[size]


def _name_style(kit: ChartKit, area: DrawnArea, size: float) -> Any:
    return kit.style("body", size, weight=700, fill=kit.ink_on(area.fill), align="center",
                     max_lines=2, line_height=1.05, overflow="visible", balance=True)


def _name_box(kit: ChartKit, area: DrawnArea, size: float, taken: list[Box], within: Box
              ) -> Box | None:
    """Where the area's name fits at ``size`` (one line, else two broken between words),
    clear of ``taken``; the box is added to ``taken``."""
    if _one_line_height(kit, size) > 2 * area.room:
        return None  # not even one line fits across the area's widest circle
    style = _name_style(kit, area, size)
    natural = kit.measure(area.shown, style)
    widest_word = max(kit.measure(word, style) for word in area.shown.split())
    for lines in (1, 2):
        if lines == 2 and " " not in area.shown.strip():
            continue
        # two lines break between words, never inside one ("Phườ / ng 1")
        w = natural + 2 if lines == 1 else max(natural * 0.6, widest_word) + 2
        h = kit.line_height(style, lines)
        if min(w, h) > 2 * area.room:
            continue  # a box inside the area holds a circle of its smaller side
        box = _free_spot(w, h, area, taken, within)
        if box is None:
            continue
        fitted = kit.fit(area.shown, style, w, h)
        if len(fitted.lines) > lines or fitted.status != "fit":
            continue
        taken.append(_padded(box, 2))
        return box
    return None


def _place_name(kit: ChartKit, chart: MapChart, area: DrawnArea, sizes: list[float],
                taken: list[Box], draw: bool) -> bool:
    if _one_line_height(kit, min(sizes)) > 2 * area.room:
        return False  # no line fits across the area even at the smallest size
    for size in sizes:
        box = _name_box(kit, area, size, taken, chart.map_box)
        if box is None:
            continue
        if draw:
            label = kit.label(area.shown, *box, _name_style(kit, area, size), "map-label")
            if label is not None:
                chart.label(label)
                area.label, area.label_box = label, label.box
        return True
    return False


def _padded(box: Box, pad: float) -> Box:
    return (box[0] - pad, box[1] - pad, box[2] + 2 * pad, box[3] + 2 * pad)


#: Where a label may sit, as fractions of the area's inscribed radius from its pole: the pole
#: first, then beside it along the longer axis of a narrow area.
_NUDGES = ((0.0, 0.0), (0.45, 0.0), (-0.45, 0.0), (0.0, 0.45), (0.0, -0.45), (0.7, 0.3),
           (-0.7, -0.3), (0.7, -0.3), (-0.7, 0.3))


def _free_spot(w: float, h: float, area: DrawnArea, taken: list[Box], within: Box
               ) -> Box | None:
    cx, cy = area.pole
    for fx, fy in _NUDGES:
        box = (cx + fx * area.room - w / 2, cy + fy * area.room - h / 2, w, h)
        if _free(box, area, taken, within):
            return box
    return None


def _free(box: Box, area: DrawnArea | None, taken: list[Box], within: Box) -> bool:
    x, y, w, h = box
    bx, by, bw, bh = within
    if x < bx or y < by or x + w > bx + bw or y + h > by + bh:
        return False
    if any(boxes_overlap(box, other) for other in taken):
        return False
    return area is None or box_inside(box, area.polygons)


def _place_number(kit: ChartKit, chart: MapChart, area: DrawnArea, number: int, size: float,
                  taken: list[Box], draw: bool = True) -> None:
    """A numbered badge at the pole, or the nearest free spot around it with a leader line."""
    text = str(number)
    style = kit.style("figures", size, weight=700, fill=kit.theme.palette["text"],
                      align="center", overflow="visible")
    diameter = max(kit.measure(text, style) + size * 0.5, size * 1.35)
    cx, cy = area.pole
    spot = None
    box = (cx - diameter / 2, cy - diameter / 2, diameter, diameter)
    if _free(box, area, taken, chart.map_box):
        spot = (cx, cy)
    else:
        for radius in (diameter * f for f in (1.2, 1.8, 2.5, 3.3, 4.2)):
            for step in range(16):
                angle = step * math.pi / 8 - math.pi / 2
                px, py = cx + radius * math.cos(angle), cy + radius * math.sin(angle)
                box = (px - diameter / 2, py - diameter / 2, diameter, diameter)
                if _free(box, None, taken, chart.map_box) and not _crosses_labels(
                        (cx, cy), (px, py), taken):
                    spot = (px, py)
                    break
            if spot:
                break
    if spot is None:
        if not draw:
            return
        chart.warnings.append(f"map: no room for the label of '{area.name}' (listed in the "
                              "legend without a number on the map)")
        return
    px, py = spot
    palette = kit.theme.palette
    if not draw:
        taken.append(_padded((px - diameter / 2, py - diameter / 2, diameter, diameter), 2))
        area.key_number = number
        return
    if (px, py) != (cx, cy):
        length = math.hypot(px - cx, py - cy)
        ex, ey = px - (px - cx) / length * diameter / 2, py - (py - cy) / length * diameter / 2
        chart.add(f'<line class="map-leader" x1="{num(cx)}" y1="{num(cy)}" x2="{num(ex)}" '
                  f'y2="{num(ey)}" stroke="{escape(palette["text"])}" stroke-width="1.5"/>'
                  f'<circle cx="{num(cx)}" cy="{num(cy)}" r="2.5" '
                  f'fill="{escape(palette["text"])}"/>')
        area.leader = (cx, cy, ex, ey)
    chart.add(f'<circle class="map-key" cx="{num(px)}" cy="{num(py)}" r="{num(diameter / 2)}" '
              f'fill="{escape(palette["background"])}" stroke="{escape(palette["text"])}" '
              'stroke-width="1.5"/>')
    box = (px - diameter / 2, py - diameter / 2, diameter, diameter)
    label = kit.label(text, box[0], box[1] + (diameter - kit.line_height(style)) / 2, diameter,
                      kit.line_height(style), style, "map-key")
    if label is not None:
        chart.label(label)
        area.label = label
    area.label_box = box
    area.key_number = number
    taken.append(_padded(box, 2))


#: The 32 directions a callout is tried in, around its area's pole: (cos, sin) of each angle,
#: computed once.
_CALLOUT_DIRECTIONS = [(math.cos(step * math.pi / 16), math.sin(step * math.pi / 16))
                       for step in range(32)]

#: Where a callout goes: its box, the size of its name, and where its leader line ends
#: (None: inside its area, no leader).
_Spot = tuple[Box, float, "tuple[float, float] | None"]


def _callout_spot(kit: ChartKit, chart: MapChart, outlines: Outlines | None,
                  area: DrawnArea, sizes: list[float], size: float, taken: list[Box],
                  leaders: list[tuple[float, float, float, float]], within: Box
                  ) -> _Spot | None:
    """Where the area's name goes: inside it if it fits there (at the first or second of
    ``sizes``), else at ``size`` in a box beside it — of
    the spots around the area whose box stays ``within``, clear of the other labels, with a
    leader line that crosses no label and no other leader, the one that covers the least of
    the map and lies nearest. The box is added to ``taken``, the leader to ``leaders``."""
    area.shown = area.name
    for inside in sizes[:2]:
        box = _name_box(kit, area, inside, taken, chart.map_box)
        if box is not None:
            return box, inside, None
    w, h = _callout_extent(kit, area.name, size)
    cx, cy = area.pole
    best: tuple[float, Box, tuple[float, float]] | None = None
    # the up to 512 spots tried make this the labels' inner loop: names bound once
    half_w, half_h = w / 2, h / 2
    left, top = within[0], within[1]
    right, bottom = within[0] + within[2], within[1] + within[3]
    coverage = outlines.coverage_of(w, h) if outlines else None
    for ring in range(16):
        reach = area.room + h * (0.8 + ring)
        distance = reach / (8 * h)
        if best is not None and best[0] <= distance:
            break  # no spot farther out can score better
        for along, across in _CALLOUT_DIRECTIONS:
            bx, by = cx + reach * along - half_w, cy + reach * across - half_h
            if bx <= cx <= bx + w and by <= cy <= by + h:
                continue  # over its own pole
            if bx < left or by < top or bx + w > right or by + h > bottom:
                continue
            # off the map first: a box half over it costs as much as one 12 lines farther away
            score = 3 * (coverage(bx, by) if coverage else 0.0) + distance
            if best is not None and score >= best[0]:
                continue  # the cheap test first: the others look at every label and leader
            box = (bx, by, w, h)
            if not _free(box, None, taken, within):
                continue
            end = (min(max(cx, box[0]), box[0] + w), min(max(cy, box[1]), box[1] + h))
            if _crosses_labels((cx, cy), end, taken) or any(
                    segments_cross((cx, cy), end, (x1, y1), (x2, y2))
                    or _meets(_padded(box, 2), (x1, y1), (x2, y2))
                    for x1, y1, x2, y2 in leaders):
                continue
            best = (score, box, end)
    if best is None:
        return None
    _, box, end = best
    taken.append(_padded(box, 2))
    leaders.append((cx, cy, *end))
    return box, size, end


def _callout_extent(kit: ChartKit, name: str, size: float) -> tuple[float, float]:
    style = _callout_style(kit, size)
    pad = size * 0.3
    return kit.measure(name, style) + 2 * pad + 2, kit.line_height(style) + pad


def _callout_style(kit: ChartKit, size: float) -> Any:
    return kit.style("body", size, weight=700, fill=kit.theme.palette["text"],
                     align="center", overflow="visible")


def _draw_callout(kit: ChartKit, chart: MapChart, area: DrawnArea, spot: _Spot | None
                  ) -> None:
    """The callout found by :func:`_callout_spot`: the name inside its area, or framed beside
    it with a leader line from the area's pole (a dot) to the frame."""
    if spot is None:
        chart.warnings.append(f"map: no room beside '{area.name}' for its name")
        return
    box, size, end = spot
    if end is None:
        label = kit.label(area.shown, *box, _name_style(kit, area, size), "map-label")
        if label is not None:
            chart.label(label)
            area.label, area.label_box = label, label.box
        return
    palette = kit.theme.palette
    ink = escape(palette["text"])
    (cx, cy), (ex, ey) = area.pole, end
    x, y, w, h = box
    pad = size * 0.3
    chart.add(f'<line class="map-leader" x1="{num(cx)}" y1="{num(cy)}" x2="{num(ex)}" '
              f'y2="{num(ey)}" stroke="{ink}" stroke-width="1.5"/>'
              f'<circle cx="{num(cx)}" cy="{num(cy)}" r="2.5" fill="{ink}"/>'
              f'<rect class="map-callout" x="{num(x)}" y="{num(y)}" width="{num(w)}" '
              f'height="{num(h)}" rx="{num(pad)}" fill="{escape(palette["background"])}" '
              f'stroke="{ink}" stroke-width="1.5"/>')
    label = kit.label(area.name, x + pad, y + pad / 2, w - 2 * pad, h - pad,
                      _callout_style(kit, size), "map-callout")
    if label is not None:
        chart.label(label)
        area.label = label
    area.label_box, area.leader = box, (cx, cy, ex, ey)


def _meets(box: Box, a: tuple[float, float], b: tuple[float, float]) -> bool:
    """Whether the segment from ``a`` to ``b`` touches ``box`` (an end inside, or a side
    crossed)."""
    x, y, w, h = box
    if any(x <= px <= x + w and y <= py <= y + h for px, py in (a, b)):
        return True
    corners = [(x, y), (x + w, y), (x + w, y + h), (x, y + h)]
    return any(segments_cross(a, b, p, q) for p, q in zip(corners, corners[1:] + corners[:1]))


def _crosses_labels(a: tuple[float, float], b: tuple[float, float], taken: list[Box]) -> bool:
    """Whether the leader from ``a`` to ``b`` runs through a placed label (sampled)."""
    for step in range(1, 10):
        t = step / 10
        px, py = a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t
        if any(bx <= px <= bx + bw and by <= py <= by + bh for bx, by, bw, bh in taken):
            return True
    return False


# --- legend -----------------------------------------------------------------------------------

LegendItem = tuple[str, str | None, int | None]  # text, swatch colour (None: a key line), class


def _legend_items(chart: MapChart, no_data: list[str], counts: bool) -> list[LegendItem]:
    items: list[LegendItem] = []
    for index, category in enumerate(chart.classes):
        count = chart.counts[index] if chart.counts else 0
        items.append((f"{category.name}:\u00a0{_count_text(count)}" if counts
                      else category.name, category.color, index))
    if no_data:
        names = ", ".join(no_data[:4]) + (f" và {len(no_data) - 4} nơi khác"
                                           if len(no_data) > 4 else "")
        items.append((f"{NO_DATA}: {names}", "no-data", None))
    keyed = sorted((a for a in chart.areas if a.key_number), key=lambda a: a.key_number or 0)
    for area in keyed:
        items.append((f"{area.key_number}. {area.name}", None, None))
    return items


@lru_cache(maxsize=1024)  # the legend is measured several times a render
def _count_text(count: int) -> str:
    return format_number(count, locale="vi_VN")


def _legend_width(kit: ChartKit, items: list[LegendItem], width: float, size: float) -> float:
    """Width of a legend beside the map: its longest entry, at most 55 % of the box."""
    style = kit.style("body", size)
    return min(width * 0.55, max(kit.measure(text, style) for text, _, _ in items) + size * 2.2)


@dataclass
class _LegendCell:
    text: str
    colour: str | None   # a swatch colour, "no-data", or None for a numbered key line
    klass: int | None
    box: Box             # relative to the legend's top left corner


def _legend_cells(kit: ChartKit, items: list[LegendItem], width: float, size: float
                  ) -> tuple[list[_LegendCell], float]:
    """Where each legend entry goes in a legend ``width`` wide, and the legend's height: the
    class swatches in as many columns as their longest entry allows (else one a row, wrapping
    onto two lines), then the numbered key in columns."""
    style = kit.style("body", size, max_lines=2)
    line_h = kit.line_height(style)
    gap = size * 0.35
    indent = size * 1.6
    cells: list[_LegendCell] = []
    swatches = [item for item in items if item[1] is not None]
    keys = [item for item in items if item[1] is None]
    cursor = 0.0
    if swatches:
        item_w = max(kit.measure(text, style) for text, _, _ in swatches) + indent + size
        columns = max(1, min(len(swatches), int(width // item_w)))
        column_w = width / columns
        for start in range(0, len(swatches), columns):
            row_h = 0.0
            for column, (text, colour, klass) in enumerate(swatches[start:start + columns]):
                h = min(kit.placer.height(text, style, column_w - indent), line_h * 2 + 1)
                cells.append(_LegendCell(text, colour, klass,
                                         (column * column_w, cursor, column_w - size * 0.5, h)))
                row_h = max(row_h, h)
            cursor += row_h + gap
    if keys:
        key_w = max(kit.measure(text, style) for text, _, _ in keys) + size
        columns = max(1, int(width // max(key_w, 1)))
        column_w = width / columns
        for index, (text, _, _) in enumerate(keys):
            column, line = index % columns, index // columns
            cells.append(_LegendCell(text, None, None, (column * column_w,
                                                        cursor + line * (line_h + gap),
                                                        column_w - size * 0.5, line_h)))
        cursor += (line_h + gap) * math.ceil(len(keys) / columns)
    return cells, max(0.0, cursor - gap)


def _legend_height(kit: ChartKit, items: list[LegendItem], width: float, size: float) -> float:
    return _legend_cells(kit, items, width, size)[1]


def _draw_legend(kit: ChartKit, chart: MapChart, items: list[LegendItem], box: Box,
                 size: float, hatch_ids: dict[Any, str]) -> None:
    """The legend's swatches (hatched like their areas) and texts, as :func:`_legend_cells`
    lays them out."""
    x, y, width, _height = box
    palette = kit.theme.palette
    style = kit.style("body", size, fill=palette["text"], max_lines=2, min_size=kit.floor)
    key_style = kit.style("body", size, fill=palette["text"], min_size=kit.floor)
    line_h = kit.line_height(style)
    swatch = size * 1.1
    indent = size * 1.6
    no_data_fill = kit.tint(palette["muted"], 0.72)
    cells, _ = _legend_cells(kit, items, width, size)
    for cell in cells:
        cx, cy, cw, ch = cell.box
        if cell.colour is None:
            chart.label(kit.label(cell.text, x + cx, y + cy, cw, ch, key_style,
                                  "map-key-legend"))
            continue
        fill = no_data_fill if cell.colour == "no-data" else cell.colour
        top = y + cy + (line_h - swatch) / 2
        chart.add(f'<rect class="legend-swatch" x="{num(x + cx)}" y="{num(top)}" '
                  f'width="{num(swatch)}" height="{num(swatch)}" rx="{num(swatch * 0.2)}" '
                  f'fill="{escape(fill)}" stroke="{escape(kit.grid_color())}"/>')
        pattern = hatch_ids.get(cell.klass if cell.colour != "no-data" else "none")
        if pattern:
            chart.add(f'<rect x="{num(x + cx)}" y="{num(top)}" width="{num(swatch)}" '
                      f'height="{num(swatch)}" rx="{num(swatch * 0.2)}" '
                      f'fill="url(#{pattern})"/>')
        chart.label(kit.label(cell.text, x + cx + indent, y + cy, cw - indent, ch + 1, style,
                              "map-legend"))


def _hatch_defs(kit: ChartKit, chart: MapChart, count: int) -> dict[Any, str]:
    """One ``<pattern>`` per class (none for the first: plain), and dots for no data."""
    ink = escape(kit.theme.palette["text"])
    ids: dict[Any, str] = {}
    defs = []
    for index in range(count):
        angle, spacing = _HATCHES[min(index, len(_HATCHES) - 1)] if count > 1 else (0, 0.0)
        if index == 0 or spacing == 0:
            continue
        pid = kit.new_id("map-hatch")
        gap = 2.2 * spacing
        defs.append(f'<pattern id="{pid}" patternUnits="userSpaceOnUse" width="{num(gap)}" '
                    f'height="{num(gap)}" patternTransform="rotate({angle})">'
                    f'<line x1="0" y1="0" x2="0" y2="{num(gap)}" stroke="{ink}" '
                    f'stroke-width="{num(min(2.2, gap * 0.35))}" stroke-opacity="0.55"/>'
                    '</pattern>')
        ids[index] = pid
    pid = kit.new_id("map-hatch")
    defs.append(f'<pattern id="{pid}" patternUnits="userSpaceOnUse" width="8" height="8">'
                f'<circle cx="4" cy="4" r="1.2" fill="{ink}" fill-opacity="0.5"/></pattern>')
    ids["none"] = pid
    chart.add("<defs>" + "".join(defs) + "</defs>")
    return ids
