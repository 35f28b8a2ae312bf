"""One artboard of a drawing → what the template draws: which elements stay as they are,
which become ``text(...)``, ``image(...)``, ``qr(...)`` or ``icon(...)``, and the fields and
slots the manifest declares for them."""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element

from ...errors import LayoutError
from ...text.fonts import FontRegistry
from ...media.icons import get_icon
from .drawing import XLINK, Drawing, Page, element_name, local
from .marks import PICTURE_NAMES, Mark, NameError_, parse_mark, placeholders
from .matrix import Matrix, length
from .report import Match
from .textslots import TextRead, capacity, hex_colour, place, read_text, slot_style

TEXT_TAGS = ("text", "flowRoot")
#: How far (canvas units) a text may reach past the artboard before it is an error.
OUTSIDE_TOLERANCE = 4.0
#: Longest text a field accepts by default, by field name; others get twice the drawn text.
MAX_LENGTHS = {"title": 90, "lead": 200, "message": 200, "body": 600, "text": 120,
               "heading": 30, "hotline": 20, "date": 40, "source": 80, "sender": 60,
               "issuer": 60}


@dataclass
class TextCall:
    """A ``text(...)`` the template makes, before the slot styles of all drawings are known."""

    slot: str
    value: str  # a Jinja expression
    box: tuple[float, float, float, float]
    transform: str
    spec: dict[str, Any]


@dataclass
class Markup:
    """Template text that replaces an element (a picture, a QR code, an icon); with ``keep``
    the element is drawn too, under it (a picture's placeholder rectangle)."""

    text: str
    keep: bool = False


@dataclass
class PagePlan:
    drawing: Drawing
    page: Page
    matrix: Matrix  # the drawing's root coordinates → canvas units
    canvas: tuple[float, float]
    replace: dict[int, TextCall | Markup] = field(default_factory=dict)
    guards: dict[int, str] = field(default_factory=dict)  # id → Jinja condition
    skip: set[int] = field(default_factory=set)
    fields: dict[str, dict[str, Any]] = field(default_factory=dict)
    slots: dict[str, dict[str, Any]] = field(default_factory=dict)
    matches: list[Match] = field(default_factory=list)
    pictures: dict[str, bytes] = field(default_factory=dict)
    fixed: int = 0
    unmarked: list[str] = field(default_factory=list)


def _expr(name: str) -> str:
    """How the template reads field ``name`` (``data.qr`` when a template function has it)."""
    reserved = {"text", "image", "qr", "icon", "fail", "canvas", "theme", "layout", "space",
                "type_scale", "data", "card", "container", "page_header", "page_footer"}
    return f"data.{name}" if name in reserved else name


def jinja_string(text: str) -> str:
    """``text`` as a Jinja string literal that prints exactly these characters."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return '"' + escaped.replace("{", "\\x7b").replace("}", "\\x7d") + '"'


def _max_length(name: str, sample: str) -> int:
    base = MAX_LENGTHS.get(name, 0)
    return max(base, 40, -(-len(sample) * 2 // 10) * 10) if not base else max(base, len(sample))


class Planner:
    """Walks one artboard's elements and decides what each becomes."""

    def __init__(self, drawing: Drawing, page: Page, canvas: tuple[float, float],
                 registry: FontRegistry, warnings: list[str]) -> None:
        k = canvas[0] / page.width
        self.plan = PagePlan(drawing, page, Matrix(a=k, d=k, e=-page.x * k, f=-page.y * k),
                             canvas)
        self.d, self.registry, self.warnings = drawing, registry, warnings
        self.marks: dict[int, Mark] = {}
        self.boxes: dict[str, Element] = {}
        self.styles: dict[str, tuple[dict[str, Any], Element]] = {}
        self.counter = 0

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
                if mark.kind == "box" and local(element.tag) == "rect":
                    self.boxes.setdefault(mark.field, element)
        self._walk(self.d.root, group=None)
        return self.plan

    def _walk(self, element: Element, group: Mark | None, cell: tuple[Mark, int] | None = None
              ) -> None:
        for child in list(element):
            tag = local(child.tag)
            if not self._on_page(child):
                self.plan.skip.add(id(child))
                continue
            mark = self.marks.get(id(child))
            if tag in TEXT_TAGS:
                self._text(child, mark, group, cell)
            elif tag == "g":
                if mark and mark.kind in ("list", "field") and self._cards(child) and not cell:
                    self._list(child, mark)
                elif mark and mark.kind == "field" and self._texts(child) == 1:
                    self._walk(child, mark, cell)
                elif mark and mark.kind == "icon":
                    self._icon(child, mark)
                else:
                    self._walk(child, group, cell)
            elif tag in ("rect", "image", "circle", "ellipse", "use") and mark is not None:
                self._shape(child, mark, group, cell)
            elif tag == "image":
                self._picture(child, None)
            elif tag in ("a", "switch", "symbol", "defs", "clipPath", "mask", "pattern"):
                if tag in ("a", "switch"):
                    self._walk(child, group, cell)

    def _texts(self, group: Element) -> int:
        return sum(1 for el in group.iter() if local(el.tag) in TEXT_TAGS)

    def _cards(self, group: Element) -> list[Element]:
        cards = [c for c in group if local(c.tag) == "g" and self._texts(c)]
        return cards if len(cards) >= 2 or (cards and self.marks[id(group)].kind == "list") \
            else []

    def _on_page(self, element: Element) -> bool:
        """On a multi-page drawing, whether ``element`` lies on this page (by its anchor)."""
        if len(self.d.pages) < 2:
            return True
        point = _anchor(self.d, element)
        if point is None:
            return True
        x, y = point
        p = self.plan.page
        return p.x <= x <= p.x + p.width and p.y <= y <= p.y + p.height

    # --- text ---------------------------------------------------------------------------
    def _text(self, element: Element, mark: Mark | None, group: Mark | None,
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
            value = f"{_expr(list_mark.field)}[{row}].{column}"
            self._slot(element, read, slot, value, frame_field=None, fixed=False,
                       layer=layer or column, what=f"list '{list_mark.field}', card {row + 1}, "
                       f"column '{column}'", card=self._card_rect(element))
            self._column(list_mark.field, column, read.joined, row)
            return
        if mark is not None and mark.kind == "cell":
            slot = f"{mark.field}_{mark.column}"
            value = f"{_expr(mark.field)}[{mark.row - 1}].{mark.column}"
            self.plan.guards[id(element)] = f"{_expr(mark.field)} | length >= {mark.row}"
            self._slot(element, read, slot, value, frame_field=None, fixed=False, layer=layer,
                       what=f"list '{mark.field}', row {mark.row}, column '{mark.column}'")
            self._column(mark.field, mark.column, read.joined, mark.row - 1)
            return
        if mark is not None:
            self._field(mark.field, read.joined)
            self._slot(element, read, mark.field, _expr(mark.field), frame_field=mark.field,
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
                    parts.append(f"({_expr(name)} or \"\")")
                    self._field(name, "{{ " + name + " }}", placeholder=True)
            slot = named[0] if named[0] not in self.plan.slots else f"{named[0]}_text"
            self._slot(element, read, slot, " ~ ".join(parts), frame_field=None, fixed=False,
                       layer=read.joined, what=f"text with {', '.join(named)} filled in")
            return
        self.plan.unmarked.append(text)
        self._fixed(element, read, text)

    def _fixed(self, element: Element, read: TextRead, text: str | None = None) -> None:
        self.counter += 1
        self.plan.fixed += 1
        text = text if text is not None else "\n".join(read.lines)
        self._slot(element, read, f"fixed_{self.counter}", jinja_string(text), frame_field=None,
                   fixed=True, layer="", what="")

    def _card_rect(self, element: Element) -> Element | None:
        """The first rectangle of the list card holding ``element`` (its background)."""
        for node in self.d.ancestors(element):
            parent = self.d.parent(node)
            if parent is not None and id(parent) in self.marks and \
                    self.marks[id(parent)].kind in ("list", "field"):
                return next((r for r in node.iter() if local(r.tag) == "rect"
                             and id(r) not in self.marks), None)
        return None

    def _slot(self, element: Element, read: TextRead, slot: str, value: str, *,
              frame_field: str | None, fixed: bool, layer: str, what: str,
              card: Element | None = None) -> None:
        if read.family_note:
            self.warnings.append(f"{self.d.describe(element)}: {read.family_note}")
        own = self.d.matrix(element)
        total = self.plan.matrix @ own
        spec = slot_style(read, total.scale, slot.split("_")[-1] if "_" in slot else slot,
                          fixed=fixed)
        frame = None
        if frame_field and frame_field in self.boxes:
            rect = self.boxes[frame_field]
            frame = _local_box(self.d, rect, element)
            if frame[2] <= 0 or frame[3] <= 0:
                raise LayoutError(f"{self.d.describe(rect)}: the box of '{frame_field}' has no "
                                  "size; draw it with a width and a height")
        elif frame_field:
            parent = self.d.parent(element)
            if parent is not None and self.marks.get(id(parent)) and \
                    self.marks[id(parent)].field == frame_field:
                rect = next((r for r in parent if local(r.tag) == "rect"), None)
                if rect is not None:
                    frame = _local_box(self.d, rect, element)
        sample = "\n".join(read.lines)  # the extent is measured as drawn, line by line
        bounds = None
        if card is not None:  # a card's text grows to the card's edge, not the artboard's
            bounds = (self.plan.matrix @ self.d.matrix(card)).box(*self._box_of(card, "a card"))
            bounds = (bounds[0] + 24, bounds[1], bounds[2] - 48, bounds[3])
        if not fixed and len(read.lines) > 1 and not read.frame and spec.get("role") == "title":
            spec["balance"] = True  # lines drawn one by one: keep them even, as drawn
        placement = place(self.d, read, self.plan.matrix, self.plan.canvas, spec, sample,
                          self.registry, grow=not fixed and read.frame is None and frame is None,
                          frame=frame, bounds=bounds)
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
        if not fixed:
            self._limit_length(slot, value, capacity(spec, placement.box, read.joined,
                                                     self.registry))
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

    def _field(self, name: str, sample: str, placeholder: bool = False) -> None:
        spec = self.plan.fields.get(name)
        if spec is None:
            self.plan.fields[name] = {"type": "text", "required": True,
                                      "max_length": _max_length(name, sample),
                                      "label": name.replace("_", " ").capitalize(),
                                      "sample": sample}

    # --- lists --------------------------------------------------------------------------
    def _list(self, group: Element, mark: Mark) -> None:
        cards = self._cards(group)
        name = mark.field
        self.plan.fields.setdefault(name, {"type": "table", "min_items": 1,
                                           "max_items": len(cards),
                                           "label": name.replace("_", " ").capitalize(),
                                           "columns": {}, "sample": []})
        self.plan.matches.append(Match(self.d.path.name, self.plan.page.size,
                                       element_name(group), self.d.describe(group), name,
                                       f"list '{name}' of {len(cards)} cards (a table field; "
                                       "cards beyond the data's rows are not drawn)"))
        for row, card in enumerate(cards):
            self.plan.guards[id(card)] = f"{_expr(name)} | length > {row}"
            self._walk(card, None, (mark, row))
        for child in group:
            if child not in cards:
                self._walk_static(child)

    def _walk_static(self, element: Element) -> None:
        if local(element.tag) in TEXT_TAGS:
            self._text(element, self.marks.get(id(element)), None, None)
        else:
            self._walk(element, None)

    def _column(self, table: str, column: str, sample: str, row: int) -> None:
        spec = self.plan.fields.setdefault(table, {"type": "table", "min_items": 1,
                                                   "max_items": row + 1, "label": table,
                                                   "columns": {}, "sample": []})
        spec["max_items"] = max(spec.get("max_items", 0), row + 1)
        spec["columns"].setdefault(column, {"type": "text", "max_length":
                                            _max_length(column, sample),
                                            "label": column.replace("_", " ").capitalize()})
        rows = spec["sample"]
        while len(rows) <= row:
            rows.append({})
        rows[row][column] = sample

    # --- pictures, QR codes, icons -------------------------------------------------------
    def _shape(self, element: Element, mark: Mark, group: Mark | None,
               cell: tuple[Mark, int] | None) -> None:
        tag = local(element.tag)
        if mark.kind == "icon":
            return self._icon(element, mark)
        if mark.kind == "qr":
            return self._qr(element, mark)
        if mark.kind == "field" and cell is not None and re.sub(r"_\d+$", "", mark.field) == "icon":
            return self._icon(element, mark, cell)
        if mark.kind == "field" and (tag == "image" or mark.field in PICTURE_NAMES):
            return self._picture(element, mark.field)
        if tag == "image":
            self._picture(element, None)

    def _geometry(self, element: Element) -> tuple[float, float, float, float] | None:
        tag = local(element.tag)
        if tag in ("rect", "image", "use"):
            return (length(element.get("x")), length(element.get("y")),
                    length(element.get("width")), length(element.get("height")))
        if tag in ("circle", "ellipse"):
            rx = length(element.get("rx", element.get("r")))
            ry = length(element.get("ry", element.get("r")))
            return (length(element.get("cx")) - rx, length(element.get("cy")) - ry, 2 * rx,
                    2 * ry)
        if tag == "g":
            rect = next((r for r in element.iter() if local(r.tag) in ("rect", "circle",
                                                                        "ellipse")), None)
            if rect is not None:
                box = self._geometry(rect)
                if box:
                    inner = self.d.matrix(element).inverse() @ self.d.matrix(rect)
                    return inner.box(*box)
        return None

    def _wrapped(self, element: Element, markup: str) -> str:
        transform = element.get("transform")
        return f'<g transform="{transform}">{markup}</g>' if transform else markup

    def _box_of(self, element: Element, what: str) -> tuple[float, float, float, float]:
        box = self._geometry(element)
        if box is None or box[2] <= 0 or box[3] <= 0:
            raise LayoutError(f"{self.d.describe(element)}: {what} needs a shape with a size "
                              "(a rectangle, circle or picture)")
        return box

    def _icon(self, element: Element, mark: Mark, cell: tuple[Mark, int] | None = None
              ) -> None:
        x, y, w, h = self._box_of(element, "an icon")
        side = min(w, h)
        colour = hex_colour(self.d.computed(element, "fill")) or "#000000"
        if local(element.tag) == "g":
            first = next((c for c in element.iter() if local(c.tag) in ("path", "rect",
                                                                         "circle")), None)
            colour = hex_colour(self.d.computed(first, "fill")) if first is not None else colour
            colour = colour or "#000000"
        where = f"x={x + (w - side) / 2:g}, y={y + (h - side) / 2:g}, size={side:g}, " \
            f'color="{colour}"'
        if cell is not None:
            table, row = cell
            name = f"{_expr(table.field)}[{row}].icon"
            self._column(table.field, "icon", "", row)
            self.plan.fields[table.field]["columns"]["icon"].update(
                {"type": "text", "max_length": 40, "label": "Biểu tượng"})
            self.plan.fields[table.field]["sample"][row]["icon"] = "info"
            markup = f'{{% if {name} %}}{{{{ icon({name}, {where}, field="{table.field}") }}}}' \
                "{% endif %}"
            what = f"icon of list '{table.field}', card {row + 1}"
        else:
            try:
                get_icon(mark.icon)
            except LayoutError as exc:
                raise LayoutError(f"{self.d.describe(element)}: {exc.message}") from None
            markup = f"{{{{ icon({jinja_string(mark.icon)}, {where}) }}}}"
            what = f"bundled icon '{mark.icon}'"
        self.plan.replace[id(element)] = Markup(self._wrapped(element, markup))
        self.plan.matches.append(Match(self.d.path.name, self.plan.page.size, mark.raw,
                                       self.d.describe(element), mark.icon or "icon", what))

    def _qr(self, element: Element, mark: Mark) -> None:
        x, y, w, h = self._box_of(element, "a QR code")
        side = min(w, h)
        self.plan.fields.setdefault(mark.field, {
            "type": "text", "required": True, "max_length": 300, "label": "Mã QR (liên kết)",
            "sample": "https://moh.gov.vn"})
        markup = f"{{{{ qr(data.{mark.field}, x={x + (w - side) / 2:g}, " \
            f"y={y + (h - side) / 2:g}, size={side:g}) }}}}"
        self.plan.replace[id(element)] = Markup(self._wrapped(element, markup))
        self.plan.matches.append(Match(self.d.path.name, self.plan.page.size, mark.raw,
                                       self.d.describe(element), mark.field,
                                       f"QR code of field '{mark.field}'"))

    def _picture(self, element: Element, field_name: str | None) -> None:
        tag = local(element.tag)
        x, y, w, h = self._box_of(element, "a picture")
        href = element.get(f"{{{XLINK}}}href") or element.get("href") or ""
        data, suffix = _embedded(href) if tag == "image" else (None, "")
        if tag == "image" and data is None and href:
            local_file = (self.d.path.parent / href).resolve() if "://" not in href else None
            if local_file is not None and local_file.is_file() and \
                    local_file.suffix.lower() in (".png", ".jpg", ".jpeg", ".webp"):
                data, suffix = local_file.read_bytes(), local_file.suffix.lower()
            else:
                self.warnings.append(f"{self.d.describe(element)}: the picture {href[:80]} is "
                                     "outside the drawing and is not drawn; embed it (Inkscape: "
                                     "Extensions → Images → Embed) or put it beside the drawing")
                self.plan.skip.add(id(element))
                return
        aspect = (element.get("preserveAspectRatio") or "").split()
        fit = "cover" if field_name or (aspect and aspect[-1] == "slice") else "contain"
        if data is not None:
            stem = field_name or f"picture-{len(self.plan.pictures) + 1}"
            file_name = f"{stem}{suffix}"
            self.plan.pictures[file_name] = data
        else:
            file_name = ""
        if field_name:
            self.plan.fields.setdefault(field_name, {
                "type": "text", "max_length": 200,
                "label": f"Ảnh {field_name} (tệp trong thư mục layout)",
                **({"sample": file_name} if file_name else {})})
            source = jinja_string(field_name)
            what = f"picture field '{field_name}' (cover)"
        else:
            source = jinja_string(file_name)
            what = ""
        markup = f"{{{{ image({source}, x={x:g}, y={y:g}, width={w:g}, height={h:g}, " \
            f'fit="{fit}") }}}}'
        # a rectangle stays drawn under the picture, as the placeholder the designer drew
        self.plan.replace[id(element)] = Markup(self._wrapped(element, markup),
                                                keep=tag == "rect")
        if what:
            self.plan.matches.append(Match(self.d.path.name, self.plan.page.size,
                                           element_name(element), self.d.describe(element),
                                           field_name or "", what))


def _embedded(href: str) -> tuple[bytes | None, str]:
    match = re.match(r"data:image/(png|jpe?g|webp);base64,(.*)$", href.strip(), re.S)
    if not match:
        return None, ""
    try:
        data = base64.b64decode("".join(match.group(2).split()), validate=False)
    except ValueError:
        return None, ""
    return data, ".jpg" if match.group(1).startswith("jp") else f".{match.group(1)}"


def _local_box(drawing: Drawing, rect: Element, into: Element
               ) -> tuple[float, float, float, float]:
    x, y = length(rect.get("x")), length(rect.get("y"))
    w, h = length(rect.get("width")), length(rect.get("height"))
    return (drawing.matrix(into).inverse() @ drawing.matrix(rect)).box(x, y, w, h)


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
        numbers = re.findall(r"[-+]?(?:\d+\.?\d*|\.\d+)", element.get("d") or "")
        if len(numbers) >= 2:
            return drawing.matrix(element).point(float(numbers[0]), float(numbers[1]))
    return None


def _difference(a: dict[str, Any], b: dict[str, Any]) -> str:
    keys = [k for k in dict.fromkeys([*a, *b]) if a.get(k) != b.get(k)]
    return ", ".join(f"{k} {a.get(k)} vs {b.get(k)}" for k in keys[:3])
