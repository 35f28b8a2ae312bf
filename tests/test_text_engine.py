"""The text engine on real output: shaping, wrapping, fitting, alignment, pixels."""

from __future__ import annotations

import unicodedata

import numpy as np
import pytest

import infographic
from infographic.errors import FitError
from infographic.text.fit import TextStyle, fit_text
from infographic.text.fonts import default_registry
from infographic.text.normalize import clean_text
from infographic.text.shaping import shape_line

from conftest import ink_bbox, make_layout, to_array

REGISTRY = default_registry()
WHITE = {"palette": {k: "#ffffff" for k in ("background", "surface", "secondary", "on_primary")}
         | {k: "#000000" for k in ("primary", "accent", "text", "muted", "positive", "negative")},
         "fonts": {r: {"family": "Noto Sans"} for r in ("heading", "body", "figures", "serif")}}
SEED_TITLE = ("Phát huy hiệu quả các hình thức tuyên truyền phòng, chống dịch Covid-19 "
              "trên địa bàn quận")
SEED_PARAGRAPH = ("Triển khai đồng bộ các biện pháp thông tin, tuyên truyền đến cán bộ, đảng viên, "
                  "đoàn viên, hội viên và các tầng lớp nhân dân qua hệ thống nhóm zalo cơ sở, "
                  "fanpage, infographic, loa phát thanh, tuyên truyền lưu động.")


def box_layout(tmp_path, style: dict, box=(100, 100, 600, 300), name="box"):
    x, y, w, h = box
    body = (f'<rect width="{{{{ canvas.width }}}}" height="{{{{ canvas.height }}}}" fill="#fff"/>'
            f'{{{{ text("title", title, x={x}, y={y}, width={w}, height={h}) }}}}')
    return make_layout(tmp_path / name, body, slots={"title": style},
                       fields={"title": {"type": "text", "required": True}})


def render_box(tmp_path, text, style, box=(100, 100, 600, 300), size="800x600"):
    folder = box_layout(tmp_path, style, box)
    return infographic.render(folder, {"title": text}, size=size, theme=WHITE)


# --- normalisation -----------------------------------------------------------------------------

def test_clean_text_normalises_and_strips_xml_invalid_characters():
    nfd = unicodedata.normalize("NFD", "Khẩu trang")
    assert clean_text(nfd) == "Khẩu trang"
    assert clean_text("Dòng 1\x0bDòng 2\x00\x1f") == "Dòng 1\nDòng 2"
    assert clean_text("  hai   khoảng \t trắng  ") == "hai khoảng trắng"
    assert clean_text("lone \ud800 surrogate\ufffe") == "lone surrogate"
    assert clean_text("giữ\u00a0liền") == "giữ\u00a0liền"


def test_nfc_and_nfd_render_pixel_identical(tmp_path):
    style = {"font": "body", "size": 44, "min_size": 20}
    text = "Tổ quốc ghi công — Mặt trận Tổ quốc Việt Nam: ẪẶỖ ậẫ quốc"
    nfc = to_array(render_box(tmp_path / "a", unicodedata.normalize("NFC", text), style))
    nfd = to_array(render_box(tmp_path / "b", unicodedata.normalize("NFD", text), style))
    assert ink_bbox(nfc) is not None
    assert np.array_equal(nfc, nfd)


def test_shaping_applies_kerning():
    face = REGISTRY.match("Inter", 700)
    chain = REGISTRY.fallback_chain(face)
    kerned = shape_line("AVAVAV", chain).width(0, 6)
    plain = sum(face.hb_font.get_glyph_h_advance(face.hb_font.get_nominal_glyph(ord(c)))
                for c in "AVAVAV") / face.upem
    assert kerned < plain - 0.05


def test_tabular_figures_on_request():
    face = REGISTRY.match("Inter", 700)
    chain = REGISTRY.fallback_chain(face)
    prop = [shape_line(s, chain).width(0, len(s)) for s in ("1.111.111", "8.888.888")]
    tnum = [shape_line(s, chain, ("tnum",)).width(0, len(s)) for s in ("1.111.111", "8.888.888")]
    assert abs(prop[0] - prop[1]) > 0.5
    assert abs(tnum[0] - tnum[1]) < 1e-6


# --- wrapping ----------------------------------------------------------------------------------

def lines_of(text, width, **style):
    fitted = fit_text(text, TextStyle(**{"size": 40, **style}), width, 2000, REGISTRY)
    return [line.span.text for line in fitted.lines], fitted


def test_wraps_at_spaces_and_newlines():
    lines, _ = lines_of("một hai ba bốn năm sáu bảy tám chín mười", 300)
    assert len(lines) > 1 and all(not l.startswith(" ") and not l.endswith(" ") for l in lines)
    assert " ".join(lines) == "một hai ba bốn năm sáu bảy tám chín mười"
    lines, _ = lines_of("dòng một\ndòng hai", 2000)
    assert lines == ["dòng một", "dòng hai"]


def test_nbsp_holds_words_together():
    text = "Đường dây nóng 1900\u00a09095 hoạt động"
    for width in range(200, 700, 20):
        lines, _ = lines_of(text, width)
        assert not any(l.endswith("1900") for l in lines)


def test_overlong_url_breaks_after_slash_or_hyphen():
    url = "https://tokhaiyte.vn/khai-bao-y-te/to-khai-dien-tu-cho-nguoi-dan"
    lines, fitted = lines_of(url, 380)
    assert len(lines) > 1 and "".join(lines) == url
    assert all(l[-1] in "/-." for l in lines[:-1])
    assert all(line.width * fitted.size <= 380 + 0.01 for line in fitted.lines)


def test_line_height_clears_stacked_capitals_and_descenders(tmp_path):
    style = {"font": "heading", "size": 60, "line_height": 1.0}  # asks for too tight; engine raises it
    art = render_box(tmp_path, "ẪẶỔ ẪẶỔ\ngypỵ gypỵ\nẪẶỔ ẪẶỔ", style, box=(50, 50, 700, 500))
    pixels = to_array(art)
    ink_rows = np.nonzero((np.abs(pixels - 255).sum(axis=2) > 60).any(axis=1))[0]
    # three separate bands of ink: rows with ink form three runs separated by blank rows
    runs = np.split(ink_rows, np.nonzero(np.diff(ink_rows) > 1)[0] + 1)
    assert len(runs) >= 3


# --- fitting -----------------------------------------------------------------------------------

def test_fit_keeps_max_size_when_it_fits():
    fitted = fit_text("Ngắn", TextStyle(size=40, min_size=20), 600, 300, REGISTRY)
    assert (fitted.status, fitted.size) == ("fit", 40)


def test_shrinks_to_fit_between_max_and_min():
    fitted = fit_text(SEED_PARAGRAPH, TextStyle(size=60, min_size=16), 600, 300, REGISTRY)
    assert fitted.status == "shrunk" and 16 <= fitted.size < 60
    assert fitted.height <= 300
    assert all(line.width * fitted.size <= 600 + 0.01 for line in fitted.lines)
    bigger = fit_text(SEED_PARAGRAPH, TextStyle(size=fitted.size + 0.5), 600, 10_000, REGISTRY)
    assert bigger.height > 300  # the chosen size is the largest that fits


def test_max_lines_with_ellipsis():
    style = TextStyle(size=30, min_size=30, max_lines=2, overflow="truncate")
    fitted = fit_text(SEED_PARAGRAPH, style, 500, 1000, REGISTRY)
    assert fitted.status == "truncated" and len(fitted.lines) == 2
    assert fitted.lines[-1].ellipsis is not None
    assert all(line.width * 30 <= 500 + 0.01 for line in fitted.lines)


def test_overflow_policies():
    tiny = dict(size=30, min_size=24)
    with pytest.raises(FitError, match="does not fit"):
        fit_text(SEED_PARAGRAPH, TextStyle(**tiny), 300, 60, REGISTRY)
    visible = fit_text(SEED_PARAGRAPH, TextStyle(**tiny, overflow="visible"), 300, 60, REGISTRY)
    assert visible.status == "overflow" and visible.height > 60


def test_balanced_title_has_even_lines():
    # every space an equal break (breaks: syllable): balancing alone evens the lines; with word
    # breaks it also weighs where they break (tests/test_line_breaks.py)
    plain = dict(size=56, max_lines=4, breaks="syllable")
    greedy = fit_text(SEED_TITLE, TextStyle(**plain), 800, 1000, REGISTRY)
    balanced = fit_text(SEED_TITLE, TextStyle(**plain, balance=True), 800, 1000, REGISTRY)
    assert len(greedy.lines) == len(balanced.lines) >= 2
    spread = lambda f: max(l.width for l in f.lines) - min(l.width for l in f.lines)
    assert spread(balanced) < spread(greedy)


@pytest.mark.parametrize("align", ["left", "center", "right"])
def test_horizontal_alignment_in_pixels(tmp_path, align):
    box = (100, 100, 600, 300)
    art = render_box(tmp_path, "Khẩu trang", {"size": 40, "align": align}, box=box)
    left, _, right, _ = ink_bbox(to_array(art))
    if align == "left":
        assert abs(left - 100) <= 6
    elif align == "right":
        assert abs(right - 700) <= 6
    else:
        assert abs((left + right) / 2 - 400) <= 4


@pytest.mark.parametrize("valign", ["top", "middle", "bottom"])
def test_vertical_alignment_in_pixels(tmp_path, valign):
    art = render_box(tmp_path, "Ẫy", {"size": 40, "valign": valign}, box=(100, 100, 600, 300))
    _, top, _, bottom = ink_bbox(to_array(art))
    assert 100 <= top and bottom <= 400
    centre = (top + bottom) / 2
    expected = {"top": 100 + 30, "middle": 250, "bottom": 400 - 30}[valign]
    assert abs(centre - expected) <= 25


@pytest.mark.parametrize("text", [SEED_TITLE, SEED_PARAGRAPH, SEED_PARAGRAPH * 2,
                                  "ẪẶỔ ỴỴ gypq " * 12, "https://moh.gov.vn/" + "a" * 80])
@pytest.mark.parametrize("box", [(100, 100, 600, 300), (50, 200, 300, 250)])
def test_fitted_text_stays_inside_its_box(tmp_path, text, box):
    style = {"size": 48, "min_size": 8, "overflow": "truncate", "align": "justify"}
    art = render_box(tmp_path, text, style, box=box)
    x, y, w, h = box
    left, top, right, bottom = ink_bbox(to_array(art))
    assert left >= x - 2 and top >= y - 1 and right <= x + w + 2 and bottom <= y + h + 1
    entry = art.fit_report["title"]
    assert entry.status in ("fit", "shrunk", "truncated")


def test_justified_lines_never_open_rivers(tmp_path):
    """A justified paragraph in a narrow column: every line ends on the right edge when that takes
    at most 0.3 em more per space; a line that would need more keeps its spaces at that cap and
    stops short of the edge (measured on the pixels, row by row)."""
    # every space a break (breaks: syllable): word breaks leave more room in so narrow a column,
    # and this tests how justification fills lines, not where they break
    style = {"size": 24, "align": "justify", "line_height": 1.5, "overflow": "visible",
             "breaks": "syllable"}
    box = (100, 60, 300, 520)
    art = render_box(tmp_path, SEED_PARAGRAPH, style, box=box,
                     size="500x640")
    ink = to_array(art) < 128
    lines = art.fit_report["title"].lines
    rows = np.nonzero(ink[:, 100:400].any(axis=1))[0]
    # split the inked rows into text lines (gaps of white between them)
    bands, start = [], rows[0]
    for a, b in zip(rows, rows[1:]):
        if b - a > 6:
            bands.append((start, a))
            start = b
    bands.append((start, rows[-1]))
    assert len(bands) == lines
    right_edges = [np.nonzero(ink[top:bottom + 1].any(axis=0))[0].max() for top, bottom in bands]
    flush = sum(1 for edge in right_edges[:-1] if edge >= 396)
    short = sum(1 for edge in right_edges[:-1] if edge < 390)
    assert flush >= (lines - 1) // 2      # most lines are justified to the edge
    assert short >= 1                     # and the one that would open a river is not
