"""One artboard of a drawing → what the template draws: which elements stay as they are,
which become ``text(...)``, ``image(...)``, ``qr(...)`` or ``icon(...)``, and the fields and
slots the manifest declares for them."""

from __future__ import annotations

import re
from typing import Any
from xml.etree.ElementTree import Element

from ...errors import LayoutError
from ...svgsyntax import NUMBER
from ...text.fonts import FontRegistry
from .chrome import is_chrome, plan_chrome
from .drawing import Drawing, Page, element_name, local, parse_style
from .lists import TEXT_TAGS, add_column, card_rect, cards_of, plan_list, texts_in
from .marks import Mark, NameError_, parse_mark, placeholders
from .matrix import Matrix, length
from .parts import PagePlan, TextCall, default_max_length, field_expr, jinja_string, label
from .pictures import plan_icon, plan_picture, plan_shape, shape_box
from .report import Match
from .textslots import (TextRead, capacity, hex_colour, place, read_text, rect_box,
                        slot_style)

#: How far (canvas units) a text may reach past the artboard before it is an error.
OUTSIDE_TOLERANCE = 4.0

class Planner:
    """Walks one artboard's elements and decides what each becomes."""

    def __init__(self, drawing: Drawing, page: Page, canvas: tuple[float, float],
                 registry: FontRegistry, warnings: list[str], *,
                 keep_sizes: bool = False) -> None:
        k = canvas[0] / page.width
        self.plan = PagePlan(drawing, page, Matrix(a=k, d=k, e=-page.x * k, f=-page.y * k),
                             canvas)
        self.d, self.registry, self.warnings = drawing, registry, warnings
        self.keep_sizes = keep_sizes
        self.marks: dict[int, Mark] = {}
        self.boxes: dict[str, Element] = {}
        self.styles: dict[str, tuple[dict[str, Any], Element]] = {}
        self.counter = 0
        self.last_capacity = 0
        #: elements a header or footer draws (left out of the walk)
        self.consumed: set[int] = set()

    # --- the walk -----------------------------------------------------------------------
    def run(self) -> PagePlan:
        for element in self.d.iter():
            name = element_name(element)
            try:
                mark = parse_mark(name) if name else None
            except NameError_ as exc:
                raise LayoutError(f"{self.d.describe(element)}: {exc}") from None
            if mark is not None:
                self.marks[id(element)] = mark
                if mark.kind == "box" and local(element.tag) == "rect" \
                        and self._on_page(element):
                    self.boxes.setdefault(mark.field, element)
        self.extents = self._extents()
        self.walk(self.d.root, group=None)
        return self.plan

    def _extents(self) -> dict[int, tuple[float, float, float, float]]:
        """Each text's drawn extent on the canvas, before any box grows: what a text growing
        to the margin must stop short of."""
        found = {}
        for element in self.d.iter():
            if local(element.tag) not in TEXT_TAGS or not self._on_page(element):
                continue
            try:
                read = read_text(self.d, element, self.registry)
            except LayoutError:
                continue  # reported when the text itself is planned
            if not read.lines:
                continue
            scale = (self.plan.matrix @ self.d.matrix(element)).scale
            spec = slot_style(read, scale, "", fixed=True, exact=True)  # as drawn
            placement = place(self.d, read, self.plan.matrix, self.plan.canvas, spec,
                              "\n".join(read.lines), self.registry, grow=False)
            found[id(element)] = placement.canvas
        return found

    def walk(self, element: Element, group: Mark | None, cell: tuple[Mark, int] | None = None
              ) -> None:
        for child in list(element):
            tag = local(child.tag)
            if not self._on_page(child) or _hidden(child):
                self.plan.skip.add(id(child))  # another page's, or a hidden layer
                continue
            if id(child) in self.consumed:
                continue
            mark = self.marks.get(id(child))
            chrome = is_chrome(self, child) if cell is None else None
            if chrome:
                plan_chrome(self, child, chrome)
                self.walk(child, None)  # what else the band holds, kept as drawn
            elif tag in TEXT_TAGS:
                self.text(child, mark, group, cell)
            elif tag == "g":
                if mark and mark.kind in ("list", "field") and cards_of(child, mark) and not cell:
                    plan_list(self, child, mark)
                elif mark and mark.kind == "field" and texts_in(child) == 1:
                    self.walk(child, mark, cell)
                elif mark and mark.kind == "icon":
                    plan_icon(self, child, mark)
                else:
                    self.walk(child, group, cell)
            elif tag in ("rect", "image", "circle", "ellipse", "use") and mark is not None:
                plan_shape(self, child, mark, cell)
            elif tag == "image":
                plan_picture(self, child, None)
            elif tag in ("a", "switch", "symbol", "defs", "clipPath", "mask", "pattern"):
                if tag in ("a", "switch"):
                    self.walk(child, group, cell)

    def _on_page(self, element: Element) -> bool:
        """On a multi-page drawing, whether ``element`` lies on this page (by its anchor)."""
        if len(self.d.pages) < 2:
            return True
        if local(element.tag) in ("g", "a", "switch") and len(element):
            return any(self._on_page(child) for child in element)
        point = _anchor(self.d, element)
        if point is None:
            return True
        x, y = point
        p = self.plan.page
        return p.x <= x <= p.x + p.width and p.y <= y <= p.y + p.height

    # --- text ---------------------------------------------------------------------------
    def text(self, element: Element, mark: Mark | None, group: Mark | None,
              cell: tuple[Mark, int] | None) -> None:
        read = read_text(self.d, element, self.registry)
        if not read.lines:
            self.plan.skip.add(id(element))
            return
        for note in read.notes:
            self.warnings.append(f"{self.d.describe(element)}: {note}")
        layer = element_name(element)
        mark = mark if mark and mark.kind in ("field", "cell") else (
            group if group and group.kind == "field" else None)
        if cell is not None:
            list_mark, row = cell
            # Figma numbers the copies' layers heading_2, heading_3…: one column
            column = re.sub(r"_\d+$", "", mark.field) if mark else None
            if column is None:
                return self._fixed(element, read)
            slot = f"{list_mark.field}_{column}"
            value = f"{field_expr(list_mark.field)}[{row}].{column}"
            self._slot(element, read, slot, value, frame_field=None, fixed=False,
                       layer=layer or column, what=f"list '{list_mark.field}', card {row + 1}, "
                       f"column '{column}'", card=card_rect(self, element))
            add_column(self.plan, list_mark.field, column, read.joined, row)
            return
        if mark is not None and mark.kind == "cell":
            slot = f"{mark.field}_{mark.column}"
            value = f"{field_expr(mark.field)}[{mark.row - 1}].{mark.column}"
            self.plan.guards[id(element)] = f"{field_expr(mark.field)} | length >= {mark.row}"
            self._slot(element, read, slot, value, frame_field=None, fixed=False, layer=layer,
                       what=f"list '{mark.field}', row {mark.row}, column '{mark.column}'")
            add_column(self.plan, mark.field, mark.column, read.joined, mark.row - 1)
            return
        if mark is not None:
            self.add_field(mark.field, read.joined)
            self._slot(element, read, mark.field, field_expr(mark.field), frame_field=mark.field,
                       fixed=False, layer=layer or mark.raw, what=f"text field '{mark.field}'")
            return
        text = "\n".join(read.lines) if not read.flowed else read.joined
        try:
            pieces = placeholders(read.joined)
        except NameError_ as exc:
            raise LayoutError(f"{self.d.describe(element)}: {exc}") from None
        named = [f for _, f in pieces if f]
        if named:
            parts = []
            for literal, name in pieces:
                if literal:
                    parts.append(jinja_string(literal))
                if name:
                    parts.append(f"({field_expr(name)} or \"\")")
                    self.add_field(name, "{{ " + name + " }}", placeholder=True)
            slot = named[0] if named[0] not in self.plan.slots else f"{named[0]}_text"
            self._slot(element, read, slot, " ~ ".join(parts), frame_field=None, fixed=False,
                       layer=read.joined, what=f"text with {', '.join(named)} filled in")
            room = self.last_capacity - sum(len(literal) for literal, _ in pieces)
            for name in named:  # the words around the fields take their share of the box
                spec = self.plan.fields[name]
                spec["max_length"] = max(10, min(spec["max_length"], room // len(named)))
            return
        self.plan.unmarked.append(text)
        self._fixed(element, read, text)

    def _fixed(self, element: Element, read: TextRead, text: str | None = None) -> None:
        self.counter += 1
        self.plan.fixed += 1
        text = text if text is not None else "\n".join(read.lines)
        self._slot(element, read, f"fixed_{self.counter}", jinja_string(text), frame_field=None,
                   fixed=True, layer="", what="")

    def _slot(self, element: Element, read: TextRead, slot: str, value: str, *,
              frame_field: str | None, fixed: bool, layer: str, what: str,
              card: Element | None = None) -> None:
        if read.family_note:
            self.warnings.append(f"{self.d.describe(element)}: {read.family_note}")
        own = self.d.matrix(element)
        total = self.plan.matrix @ own
        spec = slot_style(read, total.scale, slot.split("_")[-1] if "_" in slot else slot,
                          fixed=fixed, exact=self.keep_sizes)
        frame = None
        if frame_field and frame_field in self.boxes:
            frame = rect_box(self.d, self.boxes[frame_field], element)
        elif frame_field:
            parent = self.d.parent(element)
            if parent is not None and self.marks.get(id(parent)) and \
                    self.marks[id(parent)].field == frame_field:
                first = next((r for r in parent if local(r.tag) == "rect"), None)
                if first is not None:
                    frame = rect_box(self.d, first, element)
        sample = "\n".join(read.lines)  # the extent is measured as drawn, line by line
        bounds = None
        if card is not None:  # a card's text grows to the card's edge, not the artboard's
            bounds = (self.plan.matrix @ self.d.matrix(card)).box(*shape_box(self, card, "a card"))
            bounds = (bounds[0] + 24, bounds[1], bounds[2] - 48, bounds[3])
        if not fixed and len(read.lines) > 1 and not read.frame and spec.get("role") == "title":
            spec["balance"] = True  # lines drawn one by one: keep them even, as drawn
        placement = place(self.d, read, self.plan.matrix, self.plan.canvas, spec, sample,
                          self.registry, grow=not fixed and read.frame is None and frame is None,
                          frame=frame, bounds=bounds,
                          obstacles=[b for i, b in self.extents.items() if i != id(element)])
        x, y, w, h = placement.canvas
        cw, ch = self.plan.canvas
        tol = OUTSIDE_TOLERANCE
        if x < -tol or y < -tol or x + w > cw + tol or y + h > ch + tol:
            if x + w < 0 or y + h < 0 or x > cw or y > ch or not fixed:
                raise LayoutError(
                    f"{self.d.describe(element)}: the text \"{read.joined[:40]}\" lies outside "
                    f"the artboard (its box is {x:.0f},{y:.0f} {w:.0f}×{h:.0f} on a "
                    f"{cw:g}×{ch:g} canvas); move it onto the page or delete it")
        background = self._background_at(element, x + w / 2, y + min(h, spec["size"]) / 2)
        if background:
            spec["background"] = background
        previous = self.styles.get(slot)
        key_spec = {k: v for k, v in spec.items() if k not in ("min_size", "background")}
        if previous is not None and previous[0] != key_spec and not fixed \
                and not slot.startswith(tuple(f"{f}_" for f in self._lists())):
            raise LayoutError(
                f"field '{slot}' is marked twice with different styles: "
                f"{self.d.describe(previous[1])} and {self.d.describe(element)} "
                f"({_difference(previous[0], key_spec)}); give both the same font, size and "
                "colour, or name one after another field")
        self.styles.setdefault(slot, (key_spec, element))
        self.last_capacity = capacity(spec, placement.box, read.joined, self.registry)
        if not fixed:
            self._limit_length(slot, value, self.last_capacity)
        self.plan.slots.setdefault(slot, spec)
        self.plan.replace[id(element)] = TextCall(slot, value, placement.box,
                                                  placement.transform, spec)
        if what and ", card " in what and ", card 1," not in what:
            return  # a list's columns are reported once, for its first card
        if what:
            self.plan.matches.append(Match(self.d.path.name, self.plan.page.size, layer,
                                           self.d.describe(element), slot,
                                           f"{what} (slot '{slot}', {spec['size']:g} units)"))

    def _background_at(self, text: Element, x: float, y: float) -> str | None:
        """The fill of the last rectangle drawn before ``text`` under the canvas point (x, y):
        what the text sits on, for the contrast check."""
        found = None
        for element in self.d.iter():
            if element is text:
                break
            if local(element.tag) != "rect" or id(element) in self.plan.skip:
                continue
            fill = hex_colour(self.d.computed(element, "fill", "#000000"))
            opacity = self.d.computed(element, "fill-opacity") or "1"
            if fill is None or opacity.strip() not in ("1", "1.0"):
                continue
            bx, by, bw, bh = (self.plan.matrix @ self.d.matrix(element)).box(
                length(element.get("x")), length(element.get("y")),
                length(element.get("width")), length(element.get("height")))
            if bx <= x <= bx + bw and by <= y <= by + bh:
                found = fill
        return found

    def _limit_length(self, slot: str, value: str, most: int) -> None:
        """Lower the field's (or column's) ``max_length`` to what its box holds."""
        match = re.fullmatch(r"(?:data\.)?(\w+)\[\d+\]\.(\w+)", value)
        if match:
            spec = self.plan.fields.get(match.group(1), {}).get("columns", {}).get(
                match.group(2))
        else:
            spec = self.plan.fields.get(value.removeprefix("data."))
        if spec and "max_length" in spec:
            spec["max_length"] = max(10, min(spec["max_length"], most))

    def _lists(self) -> list[str]:
        return [n for n, f in self.plan.fields.items() if f.get("type") == "table"]

    def add_field(self, name: str, sample: str, placeholder: bool = False) -> None:
        spec = self.plan.fields.get(name)
        if spec is None:
            self.plan.fields[name] = {"type": "text", "required": True,
                                      "max_length": default_max_length(name, sample),
                                      "label": label(name),
                                      "sample": sample}

def _hidden(element: Element) -> bool:
    """A hidden layer or object (Inkscape's eye icon writes ``display:none``)."""
    style = parse_style(element.get("style"))
    return (style.get("display", element.get("display")) == "none"
            or style.get("visibility", element.get("visibility")) in ("hidden", "collapse"))


def _anchor(drawing: Drawing, element: Element) -> tuple[float, float] | None:
    """A point of ``element`` in root coordinates, to tell which page it is on."""
    tag = local(element.tag)
    if tag in ("rect", "image", "use"):
        x, y = length(element.get("x")), length(element.get("y"))
        w, h = length(element.get("width")), length(element.get("height"))
        return drawing.matrix(element).point(x + w / 2, y + h / 2)
    if tag in ("circle", "ellipse"):
        return drawing.matrix(element).point(length(element.get("cx")),
                                             length(element.get("cy")))
    if tag == "text":
        first = next((el for el in element.iter() if el.get("y") is not None), element)
        return drawing.matrix(element).point(length(first.get("x")), length(first.get("y")))
    if tag == "g":
        points = [_anchor(drawing, child) for child in element]
        points = [p for p in points if p is not None]
        return points[0] if points else None
    if tag == "path":
        numbers = NUMBER.findall(element.get("d") or "")
        if len(numbers) >= 2:
            return drawing.matrix(element).point(float(numbers[0]), float(numbers[1]))
    return None


def _difference(a: dict[str, Any], b: dict[str, Any]) -> str:
    keys = [k for k in dict.fromkeys([*a, *b]) if a.get(k) != b.get(k)]
    return ", ".join(f"{k} {a.get(k)} vs {b.get(k)}" for k in keys[:3])
