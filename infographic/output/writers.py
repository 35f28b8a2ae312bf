"""One small writer per output format, over the final drawing (segno-style: dispatch on suffix).

``OUTPUTS`` is the one table of output formats: name, file suffixes, whether it is pixels, and
its writer. Raster writers take the drawn image, so a job that wants PNG, JPEG and WebP draws
the artwork once (:func:`write_many`) and encodes it per format.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable

from PIL import Image

from ..errors import OutputError
from . import encoding, raster

if TYPE_CHECKING:
    from ..artwork import Artwork


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


def encode_png(image: Image.Image, art: "Artwork") -> bytes:
    return encoding.png_bytes(image, art.dpi)  # encoder settings: see encoding.py


def encode_jpeg(image: Image.Image, art: "Artwork") -> bytes:
    return encoding.jpeg_bytes(image, art.dpi)


def encode_webp(image: Image.Image, art: "Artwork") -> bytes:
    return encoding.webp_bytes(image, _dpi_exif(art.dpi))


def write_png(art: "Artwork") -> bytes:
    return encode_png(rasterize(art), art)


def write_jpeg(art: "Artwork") -> bytes:
    return encode_jpeg(rasterize(art), art)


def write_webp(art: "Artwork") -> bytes:
    return encode_webp(rasterize(art), art)


def write_pdf(art: "Artwork") -> bytes:
    out = io.BytesIO()
    surface = raster.draw_pdf(art, out, background_color=art.background)
    surface.finish()
    return out.getvalue()


def write_svg(art: "Artwork") -> bytes:
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + art.svg).encode("utf-8")


@dataclass(frozen=True)
class OutputFormat:
    """One output format: ``suffixes[0]`` is the one written; a raster format has an
    ``encode(image, art)`` for an image drawn once and shared between formats."""

    name: str
    suffixes: tuple[str, ...]
    write: Callable[["Artwork"], bytes]
    encode: Callable[[Image.Image, "Artwork"], bytes] | None = None
    listed: bool = True  # False: written on request, not offered in lists (print-pdf)
    media_type: str = "application/octet-stream"  # what a download of it is served as

    @property
    def raster(self) -> bool:
        return self.encode is not None

    @property
    def suffix(self) -> str:
        return self.suffixes[0]


OUTPUTS: dict[str, OutputFormat] = {f.name: f for f in (
    OutputFormat("png", (".png",), write_png, encode_png, media_type="image/png"),
    OutputFormat("jpeg", (".jpg", ".jpeg"), write_jpeg, encode_jpeg, media_type="image/jpeg"),
    OutputFormat("webp", (".webp",), write_webp, encode_webp, media_type="image/webp"),
    OutputFormat("pdf", (".pdf",), write_pdf, media_type="application/pdf"),
    OutputFormat("svg", (".svg",), write_svg, media_type="image/svg+xml"),
)}
#: The names of the formats ``save``/``to_bytes``/``--format`` offer.
FORMATS = tuple(name for name, f in OUTPUTS.items() if f.listed)


def register_writer(name: str, writer: Callable[["Artwork"], bytes],
                    media_type: str = "application/octet-stream") -> None:
    """Add an output format written by a higher layer (``infographic.print`` registers
    ``print-pdf``), so this package never imports the layers built on it."""
    OUTPUTS[name] = OutputFormat(name, (), writer, listed=False, media_type=media_type)


def output_format(fmt: str) -> OutputFormat:
    """The format named ``fmt`` (``jpg`` is ``jpeg``); :class:`OutputError` if there is none."""
    key = fmt.strip().lower()
    key = {"jpg": "jpeg"}.get(key, key)
    if key not in OUTPUTS:
        raise OutputError(f"unknown output format '{fmt}': use {', '.join(FORMATS)}")
    return OUTPUTS[key]


def format_for_path(path: "str | Path") -> str:
    suffix = Path(path).suffix.lower()
    for spec in OUTPUTS.values():
        if suffix in spec.suffixes:
            return spec.name
    known = [s for spec in OUTPUTS.values() for s in spec.suffixes]
    raise OutputError(f"cannot tell the format of '{path}': use a file name ending in "
                      f"{', '.join(known)}")


def write(art: "Artwork", fmt: str, *, max_bytes: int | None = None) -> bytes:
    """``fmt`` bytes of ``art``; with ``max_bytes`` (PNG, JPEG, WebP) the best quality that fits,
    e.g. ``max_bytes=encoding.ZALO_MAX_BYTES`` for Zalo."""
    spec = output_format(fmt)
    if max_bytes is not None:
        return encoding.encode_within(rasterize(art), spec.name, max_bytes, art.dpi,
                                      _dpi_exif(art.dpi), layout=art.layout)
    return spec.write(art)


def write_many(art: "Artwork", formats: Iterable[str]) -> dict[str, bytes]:
    """The bytes of ``art`` in each of ``formats`` (keys as given), drawing the pixels once for
    all the raster formats among them."""
    wanted = {fmt: output_format(fmt) for fmt in formats}
    image = rasterize(art) if any(spec.raster for spec in wanted.values()) else None
    out = {}
    for fmt, spec in wanted.items():
        if spec.encode is not None and image is not None:
            out[fmt] = spec.encode(image, art)
        else:
            out[fmt] = spec.write(art)
    return out
