"""The design system on real renders: slot roles and their legible floors (``illegible``), type
and spacing steps, the shared header/footer/card helpers and the boxes they record."""

from __future__ import annotations

import numpy as np
import pytest

import infographic
from infographic.errors import FitError, LayoutError
from infographic.layout.design import ROLE_FLOORS, TYPE_STEPS

from conftest import ink_bbox, make_layout, to_array, to_image, ocr

WHITE = {"palette": {k: "#ffffff" for k in ("background", "surface", "secondary", "on_primary")}
         | {k: "#000000" for k in ("primary", "accent", "text", "muted", "positive", "negative")},
         "fonts": {r: {"family": "Noto Sans"} for r in ("heading", "body", "figures", "serif")}}
NOTICE = ("Người dân từ 18 tuổi trở lên đến trạm y tế phường để được tiêm mũi nhắc lại, "
          "mang theo căn cước công dân và sổ tiêm chủng.")


def role_layout(tmp_path, slot: dict, height: int = 300):
    body = ('<rect width="{{ canvas.width }}" height="{{ canvas.height }}" fill="#fff"/>'
            f'{{{{ text("body", title, x=100, y=100, width=600, height={height}) }}}}')
    return make_layout(tmp_path / "role", body, slots={"body": slot})


def test_text_squeezed_below_its_role_floor_is_illegible(tmp_path):
    """A body text that only fits at 18 units is reported illegible (a warning), not 'shrunk';
    under strict the render fails."""
    folder = role_layout(tmp_path, {"font": "body", "size": 40, "min_size": 14, "role": "body"},
                         height=70)
    art = infographic.render(folder, {"title": NOTICE}, size="800x600", theme=WHITE)
    entry = art.fit_report["body"]
    assert entry.size < ROLE_FLOORS["body"]
    assert (entry.status, entry.role, entry.floor) == ("illegible", "body", 24)
    assert art.fit_report.worst == "illegible" and not art.fit_report.ok
    assert any("illegible" in w and "24-unit floor" in w for w in art.fit_report.warnings)
    with pytest.raises(FitError, match="illegible"):
        infographic.render(folder, {"title": NOTICE}, size="800x600", theme=WHITE, strict=True)


def test_illegible_on_paper_says_the_size_in_points(tmp_path):
    folder = role_layout(tmp_path, {"font": "body", "size": 40, "min_size": 14, "role": "body"},
                         height=70)
    entry = infographic.render(folder, {"title": NOTICE}, size="a4", theme=WHITE).fit_report["body"]
    # A4 is 210 mm across 1080 units: the body floor, 12 pt, is 21.8 units
    assert entry.status == "illegible" and "floor 12.0 pt" in entry.message, entry.message
    assert entry.floor == pytest.approx(12 * 25.4 / 72 * 1080 / 210, abs=0.01)


def test_paper_floors_are_points_on_every_sheet(tmp_path):
    """The same text squeezed to the same canvas size: 10.7 pt on A4 is illegible, 15 pt on A3 is
    not; on A5 a body text at the 24-unit screen floor is only 9.3 pt, and illegible."""
    folder = role_layout(tmp_path, {"font": "body", "size": 40, "min_size": 14, "role": "body"},
                         height=70)
    a4, a3 = (infographic.render(folder, {"title": NOTICE}, size=s, theme=WHITE).fit_report["body"]
              for s in ("a4", "a3"))
    assert a4.size == a3.size < ROLE_FLOORS["body"]
    assert (a4.status, a3.status) == ("illegible", "shrunk")
    assert a3.floor == pytest.approx(12 * 25.4 / 72 * 1080 / 297, abs=0.01)
    roomy = role_layout(tmp_path / "roomy", {"font": "body", "size": 24, "role": "body"})
    a5 = infographic.render(roomy, {"title": NOTICE}, size="a5", theme=WHITE).fit_report["body"]
    assert a5.size == 24 and a5.status == "illegible" and "floor 12.0 pt" in a5.message


def test_text_above_its_floor_shrinks_as_before(tmp_path):
    folder = role_layout(tmp_path, {"font": "body", "size": 40, "min_size": 14, "role": "body"},
                         height=150)
    entry = infographic.render(folder, {"title": NOTICE}, size="800x600",
                               theme=WHITE).fit_report["body"]
    assert entry.status == "shrunk" and entry.size >= 24


def test_slot_sizes_as_type_steps_and_floor(tmp_path):
    """``size: md`` is the 30-unit step; ``min_size: floor`` stops shrinking at the role's floor,
    so the text fails with the clear error instead of going illegible."""
    folder = role_layout(tmp_path, {"font": "body", "size": "md", "min_size": "floor",
                                    "role": "body"}, height=300)
    entry = infographic.render(folder, {"title": "Tiêm vắc-xin"}, size="800x600",
                               theme=WHITE).fit_report["body"]
    assert entry.size == TYPE_STEPS["md"] == 30
    short = role_layout(tmp_path / "short", {"font": "body", "size": "md", "min_size": "floor",
                                             "role": "body"}, height=40)
    with pytest.raises(FitError, match="does not fit"):
        infographic.render(short, {"title": NOTICE}, size="800x600", theme=WHITE)


@pytest.mark.parametrize("slot, message", [
    ({"size": 30, "role": "headline"}, "unknown role 'headline'"),
    ({"size": "huge", "role": "body"}, "unknown type step 'huge'"),
    ({"size": 30, "min_size": "floor"}, "'floor' needs the slot to declare a role"),
])
def test_bad_roles_and_steps_are_clear_errors(tmp_path, slot, message):
    folder = role_layout(tmp_path, slot)
    with pytest.raises(LayoutError, match=message):
        infographic.render(folder, {"title": "Tiêm"}, size="800x600", theme=WHITE)


def test_type_and_space_scales_in_templates(tmp_path):
    body = ('<rect width="{{ canvas.width }}" height="{{ canvas.height }}" fill="#fff"/>'
            '<rect x="{{ space(10) }}" y="{{ space.x3 }}" width="{{ type_scale.xl }}" '
            'height="{{ type_scale.snap(50) }}" fill="#000"/>')
    folder = make_layout(tmp_path / "scales", body)
    left, top, right, bottom = ink_bbox(to_array(infographic.render(folder, size="800x600")))
    assert (left, top, right - left, bottom - top) == (40, 64, 56, 40)


def test_type_scale_neighbours_and_ladders_of_text_and_heading_pairs(tmp_path):
    """up/down step through the scale (by name or size, stopping at its ends); pairs() is the
    (text, heading) ladder a fit search tries, largest first; a template gets the same lists."""
    from infographic.layout.design import TYPE_SCALE as T
    assert (T.up("md"), T.up(30), T.down("md"), T.up("hero"), T.down(20)) == (40, 40, 24, 112, 20)
    with pytest.raises(ValueError, match="not a type step"):
        T.up(33)
    assert T.pairs("xl", "sm") == [(56, 56), (40, 56), (40, 40), (30, 40), (30, 30), (24, 30),
                                   (24, 24)]
    assert T.pairs("lg", "sm", top="xl")[:2] == [(40, 56), (40, 40)]
    assert T.pairs("hero", "lg", heading="same") == [(112, 112), (80, 80), (56, 56), (40, 40)]
    assert T.pairs("xxl", "lg", heading="up") == [(80, 112), (56, 80), (40, 56)]
    body = ('<rect width="{{ canvas.width }}" height="{{ canvas.height }}" fill="#fff"/>'
            '{% for t, h in type_scale.pairs("md", 24) %}<rect x="{{ loop.index0 * 100 }}" '
            'y="0" width="{{ t }}" height="{{ h }}" fill="#000"/>{% endfor %}'
            '<rect x="0" y="100" width="{{ type_scale.down("xl") }}" height="8" fill="#000"/>')
    pixels = to_array(infographic.render(make_layout(tmp_path / "ladder", body), size="800x600"))
    drawn = [ink_bbox(pixels[:90, x:x + 100]) for x in (0, 100, 200)]
    assert [(r - l, b - t) for l, t, r, b in drawn] == [(30, 30), (24, 30), (24, 24)]
    left, top, right, bottom = ink_bbox(pixels[90:])
    assert right - left == 40


def chrome_layout(tmp_path, variant="band"):
    body = """
{% set W, H = canvas.width, canvas.height %}
<rect width="{{ W }}" height="{{ H }}" fill="{{ theme.background }}"/>
{% set head = page_header(issuer=issuer, date=day, title=title if variant == "band" else none,
                     logo=logo, motto=motto, variant=variant) %}{{ head }}
{% set foot = page_footer(hotline=hotline, source=source) %}{{ foot }}
{% call card(64, head.bottom + space.xl, W - 128, foot.top - head.bottom - 2 * space.xl, accent="primary") %}
{{ text("body", body, x=64 + space.xl, y=head.bottom + 2 * space.xl, width=W - 128 - 2 * space.xl, height=300) }}
{% endcall %}
<rect id="marks" x="0" y="{{ head.bottom }}" width="2" height="{{ foot.top - head.bottom }}" fill="#ff00ff"/>
"""
    body = body.replace("variant == \"band\"", f"'{variant}' == 'band'")
    body = body.replace("variant=variant", f"variant='{variant}'")
    fields = {name: {"type": "text"} for name in ("issuer", "day", "title", "logo", "motto",
                                                   "hotline", "source", "body")}
    return make_layout(tmp_path / f"chrome-{variant}", body, fields=fields, slots={
        "body": {"font": "body", "size": 30, "min_size": 24, "role": "body",
                 "background": "surface"}})


DATA = {"issuer": "Trạm Y tế phường Bến Nghé", "day": "Ngày 13/9/2021",
        "title": "Tiêm vắc-xin đầy đủ để bảo vệ cộng đồng", "logo": "emblem-y-te.svg",
        "hotline": "1900 9095", "source": "Bộ Y tế", "body": NOTICE,
        "motto": "Cộng hòa xã hội chủ nghĩa Việt Nam"}


@pytest.mark.parametrize("size", ["square", "landscape", "a4"])
def test_header_and_footer_record_their_boxes_and_hold_their_texts(tmp_path, size):
    art = infographic.render(chrome_layout(tmp_path), DATA, size=size)
    report = art.fit_report
    boxes = {c.name: c.box for c in report.containers}
    assert set(boxes) == {"header", "footer", "card"}
    hx, hy, hw, hh = boxes["header"]
    fx, fy, fw, fh = boxes["footer"]
    assert hy == 0 and abs(fy + fh - art.size.canvas_height) < 0.01
    for entry in report:
        assert entry.drawn and entry.ink, entry.slot
        cx, cy, cw, ch = boxes["header" if entry.slot.startswith("header") else
                               "footer" if entry.slot.startswith("footer") else "card"]
        for x, y, w, h in entry.ink:  # every line's ink inside its band or card
            assert cx <= x and x + w <= cx + cw and cy <= y and y + h <= cy + ch, entry.slot
    assert report["body"].container == "card"
    assert {e.role for e in report} == {"label", "caption", "title", "body"}
    assert report.ok, report.format()
    # the logo is drawn: the emblem's green cross shows in the header band
    pixels = to_array(art)
    scale = art.size.scale
    band = pixels[: int(hh * scale), : int((hx + 64 + 110) * scale)]
    green = (band[..., 1] > 130) & (band[..., 0] < 60) & (band[..., 2] < 120)
    assert green.sum() > 100 * scale * scale


def test_a_long_issuer_beside_a_logo_in_a_narrow_panel_goes_under_it(tmp_path):
    """A 60-character issuing body that needs four lines beside the logo in a 480-unit side
    panel is set under the logo, across the panel, instead of failing; beside it when it fits."""
    body = """
{% set head = page_header(issuer=issuer, date=day, title=title, logo=logo, width=480,
                          height=canvas.height - 100, stripe=false) %}{{ head }}"""
    fields = {name: {"type": "text"} for name in ("issuer", "day", "title", "logo")}
    folder = make_layout(tmp_path / "panel", body, fields=fields,
                         slots={"body": {"font": "body", "size": 30, "role": "body"}})
    short = {k: DATA[k] for k in ("issuer", "day", "title", "logo")}
    long_issuer = "0243.823.4567 1900-9095 20/09/2021 70-CV/BTG NGHIÊNG KHUYẾN0"
    report = infographic.render(folder, {**short, "issuer": long_issuer},
                                size="landscape").fit_report
    issuer, day = report["header_issuer"], report["header_date"]
    logo_bottom = 28 + 72  # the panel's top padding and the landscape logo
    assert issuer.box[0] == 48 and issuer.box[2] == 480 - 2 * 48  # across the panel
    assert min(y for _, y, _, _ in issuer.ink) > logo_bottom
    assert day.box[1] >= issuer.content_box[1] + issuer.content_box[3]
    assert report.ok, report.format()
    beside = infographic.render(folder, short, size="landscape").fit_report["header_issuer"]
    assert beside.box[0] == 48 + 72 + 24  # the short issuer stays beside the logo


@pytest.mark.slow  # OCR
def test_header_and_footer_text_reads_back(tmp_path):
    image = to_image(infographic.render(chrome_layout(tmp_path), DATA, size="square"))
    text = ocr(image)
    for expected in ("TRẠM Y TẾ PHƯỜNG BẾN NGHÉ", "Đường dây nóng: 1900 9095", "Nguồn: Bộ Y tế"):
        assert expected in text, text


def test_notice_variant_puts_motto_and_date_on_the_right(tmp_path):
    art = infographic.render(chrome_layout(tmp_path, "notice"), {**DATA, "logo": ""},
                             size="portrait")
    entries = [e for e in art.fit_report if e.slot.startswith("header")]
    right = [e for e in entries if e.ink[0][0] > art.size.canvas_width / 2]
    assert len(entries) == 3 and len(right) == 2  # motto and date on the right, issuer left


def test_compact_header_and_footer_leave_the_content_more_room(tmp_path):
    """``compact=True``: the date beside the issuing body, the title a step smaller, hotline and
    source side by side in two columns; ``measure=True`` gives the full furniture's geometry and
    records nothing."""
    body = """
<rect width="{{ canvas.width }}" height="{{ canvas.height }}" fill="{{ theme.background }}"/>
{% set full = page_header(issuer=issuer, date=day, title=title, logo=logo, measure=true) %}
{% set full_foot = page_footer(hotline=hotline, source=source, measure=true) %}
{% set head = page_header(issuer=issuer, date=day, title=title, logo=logo, compact=true) %}{{ head }}
{% set foot = page_footer(hotline=hotline, source=source, compact=true) %}{{ foot }}
<desc id="out">{{ full.bottom }}|{{ head.bottom }}|{{ full_foot.top }}|{{ foot.top }}</desc>
"""
    fields = {name: {"type": "text"} for name in ("issuer", "day", "title", "logo", "hotline",
                                                   "source")}
    folder = make_layout(tmp_path / "compact", body, fields=fields, slots={})
    source = ("Trung tâm Kiểm soát Bệnh tật TP. Hồ Chí Minh (HCDC) và Trạm Y tế phường "
              "Bến Nghé, Quận 1 và UBND phường")  # two lines at full width
    data = {k: v for k, v in DATA.items() if k in fields}
    art = infographic.render(folder, {**data, "source": source}, size="square")
    full_bottom, head_bottom, full_top, foot_top = (
        float(v) for v in art.svg.split('<desc id="out">')[1].split("<")[0].split("|"))
    assert head_bottom < full_bottom - 60 and foot_top > full_top + 20
    report = art.fit_report
    assert [c.name for c in report.containers] == ["header", "footer"]  # the trials left nothing
    entries = {e.slot: e for e in report}
    assert set(entries) == {"header_issuer", "header_date", "header_title", "footer_hotline",
                            "footer_source"} and all(e.drawn for e in report)

    def span(entry):
        return (min(y for _, y, _, _ in entry.ink), max(y + h for _, y, _, h in entry.ink),
                min(x for x, _, _, _ in entry.ink), max(x + w for x, _, w, _ in entry.ink))
    issuer, day = span(entries["header_issuer"]), span(entries["header_date"])
    assert day[0] < issuer[1] and issuer[0] < day[1] and day[2] > issuer[3]  # one row
    hotline, src = span(entries["footer_hotline"]), span(entries["footer_source"])
    assert src[0] < hotline[1] and hotline[0] < src[1] and src[2] > hotline[3]  # side by side
    assert entries["footer_source"].lines == 2 and entries["header_title"].size == 40
    assert report.ok, report.format()


def test_compact_header_with_only_logo_and_title_sets_them_side_by_side(tmp_path):
    body = """
<rect width="{{ canvas.width }}" height="{{ canvas.height }}" fill="{{ theme.background }}"/>
{% set head = page_header(title=title, logo=logo, compact=true) %}{{ head }}
<desc id="out">{{ head.bottom }}</desc>
"""
    fields = {"title": {"type": "text"}, "logo": {"type": "text"}}
    folder = make_layout(tmp_path / "beside", body, fields=fields, slots={})
    art = infographic.render(folder, {"title": DATA["title"], "logo": "emblem-y-te.svg"},
                             size="landscape")
    title = art.fit_report["header_title"]
    left = min(x for x, _, _, _ in title.ink)
    top = min(y for _, y, _, _ in title.ink)
    assert left > 48 + 72 + 16 and top < 28 + 72  # beside the logo, not below it
    assert float(art.svg.split('<desc id="out">')[1].split("<")[0]) < 28 + 2 * 72


def test_footer_without_content_draws_nothing(tmp_path):
    art = infographic.render(chrome_layout(tmp_path), {**DATA, "hotline": "", "source": ""},
                             size="square")
    assert "footer" not in {c.name for c in art.fit_report.containers}
    pixels = to_array(art)
    assert np.abs(pixels[-10:, 10:] - pixels[-10:, 10:11]).max() < 10  # page background only


def test_texts_belong_to_the_helper_or_call_block_that_drew_them(tmp_path):
    art = infographic.render(chrome_layout(tmp_path), DATA, size="square")
    owners = {e.slot: e.container for e in art.fit_report}
    assert owners == {"header_issuer": "header", "header_date": "header",
                      "header_title": "header", "footer_hotline": "footer",
                      "footer_source": "footer", "body": "card"}


def test_batch_marks_illegible_rows_red(tmp_path):
    """A row whose text had to go under its floor is flagged in the batch report, the HTML
    contact sheet (red card, 'illegible' badge) and the PNG contact sheet (red frame)."""
    import json

    from PIL import Image

    from batch_support import batch, write_csv

    folder = role_layout(tmp_path, {"font": "body", "size": 40, "min_size": 12, "role": "body"},
                         height=90)
    data = write_csv(tmp_path / "rows.csv", [{"title": "Rửa tay"}, {"title": NOTICE}])
    out = tmp_path / "out"
    assert batch(str(folder), str(data), "-o", str(out), "--size", "800x600", "-j", "1", "-q",
                 "--contact-png") == 4  # rendered, with fit warnings
    report = json.loads((out / "batch-report.json").read_text(encoding="utf-8"))
    assert [o["fit"] for o in report["outcomes"]] == ["fit", "illegible"]
    page = (out / "index.html").read_text(encoding="utf-8")
    assert page.count("class='card warn'") == 1 and "badge illegible" in page
    with Image.open(next((out / "_review").glob("contact-sheet-*.png"))) as sheet:
        rgb = sheet.convert("RGB")  # tiles 240 wide on a 250 pitch, a frame 3 px outside
        red = [sum(1 for p in rgb.crop(box).tobytes().hex(" ", 3).split() if p == "d93025")
               for box in ((0, 0, 250, rgb.height), (254, 0, 506, rgb.height))]
    assert red[0] == 0 and red[1] > 500, red
