"""``infographic import``: drawings from Inkscape (real), Figma and Illustrator (shaped after
their exports) become layouts that render, pass ``check``, and look like the drawing."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import yaml
from PIL import Image, ImageFilter

import infographic
from infographic.authoring import check_layout
from infographic.authoring.importer import import_drawing
from infographic.authoring.importer.marks import parse_mark
from infographic.cli import main
from infographic.errors import FitError, LayoutError, LimitError

from conftest import cer, ocr, to_image

DRAWINGS = Path(__file__).parent / "drawings"
#: Each fixture set: the drawings; Inkscape's picture of each size drawn; and boxes (canvas
#: units) where the drawing shows a placeholder the layout replaces (a grey QR rectangle, a
#: circle standing for an icon).
FIXTURES = {
    "inkscape": (["inkscape-square.svg", "inkscape-story.svg"],
                 {"square": "inkscape-square", "story": "inkscape-story"}, {}),
    # one Inkscape 1.2 document with two pages labelled square and story: the same posters
    "pages": (["inkscape-pages.svg"], {"square": "inkscape-square", "story": "inkscape-story"},
              {}),
    "flowroot": (["inkscape-flowroot.svg"], {"square": "inkscape-flowroot"}, {}),
    # a viewBox from (-40, -30), a translated layer, a rotated shape, a title in a scaled group
    "offsets": (["inkscape-offsets.svg"], {"square": "inkscape-offsets"}, {}),
    "figma": (["figma-square.svg"], {"square": "figma-square"},
              {"square": [(876, 920, 140, 140)]}),
    # (Illustrator's lead is point text that runs past the right edge: the import wraps it in
    # its lead-box, so the part of the drawn line beyond the box differs too)
    "illustrator": (["illustrator-a4.svg"], {"a4": "illustrator-a4"},
                    {"a4": [(370, 680, 340, 345), (990, 340, 90, 70)]}),
}
SEED_TIPS = [
    {"heading": "Quán triệt", "text": "Tổ chức triển khai nghiêm túc các văn bản chỉ đạo của "
     "Trung ương, Thành phố."},
    {"heading": "Đồng bộ", "text": "Thông tin đến các tầng lớp nhân dân qua nhóm zalo, loa "
     "phát thanh."},
    {"heading": "Gương mẫu", "text": "Nêu cao vai trò gương mẫu, tiền phong của cá nhân các "
     "đảng viên."},
    {"heading": "Nắm bắt", "text": "Thường xuyên nắm bắt tâm trạng xã hội, tình hình dư luận."},
]


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    """Every fixture set imported once: name → (folder, report)."""
    root = tmp_path_factory.mktemp("imported")
    return {name: (root / name, import_drawing([DRAWINGS / f for f in files], root / name))
            for name, (files, _, _) in FIXTURES.items()}


# --- marking ---------------------------------------------------------------------------------

@pytest.mark.parametrize("raw, kind, field", [
    ("title", "field", "title"), ("title-2", "field", "title"), ("title_1_", "field", "title"),
    ("title 3", "field", "title"), ("tips[]", "list", "tips"), ("tips.2.heading", "cell", "tips"),
    ("title-box", "box", "title"), ("qr", "qr", "qr"), ("qr:link", "qr", "link"),
    ("icon:mask", "icon", ""), ("hotline_number", "field", "hotline_number")])
def test_layer_names_with_editor_decorations(raw, kind, field):
    mark = parse_mark(raw)
    assert (mark.kind, mark.field) == (kind, field)


@pytest.mark.parametrize("raw", ["rect4211", "layer1", "text14", "Background", "Nền xanh",
                                 "Rectangle 12", "Group_5", "clip0_12_7"])
def test_ordinary_names_are_not_marks(raw):
    assert parse_mark(raw) is None


def test_report_says_what_matched_what(imported):
    folder, report = imported["inkscape"]
    assert report.sizes == ["square", "story"]
    matched = {(m.size, m.layer, m.field) for m in report.matches}
    for size in ("square", "story"):
        assert {(size, "title", "title"), (size, "lead", "lead"), (size, "hotline", "hotline"),
                (size, "tips", "tips"), (size, "heading", "tips_heading"),
                (size, "text", "tips_text")} <= matched
    date = next(m for m in report.matches if m.field == "date")
    assert "Cập nhật {{ date }}" in date.layer and "line" in date.element
    assert report.fixed_texts == 4  # issuer and "Đường dây nóng" at two sizes
    manifest = yaml.safe_load((folder / "layout.yaml").read_text(encoding="utf-8"))
    assert manifest["sizes"] == ["square", "story"]
    tips = manifest["fields"]["tips"]
    assert tips["type"] == "table" and tips["max_items"] == 8  # the story draws eight cards
    assert len(tips["sample"]) == 4 and tips["min_items"] == 1  # the square has four cards
    assert len(report.samples["story"]["tips"]) == 8
    assert set(tips["columns"]) == {"heading", "text"}
    assert all(c["required"] for c in tips["columns"].values())  # drawn on every card
    assert tips["sample"][1]["heading"] == "Đồng bộ"
    # the drawing's type: Inter Bold 48 white title on the blue band; Noto Sans lead at 28,
    # each on the nearest step of the type scale (48 is halfway: the smaller step, 40)
    assert manifest["slots"]["title"]["font"] == "Inter"
    assert manifest["slots"]["title"]["weight"] == 700
    assert manifest["slots"]["title"]["size"] == "lg"  # written as the step's name
    assert manifest["slots"]["lead"]["size"] == "md"
    assert {s["min_size"] for s in manifest["slots"].values()} <= {"xs", "sm", "md"}
    # health-blue's colours are written as its palette names
    assert manifest["theme"] == "health-blue"
    assert manifest["slots"]["title"]["color"] == "on_primary"
    assert manifest["slots"]["title"]["background"] == "primary"
    assert manifest["slots"]["date"]["color"] == "#dbe7f5"  # not in any palette: kept
    assert manifest["slots"]["lead"]["font"] == "Noto Sans"
    assert manifest["slots"]["hotline"]["align"] == "right"
    template = (folder / "template.svg.j2").read_text(encoding="utf-8")
    assert "<text " not in template and "sodipodi:" not in template \
        and "inkscape:" not in template
    assert "metadata" not in template


def test_palette_colours_follow_the_theme_unless_kept(imported, tmp_path):
    folder, _ = imported["inkscape"]
    from infographic.themes import load_theme

    red = load_theme("official-red").palette["primary"]
    art = infographic.render(folder, size="square", theme="official-red")
    band = to_image(art).convert("RGB").getpixel((540, 10))  # the header band
    assert band == tuple(int(red[i:i + 2], 16) for i in (1, 3, 5))
    kept = import_drawing(DRAWINGS / "inkscape-square.svg", tmp_path / "kept",
                          keep_colours=True, theme_from_drawing=True)
    assert kept.theme is None
    assert "theme." not in (tmp_path / "kept" / "template.svg.j2").read_text(encoding="utf-8")
    art = infographic.render(tmp_path / "kept", size="square", theme="official-red")
    assert to_image(art).convert("RGB").getpixel((540, 10)) == (0x0B, 0x53, 0x94)
    own = load_theme(tmp_path / "kept" / "theme.yaml")
    assert (own.palette["primary"], own.palette["background"], own.palette["accent"]) == \
        ("#0B5394", "#FFFFFF", "#F1C232")


def test_inkscape_pages_are_sizes(imported):
    """Each page of a multi-page Inkscape document is one size (by its label); each size's
    template draws only what lies on its page."""
    folder, report = imported["pages"]
    assert report.sizes == ["square", "story"]
    template = (folder / "template.svg.j2").read_text(encoding="utf-8")
    square, story = template.split('{% elif canvas.name == "story" %}')
    assert square.count('text("title"') == story.count('text("title"') == 1
    assert square.count("tips[3].text") == story.count("tips[3].text") == 1


def test_illustrator_classes_transforms_and_font_mapping(imported):
    folder, report = imported["illustrator"]
    assert report.sizes == ["a4"]
    manifest = yaml.safe_load((folder / "layout.yaml").read_text(encoding="utf-8"))
    # .st3 'BeVietnamPro-Bold' and .st4 26px on an A4 in points: 26 × 1080 / 595.3 = 47.2
    # units, set on the nearest type step
    title = manifest["slots"]["title"]
    assert title["font"] == "Inter" and title["weight"] == 700
    assert title["size"] == "lg"
    assert manifest["slots"]["lead"]["font"] == "Noto Sans"
    assert manifest["slots"]["hotline"]["align"] == "center"
    assert any("'MyriadPro-Regular' is not bundled: set in Noto Sans" in w
               for w in report.warnings)
    assert {m.layer for m in report.matches} >= {"title", "lead", "hotline", "icon:mask"}


def test_figma_ids_picture_and_qr(imported):
    folder, report = imported["figma"]
    manifest = yaml.safe_load((folder / "layout.yaml").read_text(encoding="utf-8"))
    assert (folder / "logo.png").is_file() and manifest["fields"]["logo"]["sample"] == "logo.png"
    assert "qr" in manifest["fields"]
    assert set(manifest["fields"]["tips"]["columns"]) == {"heading", "text"}  # heading_2 …
    art = infographic.render(folder, {**_sample(folder), "qr": "https://moh.gov.vn"})
    assert len(art.scene.qrs) == 1


def test_picture_qr_icon_and_grouped_box_marks(tmp_path):
    drawing = tmp_path / "d.svg"
    drawing.write_text(_svg(
        '<rect width="1080" height="1080" fill="#ffffff"/>'
        '<g inkscape:label="title"><rect x="64" y="80" width="480" height="260" fill="none"/>'
        '<text x="64" y="140" style="font-size:48px;font-weight:bold">Phát huy</text></g>'
        '<rect id="photo" x="600" y="80" width="400" height="300" fill="#cccccc"/>'
        '<rect inkscape:label="qr:link" x="64" y="780" width="240" height="240" fill="#eeeeee"/>'
        '<g inkscape:label="tips[]"><g><rect x="340" y="700" width="676" height="140" '
        'fill="#e8f0fa"/><circle inkscape:label="icon" cx="400" cy="770" r="36" '
        'fill="#0b5394"/><text inkscape:label="text" x="460" y="780" style="font-size:28px">'
        'Đeo khẩu trang</text></g></g>'), encoding="utf-8")
    report = import_drawing(drawing, tmp_path / "out")
    folder = tmp_path / "out"
    manifest = yaml.safe_load((folder / "layout.yaml").read_text(encoding="utf-8"))
    assert set(manifest["fields"]["tips"]["columns"]) == {"icon", "text"}
    assert "required" not in manifest["fields"]["tips"]["columns"]["icon"]  # icons have defaults
    assert "link" in manifest["fields"] and "photo" in manifest["fields"]
    template = (folder / "template.svg.j2").read_text(encoding="utf-8")
    assert 'image("photo", x=600, y=80, width=400, height=300, fit="cover")' in template
    assert "qr(data.link, x=64, y=780, size=240)" in template
    assert "icon(tips[0].icon" in template
    # the group's rectangle is the title's box
    assert 'text("title", title, x=64, y=80, width=480, height=260' in template
    photo = tmp_path / "ward.png"
    Image.new("RGB", (800, 600), (200, 30, 30)).save(photo)
    art = infographic.render(folder, {"title": "Phát huy", "photo": "ward.png",
                                      "link": "https://moh.gov.vn/khai-bao",
                                      "tips": [{"icon": "mask", "text": "Đeo khẩu trang"}]},
                             assets=[tmp_path])
    image = to_image(art).convert("RGB")
    assert image.getpixel((800, 230)) == (200, 30, 30)  # the photo fills its rectangle
    import zxingcpp
    codes = [r.text for r in zxingcpp.read_barcodes(image.crop((40, 760, 330, 1050)))]
    assert codes == ["https://moh.gov.vn/khai-bao"]
    assert {m.layer for m in report.matches} >= {"photo", "qr:link", "tips[]", "title"}


def _sample(folder: Path) -> dict:
    manifest = yaml.safe_load((folder / "layout.yaml").read_text(encoding="utf-8"))
    return {k: f["sample"] for k, f in manifest["fields"].items() if "sample" in f}


# --- the imported layouts render, pass check, look like the drawing --------------------------

@pytest.mark.parametrize("name", list(FIXTURES))
def test_imported_layout_passes_check(imported, name):
    folder, report = imported[name]
    result = check_layout(folder)
    assert result.ok, result.format()
    assert [s for s in report.sizes] == list(yaml.safe_load(
        (folder / "layout.yaml").read_text(encoding="utf-8"))["sizes"])


def _grey(image: Image.Image, width: int) -> np.ndarray:
    image = image.convert("L")
    height = round(image.height * width / image.width)
    return np.asarray(image.resize((width, height), Image.LANCZOS), dtype=np.float64)


def _difference(ours: np.ndarray, theirs: np.ndarray, keep: np.ndarray) -> tuple[float, float]:
    """Mean absolute grey difference and the share of pixels off by more than 48 levels,
    over the pixels ``keep`` selects."""
    h = min(ours.shape[0], theirs.shape[0])
    diff = np.abs(ours[:h] - theirs[:h])[keep[:h]]
    return float(diff.mean()), float((diff > 48).mean())


#: Calibrated on these fixtures: outside the text, cairo and Inkscape's own renderer differ by
#: 0.0–0.25 levels on average for the screen drawings, and by 1.7 (1.2 % of pixels, two rows
#: along each band edge) for the A4 drawing in points, whose 841.9-unit height rounds
#: differently; the same drawing shifted by 6 px differs by 15 levels and 10 % of pixels (see
#: test_pixel_metric_sees_a_shift).
MEAN_TOLERANCE, SHARE_TOLERANCE = 2.0, 0.015


def _compare(art: infographic.Artwork, reference: Path, extra: list) -> tuple[float, float]:
    theirs_image = Image.open(reference).convert("RGBA")
    flat = Image.new("RGBA", theirs_image.size, "white")
    theirs = _grey(Image.alpha_composite(flat, theirs_image), theirs_image.width)
    ours = _grey(to_image(art), theirs_image.width)
    factor = theirs_image.width / art.size.canvas_width
    mask = Image.new("L", (theirs.shape[1], theirs.shape[0]), 0)
    boxes = [e.box for e in art.fit_report] + list(extra)
    for x, y, w, h in boxes:  # text is set by different engines: compare everything else
        mask.paste(255, (int(x * factor) - 3, int(y * factor) - 3,
                         int((x + w) * factor) + 4, int((y + h) * factor) + 4))
    keep = np.asarray(mask.filter(ImageFilter.MaxFilter(5))) == 0
    return _difference(ours, theirs, keep)


@pytest.mark.parametrize("name", list(FIXTURES))
def test_imported_layout_matches_the_drawing_outside_text(imported, name):
    folder, report = imported[name]
    _, references, extra = FIXTURES[name]
    assert report.sizes == list(references)
    for size, reference in references.items():  # filled with that drawing's own texts
        art = infographic.render(folder, report.samples[size], size=size)
        mean, share = _compare(art, DRAWINGS / f"{reference}.inkscape.png",
                               extra.get(size, []))
        assert mean < MEAN_TOLERANCE and share < SHARE_TOLERANCE, (name, size, mean, share)


def test_pixel_metric_sees_a_shift(imported):
    """The tolerance is not too loose: the same comparison against Inkscape's picture moved
    by 6 px (12 canvas units) fails."""
    folder, report = imported["inkscape"]
    art = infographic.render(folder, report.samples["square"], size="square")
    reference = Image.open(DRAWINGS / "inkscape-square.inkscape.png").convert("RGBA")
    shifted = Image.new("RGBA", reference.size, "white")
    shifted.paste(reference, (0, 6))
    moved = DRAWINGS.parent / ".shifted-reference.png"
    try:
        shifted.save(moved)
        mean, share = _compare(art, moved, [])
    finally:
        moved.unlink(missing_ok=True)
    assert mean > MEAN_TOLERANCE or share > SHARE_TOLERANCE, (mean, share)


@pytest.mark.slow  # OCR
def test_filled_vietnamese_texts_read_back(imported):
    folder, _ = imported["inkscape"]
    data = {"title": "Phát huy hiệu quả các hình thức tuyên truyền phòng, chống dịch Covid-19",
            "lead": "Ngày 13/9/2021, Ban Tuyên giáo Quận ủy đã ban hành Công văn số 70-CV/BTG.",
            "date": "13/9/2021", "hotline": "1900 9095", "tips": SEED_TIPS}
    for size in ("square", "story"):
        art = infographic.render(folder, data, size=size)
        image = to_image(art)
        for slot, expected in (("title", data["title"]), ("tips_heading#3", "Gương mẫu"),
                               ("date", "Cập nhật 13/9/2021")):
            x, y, w, h = (v * art.size.scale for v in art.fit_report[slot].content_box)
            crop = image.crop((int(x - 12), int(y - 12), int(x + w + 12), int(y + h + 12)))
            if slot != "tips_heading#3":  # white on blue: OCR reads dark on light
                crop = Image.eval(crop.convert("L"), lambda v: 255 - v)
            read = " ".join(ocr(crop).split())
            if slot == "date":  # its box reaches the margin, past the issuer on the left
                read = read[-len(expected):]
            assert cer(expected, read) < 0.05, (size, slot, read)


def test_long_vietnamese_data_shrinks_into_the_slots(imported):
    """A 90-character title and eight tips at the longest the manifest accepts: fitted at
    every size (shrunk, not clipped); the fit report names the slots by the layer names."""
    folder, _ = imported["inkscape"]
    title = ("Phát huy hiệu quả các hình thức tuyên truyền phòng, chống dịch Covid-19 trên "
             "địa bàn quận")
    assert len(title) >= 85
    fields = yaml.safe_load((folder / "layout.yaml").read_text(encoding="utf-8"))["fields"]
    # every text at the longest its field accepts: the importer sets max_length to what the
    # drawn box holds at the slot's smallest size
    longest = fields["tips"]["columns"]["text"]["max_length"]
    assert longest >= 60
    seed = ("Các tổ chức cơ sở Đảng, Ủy ban Mặt trận Tổ quốc thường xuyên nắm bắt tâm trạng xã "
            "hội, tình hình dư luận cán bộ, đảng viên và các tầng lớp nhân dân")
    tips = [{"heading": t["heading"], "text": seed[:longest].strip()}
            for t in SEED_TIPS + SEED_TIPS]
    lead = ("Theo đó, Ban Tuyên giáo Quận ủy đề nghị các tổ chức cơ sở Đảng, Ủy ban Mặt trận Tổ "
            "quốc, các tổ chức chính trị - xã hội thuộc quận tiếp tục quán triệt, tuyên truyền "
            "và tổ chức triển khai thực hiện nghiêm túc các văn bản chỉ đạo.")
    data = {"title": title, "lead": lead[:fields["lead"]["max_length"]],
            "date": "13/9/2021", "hotline": "1900 9095", "tips": tips}
    for size, rows in (("story", 8), ("square", 4)):
        art = infographic.render(folder, {**data, "tips": tips[:rows]}, size=size,
                                 strict=True)
        statuses = {e.slot: e.status for e in art.fit_report}
        title = art.fit_report["title"]  # two lines or more, inside its box
        assert title.lines >= 2 and title.content_height <= title.box[3] + 0.5, title
        assert all(s in ("fit", "shrunk") for s in statuses.values()), statuses
        assert {"title", "lead", "tips_text", f"tips_text#{rows}", "hotline"} <= set(statuses)
    with pytest.raises(FitError) as too_many:  # the square has four cards
        infographic.render(folder, data, size="square")
    assert "tips" in str(too_many.value) and "4 cards" in str(too_many.value)


def test_the_example_drawing_is_the_bundled_drawn_notice_layout(tmp_path):
    """layouts/drawn-notice is examples/drawings/notice-*.svg imported (plus one manifest
    edit, see tests/drawings/make_drawings.py): re-importing gives the same template."""
    root = DRAWINGS.parents[1]
    order = ["square", "portrait", "story", "landscape", "a4"]
    report = import_drawing([root / "examples" / "drawings" / f"notice-{k}.svg" for k in order],
                            tmp_path / "drawn-notice")
    assert report.sizes == order
    bundled = root / "layouts" / "drawn-notice"
    assert (tmp_path / "drawn-notice" / "template.svg.j2").read_text(encoding="utf-8") == \
        (bundled / "template.svg.j2").read_text(encoding="utf-8")
    manifest = (tmp_path / "drawn-notice" / "layout.yaml").read_text(encoding="utf-8")
    assert manifest.replace("min_items: 1", "min_items: 3", 1) == \
        (bundled / "layout.yaml").read_text(encoding="utf-8")
    assert "drawn-notice" in infographic.bundled_layouts()


# --- the shared header and footer, the type scale ---------------------------------------------

def _chrome_drawing(tmp_path: Path) -> Path:
    """A poster whose bands are grouped and named ``header`` and ``footer``, as a designer
    marks them: logo, issuing body, update line and title in the header; the hotline with its
    label and the source in a dark footer band."""
    drawing = tmp_path / "chrome-square.svg"
    drawing.write_text(_svg(
        '<rect width="1080" height="1080" fill="#ffffff"/>'
        '<g inkscape:label="header">'
        '<rect width="1080" height="330" fill="#0b5394"/>'
        '<rect y="330" width="1080" height="10" fill="#f1c232"/>'
        '<circle inkscape:label="logo" cx="100" cy="70" r="36" fill="#ffffff"/>'
        '<text inkscape:label="issuer" x="160" y="80" style="font-family:Inter;font-weight:bold;'
        'font-size:26px;fill:#ffffff">TRẠM Y TẾ PHƯỜNG 7</text>'
        '<text x="1016" y="80" style="font-size:24px;text-anchor:end;fill:#ffffff">'
        'Cập nhật {{ date }}</text>'
        '<rect inkscape:label="title-box" x="64" y="140" width="952" height="160" fill="none"/>'
        '<text inkscape:label="title" x="64" y="200" style="font-family:Inter;font-weight:bold;'
        'font-size:52px;fill:#ffffff">Tiêm vắc-xin phòng sởi cho trẻ</text></g>'
        '<text inkscape:label="lead" x="64" y="440" style="font-size:27px;fill:#1f2933">'
        'Trẻ từ 1 đến 5 tuổi tiêm tại trạm y tế phường.</text>'
        '<g inkscape:label="footer">'
        '<rect y="960" width="1080" height="120" fill="#0b5394"/>'
        '<text inkscape:label="hotline-label" x="64" y="1010" style="font-size:28px;'
        'fill:#ffffff">Gọi ngay</text>'
        '<text inkscape:label="hotline" x="300" y="1010" style="font-size:40px;fill:#ffffff">'
        '1900 9095</text>'
        '<text inkscape:label="source" x="64" y="1050" style="font-size:20px;fill:#ffffff">'
        'Trạm Y tế Phường 7</text></g>'), encoding="utf-8")
    return drawing


def test_header_and_footer_bands_become_the_shared_page_header_and_footer(tmp_path):
    report = import_drawing(_chrome_drawing(tmp_path), tmp_path / "chrome")
    folder = tmp_path / "chrome"
    template = (folder / "template.svg.j2").read_text(encoding="utf-8")
    assert template.count("page_header(") == 1 and template.count("page_footer(") == 1
    assert ('page_header(issuer=issuer, date=("Cập nhật " ~ date if date else none), '
            'title=title, logo=data.logo, height=330, margin=64, title_height=160, '
            'stripe=true, compact=true)') in template
    assert ('page_footer(hotline=hotline, source=source, hotline_label="Gọi ngay", '
            'variant="band", margin=64)') in template
    assert "TRẠM Y TẾ" not in template and "<circle" not in template  # drawn by the helpers
    manifest = yaml.safe_load((folder / "layout.yaml").read_text(encoding="utf-8"))
    assert {"issuer", "date", "title", "logo", "lead", "hotline", "source"} == \
        set(manifest["fields"])
    assert "required" not in manifest["fields"]["logo"]
    assert {(m.layer, m.field) for m in report.matches} >= {("header", "page_header"),
                                                            ("footer", "page_footer")}
    assert not any("draws its band" in w for w in report.warnings)  # bands in the theme's colours
    data = {"issuer": "Trạm Y tế Phường 7", "date": "13/9/2021", "title": "Tiêm vắc-xin sởi",
            "lead": "Trẻ từ 1 đến 5 tuổi.", "hotline": "1900 9095", "source": "Trạm Y tế",
            "logo": "emblem-y-te.svg"}
    art = infographic.render(folder, data, size="square", strict=True)
    texts = {e.slot: e for e in art.fit_report}
    assert {"header_issuer", "header_date", "header_title", "footer_hotline",
            "footer_source", "lead"} <= set(texts)
    assert texts["footer_hotline"].line_texts[0].startswith("Gọi ngay: 1900 9095")
    boxes = {c.kind: c.box for c in art.fit_report.containers}
    assert boxes["header"] == (0, 0, 1080, 330)  # the designer's band height
    assert boxes["footer"][1] + boxes["footer"][3] == 1080
    assert [i.source for i in art.scene.images] == ["logo"]  # the emblem in the logo slot
    image = to_image(art).convert("RGB")
    from infographic.themes import load_theme
    palette = load_theme("health-blue").palette
    rgb = {k: tuple(int(palette[k][i:i + 2], 16) for i in (1, 3, 5))
           for k in ("primary", "accent")}
    assert image.getpixel((1070, 320)) == rgb["primary"]  # the band, to its drawn height
    assert image.getpixel((1070, 333)) == rgb["accent"]  # the accent stripe under it
    assert image.getpixel((1070, 345)) == (255, 255, 255)
    assert image.getpixel((1070, 1075)) == rgb["primary"]  # a dark footer: the band variant
    assert check_layout(folder).ok


def test_an_embedded_logo_in_the_header_is_the_layouts_own_logo(tmp_path):
    import base64
    import io

    buffer = io.BytesIO()
    Image.new("RGB", (96, 96), (200, 30, 30)).save(buffer, "PNG")
    uri = "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")
    drawing = _chrome_drawing(tmp_path)
    drawing.write_text(drawing.read_text(encoding="utf-8").replace(
        '<circle inkscape:label="logo" cx="100" cy="70" r="36" fill="#ffffff"/>',
        f'<image inkscape:label="logo" x="64" y="34" width="72" height="72" href="{uri}"/>'),
        encoding="utf-8")
    import_drawing(drawing, tmp_path / "own")
    folder = tmp_path / "own"
    assert (folder / "logo.png").is_file()
    assert 'logo=(data.logo or "logo.png")' in (folder / "template.svg.j2").read_text(
        encoding="utf-8")
    data = {k: v for k, v in _sample(folder).items() if k != "logo"}
    art = infographic.render(folder, {**data, "date": "13/9/2021"}, size="square")
    logo = next(i for i in art.scene.images if i.source == "logo")
    x, y, w, h = logo.box
    assert to_image(art).convert("RGB").getpixel((int(x + w / 2), int(y + h / 2))) == \
        (200, 30, 30)  # the drawing's own picture, where the header puts its logo


def test_a_band_drawn_in_another_colour_than_the_helper_draws_is_reported(tmp_path):
    drawing = _chrome_drawing(tmp_path)
    drawing.write_text(drawing.read_text(encoding="utf-8").replace(
        '<rect width="1080" height="330" fill="#0b5394"/>',
        '<rect width="1080" height="330" fill="#7a1f5c"/>'), encoding="utf-8")
    report = import_drawing(drawing, tmp_path / "plum")
    notes = [w for w in report.warnings if "draws its band" in w]
    assert len(notes) == 1 and '<g "header">' in notes[0] and "#7a1f5c" in notes[0] \
        and "primary (#0B5394 in health-blue)" in notes[0], report.warnings


def test_sizes_snap_to_the_type_scale_unless_kept(tmp_path):
    drawing = _chrome_drawing(tmp_path)
    import_drawing(drawing, tmp_path / "snapped")
    import_drawing(drawing, tmp_path / "kept", keep_sizes=True)
    snapped, kept = (yaml.safe_load((tmp_path / n / "layout.yaml").read_text(encoding="utf-8"))
                     ["slots"]["lead"] for n in ("snapped", "kept"))
    assert (snapped["size"], snapped["min_size"]) == ("sm", "sm")  # 27 is halfway: the smaller step
    assert kept["size"] == 27
    art = infographic.render(tmp_path / "snapped", _sample(tmp_path / "snapped"),
                             size="square")
    assert art.fit_report["lead"].max_size == 24
    # a box the importer measured lies on the 4-unit grid; the drawn boxes are kept
    template = (tmp_path / "snapped" / "template.svg.j2").read_text(encoding="utf-8")
    lead = template.split('text("lead", lead, ')[1].split(")")[0]
    numbers = [float(part.split("=")[1]) for part in lead.split(", ")[:4]]
    assert all(n % 4 == 0 for n in numbers), lead


# --- bad drawings ----------------------------------------------------------------------------

def _svg(body: str, w: int = 1080, h: int = 1080, head: str = "") -> str:
    return (f'{head}<svg xmlns="http://www.w3.org/2000/svg" '
            'xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape" '
            f'width="{w}" height="{h}" viewBox="0 0 {w} {h}">\n{body}\n</svg>\n')


def _import_error(tmp_path: Path, svg: str, error=LayoutError) -> str:
    drawing = tmp_path / "drawing.svg"
    drawing.write_text(svg, encoding="utf-8")
    with pytest.raises(error) as caught:
        import_drawing(drawing, tmp_path / "out")
    assert not (tmp_path / "out").exists()  # nothing half-written
    return str(caught.value)


def test_nothing_marked_lists_the_texts_and_how_to_name_one(tmp_path):
    message = _import_error(tmp_path, _svg(
        '<text x="64" y="200" style="font-size:40px">Phát huy hiệu quả</text>'))
    assert '"Phát huy hiệu quả"' in message and "title" in message and "{{ title }}" in message


@pytest.mark.parametrize("body, expected", [
    ('<text inkscape:label="tips.one.heading" x="64" y="200">Quán triệt</text>',
     ['<text "tips.one.heading">', "line 2", "tips.1.heading"]),
    ('<text id="title" x="1500" y="200" style="font-size:40px">Phát huy</text>',
     ['<text "title">', "outside the artboard"]),
    ('<rect id="title-box" x="64" y="100" width="0" height="200"/>'
     '<text id="title" x="64" y="200" style="font-size:40px">Phát huy</text>',
     ['<rect "title-box">', "no size"]),
    ('<text id="title" x="64" y="200" style="font-size:40px;fill:#000">Phát huy</text>'
     '<text id="title-2" x="64" y="600" style="font-size:20px;fill:#000">Phát huy</text>',
     ["marked twice with different styles", '<text "title-2">', "size 40 vs 20"]),
    ('<text x="64" y="200" style="font-size:40px">Cập nhật {{ Ngày }}</text>',
     ["{{ Ngày }}", "line 2"]),
    ('<g inkscape:label="header"><rect x="0" y="0" width="1080" height="200" fill="none"/>'
     '<text inkscape:label="issuer" x="64" y="80">UBND PHƯỜNG 7</text></g>',
     ['<g "header">', "line 2", "draw a rectangle in it"]),
])
def test_bad_marks_name_the_element_and_what_to_do(tmp_path, body, expected):
    message = _import_error(tmp_path, _svg(body))
    for part in expected:
        assert part in message, message


def test_what_the_renderer_cannot_draw_is_reported_and_editor_baggage_goes(tmp_path):
    drawing = tmp_path / "d.svg"
    drawing.write_text(_svg(
        '<metadata id="metadata7"><title>x</title></metadata>'
        '<style>@font-face { font-family: Brand; src: url(data:font/woff2;base64,AAAA) }</style>'
        '<defs><filter id="blur"><feGaussianBlur stdDeviation="4"/></filter></defs>'
        '<rect id="rect4211" width="1080" height="1080" fill="#fdf6e3"/>'
        '<rect id="shadow" x="64" y="500" width="400" height="200" filter="url(#blur)"/>'
        '<rect id="blend" x="500" y="500" width="300" height="200" '
        'style="mix-blend-mode:multiply;fill:#f1c232"/>'
        '<foreignObject id="html" x="0" y="0" width="100" height="100"><p>hi</p></foreignObject>'
        '<image id="remote" x="0" y="800" width="100" height="100" '
        'href="https://example.org/a.png"/>'
        '<g id="g12"></g>'
        '<g inkscape:label="Old layer" style="display:none"><text id="lead" x="64" y="400">'
        'Bản cũ</text></g>'
        '<defs><symbol id="badge"><text x="0" y="20">Huy hiệu</text></symbol></defs>'
        '<text id="title" x="64" y="200" style="font-size:40px">Phát huy</text>'), "utf-8")
    report = import_drawing(drawing, tmp_path / "out")
    warnings = "\n".join(report.warnings)
    for expected in ('<rect "shadow"> (d.svg line 2): its filter', "export that part as a PNG",
                     '<rect "blend">', "blend mode 'multiply'", '<foreignObject "html">',
                     "convert it to shapes", '<image "remote">', "https://example.org/a.png",
                     "embed it", "an embedded font", "bundled fonts",
                     "a text inside <symbol> is not imported"):
        assert expected in warnings, warnings
    template = (tmp_path / "out" / "template.svg.j2").read_text(encoding="utf-8")
    for gone in ("metadata", "foreignObject", "example.org", "rect4211", "g12", "@font-face",
                 "<style", "Bản cũ", "Huy hiệu", "<text"):
        assert gone not in template, gone
    assert "lead" not in yaml.safe_load((tmp_path / "out" / "layout.yaml").read_text(
        encoding="utf-8"))["fields"]  # only on a hidden layer
    assert 'filter="url(#d1-blur)"' in template and 'id="d1-blur"' in template
    infographic.render(tmp_path / "out")  # still renders, without the effects


def test_unknown_family_is_a_warning_naming_both(tmp_path):
    drawing = tmp_path / "d.svg"
    drawing.write_text(_svg('<text id="title" x="64" y="200" style="font-family:Comic Sans MS;'
                            'font-size:40px">Phát huy</text>'), encoding="utf-8")
    report = import_drawing(drawing, tmp_path / "out")
    assert any("'Comic Sans MS' is unknown: set in Noto Sans" in w and '<text "title">' in w
               for w in report.warnings)


def test_a_size_we_do_not_know(tmp_path):
    message = _import_error(tmp_path, _svg('<text id="title" x="64" y="200">Phát huy</text>',
                                           w=1000, h=300))
    assert "1000×300" in message and "square" in message and "a4" in message


def test_a_figma_frame_named_after_its_size(tmp_path):
    figma = (DRAWINGS / "figma-square.svg").read_text(encoding="utf-8")
    drawing = tmp_path / "Frame 12.svg"  # the file name says nothing; the frame's id does
    drawing.write_text(figma.replace('width="1080" height="1080" viewBox="0 0 1080 1080"',
                                     'width="1080" height="1350" viewBox="0 0 1080 1350"', 1)
                       .replace('<g id="square"', '<g id="portrait"'), encoding="utf-8")
    assert import_drawing(drawing, tmp_path / "out").sizes == ["portrait"]
    gradient = tmp_path / "g.svg"
    gradient.write_text(_svg('<text id="title" x="64" y="200" style="fill:url(#g);'
                             'font-size:40px">Phát huy</text>'), encoding="utf-8")
    report = import_drawing(gradient, tmp_path / "out2")
    assert any("is not a plain colour" in w and '<text "title">' in w for w in report.warnings)


def test_a_size_name_that_does_not_fit_the_artboard(tmp_path):
    drawing = tmp_path / "poster-square.svg"
    drawing.write_text(_svg('<text id="title" x="64" y="200">Phát huy</text>', w=1080,
                            h=1920), encoding="utf-8")
    with pytest.raises(LayoutError) as caught:
        import_drawing(drawing, tmp_path / "out")
    assert "named for size 'square' (1080×1080) but is 1080×1920" in str(caught.value)


def test_hostile_drawings_fail_safely(tmp_path):
    entity = ('<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa">'
              '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>')
    message = _import_error(tmp_path, _svg('<text id="title" x="9" y="90">&b;</text>',
                                           head=entity))
    assert "refused" in message
    external = ('<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>')
    assert "refused" in _import_error(tmp_path, _svg('<text id="title">&x;</text>',
                                                     head=external))
    with pytest.raises(LayoutError, match="not a regular file"):
        import_drawing("/dev/zero", tmp_path / "out")  # never read without end
    many = "<rect/>" * 1_000_000
    message = _import_error(tmp_path, _svg(many), error=LimitError)
    assert "200,000 elements" in message


def test_existing_folder_needs_force(tmp_path, capsys):
    drawing = DRAWINGS / "inkscape-flowroot.svg"
    out = tmp_path / "flow"
    assert main(["import", str(drawing), "-o", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "title" in printed and "infographic check" in printed
    before = (out / "template.svg.j2").read_bytes()
    assert main(["import", str(drawing), "-o", str(out)]) == 1
    assert "already exists" in capsys.readouterr().err
    assert main(["import", str(drawing), "-o", str(out), "--force"]) == 0
    assert (out / "template.svg.j2").read_bytes() == before
    capsys.readouterr()
    assert main(["import", str(DRAWINGS / "figma-square.svg"), "-o", str(tmp_path / "fig"),
                 "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["sizes"] == ["square"] and printed["pictures"] == ["logo.png"]
    assert {m["layer"] for m in printed["matches"]} >= {"title", "qr", "logo"}
    assert main(["new", "flow2", "--dir", str(tmp_path), "--from", str(drawing)]) == 0
    assert (tmp_path / "flow2" / "layout.yaml").is_file()


def test_user_text_in_a_drawing_is_never_template_code(tmp_path):
    drawing = tmp_path / "d.svg"
    drawing.write_text(_svg('<text x="64" y="100" style="font-size:30px">{% raw %} {{ 7*7 }}'
                            ' &lt;b&gt;</text><text id="title" x="64" y="300" '
                            'style="font-size:40px">Phát huy</text>'), encoding="utf-8")
    with pytest.raises(LayoutError):  # {{ 7*7 }} is not a field name: named, not run
        import_drawing(drawing, tmp_path / "out")
    drawing.write_text(_svg('<text x="64" y="100" style="font-size:30px">{% raw %} &lt;b&gt;'
                            '</text><text id="title" x="64" y="300" style="font-size:40px">'
                            'Phát huy</text>'), encoding="utf-8")
    import_drawing(drawing, tmp_path / "out")
    art = infographic.render(tmp_path / "out")
    assert "{% raw %} <b>" in [t.text for t in art.scene.texts][0]


# --- the preview round trip ----------------------------------------------------------------

@pytest.mark.slow  # a real browser
def test_preview_shows_the_drawing_again_after_each_save(tmp_path):
    """``infographic preview DRAWING.svg``: save the drawing (the header band turned green) and
    the page in Chromium shows the new import."""
    from conftest import require_tool, wait_for

    chromium = require_tool("chromium")
    sync_api = pytest.importorskip("playwright.sync_api")
    pytest.importorskip("starlette")
    from infographic.preview import PreviewServer, build_project
    from infographic.preview.drawings import DrawingSync

    drawing = tmp_path / "notice-square.svg"
    drawing.write_text((DRAWINGS / "inkscape-square.svg").read_text(encoding="utf-8"),
                       encoding="utf-8")
    data = tmp_path / "ward-7.yaml"
    data.write_text(yaml.safe_dump({"title": "Phát huy hiệu quả tuyên truyền", "lead": "Ngày "
                                    "13/9/2021", "date": "13/9/2021", "hotline": "1900 9095",
                                    "tips": SEED_TIPS}, allow_unicode=True), encoding="utf-8")
    sync = DrawingSync([drawing])
    sync.start()
    server = PreviewServer(build_project([str(sync.folder)], [str(data)]), port=0)
    server.start()
    try:
        with sync_api.sync_playwright() as driver:
            browser = driver.chromium.launch(executable_path=chromium, args=[
                "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"])
            tab = browser.new_page(viewport={"width": 1400, "height": 900})
            tab.goto(server.address(f"layout/{sync.folder.name}"))
            image = '.card[data-size="square"] .frame img'
            tab.wait_for_function(f"""() => {{ const i = document.querySelector('{image}');
                return i && i.complete && i.naturalWidth > 0; }}""", timeout=30000)
            before = tab.get_attribute(image, "src")
            assert _green_share(tab) < 0.01
            drawing.write_text(drawing.read_text(encoding="utf-8").replace(
                'fill="#0b5394"', 'fill="#00c853"', 1), encoding="utf-8")
            tab.wait_for_function("""([sel, before]) => { const i = document.querySelector(sel);
                return i && i.getAttribute('src') !== before && i.complete && i.naturalWidth > 0;
                }""", arg=[image, before], timeout=30000)
            wait_for(lambda: _green_share(tab) > 0.1, "the green band in the page", 30)
            assert sync.imports == 2 and sync.last_error is None
            browser.close()
    finally:
        server.stop()
        sync.stop()


def _green_share(tab) -> float:
    import io

    shot = tab.locator('.card[data-size="square"] .frame').screenshot()
    pixels = np.asarray(Image.open(io.BytesIO(shot)).convert("RGB"), dtype=np.int16)
    return float((np.abs(pixels - np.array((0, 200, 83))).max(axis=2) <= 30).mean())


def test_a_failed_reimport_keeps_the_last_good_layout(tmp_path):
    pytest.importorskip("watchfiles")
    from infographic.preview.drawings import DrawingSync, layout_name

    assert layout_name(Path("Áp phích Đường dây 1.svg")) == "ap-phich-duong-day-1"
    assert layout_name(Path("2021 notice.svg")) == "drawing-2021-notice"
    drawing = tmp_path / "notice-square.svg"
    good = (DRAWINGS / "inkscape-flowroot.svg").read_text(encoding="utf-8")
    drawing.write_text(good, encoding="utf-8")
    sync = DrawingSync([drawing])
    try:
        template = (sync.folder / "template.svg.j2").read_text(encoding="utf-8")
        drawing.write_text(good.replace('inkscape:label="title"', 'inkscape:label="tips.x.y"'),
                           encoding="utf-8")
        assert not sync.reimport()
        assert "tips.x.y" in sync.last_error and "line" in sync.last_error
        assert (sync.folder / "template.svg.j2").read_text(encoding="utf-8") == template
        drawing.write_text(good.replace("#0b5394", "#00c853"), encoding="utf-8")
        assert sync.reimport() and sync.last_error is None and sync.imports == 2
        assert "#00c853" in (sync.folder / "layout.yaml").read_text(encoding="utf-8")
    finally:
        sync.stop()
    assert not sync.folder.exists()  # its temporary folder goes with it


def test_drawing_colours_are_read_like_css():
    """Shorthand hex, rgb() in numbers or percentages and named colours become #rrggbb."""
    from infographic.authoring.importer.textslots import hex_colour

    assert hex_colour("#ABC") == "#aabbcc"
    assert hex_colour("rgb(11, 83, 148)") == "#0b5394"
    assert hex_colour("rgb(100%, 0%, 50%)") == "#ff007f"  # a percentage is of 255, not 0..100
    assert hex_colour("url(#gradient)") is None
