"""One small writer per output format, over the final SVG (segno-style: dispatch on suffix)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING, Callable


from PIL import Image

from ..errors import OutputError
from . import encoding, raster

if TYPE_CHECKING:
    from ..artwork import Artwork

FORMATS = ("png", "jpeg", "webp", "pdf", "svg")
_SUFFIXES = {".png": "png", ".jpg": "jpeg", ".jpeg": "jpeg", ".webp": "webp", ".pdf": "pdf",
             ".svg": "svg"}


def format_for_path(path: "str | Path") -> str:
    suffix = Path(path).suffix.lower()
    if suffix not in _SUFFIXES:
        raise OutputError(f"cannot tell the format of '{path}': use a file name ending in "
                          f"{', '.join(_SUFFIXES)}")
    return _SUFFIXES[suffix]


def rasterize(art: "Artwork") -> Image.Image:
    """Draw the artwork at its pixel size on an opaque background; returns an RGB image.
    (Limits, cached glyph outlines and the time budget live in ``raster.py``.)"""
    return raster.rasterize(art)


def _dpi_exif(dpi: int) -> bytes:
    exif = Image.Exif()
    exif[0x011A] = dpi  # XResolution
    exif[0x011B] = dpi  # YResolution
    exif[0x0128] = 2  # ResolutionUnit: inch
    return exif.tobytes()


def write_png(art: "Artwork") -> bytes:
    return encoding.png_bytes(rasterize(art), art.dpi)  # encoder settings: see encoding.py


def write_jpeg(art: "Artwork") -> bytes:
    return encoding.jpeg_bytes(rasterize(art), art.dpi)


def write_webp(art: "Artwork") -> bytes:
    return encoding.webp_bytes(rasterize(art), _dpi_exif(art.dpi))


def write_pdf(art: "Artwork") -> bytes:
    out = io.BytesIO()
    surface = raster.draw_pdf(art, out, background_color=art.background)
    surface.finish()
    return out.getvalue()


def write_svg(art: "Artwork") -> bytes:
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + art.svg).encode("utf-8")


_WRITERS: dict[str, Callable[["Artwork"], bytes]] = {
    "png": write_png, "jpeg": write_jpeg, "webp": write_webp, "pdf": write_pdf, "svg": write_svg}


def register_writer(name: str, writer: Callable[["Artwork"], bytes]) -> None:
    """Add an output format written by a higher layer (``infographic.print`` registers
    ``print-pdf``), so this package never imports the layers built on it."""
    _WRITERS[name] = writer


def write(art: "Artwork", fmt: str, *, max_bytes: int | None = None) -> bytes:
    """``fmt`` bytes of ``art``; with ``max_bytes`` (PNG, JPEG, WebP) the best quality that fits,
    e.g. ``max_bytes=encoding.ZALO_MAX_BYTES`` for Zalo."""
    key = {"jpg": "jpeg"}.get(fmt.lower(), fmt.lower())
    if key not in _WRITERS:
        raise OutputError(f"unknown output format '{fmt}': use {', '.join(FORMATS)}")
    if max_bytes is not None:
        return encoding.encode_within(rasterize(art), key, max_bytes, art.dpi,
                                      _dpi_exif(art.dpi), layout=art.layout)
    return _WRITERS[key](art)
