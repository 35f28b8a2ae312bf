"""JPEG pass-through for PDF output: embedded photos stay JPEG inside the PDF.

cairosvg decodes every ``<image>`` to pixels, and cairo's PDF backend then stores them
Flate-compressed: a 60 KB photo becomes 400 KB of PDF. Cairo embeds the original JPEG stream
instead (``/DCTDecode``) when the image surface carries it as MIME data, so for PDF surfaces the
``image`` tag handler below attaches the bytes of ``data:image/jpeg`` images. Everything else
(PNG, SVG, other surfaces, images placed with an aspect-ratio rule) goes to cairosvg unchanged.

``install()`` is idempotent; ``raster.install_hooks`` calls it before anything is drawn.
"""

from __future__ import annotations

import base64
import binascii
import io
from typing import Any

from ..cairo_ffi import load_cairocffi

load_cairocffi()  # before cairosvg and cairocffi load: see infographic/cairo_ffi.py
import cairocffi as cairo
from cairosvg import surface as cairosvg_surface
from cairosvg.helpers import size
from PIL import Image

_PREFIX = "data:image/jpeg;base64,"
_ORIGINAL = cairosvg_surface.TAGS["image"]


def _jpeg_image(surface: Any, node: Any) -> None:
    href = node.get_href() or ""
    if (not isinstance(surface, cairosvg_surface.PDFSurface) or not href.startswith(_PREFIX)
            or node.get("preserveAspectRatio") != "none"):
        return _ORIGINAL(surface, node)
    try:
        data = base64.b64decode(href[len(_PREFIX):], validate=False)
        image = Image.open(io.BytesIO(data), formats=("JPEG",))
        if image.format != "JPEG" or image.getexif().get(0x0112, 1) != 1:
            return _ORIGINAL(surface, node)
        image = image.convert("RGB")
    except (binascii.Error, OSError, ValueError, SyntaxError):
        return _ORIGINAL(surface, node)
    x, y = size(surface, node.get("x"), "x"), size(surface, node.get("y"), "y")
    width, height = size(surface, node.get("width"), "x"), size(surface, node.get("height"), "y")
    if not width or not height:
        return _ORIGINAL(surface, node)
    pixels = bytearray(image.convert("RGBA").tobytes("raw", "BGRA"))
    stride = cairo.ImageSurface.format_stride_for_width(cairo.FORMAT_RGB24, image.width)
    image_surface = cairo.ImageSurface.create_for_data(pixels, cairo.FORMAT_RGB24, image.width,
                                                       image.height, stride)
    image_surface.set_mime_data("image/jpeg", data)
    # cairo reads the pixels and JPEG bytes when the PDF is finished: keep them alive till then.
    keep = getattr(surface, "_jpeg_keepalive", None)
    if keep is None:
        keep = surface._jpeg_keepalive = []
    keep.append((pixels, data, image_surface))
    pattern = cairo.SurfacePattern(image_surface)
    pattern.set_filter(cairo.FILTER_GOOD)
    context = surface.context
    context.save()
    context.translate(x, y)
    context.scale(width / image.width, height / image.height)
    context.set_source(pattern)
    context.paint_with_alpha(float(node.get("opacity", 1)))
    context.restore()


def install() -> None:
    """Route cairosvg's ``image`` tag through the JPEG pass-through (PDF surfaces only)."""
    cairosvg_surface.TAGS["image"] = _jpeg_image
