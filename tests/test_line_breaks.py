"""Vietnamese-aware line breaking: lines break between phrases and words, never inside a name, a
number with its unit, a date or a phone number while it fits a line; the author's newline, NBSP
and zero-width space still decide; ``breaks: syllable`` turns it off. Read back from the lines
that renders place (``FitEntry.line_texts``) and from the pixels (OCR)."""

from __future__ import annotations

import pytest

import infographic
from infographic.text.breaks import (FRAGMENT, KEEP, LABEL, PHRASE, SYLLABLE, WEAK, WORD,
                                      gap_ranks, segment)
from infographic.text.fit import TextStyle, fit_text
from infographic.text.fonts import default_registry
from infographic.text.wrap import SHRINK

from conftest import make_layout, ocr, to_image

REGISTRY = default_registry()


def _ranks(text: str) -> dict[str, int]:
    words = text.split(" ")
    return {f"{a} {b}": rank for a, b, rank in zip(words, words[1:], gap_ranks(text))}


def test_ranks_of_the_named_cases():
    ranks = _ranks("Rửa tay đúng cách với xà phòng")
    # inside a word: a split keeping four letters each side ranks above one leaving "Rửa"
    assert ranks == {"Rửa tay": FRAGMENT, "tay đúng": WORD, "đúng cách": SYLLABLE,
                     "cách với": PHRASE, "với xà": WEAK, "xà phòng": FRAGMENT}
    ranks = _ranks("Thành phố Hồ Chí Minh ghi nhận 12.480 ca sốt xuất huyết")
    assert ranks["Hồ Chí"] == ranks["Chí Minh"] == KEEP
    assert ranks["12.480 ca"] == KEEP
    assert ranks["sốt xuất"] == FRAGMENT and ranks["xuất huyết"] == SYLLABLE
    assert ranks["ghi nhận"] == FRAGMENT and ranks["Minh ghi"] == WORD
    # a label and its number: held, but not a word's syllables
    assert _ranks("tại Quận 12 sốt trên 39 độ")["Quận 12"] == LABEL
    assert _ranks("tại Quận 12 sốt trên 39 độ")["trên 39"] == LABEL
    ranks = _ranks("Tiêm vắc xin cho trẻ từ 5 đến dưới 12 tuổi")
    assert ranks["12 tuổi"] == KEEP and ranks["5 đến"] != KEEP
    ranks = _ranks("Lịch tiêm ngày 13 tháng 9 năm 2021, tỷ lệ đạt 98,5 %")
    assert _ranks("đạt 98,5% dân số")["98,5% dân"] == WORD  # the % is its unit
    assert [ranks[k] for k in ("ngày 13", "13 tháng", "tháng 9", "9 năm", "năm 2021,")] == \
        [KEEP] * 5
    assert ranks["2021, tỷ"] == PHRASE and ranks["98,5 %"] == KEEP
    assert _ranks("Gọi 0912 345 678 hoặc 1900 9095") == {
        "Gọi 0912": WORD, "0912 345": KEEP, "345 678": KEEP, "678 hoặc": PHRASE,
        "hoặc 1900": WEAK, "1900 9095": KEEP}
    assert _ranks("TS. BS. Phạm Quốc Dũng")["BS. Phạm"] == KEEP
    # two numbers of their own (a phone, a date) are not one number
    assert _ranks("gọi 0243.823.4567 1900-9095 20/09/2021")["0243.823.4567 1900-9095"] == WORD
    # old and new tone placement find the same word
    assert segment("sức khoẻ".split()) == segment("sức khỏe".split()) == [2]


def _lines(text: str, width: float, **style) -> tuple[str, ...]:
    return fit_text(text, TextStyle(size=40, **style), width, 2000, REGISTRY).line_texts


def _width(text: str) -> float:
    return fit_text(text, TextStyle(size=40), 1e9, 2000, REGISTRY).lines[0].width * 40


def _tightest(text: str) -> float:
    """The width of ``text`` with its spaces tightened as far as the breaker may."""
    space = _width("a b") - _width("ab")
    return _width(text) - text.count(" ") * space * SHRINK


def test_spaces_tighten_to_keep_a_word_whole(tmp_path):
    """A line a little too wide for its box keeps its last word with tighter spaces (at most a
    third of each), drawn so: the ink of the line stays inside the box. A title tightens only to
    save a line at the size it takes with its spaces kept: a title that may shrink takes that
    size, never a larger one (it would crowd the layout)."""
    text = "Rửa tay đúng cách với xà phòng"
    width = (_tightest("Rửa tay đúng cách") + _width("Rửa tay đúng cách")) / 2
    assert _lines(text, width) == ("Rửa tay đúng cách", "với xà phòng")
    assert _lines(text, width, breaks="syllable")[0] == "Rửa tay đúng"
    title = fit_text(text, TextStyle(size=40, balance=True), width, 2000, REGISTRY)
    assert title.line_texts == ("Rửa tay đúng cách", "với xà phòng")  # three with its spaces
    assert title.lines[0].span.space < 0
    shrinkable = fit_text(text, TextStyle(size=40, min_size=30, max_lines=2, balance=True),
                          width, 2000, REGISTRY)
    assert shrinkable.line_texts == title.line_texts and shrinkable.size < 40
    assert all(line.span.space == 0 for line in shrinkable.lines)
    folder = make_layout(tmp_path / "tight", '<rect width="1080" height="1080" fill="#ffffff"/>'
                         f'{{{{ text("title", title, x=40, y=40, width={width:.2f}, height=600) }}}}',
                         slots={"title": {"font": "body", "size": 40, "color": "#000000"}})
    art = infographic.render(folder, {"title": text}, size="square")
    assert art.fit_report["title"].line_texts == ("Rửa tay đúng cách", "với xà phòng")
    pixels = to_image(art).convert("L")
    inked = [x for x in range(pixels.width) if any(pixels.getpixel((x, y)) < 128
                                                    for y in range(40, 100))]
    assert 40 <= min(inked) and max(inked) <= 40 + width + 1
    assert max(inked) > 40 + width - 8  # the tightened line reaches the box's right edge


def _split_inside(lines: tuple[str, ...], phrase: str) -> bool:
    """True when ``phrase`` runs across two of ``lines``."""
    joined = " | ".join(lines)
    words = phrase.split(" ")
    return any(" ".join(words[:k]) + " | " + " ".join(words[k:]) in joined
               for k in range(1, len(words)))


@pytest.mark.parametrize("text, kept, words", [
    ("Thành phố Hồ Chí Minh ghi nhận 12.480 ca sốt xuất huyết mùa mưa",
     ["Hồ Chí Minh", "12.480 ca"], ["sốt xuất huyết", "ghi nhận"]),
    ("Tiêm vắc xin cho trẻ từ 5 đến dưới 12 tuổi tại Trạm Y tế Phường 12",
     ["12 tuổi", "Phường 12"], ["vắc xin"]),
    ("Lịch tiêm chủng ngày 13 tháng 9 năm 2021 cho người dân", ["ngày 13 tháng 9 năm 2021"],
     ["tiêm chủng"]),
    ("Tỷ lệ tiêm đủ 2 mũi đạt 98,5% dân số trên 18 tuổi", ["2 mũi", "18 tuổi"],
     ["dân số"]),
    ("Mọi thắc mắc xin gọi cán bộ y tế phường qua số 0912 345 678", ["0912 345 678"],
     ["thắc mắc"]),
])
@pytest.mark.parametrize("balance", [False, True])
def test_names_numbers_dates_and_phones_stay_whole_at_every_width(text, kept, words, balance):
    """Names, numbers with their units, dates and phones stay whole whenever they fit a line.
    A title splits a word only where both parts keep four letters, and only when that saves a
    line: held together (NBSP), the word takes the title a line more. (Body text may split a
    word to save a line too, where a part is shorter to save two.)"""
    ranks = _ranks(text)
    for width in range(240, 1000, 15):
        lines = _lines(text, width, balance=balance)
        for phrase in kept + (words if balance else []):
            if _width(phrase) <= width and _split_inside(lines, phrase):
                assert phrase in words, (width, lines)
                syllables = phrase.split(" ")
                split = next(f"{a} {b}" for a, b in zip(syllables, syllables[1:])
                             if _split_inside(lines, f"{a} {b}"))
                assert ranks[split] == SYLLABLE, (width, lines)
                held = text.replace(phrase, phrase.replace(" ", "\u00a0"))
                assert len(_lines(held, width, balance=True)) > len(lines), (width, lines)


def _render_lines(tmp_path, text: str, width: float, **slot) -> tuple[str, ...]:
    folder = make_layout(tmp_path / "t", f'{{{{ text("title", title, x=40, y=40, width={width},'
                         ' height=600) }}', slots={"title": {"font": "body", "size": 40, **slot}})
    art = infographic.render(folder, {"title": text}, size="square")
    return art.fit_report["title"].line_texts


def test_rua_tay_breaks_between_words_not_inside_them(tmp_path):
    text = "Rửa tay đúng cách với xà phòng"
    # wide enough for "Rửa tay đúng" but not "Rửa tay đúng cách": the old breaker cut "đúng cách"
    width = (_width("Rửa tay đúng") + _width("Rửa tay đúng cách")) / 2
    assert _render_lines(tmp_path, text, width, breaks="syllable")[0] == "Rửa tay đúng"
    assert _render_lines(tmp_path, text, width)[:2] == ("Rửa tay", "đúng cách")
    # a title balances at the phrase boundary before "với"
    wide = _width(text) * 0.7
    assert _render_lines(tmp_path, text, wide, balance=True) == ("Rửa tay đúng cách",
                                                                  "với xà phòng")


def test_a_line_does_not_end_on_a_preposition_or_a_determiner():
    lines = _lines("Phát huy hiệu quả các hình thức tuyên truyền phòng, chống dịch Covid-19 "
                   "trên địa bàn quận", 800 / 56 * 40)
    assert lines == ("Phát huy hiệu quả", "các hình thức tuyên truyền",
                     "phòng, chống dịch Covid-19", "trên địa bàn quận")


def test_a_word_is_split_between_syllables_only_when_nothing_else_fits():
    width = _width("sốt xuất") + 5  # "sốt xuất huyết" cannot fit one line
    assert _lines("sốt xuất huyết", width) == ("sốt xuất", "huyết")


def test_the_authors_newline_nbsp_and_zero_width_space_decide(tmp_path):
    text = "Rửa tay đúng cách với xà phòng"
    assert _render_lines(tmp_path, "Rửa tay đúng\ncách với xà phòng", 900) == (
        "Rửa tay đúng", "cách với xà phòng")
    width = _width("Rửa tay đúng cách") + 5
    assert _lines(text, width)[0] == "Rửa tay đúng cách"
    held = "Rửa tay đúng cách\u00a0với xà phòng"  # NBSP: "cách với" stays on one line
    assert "cách\u00a0với" in " ".join(_lines(held, width + _width(" với")))
    assert all("cách" not in line or "với" in line for line in _lines(held, width + 80))
    # ZWSP: a break the author allows, even inside a word
    width = _width("Phòng bệnh sốt xuất") + 5
    assert _lines("Phòng bệnh sốt xuất huyết", width) == ("Phòng bệnh", "sốt xuất huyết")
    assert _lines("Phòng bệnh sốt xuất\u200bhuyết", width) == ("Phòng bệnh sốt xuất\u200b",
                                                               "huyết")


def test_a_box_too_small_for_whole_words_gets_breaks_between_syllables():
    text = "Rửa tay đúng cách với xà phòng"
    width = (_tightest("cách với xà phòng") + _tightest("Rửa tay đúng cách")) / 2
    assert width < min(_tightest("Rửa tay đúng cách"), _tightest("đúng cách với xà phòng"))
    # a title needs three lines for whole words; two are all the box has, so a word is split
    assert _lines(text, width, balance=True) == ("Rửa tay", "đúng cách", "với xà phòng")
    assert _lines(text, width, balance=True, min_size=40, max_lines=2) == (
        "Rửa tay đúng", "cách với xà phòng")
    # text splits a word when that saves a line, as other scripts hyphenate, where both parts
    # keep four letters ("tiêm / chủng", not "Rửa / tay"), and not to save a tightened line
    assert _lines(text, width) == ("Rửa tay", "đúng cách", "với xà phòng")
    notice = "Huyện Bình Chánh triển khai tiêm chủng lưu động"
    assert _lines(notice, 370) == ("Huyện Bình Chánh", "triển khai tiêm", "chủng lưu động")
    assert _lines(notice, 370, balance=True) == ("Huyện Bình Chánh", "triển khai tiêm",
                                               "chủng lưu động")
    held = notice.replace("tiêm chủng", "tiêm\u00a0chủng")
    assert len(_lines(held, 370, balance=True)) == 4  # the split saves a line
    # a title that may shrink keeps words whole at a smaller size instead
    smaller = fit_text(text, TextStyle(size=40, min_size=30, max_lines=2, balance=True), width,
                       2000, REGISTRY)
    assert smaller.size < 40 and not _split_inside(smaller.line_texts, "đúng cách")


def test_breaks_syllable_is_the_old_breaker():
    text = "Thành phố Hồ Chí Minh ghi nhận 12.480 ca sốt xuất huyết"
    width = _width("Thành phố Hồ Chí") + 5
    assert _lines(text, width, breaks="syllable")[0] == "Thành phố Hồ Chí"
    assert _lines(text, width)[0] == "Thành phố"
    with pytest.raises(ValueError, match="breaks must be one of word, syllable"):
        TextStyle(breaks="letter")


def test_the_fit_report_lines_are_the_placed_lines_and_ocr_reads_them(tmp_path):
    width = _width("Thành phố Hồ Chí Minh") * 56 / 40 + 10
    folder = make_layout(tmp_path / "ocr", '<rect width="1080" height="1080" fill="#ffffff"/>'
                         f'{{{{ text("title", title, x=60, y=60, width={width:.0f}, height=900) }}}}',
                         slots={"title": {"font": "body", "size": 56, "color": "#000000"}})
    art = infographic.render(folder, {"title": "Thành phố Hồ Chí Minh ghi nhận 12.480 ca "
                                                "sốt xuất huyết"}, size="square")
    lines = art.fit_report["title"].line_texts
    assert lines == ("Thành phố Hồ Chí Minh", "ghi nhận 12.480 ca", "sốt xuất huyết")
    read = [line.strip() for line in ocr(to_image(art)).splitlines() if line.strip()]
    assert read[:3] == list(lines)
