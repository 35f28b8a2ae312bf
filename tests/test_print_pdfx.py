"""CMYK print files as a shop's preflight reads them: PDF/X-4 and X-1a structure, no RGB left,
black in K only (content streams and Ghostscript separations), total ink on a raster."""

from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path

import numpy as np
import pikepdf
import pytest
from PIL import Image, ImageCms
from pypdf import PdfReader

import infographic
from infographic.errors import OutputError
from infographic.layout.manifest import bundled_layouts
from infographic.print.cmyk import BUNDLED_PROFILE, cmyk_print
from infographic.print.pdf import print_pdf
from infographic.print.pdfx import check_pdfx

from conftest import require_tool

PT = 72 / 25.4


@pytest.fixture(scope="module")
def hotline():
    return infographic.render("hotline-qr", size="a4")


@pytest.fixture(scope="module")
def hotline_x4(hotline):
    return cmyk_print([hotline])


@pytest.fixture(scope="module")
def photo():
    return infographic.render("photo-card", size="a4")


def _rgb_left(data: bytes) -> list[str]:
    """Every RGB colour space or operator in the file, found by walking its objects and
    parsing its content streams (independently of the code's own check)."""
    found = []
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for obj in pdf.objects:
            if isinstance(obj, (pikepdf.Dictionary, pikepdf.Stream)):
                text = obj.unparse() if isinstance(obj, pikepdf.Dictionary) \
                    else pikepdf.Dictionary(obj.stream_dict).unparse()
                if b"/DeviceRGB" in text or b"/CalRGB" in text:
                    found.append(f"object {obj.objgen}")
        owners = [*pdf.pages, *(o for o in pdf.objects if isinstance(o, pikepdf.Stream)
                                and o.get("/Subtype") == pikepdf.Name.Form)]
        for owner in owners:
            for operands, operator in pikepdf.parse_content_stream(owner):
                if str(operator) in ("rg", "RG"):
                    found.append(f"{operator} in a content stream")
    return found


def _separations(data: bytes, tmp_path: Path, dpi: int = 100) -> dict[str, np.ndarray]:
    """Ghostscript's separations (tiffsep: overprint honoured) as ink percent per plate."""
    gs = require_tool("gs")
    source = tmp_path / "in.pdf"
    source.write_bytes(data)
    subprocess.run([gs, "-q", "-dSAFER", "-dBATCH", "-dNOPAUSE", "-sDEVICE=tiffsep",
                    f"-r{dpi}", f"-sOutputFile={tmp_path / 'sep.tif'}", str(source)],
                   check=True, timeout=120)
    return {plate: 100 - np.asarray(Image.open(tmp_path / f"sep({plate}).tif").convert("L"),
                                    dtype=float) * 100 / 255
            for plate in ("Cyan", "Magenta", "Yellow", "Black")}


@pytest.mark.parametrize("layout", bundled_layouts())
def test_every_bundled_layout_is_pdfx4(layout):
    art = infographic.render(layout, size="a4")
    result = cmyk_print([art])
    assert all(check.ok for check in result.checks), result.format()
    data = result.data
    assert data.startswith(b"%PDF-1.6")
    assert _rgb_left(data) == []
    reader = PdfReader(io.BytesIO(data))
    page = reader.pages[0]
    assert float(page.trimbox.width) == pytest.approx(210 * PT, abs=0.01)
    assert float(page.bleedbox.width) == pytest.approx(216 * PT, abs=0.01)
    root = reader.trailer["/Root"]
    assert re.search(rb"<pdfxid:GTS_PDFXVersion[^>]*>PDF/X-4</pdfxid:GTS_PDFXVersion>",
                     root["/Metadata"].get_object().get_data())
    intent = root["/OutputIntents"][0].get_object()
    assert intent["/S"] == "/GTS_PDFX" and intent["/OutputConditionIdentifier"] == "FOGRA39"
    assert intent["/DestOutputProfile"].get_object().get_data() == BUNDLED_PROFILE.read_bytes()
    assert result.max_ink <= 300


@pytest.mark.parametrize("layout", ["photo-card", "hotline-qr"])
def test_pdfx1a_is_flat_cmyk_1_4(layout, tmp_path):
    require_tool("gs")
    art = infographic.render(layout, size="a4")
    result = cmyk_print([art], pdfx="1a")
    assert all(check.ok for check in result.checks), result.format()
    assert result.data.startswith(b"%PDF-1.4")
    assert _rgb_left(result.data) == []
    with pikepdf.open(io.BytesIO(result.data)) as pdf:
        assert str(pdf.docinfo["/GTS_PDFXVersion"]) == "PDF/X-1a:2003"
        states = [o for o in pdf.objects if isinstance(o, pikepdf.Dictionary)
                  and ("/SMask" in o or "/ca" in o)]
        assert all(str(o.get("/SMask", "/None")) == "/None" and float(o.get("/ca", 1)) == 1
                   for o in states)
        assert "/Group" not in pdf.pages[0].obj
    if layout == "hotline-qr":  # black text and QR code: in the flattened raster, K only
        k, cmy = _black_content(result.data, print_pdf([art]), tmp_path)
        assert np.median(k) > 97 and np.percentile(cmy, 95) < 3
    else:  # the photo card: the page is there, in CMYK
        plates = _separations(result.data, tmp_path, dpi=50)
        assert all(plate.max() > 50 for plate in plates.values())


@pytest.mark.slow  # Ghostscript flattens every page at 300 dpi: about a minute in all
@pytest.mark.parametrize("layout", bundled_layouts())
def test_every_bundled_layout_is_pdfx1a(layout):
    require_tool("gs")
    result = cmyk_print([infographic.render(layout, size="a4")], pdfx="1a")
    assert all(check.ok for check in result.checks), result.format()
    assert _rgb_left(result.data) == []


def test_x4_of_the_photo_card_keeps_transparency_and_converts_the_photo(photo):
    result = cmyk_print([photo])
    with pikepdf.open(io.BytesIO(result.data)) as pdf:
        page = pdf.pages[0]
        assert page.obj.Group.CS == pikepdf.Name.DeviceCMYK  # blending in CMYK
        images = {o.objgen: o for o in pdf.objects if isinstance(o, pikepdf.Stream)
                  and o.get("/Subtype") == pikepdf.Name.Image}
        spaces = {str(o.ColorSpace) for o in images.values()}
        assert spaces <= {"/DeviceCMYK", "/DeviceGray"} and "/DeviceCMYK" in spaces
        photo_image = max(images.values(), key=lambda o: int(o.Width))
        assert photo_image.Filter == pikepdf.Name.DCTDecode  # the photo stays JPEG, converted once
        assert any("/SMask" in state for state in page.Resources.ExtGState.values())


def test_black_text_qr_and_marks_print_in_black_ink_only(hotline, hotline_x4, tmp_path):
    # in the content stream: every near-black the design uses is written 0 0 0 1 k/K
    with pikepdf.open(io.BytesIO(hotline_x4.data)) as pdf:
        colours = [tuple(float(v) for v in operands)
                   for operands, op in pikepdf.parse_content_stream(pdf.pages[0])
                   if str(op) in ("k", "K")]
        states = pdf.pages[0].Resources.ExtGState
        assert any(bool(s.get("/OP")) and int(s.get("/OPM", 0)) == 1 for s in states.values())
    assert (0.0, 0.0, 0.0, 1.0) in colours
    assert not [c for c in colours if c[3] > 0.85 and 0 < sum(c[:3]) < 0.05]  # no near-K mixes
    assert hotline_x4.black_paints >= 10
    # on the separations: where the RGB page is dark and neutral (body text, QR modules, crop
    # marks), the K plate is full and C, M and Y carry nothing of the shapes
    k, cmy = _black_content(hotline_x4.data, print_pdf([hotline]), tmp_path)
    assert np.median(k) > 97
    assert np.percentile(cmy, 95) < 3, "black content must not print in C, M or Y"


def _black_content(cmyk_pdf: bytes, rgb_pdf: bytes, tmp_path: Path, dpi: int = 100):
    """Ink of the K plate and of C+M+Y (percent) on the pixels where the RGB page is dark and
    neutral: the design's black text, QR modules and crop marks."""
    plates = _separations(cmyk_pdf, tmp_path, dpi)
    (tmp_path / "rgb.pdf").write_bytes(rgb_pdf)
    subprocess.run([require_tool("pdftoppm"), "-r", str(dpi), "-png", "-singlefile",
                    str(tmp_path / "rgb.pdf"), str(tmp_path / "rgb")], check=True, timeout=120)
    rgb = np.asarray(Image.open(tmp_path / "rgb.png").convert("RGB")).astype(int)
    height = min(rgb.shape[0], plates["Black"].shape[0])
    width = min(rgb.shape[1], plates["Black"].shape[1])
    rgb = rgb[:height, :width]
    dark = (rgb.max(axis=2) <= 45) & (rgb.max(axis=2) - rgb.min(axis=2) <= 25)
    assert dark.sum() > 5000  # text, QR code and marks
    k = plates["Black"][:height, :width][dark]
    cmy = sum(plates[p][:height, :width][dark] for p in ("Cyan", "Magenta", "Yellow"))
    return k, cmy


def test_total_ink_on_a_raster_stays_under_the_limit(photo, tmp_path):
    result = cmyk_print([photo])
    plates = _separations(result.data, tmp_path, dpi=72)
    total = sum(plates.values())
    assert total.max() <= 300 + 2  # 8-bit rounding of four plates
    assert result.max_ink <= 300


def test_a_lower_ink_limit_is_enforced_and_reported(hotline, tmp_path):
    result = cmyk_print([hotline], ink_limit=220)
    assert result.max_ink <= 220
    total = sum(_separations(result.data, tmp_path, dpi=50).values())
    assert total.max() <= 220 + 2
    assert "limit 220 %" in result.format()


def test_rgb_print_pdf_has_an_srgb_output_intent_and_is_not_pdfx(hotline):
    data = print_pdf([hotline])
    with pikepdf.open(io.BytesIO(data)) as pdf:
        intent = pdf.Root.OutputIntents[0]
        assert str(intent.OutputConditionIdentifier) == "sRGB IEC61966-2.1"
        icc = intent.DestOutputProfile.read_bytes()
        assert ImageCms.ImageCmsProfile(io.BytesIO(icc)).profile.xcolor_space.strip() == "RGB"
        assert "/GTS_PDFXVersion" not in pdf.docinfo
    failed = {check.name for check in check_pdfx(data, "4") if not check.ok}
    assert {"identification", "colour spaces", "output intent"} <= failed


def test_cli_writes_pdfx_and_reports_the_checks(tmp_path):
    out = tmp_path / "leaflet.pdf"
    done = subprocess.run(["infographic", "print", "hotline-qr", "--cmyk", "--report",
                           "-o", str(out)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "PDF/X-4: 10/10 structural checks pass" in done.stdout
    assert "total ink: at most" in done.stdout and "K only" in done.stdout
    assert out.read_bytes().startswith(b"%PDF-1.6")
    rgb = subprocess.run(["infographic", "print", "hotline-qr", "--report", "-o",
                          str(tmp_path / "rgb.pdf")], capture_output=True, text=True, timeout=300)
    assert "not PDF/X" in rgb.stdout


@pytest.mark.parametrize("make, message", [
    (lambda p: p.write_bytes(b"not a profile"), "is not an ICC profile"),
    (lambda p: p.write_bytes(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()),
     "is an RGB profile"),
])
def test_bad_profiles_are_refused_with_what_to_do(hotline, tmp_path, make, message):
    profile = tmp_path / "shop.icc"
    make(profile)
    with pytest.raises(OutputError, match=message):
        cmyk_print([hotline], profile=profile)
    done = subprocess.run(["infographic", "print", "hotline-qr", "--cmyk", "--profile",
                           str(profile), "-o", str(tmp_path / "x.pdf")],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode != 0 and message in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "x.pdf").exists()


def test_bad_options_are_refused(hotline, tmp_path):
    with pytest.raises(OutputError, match="ink limit"):
        cmyk_print([hotline], ink_limit=500)
    with pytest.raises(OutputError, match="use 4"):
        cmyk_print([hotline], pdfx="3")
    done = subprocess.run(["infographic", "print", "hotline-qr", "--pdfx", "1a", "-o",
                           str(tmp_path / "x.pdf")], capture_output=True, text=True, timeout=300)
    assert done.returncode == 2 and "add --cmyk" in done.stderr


def test_x1a_without_ghostscript_says_what_to_do(hotline, monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")
    with pytest.raises(OutputError, match="apt-get install ghostscript"):
        cmyk_print([hotline], pdfx="1a")


def test_separation_rules_on_a_hand_made_page():
    """Each way a PDF can set a colour, painted small and large, through ``separate``."""
    from infographic.print.inks import RICH_BLACK, Inks
    from infographic.print.separate import separate

    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(400, 400))
    page = pdf.pages[0]
    page.Contents = pdf.make_stream(
        b"q 0.1 0.1 0.12 rg 10 10 m 20 10 l 20 20 l h f Q\n"  # small near-black: K + overprint
        b"/DeviceRGB cs 0.9 0.1 0.1 sc 30 30 10 10 re f\n"     # red through the profile
        b"0.2 0.3 0.4 0.5 k 50 50 5 5 re f\n"                  # CMYK as given
        b"0.5 g 60 60 5 5 re f\n"                              # grey: a K tint
        b"0 0 0 rg 0 100 300 300 re f\n"                       # large black area: rich black
        b"0 0 0 RG 1 w 0 0 m 400 400 l S\n")                   # black line: K
    inks = Inks(BUNDLED_PROFILE)
    separation = separate(pdf, inks)
    ops = [(str(op), [float(v) if not isinstance(v, pikepdf.Name) else str(v) for v in operands])
           for operands, op in pikepdf.parse_content_stream(pdf.pages[0])]
    colours = [(op, values) for op, values in ops if op in ("k", "K")]
    assert colours[0] == ("k", [0, 0, 0, 1])
    assert ("gs", ["/InfographicOPK"]) in ops[:ops.index(("k", [0, 0, 0, 1])) + 3]
    red = colours[1][1]
    assert red[0] < 0.1 and red[1] > 0.8 and red[2] > 0.7  # magenta + yellow
    assert colours[2] == ("k", [0.2, 0.3, 0.4, 0.5])
    grey = colours[3][1]
    assert grey[:3] == [0, 0, 0] and 0.4 < grey[3] < 0.7
    assert colours[4] == ("k", [pytest.approx(v) for v in RICH_BLACK])
    assert colours[5] == ("K", [0, 0, 0, 1])
    assert not [op for op, _ in ops if op in ("rg", "RG", "g", "G", "cs", "sc")]
    assert separation.k_only_paints == 2 and separation.rich_paints == 1
    assert inks.max_ink <= 300


def test_a_multi_page_leaflet_batch_is_one_pdfx4_file(tmp_path):
    from infographic.datafile import load_data_file
    from infographic.print.pages import page_records, render_pages

    records = page_records(load_data_file(Path(__file__).resolve().parent.parent / "examples"
                                          / "print" / "leaflets-hotline.yaml"))
    arts = render_pages("hotline-qr", records, size="a4")
    result = cmyk_print(arts, title="Đường dây nóng – tờ rơi theo phường")
    assert all(check.ok for check in result.checks), result.format()
    with pikepdf.open(io.BytesIO(result.data)) as pdf:
        assert len(pdf.pages) == len(records) > 1
        assert all("/TrimBox" in page.obj and page.obj.Group.CS == pikepdf.Name.DeviceCMYK
                   for page in pdf.pages)
        assert str(pdf.docinfo.Title) == "Đường dây nóng – tờ rơi theo phường"
    assert _rgb_left(result.data) == []


def test_photo_resolution_is_judged_as_shops_do():
    """Under 300 dpi warns on leaflets; posters (A2+) may go to 200 with a note; an image of
    one flat colour is never flagged, however few its pixels."""
    import base64

    from infographic.checks.preflight import print_preflight
    from infographic.sizes import parse_size

    def png(image: Image.Image) -> str:
        out = io.BytesIO()
        image.save(out, "PNG")
        return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode()

    ramp = np.tile(np.linspace(0, 255, 240, dtype=np.uint8), (240, 1))
    photo = png(Image.fromarray(np.dstack([ramp, ramp[::-1], ramp.T]), "RGB"))
    flat = png(Image.new("RGB", (8, 8), (11, 83, 148)))

    def judged(size_name: str, href: str, mm: float):
        size = parse_size(size_name)
        side = mm * size.units_per_mm
        svg = (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size.canvas_width} '
               f'{size.canvas_height}"><image href="{href}" x="100" y="100" width="{side}" '
               f'height="{side}"/></svg>')
        items = print_preflight(svg, size, 5.0, {})
        return next(item for item in items if item.check == "image-resolution")

    leaflet = judged("a4", photo, 240 / 219 * 25.4)  # 240 px over 27.8 mm: 219 dpi
    assert leaflet.value == pytest.approx(219, abs=1) and leaflet.status == "warning"
    assert "under 300 dpi" in leaflet.message
    poster = judged("a2", photo, 240 / 219 * 25.4)
    assert poster.status == "ok" and "poster" in poster.message
    assert judged("a2", photo, 240 / 150 * 25.4).status == "warning"  # 150 dpi: too soft
    assert judged("a4", photo, 240 / 310 * 25.4).status == "ok"
    tint = judged("a4", flat, 50)  # 8 px over 50 mm: 4 dpi, but one colour
    assert tint.value < 5 and tint.status == "ok" and "flat colour" in tint.message


def test_a_photo_placed_by_image_is_judged_from_the_scene(tmp_path):
    """image(...) puts the prepared photo in the scene: preflight reads its pixels and bytes
    there (a one-colour photo over a whole A4 is a tint, not a soft photo)."""
    Image.new("RGB", (40, 30), (11, 83, 148)).save(tmp_path / "flat.png")
    data = {**infographic.load_layout("photo-card").sample_data(), "photo": "flat.png"}
    art = infographic.render("photo-card", data, size="a4", assets=[tmp_path])
    placed = art.scene.images[0]
    item = next(p for p in art.fit_report.preflight if p.check == "image-resolution")
    assert f"{placed.pixels[0]}×{placed.pixels[1]} px" in item.message
    assert item.value < 10 and item.status == "ok" and "flat colour" in item.message
