"""A drawing's ``<text>`` (or Inkscape ``<flowRoot>``) → a fitted text slot: its words, style
and box, in canvas units, ready for ``text(...)`` in the template."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Sequence
from xml.etree.ElementTree import Element

from ...colour import is_hex, parse_hex, to_hex
from ...errors import LayoutError
from ...layout.design import SPACE_UNIT, TYPE_STEPS, role_floor
from ...placement import TextPlacer
from ...text.fit import TextStyle
from ...text.fonts import FontRegistry
from ...text.normalize import clean_text
from .drawing import SODIPODI, Drawing, local
from .fonts import family_list, nearest_family, snapped_weight, weight_from_family, weight_of
from .matrix import Matrix, length, parse_transform

#: Space kept between a text grown to the margin and the next text beside it (canvas units).
GAP = 24
#: Below this share of its drawn size a slot may shrink to fit longer data (never under the
#: role's legible floor, see layouts/README.md).
SHRINK = 0.5
_URL = re.compile(r"url\(\s*['\"]?#([^'\")]+)['\"]?\s*\)")
_NAMED_COLOURS = {"black": "#000000", "white": "#ffffff", "red": "#ff0000", "blue": "#0000ff",
                  "green": "#008000", "gray": "#808080", "grey": "#808080", "yellow": "#ffff00",
                  "orange": "#ffa500", "navy": "#000080"}


@dataclass
class TextRead:
    """What a drawing says about one text, in the element's own coordinates."""

    element: Element
    lines: list[str]
    x: float
    y: float  # first baseline
    anchor: str  # start, middle, end
    flowed: bool  # lines were wrapped by the editor (frame, or Figma's one tspan per line)
    frame: tuple[float, float, float, float] | None
    family: str
    family_note: str | None
    weight: int
    italic: bool
    size: float
    colour: str
    tracking: float  # em
    line_height: float | None  # × size
    uppercase: bool
    notes: list[str] = field(default_factory=list)

    @property
    def joined(self) -> str:
        """The words as one paragraph (an editor's line breaks are soft)."""
        return " ".join(" ".join(self.lines).split())


def hex_colour(value: str | None) -> str | None:
    """A CSS colour as ``#rrggbb`` (None for none, gradients and what we cannot read)."""
    if value is None:
        return None
    value = value.strip().lower()
    value = _NAMED_COLOURS.get(value, value)
    if is_hex(value):
        return to_hex(parse_hex(value)).lower()
    channel = r"\s*(\d+(?:\.\d+)?%?)\s*"
    match = re.fullmatch(rf"rgb\({channel},{channel},{channel}\)", value)
    if match:  # rgb(255, 0, 0) or rgb(100%, 0%, 0%)
        return to_hex(float(v[:-1]) * 2.55 if v.endswith("%") else float(v)
                      for v in match.groups()).lower()
    return None


def _style_source(element: Element) -> Element:
    """The element holding the first character: its style is the text's style."""
    if (element.text or "").strip():
        return element
    for child in element:
        if local(child.tag) in ("tspan", "flowPara", "flowSpan", "textPath"):
            if "".join(child.itertext()).strip():
                return _style_source(child)
    return element


def _lines(element: Element) -> tuple[list[str], list[tuple[float | None, float | None]]]:
    """Lines of a <text>: a child tspan with its own x or y (or Inkscape's role="line")
    starts a new line; other tspans continue it. Also each line's (x, y)."""
    lines: list[str] = [element.text or ""]
    starts: list[tuple[float | None, float | None]] = [
        (_first(element.get("x")), _first(element.get("y")))]
    for child in element:
        tag = local(child.tag)
        if tag not in ("tspan", "textPath", "a"):
            continue
        new_line = child.get("y") is not None or child.get("dy") is not None \
            or child.get(f"{{{SODIPODI}}}role") == "line"
        if new_line and "".join(lines[-1:]).strip():
            lines.append("")
            starts.append((_first(child.get("x")), _first(child.get("y"))))
        elif new_line or starts[-1] == (None, None):
            starts[-1] = (_first(child.get("x"), starts[-1][0]),
                          _first(child.get("y"), starts[-1][1]))
        lines[-1] += "".join(child.itertext())
        lines[-1] += child.tail or ""
    kept = [(" ".join(line.split()), start) for line, start in zip(lines, starts)]
    kept = [(line, start) for line, start in kept if line]
    return [k[0] for k in kept], [k[1] for k in kept]


def _first(value: str | None, default: float | None = None) -> float | None:
    if value is None:
        return default
    parts = value.replace(",", " ").split()
    return length(parts[0]) if parts else default


def rect_box(drawing: Drawing, rect: Element, into: Element
             ) -> tuple[float, float, float, float]:
    """A text box rectangle in ``into``'s coordinates (an error naming it if it has no size)."""
    x, y = length(rect.get("x")), length(rect.get("y"))
    w, h = length(rect.get("width")), length(rect.get("height"))
    if w <= 0 or h <= 0:
        raise LayoutError(f"{drawing.describe(rect)}: the text box has no size ({w:g}×{h:g}); "
                          "draw it as a rectangle with a width and a height")
    to_into = drawing.matrix(into).inverse() @ drawing.matrix(rect)
    return to_into.box(x, y, w, h)


def _by_id(drawing: Drawing, ident: str) -> Element | None:
    return next((el for el in drawing.iter() if el.get("id") == ident), None)


def read_text(drawing: Drawing, element: Element, registry: FontRegistry) -> TextRead:
    """Read a <text> or <flowRoot>: lines, first baseline, frame and style."""
    frame = None
    notes: list[str] = []
    if local(element.tag) == "flowRoot":
        region = next((el for el in element.iter() if local(el.tag) == "flowRegion"), None)
        rect = next((el for el in (region.iter() if region is not None else ())
                     if local(el.tag) == "rect"), None)
        if rect is None:
            raise LayoutError(f"{drawing.describe(element)}: flowed text needs a rectangle as "
                              "its frame (Text → Flow into Frame with a rectangle)")
        frame = rect_box(drawing, rect, element)
        paras = [" ".join("".join(p.itertext()).split()) for p in element.iter()
                 if local(p.tag) == "flowPara"]
        lines = [p for p in paras if p]
        source = _style_source(next((p for p in element.iter() if local(p.tag) == "flowPara"),
                                    element))
        x, y = frame[0], frame[1]
        starts: list[tuple[float | None, float | None]] = []
    else:
        lines, starts = _lines(element)
        source = _style_source(element)
        match = _URL.search(drawing.computed(element, "shape-inside") or "")
        target = _by_id(drawing, match.group(1)) if match else None
        if target is not None and local(target.tag) == "rect":
            # Inkscape reads the frame in the text's own coordinates
            frame = parse_transform(target.get("transform")).box(
                length(target.get("x")), length(target.get("y")),
                length(target.get("width")), length(target.get("height")))
            if frame[2] <= 0 or frame[3] <= 0:
                raise LayoutError(f"{drawing.describe(target)}: the text frame of "
                                  f"{drawing.describe(element)} has no size")
        elif match:
            notes.append("its shape-inside frame is not a rectangle: the box is the text's "
                         "extent")
        x = next((s[0] for s in starts if s[0] is not None), 0.0)
        y = next((s[1] for s in starts if s[1] is not None), 0.0)
    families = family_list(drawing.computed(source, "font-family", "sans-serif"))
    family, note = nearest_family(families, registry)
    style_value = (drawing.computed(source, "font-style") or "normal").lower()
    italic = style_value in ("italic", "oblique") or any(
        f.lower().endswith("italic") for f in families[:1])
    weight = weight_of(drawing.computed(source, "font-weight"))
    weight = max(weight, weight_from_family(families) or 0)
    weight = snapped_weight(registry, family, weight, "italic" if italic else "normal")
    size = length(drawing.computed(source, "font-size"), 16.0)
    fill = drawing.computed(source, "fill", "#000000")
    colour = hex_colour(fill)
    if colour is None:
        notes.append(f"its fill ({(fill or '')[:40]}) is not a plain colour: set in black; "
                     "give the text a solid colour in the editor")
        colour = "#000000"
    spacing = drawing.computed(source, "letter-spacing")
    tracking = length(spacing, 0.0, font_size=size) / size if spacing not in (None, "normal") \
        else 0.0
    anchor = (drawing.computed(source, "text-anchor") or "start").lower()
    align = (drawing.computed(source, "text-align") or "").lower()
    if frame is not None and align in ("center", "right", "end", "justify"):
        anchor = {"center": "middle", "right": "end", "end": "end"}.get(align, "justify")
    line_height = _line_height(drawing.computed(source, "line-height"), size)
    if line_height is None and len(starts) > 1 and starts[0][1] is not None \
            and starts[1][1] is not None:
        line_height = (starts[1][1] - starts[0][1]) / size
    flowed = frame is not None or (len(lines) > 1 and element.get(
        "{http://www.w3.org/XML/1998/namespace}space") == "preserve")
    return TextRead(element, lines, x, y, anchor if anchor in ("start", "middle", "end",
                                                               "justify") else "start",
                    flowed, frame, family, note, weight, italic, size, colour, tracking,
                    line_height, (drawing.computed(source, "text-transform") or "") ==
                    "uppercase", notes)


def _line_height(value: str | None, size: float) -> float | None:
    if value in (None, "", "normal"):
        return None
    value = value.strip()
    try:
        if value.endswith("%"):
            return float(value[:-1]) / 100
        return float(value)
    except ValueError:
        px = length(value, 0.0, font_size=size)
        return px / size if px > 0 else None


def role_for(name: str, size: float) -> str | None:
    """The design-system role of a slot drawn at ``size`` canvas units."""
    if size < 20:
        return None
    if size < 24:
        return "caption"
    if name == "title" or size >= 40:
        return "title"
    return "body"


def nearest_step(size: float) -> int:
    """The type step nearest ``size`` (a tie goes to the smaller step, so the drawn text still
    fits the box drawn for it)."""
    return min(TYPE_STEPS.values(), key=lambda step: (abs(step - size), step))


def step_below(size: float, floor: float = 0) -> int:
    """The largest type step not above ``size``, and not below ``floor``."""
    steps = sorted(TYPE_STEPS.values())
    below = [step for step in steps if step <= size + 1e-6] or steps[:1]
    return max(below[-1], min((step for step in steps if step >= floor), default=steps[0]))


def on_grid(value: float, how: str = "nearest") -> float:
    """``value`` on the 4-unit spacing grid (``how``: nearest, down or up)."""
    steps = value / SPACE_UNIT
    rounded = {"down": math.floor, "up": math.ceil}.get(how, round)(round(steps, 6))
    return float(rounded * SPACE_UNIT)


def slot_style(read: TextRead, scale: float, name: str, *, fixed: bool,
               exact: bool = False) -> dict:
    """The slot spec (layout.yaml keys) for a text drawn at ``scale`` canvas units per unit.

    The size is the type step nearest the drawn size and the smallest size a step too (the
    design system's scale, see infographic/layout/design.py); ``exact`` keeps the drawn size
    (to half a unit) instead (``infographic import --keep-sizes``)."""
    drawn = round(read.size * scale * 2) / 2
    size = drawn if exact else nearest_step(drawn)
    role = role_for(name, size)
    spec: dict = {"font": read.family, "weight": read.weight, "size": size}
    if read.italic:
        spec["style"] = "italic"
    floor = role_floor(role) or 0
    smallest = size * 0.85 if fixed else max(size * SHRINK, floor)
    if exact:
        spec["min_size"] = round(min(size, smallest) * 2) / 2
    else:
        spec["min_size"] = min(size, step_below(smallest, floor))
    if read.line_height:
        spec["line_height"] = round(max(0.8, min(3.0, read.line_height)), 3)
    if read.tracking:
        spec["tracking"] = round(read.tracking, 4)
    align = {"start": "left", "middle": "center", "end": "right", "justify": "justify"}
    if read.anchor != "start":
        spec["align"] = align[read.anchor]
    if read.uppercase:
        spec["uppercase"] = True
    spec["color"] = read.colour
    if role:
        spec["role"] = role
    return spec


@dataclass
class Placement:
    """Where the text goes: the transform of its group and its box in canvas units."""

    transform: str
    box: tuple[float, float, float, float]
    size_units: float
    #: the box on the canvas (the same as ``box`` unless the text is rotated or skewed)
    canvas: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)


def measure(text: str, spec: dict, registry: FontRegistry) -> tuple[float, float, float]:
    """(widest line, block height, ascent) of ``text`` set unwrapped at the spec's size."""
    style = TextStyle(family=spec["font"], weight=spec["weight"],
                      style=spec.get("style", "normal"), size=spec["size"],
                      line_height=spec.get("line_height", 1.3),
                      tracking=spec.get("tracking", 0.0), uppercase=spec.get("uppercase", False),
                      overflow="visible")
    # set through the one text-placement service, as every layout's text is measured
    fitted = TextPlacer(registry).fit(clean_text(text), style, 1e9, 1e9)
    widest = max((line.width for line in fitted.lines), default=0.0) * fitted.size
    return widest, fitted.height, fitted.ascent * fitted.size


def capacity(spec: dict, box: tuple[float, float, float, float], sample: str,
             registry: FontRegistry) -> int:
    """About how many characters of text like ``sample`` the box holds at the slot's
    ``min_size``: the field's ``max_length`` promises no more than the layout can set."""
    words = " ".join(sample.split()) or "Phát huy hiệu quả tuyên truyền"
    small = {**spec, "size": spec["min_size"]}
    width, _, _ = measure(words, small, registry)
    per_char = max(width / len(words), 1e-6)
    line = small["size"] * max(spec.get("line_height", 1.3), 1.35)
    lines = max(1, round(box[3] / line))
    return max(len(words), int(box[2] / per_char * 0.85) * lines)


def place(drawing: Drawing, read: TextRead, page: Matrix, canvas: tuple[float, float],
          spec: dict, value: str, registry: FontRegistry, *, grow: bool,
          frame: tuple[float, float, float, float] | None = None,
          bounds: tuple[float, float, float, float] | None = None,
          obstacles: "Sequence[tuple[float, float, float, float]]" = ()) -> Placement:
    """The text's box, in canvas units inside a group that undoes the drawing's scale.

    ``page`` maps the drawing's root coordinates to the canvas. Boxes come from, in order,
    ``frame`` (Inkscape's flowed-text frame, a ``FIELD-box`` rectangle), else the text's
    extent, grown to the artboard margin on the side it is anchored away from (``grow``;
    ``bounds``, a canvas box, replaces the artboard: a list card's edge); growing stops short
    of ``obstacles``, the canvas boxes of the other texts beside it."""
    own = drawing.matrix(read.element)
    total = page @ own
    scale = total.scale
    if scale <= 0:
        raise LayoutError(f"{drawing.describe(read.element)}: its transform flattens it")
    undo = f" scale({1 / scale:.8g})" if abs(scale - 1) > 1e-9 else ""
    transform = f"{read.element.get('transform') or ''}{undo}".strip()
    width, height, ascent = measure(value, spec, registry)
    frame = frame or read.frame
    if frame is not None:
        fx, fy, fw, fh = (v * scale for v in frame)
        if fw <= 0 or fh <= 0:
            raise LayoutError(f"{drawing.describe(read.element)}: its text box has no size")
        if height > fh and read.frame is not None and len(read.lines) > 0:
            fh = height  # the editor let the last line hang below the frame
        if read.frame is None:  # a FIELD-box: where the drawn text sits in it
            top = read.y * scale - ascent
            above, below = top - fy, fy + fh - (top + height)
            if min(above, below) > 0.1 * fh and abs(above - below) < 0.15 * fh:
                spec["valign"] = "middle"
            elif below < 0.05 * fh < above:
                spec["valign"] = "bottom"
        return _on_canvas(drawing, read.element, page, Placement(transform, (fx, fy, fw, fh),
                                                                 scale))
    x, y = read.x * scale, read.y * scale
    top = y - ascent
    grown = (False, False)  # whether the box's left / right edge was grown to a margin
    slack = 2 + 0.04 * width
    left = {"start": x, "middle": x - width / 2, "end": x - width}.get(read.anchor, x)
    box = [left - slack / 2 if read.anchor != "start" else left, top, width + slack, height + 2]
    if read.anchor == "middle":
        box[0] = x - (width + slack) / 2
    if grow and total.axis_aligned:
        # the artboard in the group's coordinates (canvas units, origin at the text's origin)
        to_local = (total @ Matrix(a=1 / scale, d=1 / scale)).inverse()
        ax, ay, aw, ah = to_local.box(*(bounds or (0, 0, *canvas)))
        right_edge = ax + aw
        for ox, oy, ow, oh in (to_local.box(*o) for o in obstacles):
            if oy >= box[1] + box[3] or oy + oh <= box[1]:
                continue  # not beside it
            if ox >= box[0] + box[2]:
                right_edge = min(right_edge, ox - GAP)
            elif ox + ow <= box[0]:
                ax = max(ax, ox + ow + GAP)
        grown = (read.anchor != "start", read.anchor != "end")
        if read.anchor == "start":
            margin = 0.0 if bounds else max(0.0, box[0] - ax)
            box[2] = max(box[2], min(right_edge, ax + aw - margin) - box[0])
        elif read.anchor == "end":
            margin = 0.0 if bounds else max(0.0, right_edge - (box[0] + box[2]))
            new_left = min(box[0], max(ax, to_local.box(*(bounds or (0, 0, *canvas)))[0]
                                        + margin))
            box[2], box[0] = box[0] + box[2] - new_left, new_left
        else:
            half = max(box[2] / 2, min(x - ax, right_edge - x))
            box[0], box[2] = x - half, 2 * half
    placed = _on_canvas(drawing, read.element, page,
                        Placement(transform, (box[0], box[1], box[2], box[3]), scale))
    if not total.axis_aligned:
        return placed  # rotated or skewed: in its own coordinates, kept as measured
    snapped = _on_grid_box(placed.box, *grown)
    return Placement(placed.transform, snapped, 1.0, snapped)


def _on_grid_box(box: tuple[float, float, float, float], grown_left: bool, grown_right: bool
                 ) -> tuple[float, float, float, float]:
    """A box the importer measured, on the 4-unit grid: grown outwards to the grid where it
    wraps the drawn text, inwards where it was grown to a margin or a neighbour."""
    x, y, w, h = box
    left = on_grid(x, "up" if grown_left else "down")
    right = on_grid(x + w, "down" if grown_right else "up")
    top, bottom = on_grid(y, "down"), on_grid(y + h, "up")
    return left, top, right - left, bottom - top


def _on_canvas(drawing: Drawing, element: Element, page: Matrix, placement: Placement
               ) -> Placement:
    """The placement in canvas coordinates, inside a group that undoes the transforms of the
    element's ancestors: the fit report, the geometry checks and the measured contrast then see
    the box where it is drawn. A rotated or skewed text keeps its own coordinates."""
    total = page @ drawing.matrix(element)
    on_canvas = canvas_box(total, placement)
    if not total.axis_aligned:
        return Placement(placement.transform, placement.box, placement.size_units, on_canvas)
    parent = drawing.parent(element)
    ancestors = page @ (drawing.matrix(parent) if parent is not None and parent is not
                        drawing.root else Matrix())
    undo = ancestors.inverse()
    transform = "" if undo.is_identity else undo.svg()
    return Placement(transform, on_canvas, 1.0, on_canvas)


def canvas_box(total: Matrix, placement: Placement) -> tuple[float, float, float, float]:
    """A placement's box on the canvas (to check it lies on the artboard)."""
    inner = total @ Matrix(a=1 / placement.size_units, d=1 / placement.size_units)
    return inner.box(*placement.box)
