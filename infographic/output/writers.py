"""One small writer per output format, over the final SVG (segno-style: dispatch on suffix)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from cairosvg.parser import Tree
from cairosvg.surface import PDFSurface, PNGSurface
from PIL import Image

from ..errors import OutputError
from . import raster
from .fetcher import AllowListFetcher

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


def _tree(art: "Artwork") -> Tree:
    fetcher = AllowListFetcher(art.asset_roots)
    base = (art.asset_roots[0] / "_.svg").as_uri() if art.asset_roots else None
    return Tree(bytestring=art.svg.encode("utf-8"), url=base, url_fetcher=fetcher)


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
    out = io.BytesIO()
    rasterize(art).save(out, "PNG", dpi=(art.dpi, art.dpi), compress_level=3)
    return out.getvalue()


def write_jpeg(art: "Artwork") -> bytes:
    out = io.BytesIO()
    rasterize(art).save(out, "JPEG", quality=92, subsampling=0, optimize=True,
                        dpi=(art.dpi, art.dpi))
    return out.getvalue()


def write_webp(art: "Artwork") -> bytes:
    out = io.BytesIO()
    rasterize(art).save(out, "WEBP", quality=90, method=4, exif=_dpi_exif(art.dpi))
    return out.getvalue()


def write_pdf(art: "Artwork") -> bytes:
    out = io.BytesIO()
    surface = PDFSurface(_tree(art), out, 96, background_color=art.background)
    surface.finish()
    return out.getvalue()


def write_svg(art: "Artwork") -> bytes:
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + art.svg).encode("utf-8")


_WRITERS: dict[str, Callable[["Artwork"], bytes]] = {
    "png": write_png, "jpeg": write_jpeg, "webp": write_webp, "pdf": write_pdf, "svg": write_svg}


def write(art: "Artwork", fmt: str) -> bytes:
    key = {"jpg": "jpeg"}.get(fmt.lower(), fmt.lower())
    if key not in _WRITERS:
        raise OutputError(f"unknown output format '{fmt}': use {', '.join(FORMATS)}")
    return _WRITERS[key](art)
