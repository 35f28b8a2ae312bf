"""Raster encoders with deliberate settings, and the small-file mode (``max_bytes``).

PNG (measured on the announcement, see README "Performance"): Pillow's zlib level 3 is as fast
as level 1 on a 1080² social image and 3 % smaller, while level 6 costs 1.5× and level 9 8× for
no gain; on a 17 MP A3 page level 1 saves 150 ms (30 %) for 3 % more bytes. So: level 3 up to
4 MP, level 1 above. cairo's own PNG writer is about 2× slower than either.

Small-file mode, e.g. for Zalo's 500 KB limit: the image is drawn once and encoded with
progressively smaller settings until it fits — for PNG a 256-colour palette (flat infographic colours survive it; anti-aliased edges get the nearest of
256 colours), then fewer colours; for JPEG and WebP lower qualities. If nothing fits, an
:class:`OutputError` says what to do.
"""

from __future__ import annotations

import io
from typing import Callable, Iterator

from PIL import Image

from ..errors import OutputError

LARGE_IMAGE_PIXELS = 4_000_000
PNG_LEVEL_SMALL = 3
PNG_LEVEL_LARGE = 1
JPEG_QUALITY = 92
WEBP_QUALITY = 90
#: Zalo refuses images above this many bytes.
ZALO_MAX_BYTES = 500_000


def png_level(image: Image.Image) -> int:
    return PNG_LEVEL_LARGE if image.width * image.height > LARGE_IMAGE_PIXELS else PNG_LEVEL_SMALL


def png_bytes(image: Image.Image, dpi: int, level: int | None = None) -> bytes:
    out = io.BytesIO()
    image.save(out, "PNG", dpi=(dpi, dpi),
               compress_level=png_level(image) if level is None else level)
    return out.getvalue()


def jpeg_bytes(image: Image.Image, dpi: int, quality: int = JPEG_QUALITY,
               subsampling: int = 0) -> bytes:
    """JPEG without chroma subsampling by default: 4:2:0 smears coloured text."""
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality, subsampling=subsampling, optimize=True,
               dpi=(dpi, dpi))
    return out.getvalue()


def webp_bytes(image: Image.Image, exif: bytes, quality: int = WEBP_QUALITY) -> bytes:
    out = io.BytesIO()
    image.save(out, "WEBP", quality=quality, method=4, exif=exif)
    return out.getvalue()


def _palette_png(image: Image.Image, dpi: int, colors: int) -> bytes:
    paletted = image.quantize(colors, method=Image.Quantize.FASTOCTREE,
                              dither=Image.Dither.NONE)
    return png_bytes(paletted, dpi, level=9)


def _png_attempts(image: Image.Image, dpi: int) -> Iterator[tuple[str, Callable[[], bytes]]]:
    yield "PNG", lambda: png_bytes(image, dpi)
    for colors in (256, 128, 64):
        yield f"PNG with {colors} colours", lambda c=colors: _palette_png(image, dpi, c)


def _jpeg_attempts(image: Image.Image, dpi: int) -> Iterator[tuple[str, Callable[[], bytes]]]:
    yield f"JPEG q{JPEG_QUALITY}", lambda: jpeg_bytes(image, dpi)
    for quality in (88, 82, 75):
        yield f"JPEG q{quality}", lambda q=quality: jpeg_bytes(image, dpi, q)
    for quality in (75, 65, 55):
        yield f"JPEG q{quality} 4:2:0", lambda q=quality: jpeg_bytes(image, dpi, q, subsampling=2)


def _webp_attempts(image: Image.Image, exif: bytes) -> Iterator[tuple[str, Callable[[], bytes]]]:
    for quality in (WEBP_QUALITY, 80, 70, 60, 50):
        yield f"WebP q{quality}", lambda q=quality: webp_bytes(image, exif, q)


def encode_within(image: Image.Image, fmt: str, max_bytes: int, dpi: int, exif: bytes = b"",
                  layout: str | None = None) -> bytes:
    """The best-quality encoding of ``image`` as ``fmt`` that is at most ``max_bytes`` long."""
    if max_bytes <= 0:
        raise OutputError(f"max_bytes must be positive, not {max_bytes}", layout=layout)
    attempts = {"png": lambda: _png_attempts(image, dpi),
                "jpeg": lambda: _jpeg_attempts(image, dpi),
                "webp": lambda: _webp_attempts(image, exif)}.get(fmt)
    if attempts is None:
        raise OutputError(f"a byte limit works for png, jpeg and webp, not {fmt}", layout=layout)
    smallest = None
    for label, encode in attempts():
        data = encode()
        if len(data) <= max_bytes:
            return data
        smallest = (label, len(data))
    assert smallest is not None
    other = {"png": "JPEG or WebP", "jpeg": "PNG or WebP", "webp": "PNG or JPEG"}[fmt]
    raise OutputError(f"cannot make the {fmt.upper()} fit in {max_bytes:,} bytes (smallest: "
                      f"{smallest[0]}, {smallest[1]:,} bytes): try {other}, a smaller size, or "
                      "less detail (photos)", layout=layout)
