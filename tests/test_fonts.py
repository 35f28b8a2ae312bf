"""Bundled fonts: registry, Vietnamese coverage, no .notdef, fallback."""

from __future__ import annotations

import unicodedata

import pytest
import uharfbuzz as hb

from infographic.errors import FontError
from infographic.text.fonts import default_registry
from infographic.text.shaping import shape_line

VOWELS = "aăâeêioôơuưy"
TONES = "\u0300\u0301\u0303\u0309\u0323"  # huyền, sắc, ngã, hỏi, nặng


def vietnamese_repertoire() -> str:
    chars = []
    for vowel in VOWELS + VOWELS.upper():
        chars.append(vowel)
        chars.extend(unicodedata.normalize("NFC", vowel + tone) for tone in TONES)
    chars.extend("đĐ₫")
    return "".join(chars)


REPERTOIRE = vietnamese_repertoire()
REGISTRY = default_registry()
TEXT_FACES = [f for f in REGISTRY.faces if not f.fallback_only]


def test_repertoire_is_complete():
    # 24 vowels (12 lower + 12 upper) × 6 forms + đ Đ ₫
    assert len(REPERTOIRE) == 24 * 6 + 3
    assert all(len(c) == 1 for c in REPERTOIRE)  # every form has a precomposed code point


def test_three_text_families_with_several_headline_weights():
    assert {"Noto Sans", "Noto Serif", "Inter"} <= set(REGISTRY.text_families)
    inter_weights = {f.weight for f in REGISTRY.faces if f.family == "Inter"}
    assert len(inter_weights) >= 4


@pytest.mark.parametrize("info", TEXT_FACES, ids=lambda f: f.path.name)
def test_every_text_face_covers_vietnamese(info):
    face = REGISTRY.match(info.family, info.weight, info.style)
    missing = [c for c in REPERTOIRE if not face.has(c)]
    assert missing == []


@pytest.mark.parametrize("info", TEXT_FACES, ids=lambda f: f.path.name)
def test_no_notdef_when_shaping_the_repertoire(info):
    face = REGISTRY.match(info.family, info.weight, info.style)
    # Shape with this face alone (no fallback): every glyph must be a real one.
    for form in ("NFC", "NFD"):
        text = unicodedata.normalize(form, REPERTOIRE)
        buf = hb.Buffer()
        buf.add_str(text)
        buf.guess_segment_properties()
        buf.language = "vi"
        hb.shape(face.hb_font, buf, {"kern": True, "liga": True})
        assert all(info_.codepoint != 0 for info_ in buf.glyph_infos), form


def test_every_face_has_a_licence_file():
    for info in REGISTRY.faces:
        licence = info.path.parent / "LICENSE.txt"
        assert licence.is_file()
        assert "OFL" in licence.read_text(encoding="utf-8")


def test_nearest_weight_and_style_matching():
    assert REGISTRY.match("Inter", 750).info.weight in (700, 800)
    assert REGISTRY.match("inter", 900).info.weight == 900
    assert REGISTRY.match("Noto Serif", 400, "italic").info.style == "italic"


def test_unknown_family_is_a_clear_error():
    with pytest.raises(FontError, match="unknown font family 'Comic Sans'.*Noto Sans"):
        REGISTRY.match("Comic Sans")


def test_fallback_draws_symbols_from_another_face_and_reports_the_impossible():
    primary = REGISTRY.match("Noto Sans")
    chain = REGISTRY.fallback_chain(primary)
    line = shape_line("Đã tiêm ✓ ▲", chain)
    faces = {g.face.info.family for g in line.glyphs}
    assert "Noto Sans Symbols 2" in faces or "Inter" in faces
    assert all(g.gid != 0 for g in line.glyphs)
    assert line.missing == frozenset()
    assert shape_line("khẩu trang 😷", chain).missing == frozenset()  # a colour emoji now
    assert shape_line("khẩu trang 中", chain).missing == frozenset("中")


def test_ink_safe_metrics_clear_stacked_capitals():
    for info in TEXT_FACES:
        face = REGISTRY.match(info.family, info.weight, info.style)
        top_ink = max(face.hb_font.get_glyph_extents(face.hb_font.get_nominal_glyph(ord(c)))
                      .y_bearing for c in "ẪẶỔẤỸ") / face.upem
        assert face.ascent >= top_ink
        assert face.descent < 0
