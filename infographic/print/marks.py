"""Printer's marks drawn outside the bleed: crop (trim) marks at the four corners.

All numbers are in mm on the print page. The marks are 0.25 pt hairlines in black, starting
1 mm outside the bleed so that a trim that wanders into the bleed never shows them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..svgsyntax import svg_number

if TYPE_CHECKING:
    from ..scene import Scene

#: Gap between the bleed edge and the start of a crop mark.
MARK_GAP_MM = 1.0
#: Length of a crop mark.
MARK_LENGTH_MM = 5.0
#: Line weight: 0.25 pt, the usual hairline for crop marks.
MARK_WEIGHT_MM = 0.25 * 25.4 / 72
#: White space between the end of a mark and the page edge.
MARK_MARGIN_MM = 2.0


def _num(value: float) -> str:
    return svg_number(value, 4)  # marks are drawn in millimetres: to a tenth of a micrometre


def slug_mm(bleed_mm: float, marks: bool) -> float:
    """Distance from the trim edge to the page edge: the bleed, plus room for the marks."""
    if not marks:
        return bleed_mm
    return bleed_mm + MARK_GAP_MM + MARK_LENGTH_MM + MARK_MARGIN_MM


def crop_marks_svg(trim_x: float, trim_y: float, trim_w: float, trim_h: float,
                   bleed_mm: float) -> str:
    """Eight crop-mark lines (two per corner) on the lines of the trim edges, in page mm."""
    start = bleed_mm + MARK_GAP_MM
    end = start + MARK_LENGTH_MM
    left, right, top, bottom = trim_x, trim_x + trim_w, trim_y, trim_y + trim_h
    lines = []
    for x in (left, right):
        outward = -1 if x == left else 1
        for y in (top, bottom):
            vertical = -1 if y == top else 1
            # horizontal mark on the line of the top/bottom edge, beside the corner
            lines.append((x + outward * start, y, x + outward * end, y))
            # vertical mark on the line of the left/right edge, above/below the corner
            lines.append((x, y + vertical * start, x, y + vertical * end))
    body = "".join(f'<line x1="{_num(a)}" y1="{_num(b)}" x2="{_num(c)}" y2="{_num(d)}"/>'
                   for a, b, c, d in lines)
    return (f'<g class="crop-marks" stroke="#000000" stroke-width="{_num(MARK_WEIGHT_MM)}" '
            f'fill="none">{body}</g>')


#: Size of the job line in the slug: 6 pt, in mm.
SLUG_TEXT_MM = 6 * 25.4 / 72


def slug_label_svg(label: str, trim_x: float, trim_y: float, trim_w: float, trim_h: float,
                   bleed_mm: float, scene: "Scene | None" = None) -> str:
    """A one-line job label (layout, size, page) under the bottom edge, between the crop
    marks and outside the bleed, drawn as glyph outlines like all text (placed in the page's
    ``scene`` when there is one)."""
    from ..placement import TextPlacer
    from ..text.fit import TextStyle
    from ..text.fonts import default_registry

    x, width = trim_x + MARK_LENGTH_MM + 3, trim_w - 2 * (MARK_LENGTH_MM + 3)
    y = trim_y + trim_h + bleed_mm + MARK_GAP_MM + 0.5
    style = TextStyle(size=SLUG_TEXT_MM, min_size=SLUG_TEXT_MM * 0.7, max_lines=1,
                      fill="#000000", overflow="truncate")
    return TextPlacer(default_registry(), scene=scene).place(
        label, style, (x, y, width, SLUG_TEXT_MM * 1.6), "print-slug").markup
