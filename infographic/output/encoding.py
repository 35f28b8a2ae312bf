"""Raster encoders with deliberate settings, and the small-file mode (``max_bytes``).

PNG (measured on the announcement, see README "Performance"): Pillow filters every row
adaptively, which on flat infographic colours costs more than the compression and makes the file
larger. We write RGB PNGs ourselves with one filter for the whole image — None for flat graphics,
Up when a sample of rows says it compresses at least 10 % better (photos) — and zlib level 1:
1080² in 19 ms / 248 KB against Pillow's 38 ms / 316 KB (level 3); A3 at 300 dpi in 0.15 s /
1.3 MB against 0.29 s / 1.5 MB (CPU, ``benchmarks/run.py --layouts announcement``, the same run
as the README's numbers). Higher zlib levels cost 1.5–8× the time for under 10 % fewer bytes;
the small-file mode below is the way to smaller files.

Small-file mode, e.g. for Zalo's 500 KB limit: the image is drawn once and encoded with
progressively smaller settings until it fits — for PNG a 256-colour palette (flat infographic colours survive it; anti-aliased edges get the nearest of
256 colours), then fewer colours; for JPEG and WebP lower qualities. If nothing fits, an
:class:`OutputError` says what to do.
"""

from __future__ import annotations

import io
import struct
import zlib
from functools import partial
from typing import Callable, Iterator

from PIL import Image, ImageChops

from ..errors import OutputError

PNG_LEVEL = 1
JPEG_QUALITY = 92
WEBP_QUALITY = 90
#: Zalo refuses images above this many bytes.
ZALO_MAX_BYTES = 500_000


def _chunk(kind: bytes, data: bytes) -> bytes:
    return (struct.pack(">I", len(data)) + kind + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))


def _scanlines(image: Image.Image, top: int, bottom: int, up: bool) -> bytes:
    """Rows ``top``..``bottom`` each led by its PNG filter byte: 0 (None) or 2 (Up: minus the row
    above, computed by Pillow as a modulo subtraction from the image shifted down one row)."""
    band = image.crop((0, top, image.width, bottom))
    if up:
        above = image.crop((0, top - 1, image.width, bottom - 1))  # row -1 is zeros
        band = ImageChops.subtract_modulo(band, above)
    rows = memoryview(band.tobytes())
    stride = image.width * 3
    marker = b"\x02" if up else b"\x00"
    # the marker joined before every row, straight from views of the band (no copy per row)
    return marker.join([b"", *(rows[start:start + stride] for start in range(0, len(rows), stride))])


def _prefers_up_filter(image: Image.Image, level: int) -> bool:
    """Compress a sample of row bands both ways: flat graphics favour no filter, photos Up."""
    tops = range(0, image.height, 96)
    none = sum(len(zlib.compress(_scanlines(image, t, min(t + 8, image.height), False), level))
               for t in tops)
    up = sum(len(zlib.compress(_scanlines(image, t, min(t + 8, image.height), True), level))
             for t in tops)
    return up < none * 0.9


def _rgb_png(image: Image.Image, dpi: int, level: int) -> bytes:
    """Our own PNG writer for RGB images: one filter for the whole image, chosen on a sample,
    compressed in bands of rows (an A3 page never exists twice in memory).

    Pillow filters every row adaptively, which costs more than the compression on flat
    infographic colours and makes the file larger (measured: 35 ms / 286 KB against 24 ms /
    228 KB for the announcement at 1080², see README "Performance").
    """
    up = _prefers_up_filter(image, level)
    compressor = zlib.compressobj(level)
    parts = []
    for top in range(0, image.height, 256):
        parts.append(compressor.compress(_scanlines(image, top, min(top + 256, image.height), up)))
    parts.append(compressor.flush())
    header = struct.pack(">IIBBBBB", image.width, image.height, 8, 2, 0, 0, 0)
    per_metre = round(dpi / 0.0254)
    return b"".join((b"\x89PNG\r\n\x1a\n", _chunk(b"IHDR", header),
                     _chunk(b"pHYs", struct.pack(">IIB", per_metre, per_metre, 1)),
                     _chunk(b"IDAT", b"".join(parts)), _chunk(b"IEND", b"")))


def png_bytes(image: Image.Image, dpi: int, level: int | None = None) -> bytes:
    level = PNG_LEVEL if level is None else level
    if image.mode == "RGB":
        return _rgb_png(image, dpi, level)
    out = io.BytesIO()
    image.save(out, "PNG", dpi=(dpi, dpi), compress_level=level)
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
        yield f"PNG with {colors} colours", partial(_palette_png, image, dpi, colors)


def _jpeg_attempts(image: Image.Image, dpi: int) -> Iterator[tuple[str, Callable[[], bytes]]]:
    yield f"JPEG q{JPEG_QUALITY}", lambda: jpeg_bytes(image, dpi)
    for quality in (88, 82, 75):
        yield f"JPEG q{quality}", partial(jpeg_bytes, image, dpi, quality)
    for quality in (75, 65, 55):
        yield f"JPEG q{quality} 4:2:0", partial(jpeg_bytes, image, dpi, quality, subsampling=2)


def _webp_attempts(image: Image.Image, exif: bytes) -> Iterator[tuple[str, Callable[[], bytes]]]:
    for quality in (WEBP_QUALITY, 80, 70, 60, 50):
        yield f"WebP q{quality}", partial(webp_bytes, image, exif, quality)


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
