"""Reading a drawing: safe XML parse with source lines, CSS classes resolved into each
element's ``style``, the artboard, and which output size it is drawn for."""

from __future__ import annotations

import errno
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator
from xml.etree.ElementTree import Element, ParseError, TreeBuilder

import tinycss2
from defusedxml.common import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser

from ... import limits
from ...errors import LayoutError, LimitError
from ...fileio import read_regular
from ...sizes import PRESETS
from .matrix import Matrix, length, parse_transform

SVG = "http://www.w3.org/2000/svg"
XLINK = "http://www.w3.org/1999/xlink"
INKSCAPE = "http://www.inkscape.org/namespaces/inkscape"
SODIPODI = "http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd"
XML = "http://www.w3.org/XML/1998/namespace"
#: Style properties children inherit (the ones the importer reads).
INHERITED = ("font-family", "font-size", "font-weight", "font-style", "fill", "text-anchor",
             "letter-spacing", "line-height", "text-align", "text-transform", "fill-opacity")


def local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def parse_style(text: str | None) -> dict[str, str]:
    """``fill:#fff; font-size:12px`` → {"fill": "#fff", "font-size": "12px"}."""
    result: dict[str, str] = {}
    for part in (text or "").split(";"):
        name, sep, value = part.partition(":")
        if sep and name.strip():
            result[name.strip().lower()] = value.strip()
    return result


def format_style(style: dict[str, str]) -> str:
    return ";".join(f"{k}:{v}" for k, v in style.items())


class _LineBuilder(TreeBuilder):
    """Remembers the source line of each element (for messages naming the element)."""

    def __init__(self) -> None:
        super().__init__()
        self.lines: dict[int, int] = {}
        self.parser: DefusedXMLParser | None = None

    def start(self, tag, attrs):  # type: ignore[no-untyped-def]
        element = super().start(tag, attrs)
        if self.parser is not None:
            self.lines[id(element)] = self.parser.parser.CurrentLineNumber
        return element


@dataclass
class Page:
    """One artboard of a drawing: its box in user units and the size it is drawn for."""

    size: str
    x: float
    y: float
    width: float
    height: float
    label: str = ""


@dataclass
class Drawing:
    path: Path
    root: Element
    lines: dict[int, int]
    pages: list[Page]
    #: user units → CSS px of the artboard (a drawing in mm has 3.78 px per unit)
    px_per_unit: float = 1.0
    parents: dict[int, Element] = field(default_factory=dict)

    def line(self, element: Element) -> int:
        return self.lines.get(id(element), 0)

    def describe(self, element: Element) -> str:
        """``<text id="title-2"> (drawing.svg line 40)``: how messages name an element."""
        name = element_name(element)
        tag = local(element.tag)
        shown = f'<{tag} "{name}">' if name else f"<{tag}>"
        return f"{shown} ({self.path.name} line {self.line(element)})"

    def parent(self, element: Element) -> Element | None:
        return self.parents.get(id(element))

    def ancestors(self, element: Element) -> Iterator[Element]:
        node = self.parent(element)
        while node is not None:
            yield node
            node = self.parent(node)

    def matrix(self, element: Element) -> Matrix:
        """From ``element``'s own coordinates (its transform included) to the root's."""
        result = parse_transform(element.get("transform"))
        for node in self.ancestors(element):
            if node is self.root:
                break
            result = parse_transform(node.get("transform")) @ result
        return result

    def computed(self, element: Element, name: str, default: str | None = None) -> str | None:
        """A style property as the element sees it: own style, attribute, then inherited."""
        node: Element | None = element
        while node is not None:
            value = parse_style(node.get("style")).get(name, node.get(name))
            if value is not None and value != "inherit":
                return value
            if name not in INHERITED:
                return default
            node = self.parent(node)
        return default

    def iter(self) -> Iterator[Element]:
        return self.root.iter()


def element_name(element: Element) -> str:
    """The name a designer gave the element: Inkscape label, Illustrator/Figma layer name
    (``data-name``), else its ``id``."""
    return (element.get(f"{{{INKSCAPE}}}label") or element.get("data-name")
            or element.get("id") or "").strip()


def _parse(path: Path) -> tuple[Element, dict[int, int]]:
    try:  # a regular file within the SVG limit (never a FIFO or a device)
        data = read_regular(path, limits.MAX_SVG_BYTES)
    except OSError as exc:
        if exc.errno == errno.EFBIG:
            raise LimitError(f"drawing {path} is more than {limits.MAX_SVG_BYTES:,} bytes: "
                             "simplify it (or export without embedded pictures and fonts)"
                             ) from None
        raise LayoutError(f"cannot read drawing {path}: {exc.strerror or exc}") from None
    builder = _LineBuilder()
    parser = DefusedXMLParser(target=builder, forbid_dtd=False, forbid_entities=True,
                              forbid_external=True)
    builder.parser = parser
    try:
        parser.feed(data)
        root = parser.close()
    except DefusedXmlException as exc:
        raise LayoutError(f"drawing {path} is refused: {exc} (entities and external "
                          "references are not read); export it again as plain SVG") from None
    except ParseError as exc:
        raise LayoutError(f"drawing {path} is not valid SVG/XML ({exc}); export it again "
                          "as plain SVG") from None
    if local(root.tag) != "svg":
        raise LayoutError(f"drawing {path} is not an SVG drawing (its root is "
                          f"<{local(root.tag)}>)")
    limits.check_svg_tree(root, what=f"drawing {path.name}")
    return root, builder.lines


# --- CSS classes (Illustrator writes <style>.st0{fill:#0B5394;}</style>) --------------------

_SIMPLE_SELECTOR = re.compile(r"^([a-zA-Z][\w-]*)?((?:[.#][\w-]+)*)$")


def _matches(selector: str, element: Element) -> bool:
    match = _SIMPLE_SELECTOR.match(selector)
    if not match:
        return False
    tag, rest = match.group(1), match.group(2)
    if tag and local(element.tag) != tag:
        return False
    classes = (element.get("class") or "").split()
    for part in re.findall(r"[.#][\w-]+", rest):
        if part[0] == "." and part[1:] not in classes:
            return False
        if part[0] == "#" and element.get("id") != part[1:]:
            return False
    return True


def resolve_css(root: Element, warn: list[str], name: str) -> None:
    """Apply each ``<style>`` rule to the elements it selects, as part of their ``style``
    attribute (the inline style still wins), then drop the stylesheets: one drawing's class
    names cannot clash with another's, and the importer reads every property in one place."""
    rules: list[tuple[list[str], dict[str, str]]] = []
    sheets = [el for el in root.iter() if local(el.tag) == "style"]
    for sheet in sheets:
        for rule in tinycss2.parse_stylesheet(sheet.text or "", skip_comments=True,
                                              skip_whitespace=True):
            if rule.type == "at-rule":
                what = "an embedded font" if rule.lower_at_keyword == "font-face" else \
                    f"@{rule.at_keyword}"
                warn.append(f"{name}: its stylesheet has {what}, which is not used: text is set "
                            "from the bundled fonts (see the report's font mapping)")
                continue
            if rule.type != "qualified-rule":
                continue
            selectors = [s.strip() for s in tinycss2.serialize(rule.prelude).split(",")]
            declarations = {}
            for decl in tinycss2.parse_declaration_list(rule.content, skip_comments=True,
                                                        skip_whitespace=True):
                if decl.type == "declaration":
                    declarations[decl.lower_name] = tinycss2.serialize(decl.value).strip()
            unread = [s for s in selectors if not _SIMPLE_SELECTOR.match(s)]
            if unread:
                warn.append(f"{name}: CSS selector(s) {', '.join(unread)} are not applied "
                            "(only tag, .class and #id selectors are): set those styles on the "
                            "elements")
            rules.append((selectors, declarations))
    if not rules and not sheets:
        return
    for element in root.iter():
        merged: dict[str, str] = {}
        for selectors, declarations in rules:
            if any(_matches(s, element) for s in selectors):
                merged.update(declarations)
        if merged:
            merged.update(parse_style(element.get("style")))
            element.set("style", format_style(merged))
        element.attrib.pop("class", None)
    for sheet in sheets:
        for parent in root.iter():
            if sheet in list(parent):
                parent.remove(sheet)
                break


# --- the artboard and its size ---------------------------------------------------------------

#: Pixel proportions of the screen presets, and paper presets by their size in mm.
_TOLERANCE = 0.015


def _size_by_name(text: str) -> str | None:
    """The preset a name holds as a word: ``notice-story.svg``, page ``a4-landscape``."""
    for separators in (r"[^a-z0-9-]+", r"[^a-z0-9]+"):  # a4-landscape first, then story
        for word in re.split(separators, text.lower()):
            if word in PRESETS:
                return word
    return None


def _check_named(path: Path, what: str, size: str, w: float, h: float) -> str:
    """A size taken from a name must have the artboard's proportions (it is scaled to the
    canvas width, so another shape would be cropped or leave a gap)."""
    preset = PRESETS[size]
    if abs((w / h) / (preset.width_px / preset.height_px) - 1) > _TOLERANCE:
        raise LayoutError(f"drawing {path.name}: {what} is named for size '{size}' "
                          f"({preset.width_px}×{preset.height_px}) but is {w:g}×{h:g}; resize "
                          "the artboard to those proportions, or rename it")
    return size


def size_by_proportions(width_px: float, height_px: float) -> str | None:
    """The preset a width × height (CSS px) is drawn for: paper by its size in mm (a drawing
    in mm, or A proportions), screens by ratio."""
    if width_px <= 0 or height_px <= 0:
        return None
    w_mm, h_mm = width_px * 25.4 / 96, height_px * 25.4 / 96
    paper = [n for n, s in PRESETS.items() if s.paper_mm]
    for name in paper:
        pw, ph = PRESETS[name].paper_mm  # type: ignore[misc]
        if abs(w_mm - pw) <= 2 and abs(h_mm - ph) <= 2:
            return name
    ratio = width_px / height_px
    for name, size in PRESETS.items():
        if size.paper_mm:
            continue
        if abs(ratio / (size.width_px / size.height_px) - 1) <= _TOLERANCE:
            return name
    for name in ("a4", "a4-landscape"):  # A proportions drawn in px: the A sizes
        pw, ph = PRESETS[name].paper_mm  # type: ignore[misc]
        if abs(ratio / (pw / ph) - 1) <= _TOLERANCE:
            return name
    return None


def _pages(root: Element, path: Path, px_per_unit: float, vb: tuple[float, ...]
           ) -> list[Page]:
    """Inkscape 1.2+ pages (``<inkscape:page>``), else the whole artboard."""
    pages = []
    for element in root.iter(f"{{{INKSCAPE}}}page"):
        x, y = length(element.get("x")), length(element.get("y"))
        w, h = length(element.get("width")), length(element.get("height"))
        label = element.get(f"{{{INKSCAPE}}}label") or element.get("id") or ""
        named = _size_by_name(label)
        size = _check_named(path, f'page "{label}"', named, w, h) if named else \
            size_by_proportions(w * px_per_unit, h * px_per_unit)
        if size is None:
            raise LayoutError(_unknown_size(path, f'page "{label}"', w * px_per_unit,
                                            h * px_per_unit))
        pages.append(Page(size, x, y, w, h, label))
    if len(pages) > 1:
        return pages
    x, y, w, h = vb
    label = pages[0].label if pages else ""
    frames = [c for c in root if local(c.tag) == "g"]  # Figma: the frame is one group
    frame = element_name(frames[0]) if len(frames) == 1 else ""
    named = _size_by_name(label) or _size_by_name(frame) or _size_by_name(path.stem)
    size = _check_named(path, "its artboard", named, w, h) if named else \
        size_by_proportions(w * px_per_unit, h * px_per_unit)
    if size is None:
        raise LayoutError(_unknown_size(path, "its artboard", w * px_per_unit, h * px_per_unit))
    return [Page(size, x, y, w, h, label)]


def _unknown_size(path: Path, what: str, w: float, h: float) -> str:
    known = ", ".join(f"{n} ({s.paper_mm[0]:g}×{s.paper_mm[1]:g} mm)" if s.paper_mm else
                      f"{n} ({s.width_px}×{s.height_px})" for n, s in PRESETS.items()
                      if n in ("square", "portrait", "story", "landscape", "a4", "a3"))
    return (f"drawing {path.name}: {what} is {w:g}×{h:g} px ({w * 25.4 / 96:.0f}×"
            f"{h * 25.4 / 96:.0f} mm), not the proportions of a size we know; resize the "
            f"artboard to one of {known}, or name it after the size (e.g. poster-a4.svg or "
            "a page labelled 'story')")


def read_drawing(path: "str | Path", warnings: list[str]) -> Drawing:
    """Parse ``path`` safely and find its artboard(s) and sizes."""
    path = Path(path)
    root, lines = _parse(path)
    resolve_css(root, warnings, path.name)
    vb_text = root.get("viewBox")
    width_attr, height_attr = root.get("width"), root.get("height")
    vb: tuple[float, ...] = ()
    if vb_text:
        try:
            vb = tuple(float(v) for v in vb_text.replace(",", " ").split())
        except ValueError:
            vb = ()
    if len(vb) != 4 or vb[2] <= 0 or vb[3] <= 0:
        w, h = length(width_attr), length(height_attr)
        if w <= 0 or h <= 0:
            raise LayoutError(f"drawing {path.name}: the <svg> element has no usable viewBox or "
                              "width and height; set the document size in the editor")
        vb = (0.0, 0.0, w, h)
    px_width = length(width_attr, vb[2]) if width_attr and "%" not in width_attr else vb[2]
    px_per_unit = px_width / vb[2]
    pages = _pages(root, path, px_per_unit, vb)
    parents = {id(child): parent for parent in root.iter() for child in parent}
    return Drawing(path, root, lines, pages, px_per_unit, parents)
