"""Print preflight: what a print shop's checker would flag, measured on the laid-out artwork.

For a paper size every render gets, in ``fit_report.preflight``:

* ``text-size`` – the smallest text in points at the printed size (warning under 6 pt);
* ``qr-module`` – the module size of every QR code in mm (warning under 0.4 mm);
* ``image-resolution`` – the effective resolution of every embedded photo: its pixels over the
  size it is printed at (warning under 300 dpi, what shops ask for; on posters of A2 and larger
  under 200 dpi, with a note between the two; an image of one flat colour is never flagged);
* ``safe-area`` – text, photos and QR codes keep ``safe_area_mm`` inside the trim edge (a photo
  flush with the edge counts as full-bleed on purpose).

Warnings also go to ``fit_report.warnings`` so the CLI prints them; they never fail a render.
"""

from __future__ import annotations

import base64
import binascii
import io
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Mapping, Sequence
from urllib.parse import unquote, urlparse

from defusedxml import ElementTree as SafeElementTree
from PIL import Image, UnidentifiedImageError

from .. import limits
from ..media.qr import MIN_MODULE_MM
from ..paths import resolve_inside
from ..sizes import Size
from ..scene import IMAGE_ATTR, QR_ATTR, RUN_ATTR, RUN_TAG, Scene
from .geometry import (XLINK_NS, Box, Matrix, local, multiply, number, path_points, scale_of,
                       shape_points, transformed_box, union, walk)

MM_PER_PT = 25.4 / 72
#: Smallest text size a print shop reproduces cleanly (thin strokes, reversed-out text).
MIN_TEXT_PT = 6.0
#: Smallest printed QR module: the one the QR block checks when it places a code.
MIN_QR_MODULE_MM = MIN_MODULE_MM
#: What print shops ask for: a photo under this effective resolution gets a warning.
TARGET_IMAGE_DPI = 300.0
#: Posters (``POSTER_MIN_SIDE_MM`` and up: A2, A1, A0) are read from a distance; their photos
#: may go down to this, with a note.
POSTER_IMAGE_DPI = 200.0
POSTER_MIN_SIDE_MM = 420.0
#: Kept for callers: the lowest resolution accepted on any sheet.
MIN_IMAGE_DPI = POSTER_IMAGE_DPI
#: Content within this distance (mm) of or past a trim edge counts as deliberately full-bleed.
FULL_BLEED_TOLERANCE_MM = 0.2


@dataclass(frozen=True)
class PreflightItem:
    """One measured fact about a print render."""

    check: str  # text-size | qr-module | image-resolution | safe-area
    subject: str  # slot name, image, qr…
    value: float  # pt, mm, dpi or mm (distance to the trim edge)
    unit: str
    status: str  # ok | warning
    message: str

    @property
    def ok(self) -> bool:
        return self.status == "ok"


@lru_cache(maxsize=8192)
def _path_box(d: str) -> Box | None:
    points = path_points(d)
    if not points:
        return None
    xs, ys = zip(*points)
    return min(xs), min(ys), max(xs), max(ys)


def _outline_box(d: str, m: Matrix) -> Box | None:
    box = _path_box(d)
    if not box:
        return None
    x0, y0, x1, y1 = box
    return transformed_box(m, [(x0, y0), (x1, y1), (x0, y1), (x1, y0)])


def _box(element, matrix: Matrix, scene: "Scene | None" = None) -> Box | None:
    """Box of a drawn element and its children in canvas units: shapes from their points, a
    text run's placeholder from the run's glyph outlines in the ``scene`` (cached per glyph)."""
    boxes = []
    for node, m in [(element, matrix), *((e, mm) for e, mm, _ in walk(element, matrix))]:
        tag = local(node.tag)
        if tag == "path":
            boxes.append(_outline_box(node.get("d", ""), m))
        elif tag == RUN_TAG and scene is not None:
            index = int(node.get(RUN_ATTR, "-1"))
            if 0 <= index < len(scene.texts):
                boxes.extend(_outline_box(g.outline, multiply(m, (g.scale, 0.0, 0.0, -g.scale,
                                                                  g.x, g.y)))
                             for g in scene.texts[index].glyphs)
        else:
            boxes.append(transformed_box(m, shape_points(node)))
    return union([b for b in boxes if b is not None])


def _image_pixels(href: str, roots: Sequence[Path]) -> tuple[int, int] | None:
    """Pixel size of a raster image given as a data: URI or a file inside ``roots``."""
    try:
        if href.startswith("data:"):
            header, _, payload = href.partition(",")
            if "svg" in header:
                return None  # vector: no resolution to check
            raw = base64.b64decode(payload) if ";base64" in header else unquote(payload).encode()
            with Image.open(io.BytesIO(raw), formats=limits.IMAGE_FORMATS) as image:
                return image.size
        parsed = urlparse(href)
        for root in roots:
            path = resolve_inside(root, unquote(parsed.path))
            if path is not None and path.is_file():
                if path.suffix.lower() == ".svg":
                    return None
                with Image.open(path, formats=limits.IMAGE_FORMATS) as image:
                    return image.size
    except (OSError, ValueError, binascii.Error, UnidentifiedImageError, Image.DecompressionBombError):
        return None
    return None


def _is_flat(href: str, roots: Sequence[Path], data: bytes = b"") -> bool:
    """Whether a raster image is one flat colour (a tint block, a solid logo): print
    resolution does not apply to it. Decoded only for images under the target resolution;
    ``data`` is the prepared bytes of an image the scene holds (no URI to decode)."""
    try:
        source: "io.BytesIO | Path"
        if data:
            source = io.BytesIO(data)
        elif href.startswith("data:"):
            header, _, payload = href.partition(",")
            if "svg" in header:
                return False
            raw = base64.b64decode(payload) if ";base64" in header else unquote(payload).encode()
            source = io.BytesIO(raw)
        else:
            found = [resolve_inside(root, unquote(urlparse(href).path)) for root in roots]
            paths = [path for path in found if path is not None and path.is_file()]
            if not paths:
                return False
            source = paths[0]
        with Image.open(source, formats=limits.IMAGE_FORMATS) as image:
            image.draft("RGB", (64, 64))  # JPEG: decode at 1/8 scale, enough for flatness
            rgba = image.convert("RGBA")
        alpha = rgba.getchannel("A")
        visible = rgba.convert("RGB").getextrema() if alpha.getextrema()[0] == 255 else \
            Image.composite(rgba.convert("RGB"), Image.new("RGB", rgba.size), alpha).getextrema()
        return all(high - low <= 3 for low, high in visible)  # type: ignore[union-attr,misc]
    except (OSError, ValueError, binascii.Error, UnidentifiedImageError,
            Image.DecompressionBombError):
        return False


def _image_scale(element, pixels: tuple[int, int]) -> tuple[float, float] | None:
    """Canvas units per image pixel along x and y, after preserveAspectRatio."""
    width, height = number(element, "width", -1), number(element, "height", -1)
    if width is None or height is None or width <= 0 or height <= 0:
        return None
    sx, sy = width / pixels[0], height / pixels[1]
    mode = (element.get("preserveAspectRatio") or "xMidYMid meet").split()
    if mode[0] != "none":
        s = max(sx, sy) if mode[-1] == "slice" else min(sx, sy)
        sx = sy = s
    return sx, sy


def _classes(element) -> set[str]:
    return set((element.get("class") or "").split())


def _edge_distance(box: Box, size: Size) -> tuple[float, str]:
    """Smallest distance (mm) from ``box`` to a trim edge, and which edge."""
    k = size.units_per_mm
    x0, y0, x1, y1 = box
    distances = {"left": x0 / k, "top": y0 / k, "right": (size.canvas_width - x1) / k,
                 "bottom": (size.canvas_height - y1) / k}
    edge = min(distances, key=distances.get)  # type: ignore[arg-type]
    return distances[edge], edge


def print_preflight(svg: str, size: Size, safe_area_mm: float, text_sizes: Mapping[str, float],
                    asset_roots: Iterable[Path] = (), scene: "Scene | None" = None
                    ) -> list[PreflightItem]:
    """Measure a laid-out print SVG (canvas units) at its paper ``size``.

    ``text_sizes`` maps each text group's ``data-slot`` to its font size in canvas units (the
    fit report's entries); ``asset_roots`` are the folders file-referenced images may come from.
    With the render's ``scene``, ``svg`` is its skeleton: text is measured from the scene's
    runs (placed glyphs), the skeleton gives only where the template put them.
    """
    if not size.paper_mm:
        return []
    root = SafeElementTree.fromstring(svg.encode("utf-8"))
    roots = [Path(r) for r in asset_roots]
    k = size.units_per_mm
    items: list[PreflightItem] = []
    smallest: tuple[float, str] | None = None
    content: list[tuple[str, str, Box, bool]] = []  # kind, subject, box, may bleed
    counts: dict[str, int] = {}

    def name(kind: str, label: str | None) -> str:
        counts[kind] = counts.get(kind, 0) + 1
        return label or f"{kind} {counts[kind]}"

    inside_content: set[int] = set()
    for element, matrix, ancestors in walk(root):
        if any(id(a) in inside_content for a in ancestors):
            continue
        tag, classes = local(element.tag), _classes(element)
        if "text" in classes and element.get("data-slot"):
            inside_content.add(id(element))
            slot = element.get("data-slot", "")
            if slot in text_sizes:
                points = text_sizes[slot] * scale_of(matrix)[1] / k / MM_PER_PT
                if smallest is None or points < smallest[0]:
                    smallest = (points, slot)
            box = _box(element, matrix, scene)
            if box:
                content.append(("text", slot, box, False))
        elif "qr" in classes or element.get("data-qr-module"):
            inside_content.add(id(element))
            placed = element.get(QR_ATTR)
            if scene is not None and placed is not None and placed.isdigit() \
                    and int(placed) < len(scene.qrs):  # placed by qr(): its module, scaled
                module: float | None = scene.qrs[int(placed)].module * scale_of(matrix)[0]
            else:
                module = _qr_module(element, matrix)
            label = name("qr", None)
            if module:
                mm = module / k
                ok = mm >= MIN_QR_MODULE_MM
                items.append(PreflightItem(
                    "qr-module", label, round(mm, 3), "mm", "ok" if ok else "warning",
                    f"{label}: modules print {mm:.2f} mm" + ("" if ok else
                    f", under {MIN_QR_MODULE_MM} mm: make the code larger or encode less text")))
            box = _box(element, matrix, scene)
            if box:
                content.append(("qr", label, box, False))
        elif tag == "image":
            href = element.get(f"{{{XLINK_NS}}}href") or element.get("href") or ""
            parent_label = next((a.get("data-src") for a in reversed(ancestors)
                                 if a.get("data-src")), None)
            label = name("image", parent_label)
            box = _box(element, matrix, scene)
            if box:
                content.append(("image", label, box, True))
            placed = element.get(IMAGE_ATTR) or ""
            image = scene.images[int(placed)] if scene is not None and placed.isdigit() \
                and int(placed) < len(scene.images) else None
            # placed by image(): its pixels and bytes are in the scene, nothing to decode
            pixels = image.pixels if image is not None else _image_pixels(href, roots)
            scale = _image_scale(element, pixels) if pixels else None
            if scale:
                mx, my = scale_of(matrix)
                dpi = min(25.4 * k / (scale[0] * mx), 25.4 * k / (scale[1] * my))
                # an image resampled to the print resolution has whole pixels: 2480 px across
                # 210 mm is 299.96 dpi, which is 300 (as the message rounds it)
                dpi = round(dpi, 1)
                poster = min(size.paper_mm) >= POSTER_MIN_SIDE_MM - 1
                floor = POSTER_IMAGE_DPI if poster else TARGET_IMAGE_DPI
                flat = dpi < TARGET_IMAGE_DPI and _is_flat(
                    href, roots, image.data if image is not None else b"")
                ok = dpi >= floor or flat
                note = ("" if dpi >= TARGET_IMAGE_DPI else
                        " (one flat colour: its resolution does not matter)" if flat else
                        f" (a poster read from a distance: {POSTER_IMAGE_DPI:g} dpi is enough; "
                        f"print shops ask for {TARGET_IMAGE_DPI:g} up close)" if ok else
                        f", under {floor:g} dpi: it may print soft at this size; use a larger "
                        "photo or place it smaller")
                items.append(PreflightItem(
                    "image-resolution", label, round(dpi, 1), "dpi", "ok" if ok else "warning",
                    f"image '{label}': {pixels[0]}×{pixels[1]} px printed at "  # type: ignore[index]
                    f"{(box[2] - box[0]) / k:.0f}×{(box[3] - box[1]) / k:.0f} mm = {dpi:.0f} dpi"
                    f"{note}" if box else f"image '{label}': {dpi:.0f} dpi{note}"))

    if smallest is not None:
        points, slot = smallest
        ok = points >= MIN_TEXT_PT
        items.insert(0, PreflightItem(
            "text-size", slot, round(points, 2), "pt", "ok" if ok else "warning",
            f"smallest text: {points:.1f} pt (slot '{slot}')" + ("" if ok else
            f", under {MIN_TEXT_PT:g} pt: it may not print cleanly; enlarge it or print larger")))

    for kind, subject, box, may_bleed in content:
        distance, edge = _edge_distance(box, size)
        if may_bleed and distance <= FULL_BLEED_TOLERANCE_MM:
            items.append(PreflightItem("safe-area", f"{kind} {subject}" if kind != "image" else
                                       subject, round(distance, 2), "mm", "ok",
                                       f"{kind} '{subject}' is full-bleed ({edge} edge)"))
            continue
        ok = distance >= safe_area_mm
        items.append(PreflightItem(
            "safe-area", subject, round(distance, 2), "mm", "ok" if ok else "warning",
            f"{kind} '{subject}' is {distance:.1f} mm from the {edge} trim edge" + (
                "" if ok else f", inside the {safe_area_mm:g} mm safe margin: the trim may cut "
                "it; move it inward")))
    return items


def _qr_module(element, matrix: Matrix) -> float | None:
    """Module side in canvas units: ``data-qr-module`` if given, else the scale of the QR path."""
    declared = element.get("data-qr-module")
    if declared:
        try:
            return float(declared) * scale_of(matrix)[0]
        except ValueError:
            return None
    for node, m, _ in walk(element, matrix):
        if local(node.tag) == "path" and node.get("transform"):
            return scale_of(m)[0]
    return None


def preflight_warnings(items: Iterable[PreflightItem]) -> list[str]:
    return [f"preflight: {item.message}" for item in items if not item.ok]


__all__ = ["MIN_IMAGE_DPI", "MIN_QR_MODULE_MM", "MIN_TEXT_PT", "PreflightItem", "attach_preflight",
           "print_preflight", "preflight_warnings"]


def attach_preflight(report, scene: "Scene", size: Size, safe_area_mm: float,
                     asset_roots: Iterable[Path] = ()) -> None:
    """Run :func:`print_preflight` on a render's scene for a print size and put its results
    in the fit report."""
    if not size.is_print:
        return
    try:
        items = print_preflight(scene.skeleton, size, safe_area_mm,
                                {e.slot: e.size for e in report.entries}, asset_roots, scene)
    except (ValueError, ArithmeticError) as exc:  # odd geometry must not cost the render
        report.add("preflight", f"preflight: could not measure this artwork ({exc})")
        return
    report.preflight = items
    for item in items:
        if not item.ok:
            report.add("preflight", f"preflight: {item.message}",
                       item.subject if item.check == "text-size" else "")
