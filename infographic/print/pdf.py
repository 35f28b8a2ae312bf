"""Print-ready PDF: vector artwork at the trim size, with bleed, crop marks and page boxes.

Each artwork becomes one page (``print_pdf`` takes several for a multi-page file). The page is
the trim size plus the bleed plus, with marks, a margin holding the crop marks. The boxes a
print shop's software reads are set on every page, in points:

* ``TrimBox`` – the finished size (e.g. A4 595.276 × 841.89 pt), centred on the page;
* ``BleedBox`` – the trim grown by the bleed on every side (artwork extends to it);
* ``MediaBox``/``CropBox`` – the whole sheet, including the marks.

Text is drawn as glyph outlines by the text engine, so the PDF has no font objects.
"""

from __future__ import annotations

import io
import os
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, cast
from xml.etree import ElementTree as ET

from dataclasses import dataclass

from defusedxml import ElementTree as SafeElementTree
from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject, RectangleObject

from ..errors import OutputError, SizeError
from ..fileio import write_atomic
from ..limits import MAX_BLEED_MM
from ..output import raster
from ..scene import Scene
from ..sizes import DEFAULT_BLEED_MM
from .bleed import extend_edges
from ..checks.geometry import SVG_NS, XLINK_NS, local
from .marks import crop_marks_svg, slug_label_svg, slug_mm

if TYPE_CHECKING:
    from ..artwork import Artwork

PT_PER_MM = 72 / 25.4

ET.register_namespace("", SVG_NS)
ET.register_namespace("xlink", XLINK_NS)



def _as_list(artworks: "Artwork | Iterable[Artwork]") -> "list[Artwork]":
    """One artwork or several, as a list of pages."""
    return cast("list[Artwork]", [artworks] if hasattr(artworks, "svg") else list(artworks))

def _check(art, bleed_mm: float) -> tuple[float, float]:
    if not art.size.paper_mm:
        raise SizeError(f"print PDF needs a paper size (a4, a3-landscape, 420x594mm…), not "
                        f"'{art.size.name}'", layout=art.layout)
    if not 0 <= bleed_mm <= MAX_BLEED_MM:
        raise OutputError(f"bleed must be between 0 and {MAX_BLEED_MM:g} mm, got {bleed_mm:g}")
    return art.size.paper_mm


def page_scene(art, bleed_mm: float = DEFAULT_BLEED_MM, marks: bool = True,
               label: str | None = None) -> Scene:
    """One print page (units: mm) as a scene: background in the bleed, the artwork with its
    flush shapes continued into the bleed and clipped at the bleed edge, the crop marks and,
    with marks, a job ``label`` in the slug under the bottom edge. The page keeps the artwork's
    text runs (and adds the slug's), so it is drawn like the artwork."""
    trim_w, trim_h = _check(art, bleed_mm)
    drawn = art.scene is not None and art.scene.draws(art.svg)
    scene = Scene(list(art.scene.texts)) if drawn else Scene()
    size = art.size
    canvas_w, canvas_h = size.canvas_width, size.canvas_height
    margin = slug_mm(bleed_mm, marks)
    page_w, page_h = trim_w + 2 * margin, trim_h + 2 * margin
    source = SafeElementTree.fromstring(
        (art.scene.skeleton if drawn else art.svg).encode("utf-8"))
    extend_edges(source, canvas_w, canvas_h, bleed_mm * size.units_per_mm)

    page = ET.Element(f"{{{SVG_NS}}}svg", {
        "width": f"{page_w:.4f}mm", "height": f"{page_h:.4f}mm",
        "viewBox": f"0 0 {page_w:.4f} {page_h:.4f}"})
    bleed_box = (margin - bleed_mm, margin - bleed_mm, trim_w + 2 * bleed_mm,
                 trim_h + 2 * bleed_mm)
    box_attrs = dict(zip(("x", "y", "width", "height"), (f"{v:.4f}" for v in bleed_box)))
    defs = ET.SubElement(page, f"{{{SVG_NS}}}defs")
    clip = ET.SubElement(defs, f"{{{SVG_NS}}}clipPath", {"id": "infographic-print-bleed"})
    ET.SubElement(clip, f"{{{SVG_NS}}}rect", box_attrs)
    ET.SubElement(page, f"{{{SVG_NS}}}rect", {**box_attrs, "fill": art.background})
    clipped = ET.SubElement(page, f"{{{SVG_NS}}}g", {"clip-path": "url(#infographic-print-bleed)"})
    placed = ET.SubElement(clipped, f"{{{SVG_NS}}}g", {
        "transform": f"translate({margin:.4f} {margin:.4f}) "
                     f"scale({trim_w / canvas_w:.8f} {trim_h / canvas_h:.8f})"})
    for child in list(source):
        if local(child.tag) != "title":
            placed.append(child)
    if marks:
        slug = slug_label_svg(label, margin, margin, trim_w, trim_h, bleed_mm, scene) if label \
            else ""
        page.append(SafeElementTree.fromstring(
            f'<g xmlns="{SVG_NS}">{crop_marks_svg(margin, margin, trim_w, trim_h, bleed_mm)}'
            f'{slug}</g>'))
    scene.skeleton = ET.tostring(page, encoding="unicode")
    return scene


def page_svg(art, bleed_mm: float = DEFAULT_BLEED_MM, marks: bool = True,
             label: str | None = None) -> str:
    """The complete SVG of one print page (see :func:`page_scene`)."""
    return page_scene(art, bleed_mm, marks, label).write_svg()


@dataclass(frozen=True)
class PrintPage:
    """A page SVG with what the output drawing code needs to know of its artwork (asset folders
    for images, the layout for error messages, pixel size when rasterised)."""

    scene: Scene
    asset_roots: list
    layout: str
    width: int = 0
    height: int = 0
    background: str = "#ffffff"

    @property
    def svg(self) -> str:
        return self.scene.svg or self.scene.write_svg()


def _draw_pdf(art, page: Scene) -> bytes:
    """Draw a page with the project's PDF path (fast glyph runs, limits, allow-list fetcher)."""
    out = io.BytesIO()
    raster.draw_pdf(PrintPage(page, list(art.asset_roots), art.layout), out).finish()
    return out.getvalue()


def _set_boxes(page, trim_w: float, trim_h: float, bleed_mm: float, margin: float) -> None:
    pt = PT_PER_MM
    media = RectangleObject([0, 0, (trim_w + 2 * margin) * pt, (trim_h + 2 * margin) * pt])
    page.mediabox = media
    page.cropbox = media
    page.bleedbox = RectangleObject([(margin - bleed_mm) * pt, (margin - bleed_mm) * pt,
                                     (margin + trim_w + bleed_mm) * pt,
                                     (margin + trim_h + bleed_mm) * pt])
    page.trimbox = RectangleObject([margin * pt, margin * pt, (margin + trim_w) * pt,
                                    (margin + trim_h) * pt])


def print_pdf(artworks: "Artwork | Iterable[Artwork]", bleed_mm: float = DEFAULT_BLEED_MM,
              marks: bool = True, title: str | None = None) -> bytes:
    """One print-ready PDF page per artwork (vector, bleed, crop marks, Trim/Bleed/MediaBox),
    in RGB with an sRGB output intent and XMP metadata (not PDF/X: that is ``cmyk_pdf``).

    ``bleed_mm=0, marks=False`` gives pages of exactly the trim size (office printers).
    """
    import pikepdf
    from PIL import ImageCms

    from .pdfx import identify, save

    arts = _as_list(artworks)
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    with pikepdf.open(io.BytesIO(rgb_print_pdf(arts, bleed_mm, marks, title))) as pdf:
        identify(pdf, None, title or arts[0].fit_report.layout, srgb, SRGB_CONDITION,
                 "sRGB IEC61966-2.1", channels=3)
        return save(pdf, None)


#: The registered name of the sRGB characterisation (ICC registry).
SRGB_CONDITION = "sRGB IEC61966-2.1"


def rgb_print_pdf(artworks: "Artwork | Iterable[Artwork]", bleed_mm: float = DEFAULT_BLEED_MM,
                  marks: bool = True, title: str | None = None) -> bytes:
    """The pages of :func:`print_pdf` as cairo draws them, with their boxes (no output intent):
    what the CMYK conversion starts from."""
    arts = _as_list(artworks)
    if not arts:
        raise OutputError("print_pdf needs at least one artwork")
    writer = PdfWriter()
    for number, art in enumerate(arts, 1):
        trim_w, trim_h = _check(art, bleed_mm)
        margin = slug_mm(bleed_mm, marks)
        label = (f"{title or art.fit_report.layout} · {art.size.name} {trim_w:g}×{trim_h:g} mm · "
                 f"bleed {bleed_mm:g} mm · page {number}/{len(arts)}")
        reader = PdfReader(io.BytesIO(_draw_pdf(art, page_scene(art, bleed_mm, marks, label))))
        for page in reader.pages:
            _set_boxes(page, trim_w, trim_h, bleed_mm, margin)
            writer.add_page(page)
    writer.add_metadata({
        "/Title": title or arts[0].fit_report.layout, "/Creator": "infographic",
        "/CreationDate": datetime.now(timezone.utc).strftime("D:%Y%m%d%H%M%SZ"),
        "/Trapped": NameObject("/False")})  # PDF/X asks for it: the shop traps, not us
    writer.compress_identical_objects()
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def save_print_pdf(artworks: "Artwork | Iterable[Artwork]", path: "str | os.PathLike[str]",
                   bleed_mm: float = DEFAULT_BLEED_MM, marks: bool = True,
                   title: str | None = None) -> Path:
    """Write :func:`print_pdf` to ``path`` atomically (no half-written file on failure)."""
    return write_atomic(Path(path), print_pdf(artworks, bleed_mm, marks, title))
