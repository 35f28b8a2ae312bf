"""Bleed: make what touches the trim edge continue past it, so trimming leaves no white sliver.

A layout is drawn on a canvas of exactly the trim size. For print the page shows a few mm more
around it (the bleed), and three things fill that band:

1. Anything the template drew past the canvas edge shows there as drawn (templates may overdraw
   on purpose: ``canvas.bleed`` is the default bleed in canvas units).
2. Shapes flush with a trim edge (``<rect>`` and ``<image>`` in canvas coordinates, the way
   backgrounds, header bands and full-width photos are written: ``x=0 width=W``) are stretched
   by the bleed on that side — no template change needed.
3. Under everything the bleed band is painted in the artwork's background colour.

What this does not stretch (a path or circle that ends exactly at the edge) shows the background
colour in the bleed; :func:`infographic.print.preflight.bleed_problems` finds such edges.
"""

from __future__ import annotations

from xml.etree.ElementTree import Element

from .geometry import IDENTITY, local, number, parse_transform, walk

#: A shape within this many canvas units of a trim edge counts as flush with it.
EDGE_TOLERANCE = 0.5
_STRETCHABLE = {"rect", "image"}
_BLOCKERS = {"clip-path", "mask", "filter"}


def _plain_ancestry(ancestors: list[Element]) -> bool:
    """True when the element sits in canvas coordinates: no transform, clip or mask above it."""
    for ancestor in ancestors[1:]:
        if local(ancestor.tag) not in ("g", "a", "switch"):
            return False
        if ancestor.get("transform") or any(ancestor.get(k) for k in _BLOCKERS):
            return False
    return True


def extend_edges(root: Element, width: float, height: float, bleed: float) -> int:
    """Stretch flush rects and images of the SVG ``root`` (canvas ``width`` × ``height``) by
    ``bleed`` canvas units past every trim edge they touch. Returns how many were stretched."""
    if bleed <= 0:
        return 0
    stretched = 0
    for element, matrix, ancestors in walk(root):
        if local(element.tag) not in _STRETCHABLE or matrix != IDENTITY:
            continue
        if not _plain_ancestry(ancestors) or any(element.get(k) for k in _BLOCKERS):
            continue
        x, y = number(element, "x"), number(element, "y")
        w, h = number(element, "width", -1), number(element, "height", -1)
        if None in (x, y, w, h) or w <= 0 or h <= 0:  # type: ignore[operator]
            continue
        x0, y0, x1, y1 = x, y, x + w, y + h  # type: ignore[operator]
        touches = False
        if x0 <= EDGE_TOLERANCE and x1 > EDGE_TOLERANCE:
            x0, touches = min(x0, 0.0) - bleed, True
        if x1 >= width - EDGE_TOLERANCE and x0 < width - EDGE_TOLERANCE:
            x1, touches = max(x1, width) + bleed, True
        if y0 <= EDGE_TOLERANCE and y1 > EDGE_TOLERANCE:
            y0, touches = min(y0, 0.0) - bleed, True
        if y1 >= height - EDGE_TOLERANCE and y0 < height - EDGE_TOLERANCE:
            y1, touches = max(y1, height) + bleed, True
        if touches:
            element.set("x", f"{x0:g}")
            element.set("y", f"{y0:g}")
            element.set("width", f"{x1 - x0:g}")
            element.set("height", f"{y1 - y0:g}")
            if local(element.tag) == "image" and "preserveAspectRatio" not in element.attrib:
                # the default 'meet' would shrink the photo into the larger box: keep it filling
                element.set("preserveAspectRatio", "xMidYMid slice")
            stretched += 1
    return stretched


__all__ = ["EDGE_TOLERANCE", "extend_edges", "parse_transform"]
