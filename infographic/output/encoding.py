"""Raster encoders with deliberate settings, and the small-file mode (``max_bytes``).

PNG (measured on the bundled layouts, see README "Performance" and ``benchmarks/run.py``'s
encoder table): Pillow filters every row adaptively, which on flat infographic colours costs
more than the compression and makes the file larger. We write RGB PNGs ourselves with one filter
for the whole image — None for flat graphics, Up when a sample of rows says it compresses at
least 10 % better (photos, large pages) — and deflate them with zlib-ng at level 3: 2–4× faster
than zlib's fastest level, and about as small (flat graphics 0–10 % larger, photos and A3 pages
10–20 % smaller, because Up then pays). ISA-L (``isal``) was faster still, but its routines
leave the CPU's vector registers in a state that made the next WebP encode in the same process
60 % slower. cairo's encoder (libpng) and Pillow's are slower and larger.

Small-file mode, e.g. for Zalo's 500 KB limit: the image is drawn once and encoded with
progressively smaller settings until it fits — for PNG first the same pixels compressed hard
(zlib level 9, about a fifth smaller than the default), then a 256-colour palette (flat
infographic colours survive it; anti-aliased edges get the nearest of 256 colours), then fewer
colours; for JPEG and WebP lower qualities. If nothing fits, an :class:`OutputError` says what
to do.
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
    from zlib_ng import zlib_ng
except ImportError:  # an environment installed before zlib-ng was a dependency: zlib, slower
    zlib_ng = None  # type: ignore[assignment]

#: zlib-ng's deflate level for PNG.
PNG_LEVEL = 3
#: zlib's level for the small-file mode's first, lossless, attempt.
PNG_SMALL_LEVEL = 9
JPEG_QUALITY = 92
WEBP_QUALITY = 90
#: Zalo refuses images above this many bytes.
ZALO_MAX_BYTES = 500_000
#: Rows are filtered and compressed in bands of about this many bytes. Larger temporary
#: buffers cost more than they save: glibc hands them out as fresh pages from the system, and
#: faulting those in (or, after they were returned, the next raster's or WebP's memory) took
#: longer than the copies themselves (measured between 256 KB and the whole image).
_BAND_BYTES = 256 * 1024


def _chunk(kind: bytes, data: bytes) -> bytes:
    return (struct.pack(">I", len(data)) + kind + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))


def _rows(data: "bytes | memoryview", width: int, marker: bytes) -> bytes:
    """Packed RGB rows, each led by its PNG filter byte ``marker``, straight from views of
    ``data`` (no copy per row)."""
    rows = memoryview(data)
    stride = width * 3
    return marker.join([b"", *(rows[start:start + stride] for start in range(0, len(rows), stride))])


def _band(image: Image.Image, top: int, bottom: int, up: bool) -> bytes:
    """Rows ``top``..``bottom`` each led by its PNG filter byte: 0 (None) or 2 (Up: minus the row
    above, row -1 being zeros, computed by Pillow as a modulo subtraction from the image shifted
    down one row)."""
    whole = top == 0 and bottom == image.height
    band = image if whole else image.crop((0, top, image.width, bottom))
    if up:
        above = image.crop((0, top - 1, image.width, bottom - 1))
        band = ImageChops.subtract_modulo(band, above)
    return _rows(band.tobytes(), image.width, b"\x02" if up else b"\x00")


def _compressor(level: int | None) -> Any:
    """A deflate stream: zlib-ng at :data:`PNG_LEVEL` (None), else zlib at ``level``."""
    if level is None:
        if zlib_ng is None:
            return zlib.compressobj(1)
        return zlib_ng.compressobj(PNG_LEVEL)
    return zlib.compressobj(level)


def _deflated_size(data: bytes, level: int | None) -> int:
    compressor = _compressor(level)
    return len(compressor.compress(data)) + len(compressor.flush())


def _prefers_up_filter(image: Image.Image, level: int | None = None) -> bool:
    """Compress a sample of the rows both ways — 8 rows every 96 — and say whether Up is at least
    10 % smaller: flat graphics favour no filter, photos Up."""
    none, up = [], []
    for top in range(0, image.height, 96):
        bottom = min(top + 8, image.height)
        none.append(_band(image, top, bottom, False))
        up.append(_band(image, top, bottom, True))
    return _deflated_size(b"".join(up), level) < _deflated_size(b"".join(none), level) * 0.9


def _rgb_png(image: Image.Image, dpi: int, level: int | None) -> bytes:
    """Our own PNG writer for RGB images: one filter for the whole image, chosen on a sample,
    compressed in bands of :data:`_BAND_BYTES`.

    Pillow filters every row adaptively, which costs more than the compression on flat
    infographic colours and makes the file larger (see the module's docstring).
    """
    up = _prefers_up_filter(image, level)
    compressor = _compressor(level)
    rows = max(1, _BAND_BYTES // (image.width * 3))
    parts = []
    for top in range(0, image.height, rows):
        parts.append(compressor.compress(_band(image, top, min(top + rows, image.height), up)))
    parts.append(compressor.flush())
    header = struct.pack(">IIBBBBB", image.width, image.height, 8, 2, 0, 0, 0)
    per_metre = round(dpi / 0.0254)
    return b"".join((b"\x89PNG\r\n\x1a\n", _chunk(b"IHDR", header),
                     _chunk(b"pHYs", struct.pack(">IIB", per_metre, per_metre, 1)),
                     _chunk(b"IDAT", b"".join(parts)), _chunk(b"IEND", b"")))


def png_bytes(image: Image.Image, dpi: int, level: int | None = None) -> bytes:
    """PNG bytes of ``image``: fast (zlib-ng, see the module's docstring) unless ``level`` asks
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
