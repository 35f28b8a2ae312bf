"""Raster encoders with deliberate settings, and the small-file mode (``max_bytes``).

PNG (measured on the bundled layouts, see README "Performance"): Pillow filters every row
adaptively, which on flat infographic colours costs more than the compression and makes the file
larger. We write RGB PNGs ourselves with one filter for the whole image — None for flat graphics,
Up when a sample of rows says it compresses at least 10 % better (photos) — and deflate them
with ISA-L (``isal``, level 2), which on these pictures is 5–10× faster than zlib's fastest
level for files 1–16 % larger (key-statistics at 1080²: 1.2 ms / 138 KB against zlib level 1's
8 ms / 130 KB; A3 12 ms / 830 KB against 100 ms / 805 KB). Pillow's encoder and cairo's
(libpng) are slower still and give larger files; the numbers are in ``benchmarks/run.py``'s
encoder table.

Small-file mode, e.g. for Zalo's 500 KB limit: the image is drawn once and encoded with
progressively smaller settings until it fits — for PNG first the same pixels compressed hard
(zlib level 9, about a fifth smaller), then a 256-colour palette (flat infographic colours
survive it; anti-aliased edges get the nearest of 256 colours), then fewer colours; for JPEG
and WebP lower qualities. If nothing fits, an :class:`OutputError` says what to do.
"""

from __future__ import annotations

import io
import struct
import zlib
from functools import partial
from typing import Any, Callable, Iterator

from PIL import Image, ImageChops

from ..errors import OutputError

try:
    from isal import isal_zlib
except ImportError:  # an environment installed before isal was a dependency: zlib, slower
    isal_zlib = None  # type: ignore[assignment]

#: ISA-L's deflate level for PNG (0–3; 3 is slower than zlib here and no smaller).
PNG_LEVEL = 2
#: zlib's level for the small-file mode's first, lossless, attempt.
PNG_SMALL_LEVEL = 9
JPEG_QUALITY = 92
WEBP_QUALITY = 90
#: Zalo refuses images above this many bytes.
ZALO_MAX_BYTES = 500_000
_BAND_ROWS = 256  # rows filtered and compressed at a time


def _chunk(kind: bytes, data: bytes) -> bytes:
    return (struct.pack(">I", len(data)) + kind + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))


def _rows(data: "bytes | memoryview", width: int, marker: bytes) -> bytes:
    """Packed RGB rows, each led by its PNG filter byte ``marker``, straight from views of
    ``data`` (no copy per row)."""
    rows = memoryview(data)
    stride = width * 3
    return marker.join([b"", *(rows[start:start + stride] for start in range(0, len(rows), stride))])


def _up_rows(image: Image.Image, top: int, bottom: int) -> bytes:
    """Rows ``top``..``bottom`` Up-filtered (minus the row above, row -1 being zeros), computed
    by Pillow as a modulo subtraction from the image shifted down one row."""
    band = image.crop((0, top, image.width, bottom))
    above = image.crop((0, top - 1, image.width, bottom - 1))  # row -1 is zeros
    return _rows(ImageChops.subtract_modulo(band, above).tobytes(), image.width, b"\x02")


def _compressor(level: int | None) -> Any:
    """A deflate stream: ISA-L at :data:`PNG_LEVEL` (None), else zlib at ``level``."""
    if level is None:
        if isal_zlib is None:
            return zlib.compressobj(1)
        return isal_zlib.compressobj(PNG_LEVEL)
    return zlib.compressobj(level)


def _deflated_size(data: bytes, level: int | None) -> int:
    compressor = _compressor(level)
    return len(compressor.compress(data)) + len(compressor.flush())


def _prefers_up_filter(image: Image.Image, level: int | None = None,
                       packed: "bytes | None" = None) -> bool:
    """Compress a sample of the rows both ways — 8 rows every 96 — and say whether Up is at least
    10 % smaller: flat graphics favour no filter, photos Up. ``packed`` is ``image.tobytes()``
    when the caller has it. (The sample's images stay small: large temporary images would take
    the memory blocks Pillow keeps for the next raster, which then comes fresh from the system.)
    """
    data = memoryview(packed if packed is not None else image.tobytes())
    width, stride = image.width, image.width * 3
    none, up = [], []
    for top in range(0, image.height, 96):
        bottom = min(top + 8, image.height)
        rows = data[top * stride:bottom * stride]
        above = (data[(top - 1) * stride:(bottom - 1) * stride] if top else
                 bytes(stride) + data[:(bottom - 1) * stride])
        size = (width, bottom - top)
        none.append(_rows(rows, width, b"\x00"))
        up.append(_rows(ImageChops.subtract_modulo(Image.frombytes("RGB", size, rows),
                                                   Image.frombytes("RGB", size, above)
                                                   ).tobytes(), width, b"\x02"))
    return _deflated_size(b"".join(up), level) < _deflated_size(b"".join(none), level) * 0.9


def _rgb_png(image: Image.Image, dpi: int, level: int | None) -> bytes:
    """Our own PNG writer for RGB images: one filter for the whole image, chosen on a sample,
    compressed in bands of rows.

    Pillow filters every row adaptively, which costs more than the compression on flat
    infographic colours and makes the file larger (see the module's docstring). Unfiltered rows
    come from one ``tobytes`` (no larger than the drawing surface it was copied from, which is
    gone by now); Up-filtered ones are computed a band at a time.
    """
    packed = image.tobytes()
    up = _prefers_up_filter(image, level, packed)
    compressor = _compressor(level)
    stride = image.width * 3
    parts = []
    for top in range(0, image.height, _BAND_ROWS):
        bottom = min(top + _BAND_ROWS, image.height)
        rows = (_up_rows(image, top, bottom) if up else
                _rows(memoryview(packed)[top * stride:bottom * stride], image.width, b"\x00"))
        parts.append(compressor.compress(rows))
    parts.append(compressor.flush())
    header = struct.pack(">IIBBBBB", image.width, image.height, 8, 2, 0, 0, 0)
    per_metre = round(dpi / 0.0254)
    return b"".join((b"\x89PNG\r\n\x1a\n", _chunk(b"IHDR", header),
                     _chunk(b"pHYs", struct.pack(">IIB", per_metre, per_metre, 1)),
                     _chunk(b"IDAT", b"".join(parts)), _chunk(b"IEND", b"")))


def png_bytes(image: Image.Image, dpi: int, level: int | None = None) -> bytes:
    """PNG bytes of ``image``: fast (ISA-L, see the module's docstring) unless ``level`` asks
    for zlib at that level (0–9), as the small-file mode does."""
    if image.mode == "RGB":
        return _rgb_png(image, dpi, level)
    out = io.BytesIO()
    image.save(out, "PNG", dpi=(dpi, dpi), compress_level=1 if level is None else level)
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
    yield "PNG compressed hard", lambda: png_bytes(image, dpi, PNG_SMALL_LEVEL)
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
