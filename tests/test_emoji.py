"""Colour emoji: found by grapheme cluster (UTS #51), measured like glyphs, drawn as vectors from
the bundled Twemoji set in every output, in colour or in the text's colour."""

from __future__ import annotations

import dataclasses
import io
import re

import numpy as np
import pytest
from defusedxml import ElementTree
from pypdf import PdfReader

import infographic
from infographic.datafile import load_data_file
from infographic.text.emoji import emoji_dir, find_emoji, iter_keys
from infographic.text.fit import TextStyle, fit_text
from infographic.text.fonts import default_registry
from infographic.text.svg import placed_emoji

from conftest import EXAMPLES, make_layout, to_array

REGISTRY = default_registry()
CHAIN = REGISTRY.fallback_chain(REGISTRY.match("Noto Sans"))


def _has_text_glyph(char: str) -> bool:
    return any(face.has(char) for face in CHAIN)


def _keys(text: str) -> list[tuple[str, tuple[str, ...]]]:
    return [(text[c.start:c.end], c.keys) for c in find_emoji(text, _has_text_glyph)]


@pytest.mark.parametrize("text, expected", [
    ("Đeo khẩu trang 😷", [("😷", ("1f637",))]),
    ("gia đình 👨‍👩‍👧‍👦", [("👨‍👩‍👧‍👦", ("1f468-200d-1f469-200d-1f467-200d-1f466",))]),  # ZWJ family
    ("bác sĩ 🧑🏽‍⚕️", [("🧑🏽‍⚕️", ("1f9d1-1f3fd-200d-2695-fe0f",))]),  # profession + skin tone
    ("👍🏿", [("👍🏿", ("1f44d-1f3ff",))]),  # skin tone modifier
    ("🇻🇳 Việt Nam", [("🇻🇳", ("1f1fb-1f1f3",))]),  # flag: a regional indicator pair
    ("gọi 1️⃣1️⃣5️⃣", [("1️⃣", ("31-20e3",)), ("1️⃣", ("31-20e3",)), ("5️⃣", ("35-20e3",))]),
    ("#️⃣ và *️⃣", [("#️⃣", ("23-20e3",)), ("*️⃣", ("2a-20e3",))]),  # keycaps
    ("⚠️ Cảnh báo", [("⚠️", ("26a0",))]),  # VS16 asks for emoji
    ("⚠ Cảnh báo", []),  # text by default, and a font has it
    ("❤︎ yêu", []),  # VS15 asks for text
    ("© 2024 Bộ Y tế™ ®", []),  # ©, ™, ® stay text
    ("©️", [("©️", ("a9",))]),  # … unless VS16 asks for emoji
    ("12 tuổi, #1, *", []),  # digits, # and * alone are text
    ("🐦‍🔥 🫩", [("🐦‍🔥", ("1f426-200d-1f525",)), ("🫩", ("1fae9",))]),  # Unicode 15.1 and 16
])
def test_emoji_are_found_by_grapheme_cluster(text, expected):
    assert _keys(text) == expected


def test_a_zwj_sequence_the_set_lacks_falls_back_to_its_parts():
    # 😷 ZWJ 💉 is no RGI sequence: UTS #51 shows its parts side by side
    assert _keys("😷\u200d💉") == [("😷\u200d💉", ("1f637", "1f489"))]


def test_the_bundled_set_covers_unicode_15_and_has_its_licence():
    keys = set(iter_keys())
    assert len(keys) >= 3800
    assert {"1fae8", "1fa77", "1f426-200d-1f525", "1fae9"} <= keys  # Unicode 15, 15.1, 16
    folder = emoji_dir().parent
    assert "CC BY 4.0" in (folder / "LICENSE.txt").read_text(encoding="utf-8")
    assert "Twemoji" in (folder / "README.md").read_text(encoding="utf-8")


def _red(pixels: np.ndarray) -> np.ndarray:
    """Twemoji's flag red (#DA251D)."""
    return ((np.abs(pixels - [0xDA, 0x25, 0x1D]) <= 12).all(axis=2))


def _bbox(mask: np.ndarray) -> tuple[int, int, int, int]:
    ys, xs = np.nonzero(mask)
    return int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1


def test_an_emoji_is_drawn_in_colour_at_the_text_size_on_the_baseline(tmp_path):
    folder = make_layout(tmp_path / "flag", '<rect width="1080" height="1080" fill="#ffffff"/>'
                         '{{ text("title", title, x=100, y=100, width=800, height=300) }}',
                         slots={"title": {"font": "body", "size": 80, "color": "#000000"}})
    art = infographic.render(folder, {"title": "Cờ 🇻🇳 Việt Nam"}, size="square")
    entry = art.fit_report["title"]
    assert entry.missing_chars == () and entry.size == 80
    pixels = to_array(art)
    left, top, right, bottom = _bbox(_red(pixels))
    # where the text engine placed it: an 80 px square on the first line
    fitted = fit_text("Cờ 🇻🇳 Việt Nam", TextStyle(size=80, fill="#000000"), 800, 300, REGISTRY)
    (placed,) = placed_emoji(fitted, 100, 100, 800, 300)
    assert placed.size == 80
    # the flag's red fills the square's width and 26/36 of its height, centred
    assert abs(left - placed.x) <= 1.5 and abs(right - (placed.x + 80)) <= 1.5
    assert abs(top - (placed.y + 80 * 5 / 36)) <= 1.5
    assert abs(bottom - (placed.y + 80 * 31 / 36)) <= 1.5
    # its bottom sits a little below the baseline, like the text's: the first line's ink
    text_ink = pixels[top - 40:bottom + 20, 100:left - 4].sum(axis=2) < 200
    text_bottom = top - 40 + np.nonzero(text_ink.any(axis=1))[0].max()  # "C", "ờ": baseline
    assert 0 < placed.y + 80 - text_bottom <= 0.15 * 80
    assert not _red(pixels[:, right + 2:]).any()  # one flag, no box after it


def test_emoji_wrap_and_fit_like_glyphs(tmp_path):
    folder = make_layout(tmp_path / "many", '{{ text("title", title, x=40, y=40, width=400, '
                         'height=600) }}', slots={"title": {"font": "body", "size": 40}})
    art = infographic.render(folder, {"title": " ".join(["😷"] * 20)}, size="square")
    entry = art.fit_report["title"]
    assert entry.status == "fit" and entry.lines == 3  # 44 px each with a 11 px space: 8 a line
    for x, _, width, _ in entry.ink:
        assert 40 <= x and x + width <= 440


def _sample(layout: str) -> dict:
    return load_data_file(EXAMPLES / f"{layout}.yaml")


EMOJI_TITLE = "😷 Tiêm đủ mũi 💉 cả nhà 👨‍👩‍👧‍👦 👍🏽 🇻🇳 gọi 1️⃣1️⃣5️⃣"


def _paints(key: str) -> list[list[int]]:
    """The colours picture ``key`` paints with, read from its file."""
    source = (emoji_dir() / f"{key}.svg").read_text(encoding="utf-8")
    return [[int(c[i:i + 2], 16) for i in (0, 2, 4)]
            for c in set(re.findall(r'fill="#([0-9A-Fa-f]{6})"', source))]


def _without_emoji(svg: str) -> str:
    root = ElementTree.fromstring(svg)
    for parent in root.iter():
        for child in list(parent):
            if child.get("class") == "emoji":
                parent.remove(child)
    from xml.etree.ElementTree import tostring
    return tostring(root, encoding="unicode")


@pytest.mark.parametrize("layout", sorted(infographic.bundled_layouts()))
def test_every_layout_draws_emoji_in_a_title_in_colour(layout):
    art = infographic.render(layout, {**_sample(layout), "title": EMOJI_TITLE}, size="square")
    assert not [e for e in art.fit_report.entries if e.missing_chars]
    assert re.findall(r'data-emoji="([^"]+)"', art.svg) == [
        "1f637", "1f489", "1f468-200d-1f469-200d-1f467-200d-1f466", "1f44d-1f3fd",
        "1f1fb-1f1f3", "31-20e3", "31-20e3", "35-20e3"]
    drawn = to_array(art)
    bare = to_array(dataclasses.replace(art, svg=_without_emoji(art.svg), scene=None))
    changed = (np.abs(drawn - bare).sum(axis=2) > 40)
    assert changed.any()
    for key in ("1f637", "1f489", "1f468-200d-1f469-200d-1f467-200d-1f466", "1f44d-1f3fd",
                "1f1fb-1f1f3", "31-20e3"):
        near = sum(((np.abs(drawn - rgb) <= 10).all(axis=2) & changed).sum()
                   for rgb in _paints(key))
        assert near >= 40, f"{layout}: none of {key}'s colours where it is drawn"
    title = next(e for e in art.fit_report.entries if e.slot in ("title", "header_title"))
    x0 = min(x for x, _, _, _ in title.ink)
    y0 = min(y for _, y, _, _ in title.ink)
    x1 = max(x + w for x, _, w, _ in title.ink)
    y1 = max(y + h for _, y, _, h in title.ink)
    inside = np.zeros_like(changed)
    inside[max(0, int(y0) - 2):int(y1) + 3, max(0, int(x0) - 2):int(x1) + 3] = True
    # every emoji is in the title's lines; a few anti-aliasing specks elsewhere (the picture
    # without emoji is drawn from the SVG, not the scene) are not an emoji out of place
    assert (changed & ~inside).sum() <= 4, _bbox(changed & ~inside)
    assert (changed & inside).sum() > 0.99 * changed.sum()


def test_pdf_and_svg_keep_emoji_as_vectors(tmp_path):
    folder = make_layout(tmp_path / "vec", '{{ text("title", title, x=40, y=40, width=900, '
                         'height=300) }}', slots={"title": {"font": "body", "size": 60}})
    art = infographic.render(folder, {"title": "Đeo khẩu trang 😷 🇻🇳"}, size="square")
    svg = art.to_bytes("svg").decode()
    assert "<image" not in svg and 'fill="#DA251D"' in svg and 'fill="#FFCC4D"' in svg
    pdf = PdfReader(io.BytesIO(art.to_bytes("pdf")))
    page = pdf.pages[0]
    resources = page["/Resources"]
    xobjects = resources.get("/XObject", {}) if resources else {}
    assert not [x for x in xobjects.values() if x.get_object().get("/Subtype") == "/Image"]
    content = page.get_contents().get_data().decode("latin-1")
    # the flag's red and the face's yellow are vector fills (rg) in the page
    assert re.search(r"0\.85\d* 0\.14\d* 0\.11\d* rg", content)
    assert re.search(r"1 0\.8 0\.30\d* rg", content)


def test_a_slot_or_a_theme_asks_for_monochrome_emoji_in_the_text_colour(tmp_path):
    body = ('<rect width="1080" height="1080" fill="#ffffff"/>'
            '{{ text("title", title, x=40, y=40, width=900, height=300) }}')
    mono = make_layout(tmp_path / "mono", body, slots={"title": {
        "font": "body", "size": 80, "color": "#1B7F3B", "emoji": "mono"}})
    art = infographic.render(mono, {"title": "🇻🇳 😷 👍🏽"}, size="square")
    pixels = to_array(art)[40:340, 40:940]
    assert not _red(pixels).any() and not (np.abs(pixels - [0xFF, 0xCC, 0x4D]) <= 14).all(
        axis=2).any()
    inked = pixels.sum(axis=2) < 700
    assert inked.sum() > 3000
    # every inked pixel is the text's green over white: red ≈ blue, green highest
    r, g, b = (pixels[inked][:, i] for i in range(3))
    assert (np.abs(r - b) <= 36).all() and (g >= r).all()
    colour = make_layout(tmp_path / "colour", body, slots={"title": {"font": "body", "size": 80}})
    theme = {**infographic.load_theme("official-red").__dict__}
    spec = {"palette": dict(theme["palette"]), "fonts": dict(theme["fonts"]), "emoji": "mono"}
    themed = infographic.render(colour, {"title": "🇻🇳"}, size="square", theme=spec)
    assert not _red(to_array(themed)).any()
    assert _red(to_array(infographic.render(colour, {"title": "🇻🇳"}, size="square"))).any()
