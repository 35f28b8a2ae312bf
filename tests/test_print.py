"""Print production: paper sizes, print-ready PDF read back (boxes, pages, outlines, images),
crop marks and bleed in pixels, preflight, preview guides and the CMYK route."""

from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from pypdf import PdfReader

import infographic
from infographic.errors import OutputError, SizeError
from infographic.print import (cmyk_pdf, cmyk_tiff, guides_svg, preview_with_guides, print_pdf,
                               save_print_pdf)
from infographic.print.marks import slug_mm
from infographic.sizes import parse_size

from conftest import require_tool

PT = 72 / 25.4  # points per mm


@pytest.fixture(scope="module")
def a4(announcement_data):
    return infographic.render("announcement", announcement_data, size="a4")


@pytest.fixture(scope="module")
def a3(announcement_data):
    return infographic.render("announcement", announcement_data, size="a3")


@pytest.fixture(scope="module")
def photo_layout(tmp_path_factory) -> Path:
    """A layout with a small photo (200×150 px), a QR code and a note near the bottom edge."""
    folder = tmp_path_factory.mktemp("layouts") / "print-check"
    folder.mkdir()
    gradient = np.linspace(0, 255, 200, dtype=np.uint8)
    pixels = np.dstack([np.tile(gradient, (150, 1))] * 3)
    Image.fromarray(pixels, "RGB").save(folder / "photo.png")
    (folder / "layout.yaml").write_text("""
name: print-check
title: Print check
sizes: [a4, a5]
safe_area_mm: 5
fields:
  title: {type: text, required: true, sample: "Tiêm chủng đầy đủ, đúng lịch"}
  note: {type: text, sample: "Đường dây nóng 1900 9095"}
  qr_mm: {type: number, sample: 30}
slots:
  title: {font: heading, weight: 700, size: 60, min_size: 30, max_lines: 2}
  note: {font: body, size: 14, max_lines: 1}
""", encoding="utf-8")
    (folder / "template.svg.j2").write_text("""
<rect width="{{ canvas.width }}" height="{{ canvas.height }}" fill="#FFFFFF"/>
<rect width="{{ canvas.width }}" height="{{ 40 * canvas.mm }}" fill="#0A5FA8"/>
{{ text("title", title, x=80, y=50 * canvas.mm, width=canvas.width - 160, height=200) }}
{{ image("photo.png", x=80, y=100 * canvas.mm, width=100 * canvas.mm, height=75 * canvas.mm, fit="contain") }}
{{ qr("https://tokhaiyte.vn", x=canvas.width - 80 - qr_mm * canvas.mm, y=100 * canvas.mm, size=qr_mm * canvas.mm) }}
{% if note %}{{ text("note", note, x=2 * canvas.mm, y=canvas.height - 40, width=400, height=30) }}{% endif %}
""", encoding="utf-8")
    return folder


# --- sizes -------------------------------------------------------------------------------------

def test_a4_png_is_2480_by_3508_with_300_dpi_metadata(a4):
    image = Image.open(io.BytesIO(a4.to_bytes("png")))
    assert image.size == (2480, 3508)
    assert tuple(round(v) for v in image.info["dpi"]) == (300, 300)


@pytest.mark.parametrize("spec, mm, px, dpi", [
    ("a5", (148, 210), (1748, 2480), 300),
    ("a2-landscape", (594, 420), (7016, 4961), 300),
    ("a0", (841, 1189), (9933, 14043), 300),
    ("a2@150dpi", (420, 594), (2480, 3508), 150),
    ("420x594mm", (420, 594), (4961, 7016), 300),
    ("100x150mm@600dpi", (100, 150), (2362, 3543), 600),
])
def test_paper_sizes(spec, mm, px, dpi):
    size = parse_size(spec)
    assert size.paper_mm == mm and (size.width_px, size.height_px) == px and size.dpi == dpi
    assert min(size.canvas_width, size.canvas_height) == pytest.approx(1080, abs=0.01)
    assert size.units_per_mm == pytest.approx(size.canvas_width / mm[0])


def test_a4_and_a3_presets_are_unchanged():
    assert (parse_size("a4").width_px, parse_size("a4").height_px, parse_size("a4").dpi) == (
        2480, 3508, 300)
    assert (parse_size("a3").width_px, parse_size("a3").height_px) == (3508, 4961)


@pytest.mark.parametrize("spec, words", [
    ("10x10mm", "between 50 and 2000 mm"), ("a4@20dpi", "72 and 1200"),
    ("a0@1200dpi", "lower dpi"), ("square@300dpi", "paper sizes only")])
def test_bad_paper_sizes_explain_themselves(spec, words):
    with pytest.raises(SizeError, match=words):
        parse_size(spec)


def test_layout_listing_a4_accepts_every_portrait_a_size(announcement_data):
    art = infographic.render("announcement", announcement_data, size="a5@150dpi")
    assert (art.width, art.height, art.dpi) == (874, 1240, 150)
    with pytest.raises(SizeError, match="not supported by this layout"):
        infographic.render("announcement", announcement_data, size="a3-landscape")


# --- the print PDF read back -------------------------------------------------------------------

def _box(page, name):
    return [float(v) for v in page[name]]


def test_print_pdf_pages_and_boxes_in_points(a4, a3):
    reader = PdfReader(io.BytesIO(print_pdf([a4, a3, a4])))
    assert len(reader.pages) == 3
    margin = slug_mm(3, True)
    for page, (w, h) in zip(reader.pages, [(210, 297), (297, 420), (210, 297)]):
        trim = _box(page, "/TrimBox")
        bleed = _box(page, "/BleedBox")
        media = _box(page, "/MediaBox")
        assert trim[2] - trim[0] == pytest.approx(w * PT, abs=0.01)
        assert trim[3] - trim[1] == pytest.approx(h * PT, abs=0.01)
        assert trim[0] == pytest.approx(margin * PT, abs=0.01)
        assert [b - t for b, t in zip(bleed, trim)] == pytest.approx(
            [-3 * PT, -3 * PT, 3 * PT, 3 * PT], abs=0.01)
        assert media == pytest.approx([0, 0, (w + 2 * margin) * PT, (h + 2 * margin) * PT],
                                      abs=0.01)
        assert _box(page, "/CropBox") == pytest.approx(media)
    assert reader.pages[0]["/TrimBox"][2] == pytest.approx((margin + 210) * PT, abs=0.01)


def _fonts(obj, seen=None) -> int:
    """Font dictionaries anywhere below a PDF object (resources, forms, patterns)."""
    seen = set() if seen is None else seen
    obj = obj.get_object() if hasattr(obj, "get_object") else obj
    if id(obj) in seen:
        return 0
    seen.add(id(obj))
    count = 0
    if isinstance(obj, dict):
        if obj.get("/Type") == "/Font" or "/Font" in obj:
            count += 1
        count += sum(_fonts(v, seen) for k, v in obj.items() if k not in ("/Parent", "/P"))
    elif isinstance(obj, list):
        count += sum(_fonts(v, seen) for v in obj)
    return count


def test_print_pdf_text_is_outlines_not_fonts(a4):
    reader = PdfReader(io.BytesIO(print_pdf(a4)))
    page = reader.pages[0]
    assert _fonts(page) == 0
    assert page.extract_text().strip() == ""
    assert b" Tf" not in page.get_contents().get_data()  # no text-showing operators at all


def test_trim_size_pdf_without_bleed_or_marks(a4):
    page = PdfReader(io.BytesIO(print_pdf(a4, bleed_mm=0, marks=False))).pages[0]
    for name in ("/MediaBox", "/TrimBox", "/BleedBox"):
        assert _box(page, name) == pytest.approx([0, 0, 210 * PT, 297 * PT], abs=0.01)


def test_print_pdf_refuses_screen_sizes_and_bad_bleed(announcement_data, a4):
    square = infographic.render("announcement", announcement_data, size="square")
    with pytest.raises(SizeError, match="paper size"):
        print_pdf(square)
    with pytest.raises(OutputError, match="bleed"):
        print_pdf(a4, bleed_mm=40)


def test_print_pdf_writer_hook_and_atomic_save(a4, tmp_path):
    assert a4.to_bytes("print-pdf").startswith(b"%PDF")
    target = save_print_pdf([a4], tmp_path / "leaflet.pdf")
    assert len(PdfReader(target).pages) == 1
    assert [p.name for p in tmp_path.iterdir()] == ["leaflet.pdf"]


def _page_pixels(pdf: bytes, dpi: int, tmp_path: Path) -> np.ndarray:
    pdftoppm = require_tool("pdftoppm")
    source = tmp_path / "page.pdf"
    source.write_bytes(pdf)
    subprocess.run([pdftoppm, "-r", str(dpi), "-f", "1", "-l", "1", "-png", str(source),
                    str(tmp_path / "page")], check=True)
    return np.asarray(Image.open(next(tmp_path.glob("page*.png"))).convert("RGB"), dtype=int)


def test_crop_marks_and_bleed_in_pixels(a4, tmp_path):
    dpi = 200
    px = dpi / 25.4  # pixels per mm
    image = _page_pixels(print_pdf(a4), dpi, tmp_path)
    margin = slug_mm(3, True)
    trim_x, trim_y = margin * px, margin * px

    def at(x_mm, y_mm):  # page pixel at mm from the page's top-left corner
        return image[int(round(y_mm * px)), int(round(x_mm * px))]

    band = np.array([0xA5, 0x0E, 0x0E])  # the header band, flush with the top and sides
    # bleed: 1.5 mm outside the trim the band continues (top-left, top-right corners)
    for x_mm, y_mm in [(margin - 1.5, margin - 1.5), (margin + 210 + 1.5, margin - 1.5),
                       (margin + 105, margin - 2.5)]:
        assert np.abs(at(x_mm, y_mm) - band).max() < 40, (x_mm, y_mm)
    # past the bleed edge the sheet is white, except for the crop marks
    assert at(margin - 3.5, margin + 20).min() > 245
    assert at(margin + 105, margin + 297 + 3.5).min() > 245
    # crop marks: dark pixels on the trim lines, outside the bleed, at all four corners
    for corner_x, corner_y, sx, sy in [(0, 0, -1, -1), (210, 0, 1, -1), (0, 297, -1, 1),
                                       (210, 297, 1, 1)]:
        cx, cy = margin + corner_x, margin + corner_y
        # horizontal mark: along y = trim edge, from 4 to 9 mm outside the trim
        row = int(round(cy * px))
        xs = sorted(int(round((cx + sx * d) * px)) for d in (4.3, 8.7))
        assert image[row - 1:row + 2, xs[0]:xs[1]].min() < 100
        # vertical mark: along x = trim edge
        col = int(round(cx * px))
        ys = sorted(int(round((cy + sy * d) * px)) for d in (4.3, 8.7))
        assert image[ys[0]:ys[1], col - 1:col + 2].min() < 100
        # no mark inside the bleed: 1–3 mm outside the trim on the trim line is artwork/paper,
        # and the diagonal corner region between marks is white
        assert at(cx + sx * 6, cy + sy * 6).min() > 245
    # the job label sits in the slug under the bottom edge, outside the bleed, as outlines
    label = image[int((margin + 297 + 4.2) * px):int((margin + 297 + 7.5) * px),
                  int((margin + 9) * px):int((margin + 120) * px)]
    assert label.min() < 100 and (label.min(axis=2) < 128).mean() > 0.02
    del trim_x, trim_y


def test_multi_page_leaflet_batch_has_one_page_per_row(announcement_data, tmp_path):
    rows = [dict(announcement_data, issuer=f"UBND Phường {n}", signer=f"UBND Phường {n}")
            for n in (1, 2, 3, 4)]
    arts = [infographic.render("announcement", row, size="a5") for row in rows]
    reader = PdfReader(save_print_pdf(arts, tmp_path / "batch.pdf"))
    assert len(reader.pages) == 4
    assert all(float(p.trimbox.width) == pytest.approx(148 * PT, abs=0.01) for p in reader.pages)


# --- images and preflight ----------------------------------------------------------------------

def test_embedded_photo_effective_resolution_in_pdf_and_preflight(photo_layout, tmp_path):
    art = infographic.render(photo_layout, size="a4")
    images = [p for p in art.fit_report.preflight if p.check == "image-resolution"]
    assert len(images) == 1
    expected = 200 / (100 / 25.4)  # 200 px across 100 mm = 50.8 dpi
    assert images[0].value == pytest.approx(expected, rel=0.02)
    assert images[0].status == "warning"
    assert any("photo.png" in w and "dpi" in w for w in art.fit_report.warnings)
    # read the PDF back: the image XObject's pixels over its placed size
    pdfimages = require_tool("pdfimages")
    pdf = tmp_path / "photo.pdf"
    pdf.write_bytes(print_pdf(art))
    listing = subprocess.run([pdfimages, "-list", str(pdf)], capture_output=True, text=True,
                             check=True).stdout.splitlines()
    rows = [line.split() for line in listing[2:] if line.strip()]
    assert rows, listing
    header = listing[0].split()
    x_ppi = float(rows[0][header.index("x-ppi")])
    y_ppi = float(rows[0][header.index("y-ppi")])
    assert x_ppi == pytest.approx(expected, rel=0.03) and y_ppi == pytest.approx(expected, rel=0.03)
    assert int(rows[0][header.index("width")]) == 200


def test_preflight_text_size_qr_module_and_safe_area(photo_layout):
    art = infographic.render(photo_layout, size="a4")
    report = art.fit_report
    k = art.size.units_per_mm
    smallest = next(p for p in report.preflight if p.check == "text-size")
    assert smallest.subject == "note"
    assert smallest.value == pytest.approx(report["note"].size / k * PT, rel=0.01)
    qr = next(p for p in report.preflight if p.check == "qr-module")
    modules = int(re.search(r'data-modules="(\d+)"', art.svg).group(1))
    assert qr.value == pytest.approx(30 / (modules + 8), rel=0.01) and qr.status == "ok"
    safe = {p.subject: p for p in report.preflight if p.check == "safe-area"}
    assert safe["note"].status == "warning" and 1.5 < safe["note"].value < 2.5
    assert safe["title"].status == "ok" and safe["title"].value > 5
    assert any("note" in w and "safe margin" in w for w in report.warnings)
    # the data report carries it too
    assert {p["check"] for p in report.to_dict()["preflight"]} >= {"text-size", "qr-module",
                                                                     "image-resolution",
                                                                     "safe-area"}


def test_qr_too_small_is_flagged(photo_layout):
    art = infographic.render(photo_layout, {"title": "Quét mã", "qr_mm": 8}, size="a5@150dpi")
    qr = next(p for p in art.fit_report.preflight if p.check == "qr-module")
    modules = int(re.search(r'data-modules="(\d+)"', art.svg).group(1))
    assert qr.value == pytest.approx(8 / (modules + 8), rel=0.01) and qr.status == "warning"
    assert any("QR" in w or "qr" in w for w in art.fit_report.warnings)
    # the announcement has no QR, no photo and keeps everything inside its 5 mm safe area
    plain = infographic.render("announcement", size="a4").fit_report.preflight
    assert all(p.ok for p in plain) and {p.check for p in plain} == {"text-size", "safe-area"}


def test_screen_sizes_have_no_preflight(announcement_data):
    art = infographic.render("announcement", announcement_data, size="portrait")
    assert art.fit_report.preflight == []


# --- guides and CMYK ---------------------------------------------------------------------------

def test_guides_overlay_shows_bleed_trim_and_safe_area(a4):
    k = a4.size.units_per_mm
    fragment = guides_svg(a4.size, safe_area_mm=5)
    rects = re.findall(r'<rect x="([-\d.]+)" y="([-\d.]+)" width="([\d.]+)"', fragment)
    assert [float(r[0]) for r in rects] == pytest.approx([-3 * k, 0, 5 * k], abs=0.01)
    svg = preview_with_guides(a4, safe_area_mm=5)
    assert f'viewBox="{-3 * k:.3f} {-3 * k:.3f}' in svg
    import cairosvg
    image = np.asarray(Image.open(io.BytesIO(cairosvg.svg2png(bytestring=svg.encode(),
                                                                output_width=432))).convert("RGB"))
    # the top-left corner of the bleed shows the header band (darkened by the veil), not white
    assert image[2, 2].max() < 200 and image[2, 2][0] > image[2, 2][2]
    assert guides_svg(parse_size("square")) == ""


def test_cmyk_pdf_keeps_boxes_and_declares_the_profile(a4):
    require_tool("gs")
    reader = PdfReader(io.BytesIO(cmyk_pdf([a4])))
    root = reader.trailer["/Root"]
    intent = root["/OutputIntents"][0].get_object()
    assert intent["/S"] == "/GTS_PDFX" and intent["/DestOutputProfile"].get_object()["/N"] == 4
    page = reader.pages[0]
    assert float(page.trimbox.width) == pytest.approx(210 * PT, abs=0.01)
    assert float(page.bleedbox.width) == pytest.approx(216 * PT, abs=0.01)
    content = page.get_contents().get_data()
    assert re.search(rb"[\d.]+ [\d.]+ [\d.]+ [\d.]+ k\n", content)  # CMYK fills
    assert not re.search(rb" rg\n", content)  # and no RGB ones left
    assert _fonts(page) == 0


def test_cmyk_tiff_has_the_bleed_and_the_profile(a4):
    require_tool("gs")  # the default profile ships with Ghostscript
    tiff = Image.open(io.BytesIO(cmyk_tiff(a4, bleed_mm=3)))
    assert tiff.mode == "CMYK"
    assert tiff.size == (round(216 / 25.4 * 300), round(303 / 25.4 * 300))
    assert tuple(round(v) for v in tiff.info["dpi"]) == (300, 300)
    assert len(tiff.info["icc_profile"]) > 1000
    c, m, y, k = tiff.getpixel((5, 5))  # the red band reaches into the bleed
    assert m > 200 and y > 200 and c < 80
