"""The bands a designer marks as the page's ``header`` or ``footer`` → the shared
``page_header(...)`` / ``page_footer(...)`` (infographic/blocks/chrome.py), so an imported layout
opens and closes like every bundled one.

In a group named ``header``: texts named ``issuer``, ``date`` (or a text holding ``{{ date }}``),
``title``, ``motto``, ``number`` and a picture or shape named ``logo`` become the header's
arguments; its largest rectangle is the band (its top and height are kept), a thin rectangle
along the band's lower edge the accent stripe. In a group named ``footer``: ``hotline`` and
``source``, with the words drawn before them named ``hotline-label`` / ``source-label``; its
largest rectangle is the band (a dark band is the ``band`` variant, a light one ``light``).
Anything else in the group is kept as drawn, over the band.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from xml.etree.ElementTree import Element

from ...colour import relative_luminance
from ...errors import LayoutError
from ...svgsyntax import svg_number
from .drawing import local
from .lists import TEXT_TAGS
from .marks import NameError_, placeholders
from .matrix import Matrix
from .parts import Markup, field_expr, jinja_string
from .pictures import embedded, shape_geometry
from .report import Match
from .textslots import hex_colour, read_text, rect_box

if TYPE_CHECKING:
    from .plan import Planner

#: The group names that mark a band, and the texts each helper takes (as fields).
CHROME = {"header": ("issuer", "date", "title", "motto", "number"),
          "footer": ("hotline", "source")}
#: Words drawn before a footer's field (kept as the label, not filled from data).
LABELS = ("hotline_label", "source_label")
#: A rectangle at most this high along the header band's lower edge is its accent stripe.
STRIPE_MAX = 16.0
LOGO_LABEL = "Logo hoặc biểu trưng (tệp ảnh, tuỳ chọn; mặc định là logo của chủ đề)"


def is_chrome(planner: "Planner", element: Element) -> str | None:
    """``header`` or ``footer`` when ``element`` is a group so named, else None."""
    mark = planner.marks.get(id(element))
    if local(element.tag) == "g" and mark is not None and mark.kind == "field" \
            and mark.field in CHROME:
        return mark.field
    return None


def _descendants(group: Element) -> list[Element]:
    return [el for el in group.iter() if el is not group]


def _canvas_box(planner: "Planner", element: Element) -> tuple[float, float, float, float] | None:
    box = shape_geometry(planner.d, element)
    if box is None or box[2] <= 0 or box[3] <= 0:
        return None
    return (planner.plan.matrix @ planner.d.matrix(element)).box(*box)


class ChromePlanner:
    """One ``header`` or ``footer`` group → the helper's call, replacing what it stands for."""

    def __init__(self, planner: "Planner", group: Element, which: str) -> None:
        self.p, self.group, self.which = planner, group, which
        self.args: dict[str, str] = {}
        self.extents: dict[str, tuple[float, float, float, float]] = {}
        self.edges: list[tuple[str, float]] = []  # each text's anchor: (start/end, canvas x)
        self.layer = planner.marks[id(group)].raw

    def run(self) -> None:
        band = self._band()
        for element in _descendants(self.group):
            if local(element.tag) in TEXT_TAGS:
                self._text(element)
            elif self.which == "header" and self._named(element) == "logo":
                self._logo(element)
        call = self._header(band) if self.which == "header" else self._footer(band)
        parent = self.p.d.parent(self.group)
        ancestors = self.p.plan.matrix @ (self.p.d.matrix(parent) if parent is not None
                                          and parent is not self.p.d.root else Matrix())
        undo = ancestors.inverse()
        if not undo.is_identity:  # the helper draws in canvas units
            call = f'<g transform="{undo.svg()}">{call}</g>'
        self.p.plan.replace[id(self.group)] = Markup(call + "\n", keep=True, first=True)
        described = ", ".join(k for k in self.args if k in (*CHROME[self.which], "logo"))
        self.p.plan.matches.append(Match(
            self.p.d.path.name, self.p.plan.page.size, self.layer, self.p.d.describe(self.group),
            f"page_{self.which}", f"the shared page_{self.which} ({described or 'its band'})"))

    # --- what the group holds -------------------------------------------------------------
    def _named(self, element: Element) -> str | None:
        mark = self.p.marks.get(id(element))
        return mark.field if mark is not None and mark.kind == "field" else None

    def _consume(self, element: Element) -> None:
        """Drawn by the helper: left out of the template (but still what texts over it sit on,
        for the contrast check)."""
        self.p.consumed.add(id(element))
        self.p.plan.replace[id(element)] = Markup("")

    def _band(self) -> tuple[tuple[float, float, float, float], str]:
        """The band (the group's largest unnamed rectangle): its canvas box and fill; a thin
        rectangle along its edge (the header's accent stripe) goes with it."""
        marked = {id(inner) for el in _descendants(self.group) if id(el) in self.p.marks
                  for inner in el.iter()}  # a title-box, a logo and what it is drawn with
        rects = [(el, box) for el in _descendants(self.group)
                 if local(el.tag) == "rect" and id(el) not in marked
                 and (self.p.d.computed(el, "fill") or "").strip() != "none"
                 and (box := _canvas_box(self.p, el)) is not None]
        if not rects:
            raise LayoutError(f"{self.p.d.describe(self.group)}: a {self.which} group needs its "
                              "band: draw a rectangle in it (the band's size and colour)")
        element, box = max(rects, key=lambda r: r[1][2] * r[1][3])
        self._consume(element)
        fill = hex_colour(self.p.d.computed(element, "fill", "#000000")) or "#000000"
        edge = box[1] + box[3] if self.which == "header" else box[1]
        for other, (x, y, w, h) in rects:
            if other is not element and h <= STRIPE_MAX and w >= 0.8 * box[2] \
                    and min(abs(y - edge), abs(y + h - edge)) <= 2:
                self._consume(other)
                self.args["stripe"] = "true"
        return box, fill

    def _text(self, element: Element) -> None:
        name = self._named(element)
        read = read_text(self.p.d, element, self.p.registry)
        if not read.lines:
            return
        parts = CHROME[self.which]
        if self.which == "footer" and name in LABELS:
            self.args[name] = jinja_string(read.joined)
        elif name in parts:
            self.p.add_field(name, read.joined)
            self.args[name] = field_expr(name)
        else:
            try:
                pieces = placeholders(read.joined)
            except NameError_ as exc:
                raise LayoutError(f"{self.p.d.describe(element)}: {exc}") from None
            named = [f for _, f in pieces if f]
            name = next((f for f in named if f in parts), None)
            if name is None or name in self.args:
                return  # an ordinary text over the band: kept as drawn
            words = []
            for literal, field in pieces:
                if literal:
                    words.append(jinja_string(literal))
                if field:
                    self.p.add_field(field, "{{ " + field + " }}", placeholder=True)
                    words.append(field_expr(field))
            present = " and ".join(field_expr(f) for f in named)
            self.args[name] = f"({' ~ '.join(words)} if {present} else none)"
        self._consume(element)
        if read.anchor in ("start", "end"):
            point = (self.p.plan.matrix @ self.p.d.matrix(element)).point(read.x, read.y)
            self.edges.append((read.anchor, point[0]))
        if name in parts and id(element) in self.p.extents:
            self.extents[name] = self.p.extents[id(element)]
            if name == "title" and "title" in self.p.boxes:
                box = rect_box(self.p.d, self.p.boxes["title"], self.p.d.root)
                self.extents[name] = self.p.plan.matrix.box(*box)

    def _logo(self, element: Element) -> None:
        """A picture or placeholder shape named ``logo``: the header's logo slot, fed by the
        optional ``logo`` field (an embedded picture is saved as the layout's own logo)."""
        self._consume(element)
        href = element.get("{http://www.w3.org/1999/xlink}href") or element.get("href") or ""
        data, suffix = embedded(href) if local(element.tag) == "image" else (None, "")
        spec = self.p.plan.fields.setdefault("logo", {"type": "text", "max_length": 300,
                                                      "label": LOGO_LABEL})
        if data is not None:
            self.p.plan.pictures[f"logo{suffix}"] = data
            spec["sample"] = f"logo{suffix}"
            self.args["logo"] = f'(data.logo or "logo{suffix}")'
        else:
            self.args["logo"] = "data.logo"

    # --- the calls ------------------------------------------------------------------------
    def _margin(self, band: tuple[float, float, float, float]) -> None:
        """The side margin: how far the texts drawn from the band's edges start (a left-aligned
        text from the left edge, a right-aligned one from the right)."""
        gaps = [x - band[0] if anchor == "start" else band[0] + band[2] - x
                for anchor, x in self.edges]
        if gaps:
            self.args["margin"] = svg_number(max(0.0, min(gaps)))

    def _span(self, band: tuple[float, float, float, float]) -> None:
        width = self.p.plan.canvas[0]
        if band[0] > 1 or band[0] + band[2] < width - 1:
            self.args["x"], self.args["width"] = svg_number(band[0]), svg_number(band[2])

    def _header(self, found: tuple[tuple[float, float, float, float], str]) -> str:
        band, fill = found
        self.p.plan.bands.append(("header", self.p.d.describe(self.group), "primary", fill))
        self._span(band)
        if band[1] > 1:
            self.args["y"] = svg_number(band[1])
        self.args["height"] = svg_number(band[3])
        self.args.setdefault("stripe", "false")
        self._margin(band)
        if "motto" in self.args or "number" in self.args:
            self.args["variant"] = '"notice"'
        issuer, date = self.extents.get("issuer"), self.extents.get("date")
        if issuer and date and issuer[1] < date[1] + date[3] and date[1] < issuer[1] + issuer[3] \
                and "variant" not in self.args:
            self.args["compact"] = "true"  # issuing body and date drawn on one row
        if "title" in self.extents:
            self.args["title_height"] = svg_number(self.extents["title"][3])
        return "{{ page_header(" + self._arguments() + ") }}"

    def _footer(self, found: tuple[tuple[float, float, float, float], str]) -> str:
        band, fill = found
        self._span(band)
        bottom = band[1] + band[3]
        if bottom < self.p.plan.canvas[1] - 1:
            self.args["bottom"] = svg_number(bottom)
        self._margin(band)
        dark = relative_luminance(fill) < 0.2
        if dark:
            self.args["variant"] = '"band"'
        self.p.plan.bands.append(("footer", self.p.d.describe(self.group),
                                  "primary" if dark else "surface", fill))
        return "{{ page_footer(" + self._arguments() + ") }}"

    def _arguments(self) -> str:
        order = [*CHROME[self.which], *LABELS, "logo", "variant", "x", "y", "width", "height",
                 "bottom", "margin", "title_height", "stripe", "compact"]
        return ", ".join(f"{key}={self.args[key]}" for key in order if key in self.args)


def plan_chrome(planner: "Planner", group: Element, which: str) -> None:
    """Plan a ``header`` or ``footer`` group (see the module's docstring)."""
    ChromePlanner(planner, group, which).run()
