"""Output sizes: named presets and ``WxH`` pixel sizes.

A layout is written in *canvas units*: pixels for the social sizes, and for print sizes a canvas
1080 units wide (so a layout that reads well at 1080 px reads the same on paper, only sharper).
The template sees ``canvas.width``/``canvas.height`` in those units and re-flows for each size.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .errors import SizeError

#: The short side of a layout's design canvas: larger outputs are drawn at a higher scale.
DESIGN_SHORT_SIDE = 1080.0
MAX_SIDE_PX = 10000
MIN_SIDE_PX = 200


@dataclass(frozen=True)
class Size:
    """One output size: pixel dimensions, resolution and, for print, the paper size in mm."""

    name: str
    width_px: int
    height_px: int
    dpi: int = 72
    paper_mm: tuple[float, float] | None = None

    @property
    def scale(self) -> float:
        """Output pixels per canvas unit."""
        return max(1.0, min(self.width_px, self.height_px) / DESIGN_SHORT_SIDE)

    @property
    def canvas_width(self) -> float:
        return round(self.width_px / self.scale, 3)

    @property
    def canvas_height(self) -> float:
        return round(self.height_px / self.scale, 3)

    @property
    def is_print(self) -> bool:
        return self.paper_mm is not None

    @property
    def orientation(self) -> str:
        ratio = self.width_px / self.height_px
        if ratio > 1.1:
            return "landscape"
        if ratio < 0.9:
            return "portrait"
        return "square"


def _paper(name: str, w_mm: float, h_mm: float, dpi: int = 300) -> Size:
    return Size(name, round(w_mm / 25.4 * dpi), round(h_mm / 25.4 * dpi), dpi, (w_mm, h_mm))


PRESETS: dict[str, Size] = {
    "square": Size("square", 1080, 1080),
    "portrait": Size("portrait", 1080, 1350),
    "story": Size("story", 1080, 1920),
    "landscape": Size("landscape", 1200, 630),
    "a4": _paper("a4", 210, 297),
    "a3": _paper("a3", 297, 420),
}

_WXH = re.compile(r"^\s*(\d+)\s*[xX×]\s*(\d+)\s*(px)?\s*$")


def parse_size(spec: "str | Size") -> Size:
    """A preset name (``square``, ``a4``…) or ``WxH`` in pixels, e.g. ``1080x1350``."""
    if isinstance(spec, Size):
        return spec
    key = str(spec).strip().lower()
    if key in PRESETS:
        return PRESETS[key]
    match = _WXH.match(key)
    if not match:
        raise SizeError(f"unknown size '{spec}': use one of {', '.join(PRESETS)} or WxH in pixels "
                        "(e.g. 1080x1350)")
    width, height = int(match.group(1)), int(match.group(2))
    for side in (width, height):
        if not MIN_SIDE_PX <= side <= MAX_SIDE_PX:
            raise SizeError(f"size '{spec}': each side must be between {MIN_SIDE_PX} and "
                            f"{MAX_SIDE_PX} px")
    return Size(f"{width}x{height}", width, height)
