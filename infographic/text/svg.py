"""Fitted text → SVG: one ``<path>`` per glyph outline, plain text kept for accessibility."""

from __future__ import annotations

from typing import NamedTuple

from markupsafe import escape

from . import emoji
from .fit import FittedText, Line
from ..svgsyntax import svg_number as _num


def _num5(value: float) -> str:
    return f"{value:.5g}"


#: Justified lines widen each space by at most this share of the type size; a line that would
#: need more stays a little short of the right edge rather than open rivers of white.
MAX_JUSTIFY_SPACE = 0.3


def _line_x(line: Line, fitted: FittedText, x: float, width: float) -> tuple[float, float]:
    """Start x of a line and extra space per space character: negative where the breaker
    tightened the line's spaces to keep a word whole, positive to justify (capped)."""
    align = fitted.style.align
    line_width = line.width * fitted.size
    tightened = line.span.space * fitted.size
    if align == "center":
        return x + (width - line_width) / 2, tightened
    if align == "right":
        return x + width - line_width, tightened
    if align == "justify" and not line.last_in_paragraph and line.ellipsis is None:
        spaces = line.span.text.count(" ")
        if spaces:
            return x, tightened + min(max(0.0, (width - line_width) / spaces),
                                      MAX_JUSTIFY_SPACE * fitted.size)
    return x, tightened


def block_top(fitted: FittedText, y: float, height: float) -> float:
    """Top of the text block inside its box after vertical alignment (never above the box)."""
    free = max(0.0, height - fitted.height)
    return y + {"top": 0.0, "middle": free / 2, "bottom": free}[fitted.style.valign]


def _placed(fitted: FittedText, x: float, y: float, width: float, height: float):
    """Every glyph of ``fitted`` placed in the box: (line index, glyph, pen x, baseline y)."""
    top = block_top(fitted, y, height)
    size = fitted.size
    for index, line in enumerate(fitted.lines):
        baseline = top + fitted.baseline(index)
        pen, extra_space = _line_x(line, fitted, x, width)
        span = line.span
        runs = [(span.line.glyphs_between(span.start, span.end), span.line.text, extra_space)]
        if line.ellipsis is not None:
            runs.append((list(line.ellipsis.glyphs), line.ellipsis.text, 0.0))
        for glyphs, text, space_extra in runs:
            for glyph in glyphs:
                yield index, glyph, pen, baseline
                pen += glyph.advance * size
                if space_extra and text[glyph.cluster] == " ":
                    pen += space_extra


class PlacedGlyph(NamedTuple):
    """One glyph where it is drawn: ``matrix(scale 0 0 -scale x y)`` applied to ``outline`` (SVG
    path data in font units, y up). The numbers are rounded as the SVG writes them, so the SVG
    and a drawing made straight from these agree to the last digit."""

    scale: float
    x: float
    y: float
    outline: str


def placed_glyphs(fitted: FittedText, x: float, y: float, width: float, height: float
                  ) -> tuple[PlacedGlyph, ...]:
    """The inked glyphs of ``fitted`` placed in the box (spaces have no outline)."""
    size = fitted.size
    out = []
    scales: dict[object, float] = {}  # per face: size / upem as the SVG writes it
    for _, glyph, pen, baseline in _placed(fitted, x, y, width, height):
        if glyph.emoji:
            continue  # drawn by emoji_svg
        face = glyph.face
        path = face.outline(glyph.gid)
        if path:
            scale = scales.get(face)
            if scale is None:
                scale = scales[face] = float(_num5(size / face.upem))
            # round(v, 2) + 0.0 is float(_num(v)): the same correctly rounded decimal, no -0
            out.append(PlacedGlyph(scale, round(pen + glyph.dx * size, 2) + 0.0,
                                   round(baseline - glyph.dy * size, 2) + 0.0, path))
    return tuple(out)


class PlacedEmoji(NamedTuple):
    """One emoji picture where it is drawn: ``key`` names the bundled picture, (x, y) is the
    top left of its ``size`` square (canvas units)."""

    key: str
    x: float
    y: float
    size: float


def placed_emoji(fitted: FittedText, x: float, y: float, width: float, height: float
                 ) -> tuple[PlacedEmoji, ...]:
    """The emoji of ``fitted`` placed in the box, on the text's baseline at the text's size."""
    size = fitted.size
    return tuple(PlacedEmoji(glyph.emoji, round(pen + emoji.SIDE_BEARING * size, 2),
                             round(baseline + (emoji.DROP - emoji.SIZE) * size, 2),
                             round(emoji.SIZE * size, 2))
                 for _, glyph, pen, baseline in _placed(fitted, x, y, width, height)
                 if glyph.emoji)


def emoji_svg(fitted: FittedText, placed: "tuple[PlacedEmoji, ...]") -> str:
    """The emoji pictures as vector SVG, in colour or (``TextStyle.emoji == "mono"``) in the
    text's colour."""
    style = fitted.style
    return "".join(emoji.emoji_markup(e.key, e.x, e.y, e.size, style.emoji, style.fill,
                                      style.background) for e in placed)


def glyphs_svg(glyphs: "tuple[PlacedGlyph, ...] | list[PlacedGlyph]") -> str:
    """One ``<path>`` per glyph."""
    return "".join(f'<path transform="matrix({_num5(g.scale)} 0 0 -{_num5(g.scale)} '
                   f'{_num(g.x)} {_num(g.y)})" d="{g.outline}"/>' for g in glyphs)


def title_svg(text: str) -> str:
    """The ``<title>`` that opens a text group: its plain text, for accessibility."""
    return f"<title>{escape(text)}</title>"


def text_group(fitted: FittedText, slot: str, inner: str, *, title: bool = True) -> str:
    """The group that holds a text block's glyphs; the plain text goes in ``<title>`` (unless
    ``title`` is False: the scene's skeleton adds it with the glyphs) and aria-label, the slot
    name in ``data-slot``."""
    plain = escape(fitted.text)
    return (f'<g class="text" data-slot="{escape(slot)}" role="img" aria-label="{plain}" '
            f'fill="{escape(fitted.style.fill)}">{title_svg(fitted.text) if title else ""}'
            f'{inner}</g>')


def text_svg(fitted: FittedText, x: float, y: float, width: float, height: float,
             slot: str) -> str:
    """SVG for ``fitted`` placed in the box, glyph paths and all (see :func:`text_group`)."""
    return text_group(fitted, slot, glyphs_svg(placed_glyphs(fitted, x, y, width, height))
                      + emoji_svg(fitted, placed_emoji(fitted, x, y, width, height)))


Box = tuple[float, float, float, float]


def ink_boxes(fitted: FittedText, x: float, y: float, width: float, height: float
              ) -> tuple[Box, ...]:
    """The ink of each line as (x, y, width, height) in canvas units, from the glyph outlines'
    extents: what the geometry checks compare with cards, bands and the safe area."""
    lines: dict[int, list[float]] = {}
    size = fitted.size
    for index, glyph, pen, baseline in _placed(fitted, x, y, width, height):
        if glyph.emoji:
            left = pen + emoji.SIDE_BEARING * size
            right = left + emoji.SIZE * size
            bottom = baseline + emoji.DROP * size
            top = bottom - emoji.SIZE * size
        else:
            ext = glyph.face.ink_extents(glyph.gid)
            if ext is None:
                continue  # a space: no ink
            x_bearing, y_bearing, ink_width, ink_height = ext
            scale = size / glyph.face.upem
            left = pen + glyph.dx * size + x_bearing * scale
            right = left + ink_width * scale
            top = baseline - glyph.dy * size - y_bearing * scale
            bottom = top - ink_height * scale  # HarfBuzz heights are negative (y up)
        box = lines.setdefault(index, [left, top, right, bottom])
        box[0], box[1] = min(box[0], left), min(box[1], top)
        box[2], box[3] = max(box[2], right), max(box[3], bottom)
    return tuple((round(a, 2), round(b, 2), round(c - a, 2), round(d - b, 2))
                 for a, b, c, d in (lines[i] for i in sorted(lines)))
