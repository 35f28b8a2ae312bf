"""The scene: what a render placed, as structure handed from the layout stage to the drawing.

While a template renders, every text block (layout slots and chart labels) is placed here as a
:class:`TextRun` — its slot, text, paint, box and positioned glyph outlines — and the
template's output holds a small placeholder element where the glyphs go; photos and QR codes
are recorded too (:class:`PlacedImage`, :class:`PlacedQr`). The output is the *skeleton*:

* the drawing stage (``infographic/output/raster.py``) hands cairosvg the skeleton, which has a
  few dozen elements instead of one path per glyph, and draws each run's cached glyph outlines
  straight onto the cairo context when cairosvg reaches its placeholder (same place in the
  document, so z-order, transforms and clips are those of the text);
* :meth:`Scene.write_svg` writes the complete SVG (``Artwork.svg``): each placeholder becomes
  the run's ``<path>`` elements, exactly as ``infographic/text/svg.py`` writes them.

Nothing reads glyphs back out of SVG text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any
from xml.etree.ElementTree import Element

from defusedxml import ElementTree as SafeElementTree

from .text.fit import FittedText
from .text.svg import (PlacedGlyph, block_top, emoji_svg, glyphs_svg, placed_emoji,
                       placed_glyphs, text_group, title_svg)

#: The placeholder element; only the drawing stage's surfaces know how to draw it.
RUN_TAG = "infographic-glyph-run"
RUN_ATTR = "data-glyph-run"
IMAGE_ATTR = "data-scene-image"
QR_ATTR = "data-scene-qr"
_PLACEHOLDER = re.compile(f'<{RUN_TAG} {RUN_ATTR}="([0-9]+)" ?/>')  # ElementTree adds the space

Box = tuple[float, float, float, float]  # x, y, width, height in canvas units


@dataclass(frozen=True)
class TextRun:
    """One placed text block: ``glyphs`` drawn with ``fill`` inside ``box`` (canvas units, before
    any transform the template wraps around it)."""

    slot: str
    text: str
    fill: str
    size: float
    box: Box
    content_box: Box  # where the lines are: x, top, width, height
    glyphs: tuple[PlacedGlyph, ...]
    #: The translation the template added with ``TextBlock.moved()``, outside ``glyphs``.
    offset: tuple[float, float] = (0.0, 0.0)

    def glyph_area(self) -> Box | None:
        """x0, y0, x1, y1 spanned by the glyph origins (baselines), offset included."""
        if not self.glyphs:
            return None
        dx, dy = self.offset
        xs = [g.x for g in self.glyphs]
        ys = [g.y for g in self.glyphs]
        return min(xs) + dx, min(ys) + dy, max(xs) + dx, max(ys) + dy


@dataclass(frozen=True)
class PlacedImage:
    """One photo or logo placed by ``image(...)``: the prepared image (``uri``, a ``data:`` URI
    of what is drawn, and ``data``, the JPEG or PNG bytes it holds), its size in pixels, where
    it is drawn (canvas units, before template transforms) and what it came from (the data
    field, else the file name)."""

    source: str
    uri: str
    pixels: tuple[int, int]
    box: Box
    data: bytes = field(default=b"", repr=False)


@dataclass(frozen=True)
class PlacedQr:
    """One QR code placed by ``qr(...)``: what it encodes, its module side and its box (canvas
    units, quiet zone included, before template transforms)."""

    data: str
    module: float
    modules: int
    box: Box


@dataclass
class Scene:
    """Everything a render placed, in placing order; ``skeleton`` is the finished document with
    a placeholder for each text run's glyphs (set by :func:`infographic.render`)."""

    texts: list[TextRun] = field(default_factory=list)
    skeleton: str = ""
    images: list[PlacedImage] = field(default_factory=list)
    qrs: list[PlacedQr] = field(default_factory=list)
    #: The complete SVG last written by :meth:`write_svg`. The drawing stage draws from the
    #: scene only for an artwork whose ``svg`` is this document (:meth:`draws`), so an artwork
    #: whose SVG was replaced (``dataclasses.replace(art, svg=…)``) is drawn as its SVG says.
    svg: str = field(default="", repr=False)
    #: (skeleton, its parsed tree), kept by :meth:`skeleton_tree`; not pickled.
    _parsed: tuple[str, Element] | None = field(default=None, init=False, repr=False,
                                                compare=False)

    def __getstate__(self) -> dict[str, Any]:
        return {**self.__dict__, "_parsed": None}

    def skeleton_tree(self) -> Element:
        """The skeleton parsed (defusedxml), once per skeleton: the render checks it, the
        drawing stage checks it against the limits before cairosvg parses it its own way. Read
        it, never change it. Raises what ``defusedxml`` raises for a document it refuses."""
        parsed = self._parsed
        if parsed is None or parsed[0] is not self.skeleton:
            parsed = self._parsed = (self.skeleton,
                                     SafeElementTree.fromstring(self.skeleton.encode("utf-8")))
        return parsed[1]

    def place_text(self, fitted: FittedText, x: float, y: float, width: float, height: float,
                   slot: str) -> str:
        """Record ``fitted`` placed in the box as a run; the markup that stands for it."""
        top = block_top(fitted, y, height)
        self.texts.append(TextRun(slot, fitted.text, fitted.style.fill, fitted.size,
                                  (x, y, width, height), (x, top, width, fitted.height),
                                  placed_glyphs(fitted, x, y, width, height)))
        # Emoji pictures are plain SVG beside the placeholder: cairosvg draws them itself. The
        # group's <title> is written with the glyphs (write_svg): cairosvg need not walk it.
        pictures = emoji_svg(fitted, placed_emoji(fitted, x, y, width, height))
        return text_group(fitted, slot,
                          f'<{RUN_TAG} {RUN_ATTR}="{len(self.texts) - 1}"/>{pictures}',
                          title=False)

    def place_image(self, image: PlacedImage) -> str:
        """Record ``image``; the attribute its ``<image>`` element carries to name it."""
        self.images.append(image)
        return f'{IMAGE_ATTR}="{len(self.images) - 1}"'

    def next_qr(self) -> str:
        """The attribute the next QR code's group carries to name it (see :meth:`place_qr`)."""
        return f'{QR_ATTR}="{len(self.qrs)}"'

    def place_qr(self, qr: PlacedQr) -> None:
        self.qrs.append(qr)

    def move_text(self, index: int, dx: float, dy: float) -> None:
        """Run ``index`` was wrapped in ``translate(dx dy)`` by the template."""
        run = self.texts[index]
        x, y = run.offset
        self.texts[index] = replace(run, offset=(x + dx, y + dy))

    def without_text(self) -> "Scene":
        """This scene with no text (what the text sits on, for contrast checks)."""
        bare = Scene([], self.skeleton, list(self.images), list(self.qrs))
        bare.write_svg()
        return bare

    def write_svg(self, skeleton: str | None = None) -> str:
        """The complete SVG: ``skeleton`` (default: this scene's, and the result is kept as
        :attr:`svg`) with every placeholder replaced by its run's title and glyph paths."""
        texts = self.texts

        def run_svg(match: re.Match[str]) -> str:
            index = int(match.group(1))
            if index >= len(texts):
                return ""
            return title_svg(texts[index].text) + glyphs_svg(texts[index].glyphs)

        svg = _PLACEHOLDER.sub(run_svg, self.skeleton if skeleton is None else skeleton)
        if skeleton is None:
            self.svg = svg
        return svg

    def draws(self, svg: str) -> bool:
        """True when ``svg`` is the document this scene wrote, so drawing the scene draws it."""
        return bool(self.skeleton) and (svg is self.svg or svg == self.svg)
