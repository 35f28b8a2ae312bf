"""The message layouts (prevention-tips, hotline-qr, step-guide, photo-card, myth-fact, schedule):
every preset with example data and with the longest text the manifests accept, re-flow, the
title read back by OCR, alt text."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from PIL import ImageOps

import infographic
from infographic.datafile import load_data_file
from infographic.layout.manifest import load_layout

from conftest import EXAMPLES, cer, ocr, to_image, warnings_besides_soft_photos

LAYOUTS = ["prevention-tips", "hotline-qr", "step-guide", "photo-card", "myth-fact", "schedule"]
PRESETS = ["square", "portrait", "story", "landscape", "a4", "a3"]


def title_entry(report):
    """The headline's fit entry: a layout's own ``title`` slot or the shared header's."""
    return next(e for e in report if e.slot in ("title", "header_title"))


def example(name: str) -> dict:
    return load_data_file(EXAMPLES / f"{name}.yaml")


def chars(base: str, n: int) -> str:
    """``base`` repeated and cut to exactly ``n`` characters (no trailing space)."""
    text = (base + " ") * (n // len(base) + 2)
    text = text[:n]
    return text[:-1] + "a" if text.endswith(" ") else text


TITLE_90 = chars("Hướng dẫn người dân thực hiện cách ly y tế tại nhà an toàn, đúng quy định", 90)
WARD_40 = "Phường Nguyễn Cư Trinh Thành phố Thủ Đức"
TIP_120 = chars("Rửa tay thường xuyên bằng xà phòng hoặc dung dịch sát khuẩn tay, vệ sinh các bề "
                "mặt hay tiếp xúc như tay nắm cửa", 120)
assert len(TITLE_90) == 90 and len(WARD_40) == 40 and len(TIP_120) == 120


#: Sizes where every field at its maximum at once cannot be set at the legible floors (24 canvas
#: units for body text): the layout adapts as far as it can, then refuses with a clear FitError.
REFUSES_LONGEST = {("hotline-qr", "square")} | {
    ("schedule", size) for size in ("square",)} | {
    ("step-guide", "square")}


def longest(name: str) -> dict:
    """Every field of ``name`` at its maximum length and item count."""
    if name == "prevention-tips":
        icons = ["mask", "hand-wash", "distance", "no-gathering", "health-declaration",
                 "vaccine"]
        return {"kicker": chars("Thông điệp 5K của Bộ Y tế", 40), "title": TITLE_90,
                "lead": chars("Người dân chủ động thực hiện các biện pháp phòng bệnh", 160),
                "tips": [{"heading": chars("Không tập trung đông người", 30), "text": TIP_120[:100],
                          "icon": icon} for icon in icons],
                "footer": chars("Bộ Y tế · Đường dây nóng 1900 9095", 120)}
    if name == "hotline-qr":
        return {"kicker": chars("Đường dây nóng hỗ trợ", 40), "title": TITLE_90,
                "hotline_label": chars("Đường dây nóng Trung tâm Y tế quận", 50),
                "hotline": "0243 823 4567 ext 12",
                "contacts": [{"label": chars("Trạm Y tế " + WARD_40, 32),
                              "number": "0243 715 2233 ext 99"} for _ in range(3)],
                "qr": "https://tokhaiyte.vn/?" + "x" * 128,
                "qr_caption": chars("Quét mã QR để khai báo y tế điện tử", 80),
                "footer": chars("Trung tâm Y tế quận Ba Đình · Tiếp nhận thông tin 24/7", 120)}
    if name == "step-guide":
        return {"badge": "F0F1", "kicker": chars("Hướng dẫn của Bộ Y tế", 40),
                "title": TITLE_90, "intro": chars("Người nhiễm và người tiếp xúc gần", 180),
                "steps": [{"heading": chars("Báo ngay cho trạm y tế phường", 40),
                           "text": TIP_120[:100]} for _ in range(6)],
                "note": chars("Khi khó thở, SpO2 dưới 96% hoặc sốt cao không hạ: gọi 115", 120),
                "footer": chars("Bộ Y tế · Đường dây nóng 1900 9095", 120)}
    if name == "photo-card":
        return {"photo": "sample-photo.jpg", "logo": "sample-photo.jpg",
                "kicker": chars("Chung tay phòng dịch", 40), "title": TITLE_90,
                "message": chars("Chủ động thực hiện Thông điệp 5K, tiêm vắc-xin đầy đủ", 160),
                "sender": chars("Trạm Y tế " + WARD_40, 80), "focus_x": 0, "focus_y": 1}
    if name == "myth-fact":
        return {"kicker": chars("Thông tin cần biết", 40), "title": TITLE_90,
                "pairs": [{"myth": TIP_120[:100], "fact": TIP_120} for _ in range(3)],
                "myth_label": chars("Lầm tưởng phổ biến", 20),
                "fact_label": chars("Sự thật khoa học", 20),
                "source": chars("Nguồn: Bộ Y tế, Tổ chức Y tế Thế giới", 120)}
    if name == "schedule":
        day = dt.date(2021, 9, 20)
        return {"kicker": chars("Lịch tiêm chủng", 40), "title": TITLE_90,
                "intro": chars("Người dân mang theo căn cước công dân và giấy mời", 180),
                "headings": [chars("Phường, xã nơi tổ chức tiêm", 16), "Địa điểm tiêm", "Ngày tiêm",
                             "Khung giờ", chars("Đối tượng được tiêm", 16)],
                "sessions": [{"ward": WARD_40[:30], "place": chars("Trạm Y tế " + WARD_40, 40),
                              "date": day + dt.timedelta(days=i), "time": "13:30–17:00 (chiều)",
                              "note": chars("Mũi 2 vắc-xin AstraZeneca", 24)}
                             for i in range(6)],
                "footer": chars("Đường dây nóng Trung tâm Y tế quận: 0243 823 4567", 120)}
    raise KeyError(name)


def fewest(name: str) -> dict:
    """Only what is required, at the fewest items."""
    layout = load_layout(name)
    data = {}
    for field, spec in layout.fields.items():
        if spec.required:
            sample = spec.sample
            if spec.type == "table" and spec.min_items:
                sample = (sample * spec.min_items)[:spec.min_items]
            data[field] = sample
    return data


@pytest.mark.parametrize("name", LAYOUTS)
def test_manifest_fields_have_labels_samples_and_limits(name):
    layout = load_layout(name)
    assert layout.title and layout.description
    assert "title" in layout.fields and layout.fields["title"].max_length == 90
    assert set(layout.sizes) == set(PRESETS)
    for field, spec in layout.fields.items():
        assert spec.label, f"{name}.{field} has no label"
        if spec.type in ("text", "list", "url"):
            assert spec.max_length, f"{name}.{field} has no max_length"
        for column in spec.columns:
            assert column.label and (column.type != "text" or column.max_length)


@pytest.mark.parametrize("name", LAYOUTS)
@pytest.mark.parametrize("size", PRESETS)
@pytest.mark.parametrize("data_kind", ["example", "sample", "longest", "fewest"])
def test_renders_at_every_preset_without_truncation(name, size, data_kind):
    data = {"example": example, "sample": lambda n: None,
            "longest": longest, "fewest": fewest}[data_kind](name)
    if data_kind == "longest" and (name, size) in REFUSES_LONGEST:
        with pytest.raises(infographic.FitError) as caught:
            infographic.render(name, data, size=size, assets=[EXAMPLES])
        assert f"layout '{name}'" in str(caught.value) and size in str(caught.value)
        return
    art = infographic.render(name, data, size=size, assets=[EXAMPLES])
    report = art.fit_report
    assert report.worst in ("fit", "shrunk"), report.format()
    assert report.ok, report.format()
    # no contrast, QR or print preflight warnings (a sample photo may print under 300 dpi on paper)
    assert not warnings_besides_soft_photos(report), report.format()
    # Every text block lies inside the canvas.
    width, height = art.size.canvas_width, art.size.canvas_height
    for entry in report:
        x, y, w, h = entry.box
        assert -0.5 <= x and x + w <= width + 0.5, (entry.slot, entry.box)
        assert -0.5 <= y and y + entry.content_height <= height + 0.5, (entry.slot, entry.box)


@pytest.mark.parametrize("name", LAYOUTS)
def test_layout_reflows_rather_than_stretches(name):
    """The title box changes shape with the canvas: it is not one design scaled."""
    data = example(name)
    boxes = {size: title_entry(infographic.render(name, data, size=size, assets=[EXAMPLES])
             .fit_report).box for size in ("square", "story", "landscape")}
    ratios = {size: box[2] / max(box[3], 1) for size, box in boxes.items()}
    assert len({round(r, 1) for r in ratios.values()}) == 3, ratios
    # Story puts its title higher up the (taller) canvas than the square does, relatively; the
    # photo card keeps its message low, under the picture's subject, by design.
    assert boxes["landscape"][2] <= 1200
    assert boxes["story"][1] < 1920 * (0.7 if name == "photo-card" else 0.6)


def _title_crop(art):
    """The title's box, cut out of a full-size raster, as dark text on light for tesseract."""
    image = to_image(art)
    entry = title_entry(art.fit_report)
    scale = art.width / art.size.canvas_width
    x, y, w, _ = entry.box
    top = entry.box[1]
    crop = image.crop((int(x * scale) - 10, int(top * scale) - 10,
                       int((x + w) * scale) + 10, int((top + entry.content_height) * scale) + 14))
    gray = ImageOps.grayscale(crop)
    if np.asarray(gray).mean() < 128:  # light text on a dark band or photo
        gray = ImageOps.invert(gray)
    return ImageOps.autocontrast(gray)


@pytest.mark.slow  # OCR
@pytest.mark.parametrize("name", LAYOUTS)
@pytest.mark.parametrize("size", ["square", "landscape"])
def test_ocr_reads_the_title_back(name, size):
    data = example(name)
    art = infographic.render(name, data, size=size, assets=[EXAMPLES])
    text = ocr(_title_crop(art))
    assert cer(data["title"], text) < 0.08, text


@pytest.mark.parametrize("name", LAYOUTS)
def test_alt_text_carries_the_message(name):
    data = example(name)
    alt = infographic.render(name, data, size="square", assets=[EXAMPLES]).alt_text
    assert alt.startswith(data["title"]) or data["title"] in alt.splitlines()[0]
    expected = {
        "prevention-tips": lambda: [t["heading"] for t in data["tips"]] + [data["tips"][0]["text"]],
        "hotline-qr": lambda: [data["hotline"], data["qr"], data["contacts"][0]["number"]],
        "step-guide": lambda: [s["text"] for s in data["steps"]] + [data["note"]],
        "photo-card": lambda: [data["message"], data["sender"], data["photo_description"]],
        "myth-fact": lambda: [p["fact"] for p in data["pairs"]] + [data["source"]],
        "schedule": lambda: [s["ward"] for s in data["sessions"]] + ["Thứ Hai 20/9/2021"],
    }[name]()
    for piece in expected:
        assert piece in alt, (piece, alt)


def test_prevention_tips_grid_shares_one_type_size_and_uses_icons():
    data = example("prevention-tips")
    art = infographic.render("prevention-tips", data, size="square")
    sizes = {e.size for e in art.fit_report if e.slot.split("#")[0] == "tip"}
    assert len(sizes) == 1
    drawn = [f'data-icon="{tip["icon"]}"' for tip in data["tips"]]
    assert all(marker in art.svg for marker in drawn)
    assert 'data-slot="number' not in art.svg  # icons replace the numbers when named


def test_prevention_tips_without_icons_numbers_its_cards():
    data = example("prevention-tips")
    for tip in data["tips"]:
        tip.pop("icon", None)
    art = infographic.render("prevention-tips", data, size="portrait")
    numbers = [e for e in art.fit_report if e.slot.split("#")[0] == "number"]
    assert len(numbers) == len(data["tips"])


def test_schedule_rows_follow_the_data_order_and_drop_empty_columns():
    data = example("schedule")
    for session in data["sessions"]:
        session.pop("note")
    art = infographic.render("schedule", data, size="square")
    wards = [e for e in art.fit_report if e.slot.split("#")[0] == "ward"]
    assert len(wards) == len(data["sessions"])
    assert [w.box[1] for w in wards] == sorted(w.box[1] for w in wards)
    headers = [e for e in art.fit_report if e.slot.split("#")[0] == "th"]
    assert len(headers) == 4  # ward, place, day, time: no empty note column


def test_hotline_qr_code_is_large_enough_to_scan_at_every_size():
    """The QR block warns when modules get too small for a phone (4 px on screen, 0.4 mm on
    paper); at no size does the poster squeeze its code below that."""
    for size in PRESETS:
        art = infographic.render("hotline-qr", example("hotline-qr"), size=size)
        assert not [w for w in art.fit_report.warnings if "qr" in w.lower()], size


@pytest.mark.parametrize(("name", "slot", "count"), [("myth-fact", "myth", 3),
                                                     ("schedule", "ward", 6),
                                                     ("step-guide", "number", 6)])
def test_landscape_shows_the_items_that_fit_and_counts_the_rest(name, slot, count):
    """A link preview keeps its type legible: the items that do not fit are counted, not squeezed."""
    art = infographic.render(name, longest(name), size="landscape")
    shown = [e for e in art.fit_report if e.slot.split("#")[0] == slot]
    more = art.fit_report["more"]
    assert 1 <= len(shown) < count
    assert min(e.size for e in art.fit_report) >= 20
    assert more.size >= 24 and more.lines == 1


@pytest.mark.parametrize("size", ["square", "portrait", "a4"])
def test_announcement_body_is_justified_without_rivers(announcement_data, size):
    """Every body line but a paragraph's last reaches the right edge (its spaces widened by at
    most 0.3 em), and none starts with a space: lines are filled, not left short and opened."""
    art = infographic.render("announcement", announcement_data, size=size)
    body = art.fit_report["body"]
    x, _, width, _ = body.box
    paragraphs = [" ".join(p.split()) for p in announcement_data["body"]]
    index, seen = 0, ""
    for text, (ink_x, _, ink_w, _) in zip(body.line_texts, body.ink):
        seen = f"{seen} {text.strip()}".strip()
        last = seen == paragraphs[index]
        assert ink_x - x < 0.2 * body.size, f"{size}: {text!r} starts indented"
        if last:
            index, seen = index + 1, ""
        else:
            assert x + width - (ink_x + ink_w) < 0.25 * body.size, \
                f"{size}: {text!r} stops short of the right edge"
    assert index == len(paragraphs)
