"""Photos and logos from local files, prepared for embedding in the SVG as ``data:`` URIs.

Only files inside the layout folder or an asset folder given to the render are read (real path
check, so ``../`` and symlinks out of those folders are refused). SVG logos are drawn by cairosvg
at the pixels they need (loading nothing but ``data:`` URIs). Each raster image is EXIF-rotated,
converted to sRGB, cropped (``cover``, around a focal point) or fitted (``contain``) and
downscaled to the pixels it will occupy in the output, then re-encoded without metadata (no GPS
position from a phone photo ends up in a poster). Oversized images (decompression bombs) and
broken files are refused with an error that names the file. Prepared images are cached by content
hash, within a memory bound.
"""

from __future__ import annotations

import base64
import hashlib
import io
import math
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from xml.etree.ElementTree import ParseError

from ..cairo_ffi import load_cairocffi

load_cairocffi()  # before cairosvg and cairocffi load: see infographic/cairo_ffi.py
from cairosvg.parser import Tree
from cairosvg.surface import PNGSurface
from defusedxml import ElementTree as SafeElementTree
from defusedxml.common import DefusedXmlException
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

from .. import limits
from ..cache import LRUCache
from ..errors import DataError, InfographicError
from ..paths import resolve_inside
from ..resources import bundled_dir
from ..output.fetcher import AllowListFetcher
from ..output.raster import install_hooks

MAX_FILE_BYTES = limits.MAX_IMAGE_FILE_BYTES  # the names this module had
MAX_SVG_BYTES = limits.MAX_LOGO_SVG_BYTES
_SVG_NS = "{http://www.w3.org/2000/svg}"
FITS = ("cover", "contain")
JPEG_QUALITY = 88
_URL_PREFIXES = ("http:", "https:", "ftp:", "data:", "file:", "//")


@dataclass(frozen=True)
class PreparedImage:
    """An image ready to embed: a ``data:`` URI and where it sits inside the requested box."""

    uri: str
    pixel_width: int
    pixel_height: int
    # The drawn rectangle relative to the box (contain leaves margins; cover fills the box).
    dx: float
    dy: float
    width: float
    height: float
    #: The encoded image the URI holds (JPEG for photos, PNG otherwise): the scene hands these
    #: bytes to the drawing stage, which decodes them once per render and never re-encodes.
    data: bytes = b""

    @property
    def encoded_bytes(self) -> int:
        return len(self.uri) + len(self.data)


def bundled_emblems() -> Path:
    """The sample emblems shipped with the library (icons/emblems/): a layout or data file may
    name one (``logo: emblem-y-te.svg``) as if it were in the layout folder."""
    return bundled_dir("icons") / "emblems"


def resolve_image_path(src: "str | os.PathLike[str]", roots: Sequence[Path]) -> Path:
    """The real path of ``src`` if it is a file inside one of ``roots``; else DataError.

    A relative ``src`` is looked up in each root in turn; an absolute one must lie inside one.
    """
    text = os.fspath(src).strip()
    if not text:
        raise DataError("an image needs a file name; it got nothing")
    if text.lower().startswith(_URL_PREFIXES):
        raise DataError(f"image '{text}': only local files are used (rendering never touches "
                        "the network); download it into the layout or asset folder")
    found = [resolve_inside(root, text) for root in roots]
    for inside in found:
        if inside is not None and inside.is_file():
            return inside
    folders = ", ".join(os.path.realpath(r) for r in roots)
    # outside: no root holds the name, or one has it but it leads out (``..``, a symlink)
    escapes = any(inside is None and os.path.lexists(Path(root) / text)
                  for root, inside in zip(roots, found))
    if not any(found) or escapes:
        raise DataError(f"image '{text}' is outside the folders images may be read from "
                        f"({folders}); copy it into one of them or pass its folder as an asset "
                        "folder (render(assets=…), --assets)")
    raise DataError(f"image file '{text}' not found (looked in {folders})")


def _open(path: Path, data: bytes) -> Image.Image:
    """Decode ``data`` fully, refusing bombs and broken files; returns an RGB or RGBA image."""
    try:
        image: Image.Image = Image.open(io.BytesIO(data), formats=limits.IMAGE_FORMATS)
        width, height = image.size
        if width * height > limits.MAX_IMAGE_PIXELS:
            raise DataError(f"image '{path.name}' is {width}×{height} pixels "
                            f"({width * height / 1e6:.0f} MP), over the "
                            f"{limits.MAX_IMAGE_PIXELS / 1e6:g} MP limit (a decompression "
                            "bomb?): save a smaller copy")
        icc = image.info.get("icc_profile")
        image.seek(0)  # animations: the first frame
        image.load()
        image = ImageOps.exif_transpose(image)
    except DataError:
        raise
    except Image.DecompressionBombError as exc:
        raise DataError(f"image '{path.name}' is too large to decode safely ({exc}; a "
                        "decompression bomb?): save a smaller copy") from None
    except UnidentifiedImageError:
        raise DataError(f"'{path.name}' is not an image we can read (use PNG, JPEG, WebP, GIF, "
                        "BMP, TIFF or an SVG logo)") from None
    except (OSError, SyntaxError, ValueError, EOFError, MemoryError) as exc:
        raise DataError(f"image '{path.name}' is broken or truncated ({exc}): export it "
                        "again") from None
    return _to_srgb(image, icc, path)


def _to_srgb(image: Image.Image, icc: bytes | None, path: Path) -> Image.Image:
    """Convert to sRGB (through the embedded ICC profile, if any), as RGB or RGBA."""
    if image.mode.startswith("I;16") or image.mode == "I":  # 16-bit grey: scale, don't clip
        image = image.convert("I").point(lambda v: v * (1 / 257)).convert("L")
    has_alpha = image.mode in ("RGBA", "LA", "PA") or (
        image.mode == "P" and "transparency" in image.info)
    alpha = image.convert("RGBA").getchannel("A") if has_alpha else None
    base_mode = "CMYK" if image.mode == "CMYK" else ("L" if image.mode in ("L", "LA") else "RGB")
    base = image.convert(base_mode) if image.mode != base_mode else image
    if icc:
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            base = ImageCms.profileToProfile(base, source, ImageCms.createProfile("sRGB"),
                                             renderingIntent=ImageCms.Intent.PERCEPTUAL,
                                             outputMode="RGB") or base
        except (ImageCms.PyCMSError, OSError, ValueError):
            pass  # an unusable profile: fall back to treating the pixels as sRGB
    rgb = base.convert("RGB")
    if alpha is not None and alpha.getextrema()[0] < 255:  # type: ignore[operator]
        rgb.putalpha(alpha)
    return rgb


def _is_svg(data: bytes) -> bool:
    head = data[:4096].lstrip()
    return head.startswith(b"<svg") or (head.startswith((b"<?xml", b"<!DOCTYPE", b"<!--"))
                                        and b"<svg" in head)


def _length(value: str | None) -> float | None:
    number = "".join(c for c in (value or "").strip() if c.isdigit() or c in ".-")
    try:
        return float(number) if number and not (value or "").strip().endswith("%") else None
    except ValueError:
        return None


def _svg_size(path: Path, data: bytes) -> tuple[float, float]:
    """Intrinsic width and height of an SVG logo (its viewBox, else width/height)."""
    if len(data) > MAX_SVG_BYTES:
        raise DataError(f"SVG image '{path.name}' is {len(data) / 2**20:.1f} MB, over the "
                        f"{MAX_SVG_BYTES // 2**20} MB limit for logos")
    try:
        root = SafeElementTree.fromstring(data)
        limits.check_svg_tree(root, what=f"SVG image '{path.name}'")
    except (ParseError, DefusedXmlException) as exc:
        raise DataError(f"SVG image '{path.name}' is broken ({exc}): export it again") from None
    except InfographicError as exc:
        raise DataError(exc.message) from None
    if root.tag != f"{_SVG_NS}svg":
        raise DataError(f"'{path.name}' is XML but not an SVG image")
    box = (root.get("viewBox") or "").replace(",", " ").split()
    if len(box) == 4 and all(_length(v) is not None for v in box):
        width, height = float(box[2]), float(box[3])
    else:
        width, height = _length(root.get("width")) or 0, _length(root.get("height")) or 0
    if width <= 0 or height <= 0:
        raise DataError(f"SVG image '{path.name}' has no size: give it a viewBox")
    return width, height


def _render_svg(path: Path, data: bytes, width_px: int, height_px: int) -> Image.Image:
    """Draw an SVG logo at the given pixel size; it may load nothing but data: URIs."""
    width_px, height_px = max(1, width_px), max(1, height_px)
    if width_px * height_px > limits.MAX_IMAGE_PIXELS:
        raise DataError(f"SVG image '{path.name}' would be {width_px}×{height_px} pixels, over "
                        f"the {limits.MAX_IMAGE_PIXELS / 1e6:g} MP limit: place it smaller")
    try:
        out = io.BytesIO()
        install_hooks()  # tiles in the logo are checked before cairo allocates them
        tree = Tree(bytestring=data, url_fetcher=AllowListFetcher([]))
        PNGSurface(tree, out, 96, output_width=width_px, output_height=height_px).finish()
        png = out.getvalue()
    except InfographicError as exc:
        raise DataError(f"SVG image '{path.name}': {exc.message}") from None
    except Exception as exc:  # cairosvg raises many kinds on malformed input
        raise DataError(f"SVG image '{path.name}' cannot be drawn ({type(exc).__name__}: "
                        f"{exc}): export it again") from None
    return Image.open(io.BytesIO(png), formats=("PNG",)).convert("RGBA")


def _cover_crop(size: tuple[int, int], aspect: float,
                focal: tuple[float, float]) -> tuple[int, int, int, int]:
    """The largest crop of ``aspect`` (w/h) that keeps the focal point as central as it can."""
    width, height = size
    crop_w, crop_h = (width, width / aspect) if width / height < aspect else (height * aspect,
                                                                               height)
    left = min(max(focal[0] * width - crop_w / 2, 0), width - crop_w)
    top = min(max(focal[1] * height - crop_h / 2, 0), height - crop_h)
    return (round(left), round(top), round(left + crop_w), round(top + crop_h))


def _encode(image: Image.Image) -> tuple[str, bytes]:
    """PNG for images with transparency or few colours (logos), JPEG for photos: the ``data:``
    URI and the bytes it holds."""
    out = io.BytesIO()
    if image.mode == "RGBA" or image.getcolors(maxcolors=256) is not None:
        image.save(out, "PNG", optimize=True)
        mime = "image/png"
    else:
        image.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
        mime = "image/jpeg"
    data = out.getvalue()
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}", data


#: Prepared images by (content hash, geometry): the one image cache (the drawing stage keeps
#: none; one huge photo may not evict everything else).
CACHE: LRUCache[PreparedImage] = LRUCache(max_bytes=limits.IMAGE_CACHE_BYTES,
                                          max_item_bytes=limits.IMAGE_CACHE_BYTES // 4,
                                          size=lambda item: item.encoded_bytes)


def prepare_image(path: Path, width: float, height: float, scale: float, fit: str = "cover",
                  focal: tuple[float, float] = (0.5, 0.5)) -> PreparedImage:
    """Prepare the image at ``path`` for a box of width × height canvas units.

    ``scale`` is output pixels per canvas unit: the embedded image has no more pixels than the
    box occupies in the output (never more than the source has). With ``contain``, ``focal``
    places the image inside the box (0 = left/top, 1 = right/bottom).
    """
    if fit not in FITS:
        raise DataError(f"image fit must be {' or '.join(FITS)}, not '{fit}'")
    fx, fy = (float(v) for v in focal)
    if not (0 <= fx <= 1 and 0 <= fy <= 1):
        raise DataError(f"image focal point must be two numbers between 0 and 1, got {focal}")
    if width <= 0 or height <= 0:
        raise DataError(f"image '{path.name}' got an empty box ({width:g}×{height:g})")
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise DataError(f"image '{path.name}' is {path.stat().st_size / 2**20:.0f} MB, over "
                            f"the {MAX_FILE_BYTES // 2**20} MB limit: save a smaller copy")
        data = path.read_bytes()
    except OSError as exc:
        raise DataError(f"cannot read image '{path.name}': {exc.strerror or exc}") from None
    key = (hashlib.sha256(data).hexdigest(), round(width, 3), round(height, 3), round(scale, 4),
           fit, round(fx, 4), round(fy, 4))
    cached = CACHE.get(key)
    if cached is not None:
        return cached
    if _is_svg(data):  # a vector logo: drawn at the pixels it needs, then treated as raster
        svg_w, svg_h = _svg_size(path, data)
        fitted = (max if fit == "cover" else min)(width / svg_w, height / svg_h) * scale
        image = _render_svg(path, data, math.ceil(svg_w * fitted), math.ceil(svg_h * fitted))
    else:
        image = _open(path, data)
    if fit == "cover":
        image = image.crop(_cover_crop(image.size, width / height, (fx, fy)))
        dx = dy = 0.0
        draw_w, draw_h = width, height
    else:
        ratio = min(width / image.width, height / image.height)
        draw_w, draw_h = image.width * ratio, image.height * ratio
        dx, dy = (width - draw_w) * fx, (height - draw_h) * fy
    target_w = max(1, min(image.width, math.ceil(draw_w * scale)))
    target_h = max(1, min(image.height, math.ceil(draw_h * scale)))
    if (target_w, target_h) != image.size:
        image = image.resize((target_w, target_h), Image.Resampling.LANCZOS, reducing_gap=3.0)
    uri, encoded = _encode(image)
    prepared = PreparedImage(uri=uri, pixel_width=target_w, pixel_height=target_h,
                             dx=dx, dy=dy, width=draw_w, height=draw_h, data=encoded)
    CACHE.put(key, prepared)
    return prepared
