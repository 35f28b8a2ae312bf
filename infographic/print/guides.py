"""Trim, bleed and safe-area guides for the designer preview (never printed).

``guides_svg(size, ...)`` is an SVG fragment in canvas units to lay over an artwork;
``preview_with_guides(art, ...)`` is a whole SVG: the artwork as it will print (its view grown by
the bleed, flush shapes stretched into it, exactly as in the print PDF) with the guides on top.
"""

from __future__ import annotations

from xml.etree import ElementTree as ET

from defusedxml import ElementTree as SafeElementTree

from ..layout.manifest import DEFAULT_SAFE_AREA_MM
from ..sizes import DEFAULT_BLEED_MM, Size
from .bleed import extend_edges
from ..checks.geometry import SVG_NS
from ..svgsyntax import fine_number

#: Colours of the guides: bleed edge red, trim cyan, safe area magenta (as in DTP programs).
BLEED_COLOUR, TRIM_COLOUR, SAFE_COLOUR = "#E5191C", "#00A3E0", "#C2187E"


def _rect(x: float, y: float, w: float, h: float, colour: str, width: float,
          dash: str = "") -> str:
    dashes = f' stroke-dasharray="{dash}"' if dash else ""
    return (f'<rect x="{fine_number(x)}" y="{fine_number(y)}" width="{fine_number(w)}" '
            f'height="{fine_number(h)}" fill="none" stroke="{colour}" '
            f'stroke-width="{fine_number(width)}" vector-effect="non-scaling-stroke"'
            f'{dashes}/>')


def guides_svg(size: Size, safe_area_mm: float = DEFAULT_SAFE_AREA_MM,
               bleed_mm: float = DEFAULT_BLEED_MM) -> str:
    """``<g class="print-guides">`` in canvas units: bleed edge (outside the canvas), trim
    (the canvas edge) and safe area (inside it). Empty for screen sizes."""
    if not size.is_print:
        return ""
    k = size.units_per_mm
    w, h = size.canvas_width, size.canvas_height
    b, s = bleed_mm * k, safe_area_mm * k
    # 1.5 px on screen (non-scaling strokes); where those are not supported, 1.5 units or 0.25 mm
    line = max(0.25 * k, 1.5)
    dash = f"{2 * k:.2f} {1.5 * k:.2f}"
    parts = ['<g class="print-guides" pointer-events="none">']
    if b > 0:  # veil over the part that is cut away
        parts.append(f'<path fill="#000000" fill-opacity="0.18" fill-rule="evenodd" '
                     f'd="M{-b:.3f} {-b:.3f}H{w + b:.3f}V{h + b:.3f}H{-b:.3f}Z'
                     f'M0 0V{h:.3f}H{w:.3f}V0Z"/>')
        parts.append(_rect(-b, -b, w + 2 * b, h + 2 * b, BLEED_COLOUR, line, dash))
    parts.append(_rect(0, 0, w, h, TRIM_COLOUR, line))
    if s > 0:
        parts.append(_rect(s, s, w - 2 * s, h - 2 * s, SAFE_COLOUR, line, dash))
    parts.append("</g>")
    return "".join(parts)


def preview_with_guides(art, safe_area_mm: float = DEFAULT_SAFE_AREA_MM,
                        bleed_mm: float = DEFAULT_BLEED_MM) -> str:
    """The artwork's SVG with its view grown by the bleed (showing what prints there) and
    :func:`guides_svg` on top. For a screen size, the artwork's SVG unchanged."""
    size: Size = art.size
    if not size.is_print:
        return art.svg
    k = size.units_per_mm
    b = bleed_mm * k
    w, h = size.canvas_width, size.canvas_height
    root = SafeElementTree.fromstring(art.svg.encode("utf-8"))
    extend_edges(root, w, h, b)
    root.set("viewBox", f"{-b:.3f} {-b:.3f} {w + 2 * b:.3f} {h + 2 * b:.3f}")
    paper_w, paper_h = size.paper_mm  # type: ignore[misc]
    root.set("width", f"{paper_w + 2 * bleed_mm:g}mm")
    root.set("height", f"{paper_h + 2 * bleed_mm:g}mm")
    # under everything: the bleed band in the background colour, as the print PDF paints it
    base = ET.Element(f"{{{SVG_NS}}}rect", {"x": f"{-b:.3f}", "y": f"{-b:.3f}",
                                            "width": f"{w + 2 * b:.3f}",
                                            "height": f"{h + 2 * b:.3f}", "fill": art.background})
    root.insert(0, base)
    root.append(SafeElementTree.fromstring(
        f'<g xmlns="{SVG_NS}">{guides_svg(size, safe_area_mm, bleed_mm)}</g>'))
    return ET.tostring(root, encoding="unicode")
