"""Print checks that need the print page: the bleed check (see ``bleed_problems``).

The preflight that every print render gets (text size, QR modules, photo resolution, safe area)
is measured in ``infographic/checks/preflight.py``; its names are re-exported here for
``infographic.print``.
"""

from __future__ import annotations

import math

from ..checks.preflight import (MIN_IMAGE_DPI, MIN_QR_MODULE_MM, MIN_TEXT_PT, PreflightItem,
                                attach_preflight, preflight_warnings, print_preflight)

__all__ = ["MIN_IMAGE_DPI", "MIN_QR_MODULE_MM", "MIN_TEXT_PT", "PreflightItem",
           "attach_preflight", "bleed_problems", "preflight_warnings", "print_preflight"]

#: Raster resolution of the bleed check: 0.5 mm per pixel is plenty to find a missing bleed.
BLEED_CHECK_PX_PER_MM = 2.0
#: Colour distance (0–441) between the trim edge and the bleed that counts as different.
BLEED_COLOUR_TOLERANCE = 40.0
#: Shorter differing runs (mm) are ignored: anti-aliasing, hairlines ending at the edge.
BLEED_MIN_RUN_MM = 3.0


def bleed_problems(art, bleed_mm: float = 3.0) -> list[PreflightItem]:
    """Edges where the artwork stops at the trim instead of running into the bleed.

    Draws the print page (bleed, no marks) at 2 px/mm and compares, along each edge, the colour
    half a bleed inside the trim with the colour half a bleed outside it. Where they differ over
    more than 3 mm, a trim that wanders may leave a sliver of the wrong colour.
    """
    from ..output import raster
    from .pdf import PrintPage, page_scene

    if not art.size.paper_mm or bleed_mm <= 0:
        return []
    k = BLEED_CHECK_PX_PER_MM
    trim_w, trim_h = art.size.paper_mm
    width, height = round((trim_w + 2 * bleed_mm) * k), round((trim_h + 2 * bleed_mm) * k)
    image = raster.rasterize(PrintPage(page_scene(art, bleed_mm, marks=False),
                                       list(art.asset_roots), art.layout, width, height))
    b = bleed_mm * k
    # as far inside the trim as outside it (half the bleed): flat colours, stretched shapes and
    # mirrored photos match there; content that stops at the trim does not
    inner, outer = int(round(1.5 * b)), int(round(0.5 * b))

    pixel = image.load()
    assert pixel is not None  # a drawn raster has pixels

    def row(y: int) -> list[tuple[int, ...]]:  # RGB: every pixel is a tuple
        return [pixel[x, y] for x in range(width)]  # type: ignore[misc]

    def column(x: int) -> list[tuple[int, ...]]:
        return [pixel[x, y] for y in range(height)]  # type: ignore[misc]

    strips = {
        "top": (row(inner), row(outer)),
        "bottom": (row(height - 1 - inner), row(height - 1 - outer)),
        "left": (column(inner), column(outer)),
        "right": (column(width - 1 - inner), column(width - 1 - outer)),
    }
    items = []
    for edge, (inside, bleed) in strips.items():
        corner = int(b + k)  # the corners are judged by the other edge
        differs = [corner <= index < len(inside) - corner
                   and math.dist(a, z) > BLEED_COLOUR_TOLERANCE
                   for index, (a, z) in enumerate(zip(inside, bleed))]
        runs, start = [], None
        for index, flag in enumerate(differs + [False]):
            if flag and start is None:
                start = index
            elif not flag and start is not None:
                if (index - start) / k >= BLEED_MIN_RUN_MM:
                    runs.append(((start - b) / k, (index - b) / k))
                start = None
        if runs:
            where = ", ".join(f"{a:.0f}–{z:.0f} mm" for a, z in runs[:3])
            items.append(PreflightItem(
                "bleed", edge, round(sum(z - a for a, z in runs), 1), "mm", "warning",
                f"{edge} edge: the artwork stops at the trim ({where} along the edge) instead of "
                f"running {bleed_mm:g} mm into the bleed; draw it past the edge "
                "(to -canvas.bleed) or keep it inside the safe area"))
    return items
