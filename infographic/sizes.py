"""Output sizes: named presets, ``WxH`` pixel sizes and ``WxHmm`` paper sizes.

A layout is written in *canvas units*: pixels for the social sizes, and for print sizes a canvas
1080 units wide (so a layout that reads well at 1080 px reads the same on paper, only sharper).
The template sees ``canvas.width``/``canvas.height`` in those units and re-flows for each size.

Paper sizes (A5–A0, ``-landscape`` variants, custom ``420x594mm``) are rasterised at 300 dpi
unless the spec ends in ``@DPIdpi`` (``a2@150dpi``); their canvas stays 1080 units on the short
side at every dpi, so PNG and PDF of one size carry the same layout.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .errors import SizeError
from .limits import (MAX_DPI, MAX_RASTER_SIDE_PX, MAX_SIDE_MM, MAX_SIDE_PX, MIN_DPI,
                     MIN_SIDE_MM, MIN_SIDE_PX)

#: The short side of a layout's design canvas: larger outputs are drawn at a higher scale.
DESIGN_SHORT_SIDE = 1080.0
PRINT_DPI = 300
#: Print PDFs extend the artwork this far past the trim edge unless told otherwise.
DEFAULT_BLEED_MM = 3.0
#: ISO 216 A series, portrait (width, height) in mm.
A_SERIES_MM = {"a0": (841, 1189), "a1": (594, 841), "a2": (420, 594), "a3": (297, 420),
               "a4": (210, 297), "a5": (148, 210)}


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
        """Output pixels per canvas unit (paper: the short side is always 1080 units)."""
        if self.paper_mm:
            return min(self.width_px, self.height_px) / DESIGN_SHORT_SIDE
        return max(1.0, min(self.width_px, self.height_px) / DESIGN_SHORT_SIDE)

    @property
    def units_per_mm(self) -> float:
        """Canvas units per millimetre on paper (0 for screen sizes)."""
        return self.canvas_width / self.paper_mm[0] if self.paper_mm else 0.0

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


def _paper(name: str, w_mm: float, h_mm: float, dpi: int = PRINT_DPI) -> Size:
    return Size(name, round(w_mm / 25.4 * dpi), round(h_mm / 25.4 * dpi), dpi, (w_mm, h_mm))


def paper_size(w_mm: float, h_mm: float, dpi: int = PRINT_DPI, name: str | None = None) -> Size:
    """A paper size in mm at ``dpi`` (checked: sides 50–2000 mm, 72–1200 dpi, rasterisable)."""
    label = name or f"{w_mm:g}x{h_mm:g}mm"
    for side in (w_mm, h_mm):
        if not MIN_SIDE_MM <= side <= MAX_SIDE_MM:
            raise SizeError(f"size '{label}': each side must be between {MIN_SIDE_MM:g} and "
                            f"{MAX_SIDE_MM:g} mm")
    if not MIN_DPI <= dpi <= MAX_DPI:
        raise SizeError(f"size '{label}': dpi must be between {MIN_DPI} and {MAX_DPI}")
    size = _paper(label if dpi == PRINT_DPI else f"{label}@{dpi}dpi", w_mm, h_mm, dpi)
    if max(size.width_px, size.height_px) > MAX_RASTER_SIDE_PX:
        raise SizeError(f"size '{size.name}' is {size.width_px}×{size.height_px} px, more than "
                        f"{MAX_RASTER_SIDE_PX} px a side: use a lower dpi (e.g. '{label}@150dpi')")
    return size


PRESETS: dict[str, Size] = {
    "square": Size("square", 1080, 1080),
    "portrait": Size("portrait", 1080, 1350),
    "story": Size("story", 1080, 1920),
    "landscape": Size("landscape", 1200, 630),
    "a4": _paper("a4", 210, 297),
    "a3": _paper("a3", 297, 420),
}
for _name, (_w, _h) in A_SERIES_MM.items():
    PRESETS.setdefault(_name, _paper(_name, _w, _h))
    PRESETS[f"{_name}-landscape"] = _paper(f"{_name}-landscape", _h, _w)

_WXH = re.compile(r"^\s*(\d+)\s*[xX×]\s*(\d+)\s*(px)?\s*$")
_MM = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*[xX×]\s*(\d+(?:\.\d+)?)\s*mm\s*$")
_DPI = re.compile(r"^(.*?)\s*@\s*(\d+)\s*(?:dpi)?\s*$")


def preset_name(size: Size) -> str:
    """The preset a size derives from: ``a2@150dpi`` → ``a2``."""
    return size.name.split("@", 1)[0]


def size_supported(size: Size, listed: "tuple[str, ...] | list[str]") -> bool:
    """Whether a layout listing the presets ``listed`` can render ``size``.

    Sizes that are not presets (``WxH``, ``WxHmm``) are always accepted. A-series paper shares
    one canvas per orientation (1080 × 1527 units), so a layout that lists any paper preset of an
    orientation accepts every A size of that orientation, at any dpi.
    """
    base = preset_name(size)
    if base not in PRESETS or base in listed:
        return True
    if not size.is_print:
        return False
    return any(PRESETS[name].is_print and PRESETS[name].orientation == size.orientation
               for name in listed if name in PRESETS)


def parse_size(spec: "str | Size") -> Size:
    """A preset name (``square``, ``a4``, ``a2-landscape``…), ``WxH`` in pixels (``1080x1350``)
    or ``WxHmm`` on paper (``420x594mm``); paper sizes take a ``@DPIdpi`` suffix (``a2@150dpi``)."""
    if isinstance(spec, Size):
        return spec
    key = str(spec).strip().lower()
    if key in PRESETS:
        return PRESETS[key]
    dpi_match = _DPI.match(key)
    if dpi_match:
        key, dpi = dpi_match.group(1).strip(), int(dpi_match.group(2))
        base = parse_size(key)
        if not base.paper_mm:
            raise SizeError(f"size '{spec}': a dpi applies to paper sizes only (a4@150dpi, "
                            "420x594mm@150dpi); screen sizes are given in pixels")
        return paper_size(*base.paper_mm, dpi=dpi, name=preset_name(base))
    mm_match = _MM.match(key)
    if mm_match:
        return paper_size(float(mm_match.group(1)), float(mm_match.group(2)))
    match = _WXH.match(key)
    if not match:
        raise SizeError(f"unknown size '{spec}': use one of {', '.join(PRESETS)}, WxH in pixels "
                        "(e.g. 1080x1350) or WxHmm on paper (e.g. 420x594mm, 420x594mm@150dpi)")
    width, height = int(match.group(1)), int(match.group(2))
    for side in (width, height):
        if not MIN_SIDE_PX <= side <= MAX_SIDE_PX:
            raise SizeError(f"size '{spec}': each side must be between {MIN_SIDE_PX} and "
                            f"{MAX_SIDE_PX} px")
    return Size(f"{width}x{height}", width, height)
