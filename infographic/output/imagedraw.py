"""Images onto the cairo context: a scene's prepared images drawn from their bytes, and JPEG
pass-through for PDF output.

An ``<image>`` placed by ``image(...)`` carries ``data-scene-image="N"``: the drawing stage
hands its surface the scene's :class:`~infographic.scene.PlacedImage` list, and the handler
below paints image N from its prepared bytes (``infographic/media/images.py`` made them, the
one preparation step) — PNG through cairo's own reader, JPEG decoded once by Pillow — instead of
cairosvg fetching the ``data:`` URI and re-encoding it as PNG. The pixels are those cairosvg
would draw (tests/test_raster.py compares them).

PDF: cairosvg decodes every ``<image>`` to pixels, and cairo's PDF backend then stores them
Flate-compressed: a 60 KB photo becomes 400 KB of PDF. Cairo embeds the original JPEG stream
instead (``/DCTDecode``) when the image surface carries it as MIME data, so for PDF surfaces a
JPEG (a scene image, or a ``data:image/jpeg`` URI in a template) is attached as such.
Everything else (SVG images, files named by a template, images placed with an aspect-ratio
rule) goes to cairosvg unchanged.

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

from ..scene import IMAGE_ATTR, PlacedImage

_PREFIX = "data:image/jpeg;base64,"
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_ORIGINAL = cairosvg_surface.TAGS["image"]
_FILTERS = {"optimizeQuality": cairo.FILTER_BEST, "optimizeSpeed": cairo.FILTER_FAST}  # cairosvg's


def _scene_image(surface: Any, node: Any) -> PlacedImage | None:
    images: list[PlacedImage] | None = getattr(surface, "scene_images", None)
    index = node.get(IMAGE_ATTR) or ""
    if not images or not index.isdigit() or int(index) >= len(images):
        return None
    placed = images[int(index)]
    return placed if placed.data else None


def _jpeg_surface(data: bytes) -> tuple[Any, bytearray] | None:
    """A cairo RGB24 surface of a JPEG without rotation, and the pixels it reads; None when the
    bytes are no such JPEG."""
    try:
        opened = Image.open(io.BytesIO(data), formats=("JPEG",))
        if opened.format != "JPEG" or opened.getexif().get(0x0112, 1) != 1:
            return None
        image = opened.convert("RGB")
    except (OSError, ValueError, SyntaxError):
        return None
    pixels = bytearray(image.convert("RGBA").tobytes("raw", "BGRA"))
    stride = cairo.ImageSurface.format_stride_for_width(cairo.FORMAT_RGB24, image.width)
    return cairo.ImageSurface.create_for_data(pixels, cairo.FORMAT_RGB24, image.width,
                                              image.height, stride), pixels


def _paint(surface: Any, node: Any, image_surface: Any) -> None:
    """Paint ``image_surface`` into the element's box, as cairosvg paints an ``<image>``
    whose ``preserveAspectRatio`` is ``none``."""
    x, y = size(surface, node.get("x"), "x"), size(surface, node.get("y"), "y")
    width, height = size(surface, node.get("width"), "x"), size(surface, node.get("height"), "y")
    pattern = cairo.SurfacePattern(image_surface)
    pattern.set_filter(_FILTERS.get(node.get("image-rendering"), cairo.FILTER_GOOD))
    context = surface.context
    context.save()
    context.translate(x, y)
    context.scale(width / image_surface.get_width(), height / image_surface.get_height())
    context.set_source(pattern)
    context.paint_with_alpha(float(node.get("opacity", 1)))
    context.restore()


def _draw_image(surface: Any, node: Any) -> None:
    """cairosvg's ``image`` tag, drawing scene images from their bytes and passing JPEGs
    through to PDF."""
    is_pdf = isinstance(surface, cairosvg_surface.PDFSurface)
    placed = _scene_image(surface, node)
    if placed is not None:
        data = placed.data
    elif is_pdf and (node.get_href() or "").startswith(_PREFIX):
        try:
            data = base64.b64decode(node.get_href()[len(_PREFIX):], validate=False)
        except (binascii.Error, ValueError):
            return _ORIGINAL(surface, node)
    else:
        return _ORIGINAL(surface, node)
    if node.get("preserveAspectRatio") != "none" or not node.get("width") \
            or not node.get("height"):
        return _ORIGINAL(surface, node)
    keep: tuple[Any, ...]
    if data.startswith(_PNG_SIGNATURE):
        image_surface = cairo.ImageSurface.create_from_png(io.BytesIO(data))
        keep = (image_surface,)
    else:
        made = _jpeg_surface(data)
        if made is None:
            return _ORIGINAL(surface, node)
        image_surface, pixels = made
        if is_pdf:
            image_surface.set_mime_data("image/jpeg", data)
        keep = (pixels, data, image_surface)
    # cairo reads the pixels and JPEG bytes when the PDF is finished: keep them alive till then.
    kept = getattr(surface, "_image_keepalive", None)
    if kept is None:
        kept = surface._image_keepalive = []
    kept.append(keep)
    _paint(surface, node, image_surface)


def install() -> None:
    """Route cairosvg's ``image`` tag through :func:`_draw_image`."""
    cairosvg_surface.TAGS["image"] = _draw_image
