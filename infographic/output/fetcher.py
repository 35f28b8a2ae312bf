"""An allow-list URL fetcher for cairosvg: ``data:`` URIs and files inside given folders only.

Anything else (http, other files, ``../`` escapes, symlinks out of the folder) yields an empty
SVG, which draws nothing: a layout cannot read or fetch what it was not given. An image in a
format outside ``limits.IMAGE_FORMATS`` (an EPS, which Pillow would hand to Ghostscript) or a
broken one is a :class:`LayoutError` naming it.

Every image is checked from its header before cairo decodes it (a small PNG can decode to
gigabytes, and cairo decodes PNGs without Pillow's bomb check), nested SVG documents are checked
like the main one, and the number of fetches per render is capped (``infographic/limits.py``).
The fetcher only checks: it hands back the bytes it read. Photos and logos placed with
``image(...)`` are prepared once, by ``infographic/media/images.py``, and drawn from the scene
(``imagedraw.py``) without being fetched; an image a template names itself is decoded by
cairosvg (EXIF orientation and CMYK included).
"""

from __future__ import annotations

import base64
import io
import os
import struct
from pathlib import Path
from urllib.parse import unquote, unquote_to_bytes, urlparse
from xml.etree.ElementTree import ParseError

from defusedxml import ElementTree as SafeElementTree
from defusedxml.common import DefusedXmlException
from PIL import Image, UnidentifiedImageError

from .. import limits
from ..paths import resolve_inside
from ..errors import LayoutError, LimitError

EMPTY_SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"></svg>'
MAX_RESOURCE_BYTES = limits.MAX_RESOURCE_BYTES
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _decode_data_uri(url: str) -> bytes:
    header, _, payload = url[5:].partition(",")
    if header.endswith(";base64"):
        return base64.b64decode(payload, validate=False)
    return unquote_to_bytes(payload)


def _is_svg(data: bytes) -> bool:
    head = data[:1024].lstrip()
    return head.startswith((b"<svg", b"<?xml", b"<!DOC", b"\x1f\x8b")) or b"<svg" in data[:4096]


class AllowListFetcher:
    def __init__(self, roots: list[Path], max_bytes: int = MAX_RESOURCE_BYTES) -> None:
        self.roots = [os.path.realpath(r) for r in roots]
        self.max_bytes = max_bytes
        self.refused: list[str] = []
        self.fetched = 0
        self.image_pixels = 0

    def allowed_path(self, url: str) -> str | None:
        parsed = urlparse(url)
        if parsed.scheme != "file" or parsed.netloc not in ("", "localhost"):
            return None
        for root in self.roots:
            path = resolve_inside(root, unquote(parsed.path))
            if path is not None and path.is_file():
                return str(path)
        return None

    def __call__(self, url: str, resource_type: str) -> bytes:
        self.fetched += 1
        if self.fetched > limits.MAX_RESOURCES:
            raise LimitError(f"the SVG references more than {limits.MAX_RESOURCES} images and "
                             "documents; use fewer")
        data = self._read(url)
        if data is None:
            self.refused.append(url[:80])
            return EMPTY_SVG
        where = "data: URI" if url.startswith("data:") else os.path.basename(urlparse(url).path)
        if data.startswith(_PNG_SIGNATURE):
            return self._check_image(data, where)
        if _is_svg(data):
            self._check_svg(data, where)
            return data
        if resource_type.startswith("image/"):
            return self._check_image(data, where)
        if resource_type == "text/css":
            limits.check_stylesheet(data.decode("utf-8", "replace"), f"stylesheet {where}")
        return data

    def _read(self, url: str) -> bytes | None:
        if url.startswith("data:"):
            if len(url) > self.max_bytes * 4 // 3 + 256:
                return None
            try:
                return _decode_data_uri(url)
            except ValueError:
                return None
        path = self.allowed_path(url)
        if path is None or os.path.getsize(path) > self.max_bytes:
            return None
        with open(path, "rb") as handle:
            return handle.read()

    def _check_svg(self, data: bytes, where: str) -> None:
        try:
            root = SafeElementTree.fromstring(data)
        except (ParseError, DefusedXmlException, ValueError) as exc:
            raise LimitError(f"embedded SVG {where} cannot be used safely ({exc})") from None
        limits.check_svg_tree(root, what=f"embedded SVG {where}")

    def count_pixels(self, width: int, height: int, where: str) -> None:
        """Count an image of this render towards the limits (one image, and all together)."""
        limits.check_image_size(width, height, where)
        self.image_pixels += width * height
        if self.image_pixels > limits.MAX_TOTAL_IMAGE_PIXELS:
            raise LimitError(f"the images of this render add up to more than "
                             f"{limits.MAX_TOTAL_IMAGE_PIXELS / 1e6:g} megapixels; use fewer or "
                             "smaller images")

    def _check_image(self, data: bytes, where: str) -> bytes:
        """``data`` unchanged, once its header names an allowed format of allowed pixels (cairo
        allocates what a PNG header says; Pillow would hand an EPS to Ghostscript)."""
        if data.startswith(_PNG_SIGNATURE) and data[12:16] == b"IHDR":
            width, height = struct.unpack(">II", data[16:24])
            self.count_pixels(width, height, where)
            return data
        try:
            with Image.open(io.BytesIO(data), formats=limits.IMAGE_FORMATS) as image:  # header only
                self.count_pixels(image.width, image.height, where)
        except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as exc:
            kind = "not an image format we read" if isinstance(exc, UnidentifiedImageError) \
                else "broken"
            raise LayoutError(f"image {where} is {kind} (images may be PNG, JPEG, WebP, GIF, "
                              "BMP, TIFF or SVG; EPS and other PostScript are never opened): "
                              "convert it to PNG or JPEG") from None
        return data
