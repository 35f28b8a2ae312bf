"""Bleed: make what touches the trim edge continue past it, so trimming leaves no white sliver.

A layout is drawn on a canvas of exactly the trim size. For print the page shows a few mm more
around it (the bleed), and three things fill that band:

1. Anything the template drew past the canvas edge shows there as drawn (templates may overdraw
   on purpose: ``canvas.bleed`` is the default bleed in canvas units).
2. Shapes flush with a trim edge, in canvas coordinates, the way backgrounds, header bands and
   full-width photos are written (``x=0 width=W``), continue into the bleed with no template
   change: a ``<rect>`` is stretched by the bleed on that side; an ``<image>`` is mirrored
   across the edge into the bleed (as Acrobat's "add bleed by mirroring" does), so the photo
   inside the trim is untouched — not rescaled, not distorted — and trimming a little too wide
   shows a seamless continuation.
3. Under everything the bleed band is painted in the artwork's background colour.

What this does not stretch (a path or circle that ends exactly at the edge) shows the background
colour in the bleed; :func:`infographic.print.preflight.bleed_problems` finds such edges.
"""

from __future__ import annotations

import copy
from xml.etree.ElementTree import Element

from ..checks.geometry import IDENTITY, local, number, parse_transform, walk

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
        if x is None or y is None or w is None or h is None or w <= 0 or h <= 0:
            continue
        x0, y0, x1, y1 = x, y, x + w, y + h
        if local(element.tag) == "image":
            stretched += _mirror_image(element, ancestors[-1], (x0, y0, x1, y1), width, height,
                                       bleed, stretched)
            continue
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
            stretched += 1
    return stretched


def _mirror_image(image: Element, parent: Element, box: tuple[float, float, float, float],
                  width: float, height: float, bleed: float, serial: int) -> int:
    """Put mirrored copies of a flush ``image`` into the bleed beside every edge it touches
    (and into the corner between two such edges); returns 1 if it touched an edge."""
    x0, y0, x1, y1 = box
    sides_x = [s for s, flush in ((-1, x0 <= EDGE_TOLERANCE), (1, x1 >= width - EDGE_TOLERANCE))
               if flush]
    sides_y = [s for s, flush in ((-1, y0 <= EDGE_TOLERANCE), (1, y1 >= height - EDGE_TOLERANCE))
               if flush]
    if not sides_x and not sides_y:
        return 0
    tag = image.tag.rsplit("}", 1)[0] + "}" if "}" in image.tag else ""
    copies: list[tuple[float | None, float | None, tuple[float, float, float, float]]] = []
    # (mirror x?, mirror y?, strip of the bleed it fills)
    for sx in sides_x:
        edge = x0 if sx < 0 else x1
        strip = (edge - bleed if sx < 0 else edge, max(y0, 0.0), bleed, min(y1, height) - max(y0, 0.0))
        copies.append((edge, None, strip))
    for sy in sides_y:
        edge = y0 if sy < 0 else y1
        strip = (max(x0, 0.0), edge - bleed if sy < 0 else edge, min(x1, width) - max(x0, 0.0), bleed)
        copies.append((None, edge, strip))
    for sx in sides_x:
        for sy in sides_y:
            ex, ey = (x0 if sx < 0 else x1), (y0 if sy < 0 else y1)
            copies.append((ex, ey, (ex - bleed if sx < 0 else ex, ey - bleed if sy < 0 else ey,
                                    bleed, bleed)))
    index = list(parent).index(image)
    for copy_index, (mirror_x, mirror_y, (cx, cy, cw, ch)) in enumerate(copies):
        if cw <= 0 or ch <= 0:
            continue
        clip_id = f"infographic-bleed-{serial}-{copy_index}"
        a, e = (-1, 2 * mirror_x) if mirror_x is not None else (1, 0.0)
        d, f = (-1, 2 * mirror_y) if mirror_y is not None else (1, 0.0)
        group = Element(f"{tag}g", {"clip-path": f"url(#{clip_id})"})
        clip = Element(f"{tag}clipPath", {"id": clip_id})
        clip.append(Element(f"{tag}rect", {"x": f"{cx:g}", "y": f"{cy:g}", "width": f"{cw:g}",
                                          "height": f"{ch:g}"}))
        mirrored = Element(f"{tag}g", {"transform": f"matrix({a} 0 0 {d} {e:g} {f:g})"})
        mirrored.append(copy.deepcopy(image))
        group.extend([clip, mirrored])
        index += 1
        parent.insert(index, group)
    return 1


__all__ = ["EDGE_TOLERANCE", "extend_edges", "parse_transform"]
