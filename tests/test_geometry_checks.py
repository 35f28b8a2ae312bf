"""The geometry checks (infographic/authoring/geometry.py) catch what they promise, on real renders
of small layouts built to break one rule each, and stay quiet on their tidy twins."""

from __future__ import annotations

import pytest

import infographic
from infographic.authoring import create_layout
from infographic.authoring.check import check_layout
from infographic.authoring.geometry import check_artwork, empty_rows

from conftest import make_layout

SLOTS = {"body": {"font": "body", "size": 30, "min_size": 12, "role": "body",
                  "background": "surface"},
         "note": {"font": "body", "size": 22, "min_size": 22}}
FIELDS = {"title": {"type": "text", "required": True, "max_length": 60,
                    "sample": "Rửa tay bằng xà phòng"}}
PAGE = '<rect width="{{ canvas.width }}" height="{{ canvas.height }}" fill="#ffffff"/>'


def findings(tmp_path, body: str, data=None, size="square", minimum=False):
    folder = make_layout(tmp_path / "probe", PAGE + body, slots=SLOTS, fields=FIELDS)
    art = infographic.render(folder, data, size=size)
    return {f.kind for f in check_artwork(art, minimum=minimum)}, art


CARD_TEXT = ('{% call card(100, 100, 400, CARD_H) %}'
             '{{ text("body", "Rửa tay bằng xà phòng dưới vòi nước sạch", x=120, y=120, '
             'width=360, height=TEXT_H) }}{% endcall %}')


@pytest.mark.parametrize("card_h, text_h, expected", [(200, 160, set()),
                                                      (60, 160, {"outside-container"})])
def test_text_leaving_its_card(tmp_path, card_h, text_h, expected):
    body = CARD_TEXT.replace("CARD_H", str(card_h)).replace("TEXT_H", str(text_h))
    assert findings(tmp_path, body)[0] == expected


def test_container_found_by_geometry_without_a_call_block(tmp_path):
    """A card drawn with {{ card(...) }} still holds the text whose box lies mostly in it."""
    body = ('{{ card(100, 100, 400, 50) }}'
            '{{ text("body", "Rửa tay bằng xà phòng dưới vòi nước sạch", x=120, y=110, '
            'width=360, height=160) }}')
    assert findings(tmp_path, body)[0] == {"outside-container"}


@pytest.mark.parametrize("x, expected", [(40, set()), (8, {"outside-safe-area"})])
def test_text_near_the_edge(tmp_path, x, expected):
    body = f'{{{{ text("body", "Rửa tay", x={x}, y=300, width=300, height=60) }}}}'
    assert findings(tmp_path, body)[0] == expected


@pytest.mark.parametrize("second_y, expected", [(200, set()), (110, {"overlap"})])
def test_texts_overlapping(tmp_path, second_y, expected):
    body = ('{{ text("body", "Rửa tay bằng xà phòng", x=100, y=100, width=600, height=60) }}'
            f'{{{{ text("body", "Đeo khẩu trang", x=100, y={second_y}, width=600, '
            'height=60) }}')
    assert findings(tmp_path, body)[0] == expected


def test_a_block_set_only_to_measure_is_not_checked(tmp_path):
    """Texts that are set but never printed (a template trying a size) do not count."""
    body = ('{% set trial = text("body", "Rửa tay bằng xà phòng", x=100, y=100, width=600, '
            'height=60) %}'
            '{{ text("body", "Đeo khẩu trang", x=100, y=110, width=600, height=60) }}')
    kinds, art = findings(tmp_path, body)
    assert kinds == set() and [e.drawn for e in art.fit_report] == [False, True]


@pytest.mark.parametrize("height, expected", [(200, set()), (30, {"below-floor"})])
def test_text_under_its_role_floor(tmp_path, height, expected):
    body = ('{{ text("body", "Người dân từ 18 tuổi trở lên đến trạm y tế phường để được tiêm", '
            f'x=100, y=100, width=400, height={height}) }}}}')
    assert findings(tmp_path, body)[0] == expected


def test_text_without_a_role_is_held_to_the_caption_floor(tmp_path):
    body = '{{ text("note", "Nguồn: Bộ Y tế", x=100, y=100, width=600, height=60, size=18, min_size=18) }}'
    assert findings(tmp_path, body)[0] == {"below-floor"}


@pytest.mark.parametrize("blocks, expected", [(4, set()), (1, {"empty-band"})])
def test_empty_band_between_header_and_footer(tmp_path, blocks, expected):
    """One short line between a header and a footer leaves most of the page empty."""
    body = ('{% set head = page_header(issuer="Trạm Y tế phường", title=title) %}{{ head }}'
            '{% set foot = page_footer(hotline="1900 9095", source="Bộ Y tế") %}{{ foot }}'
            '{% set step = (foot.top - head.bottom) / ' + str(blocks + 1) + ' %}'
            '{% for i in range(' + str(blocks) + ') %}'
            '<rect x="64" y="{{ head.bottom + step * (i + 1) - 40 }}" width="952" height="80" '
            'fill="#dfe7f2"/>{% endfor %}')
    kinds, art = findings(tmp_path, body, minimum=True)
    assert kinds == expected
    assert findings(tmp_path, body, minimum=False)[0] == set()  # only for the least content
    rows, unit = empty_rows(art)
    assert unit == pytest.approx(1080 / 960)
    assert sum(rows) * unit > (700 if blocks == 1 else 250)  # flat rows, bands included


def test_check_stress_reports_geometry_with_fixes(tmp_path):
    """``infographic check --stress`` renders the least and the most content and reports what
    the geometry checks find, each with what to do."""
    body = ('{% call card(64, 64, 952, 70) %}'
            '{{ text("body", title, x=80, y=80, width=500, height=300) }}{% endcall %}')
    folder = make_layout(tmp_path / "stressed", PAGE + body, slots=SLOTS, fields=FIELDS)
    plain = check_layout(folder, sizes=["square"], contrast=False)
    stressed = check_layout(folder, sizes=["square"], contrast=False, stress=True)
    assert not [p for p in plain.problems if p.topic == "geometry"]
    geometry = [p for p in stressed.problems if p.topic == "geometry"]
    assert any("maximum content" in p.message and "leaves its card" in p.message
               for p in geometry), stressed.format()
    assert all(p.fix for p in geometry)
    assert any("(minimum content)" in r for r in stressed.renders)


def test_a_new_layout_passes_the_stress_checks(tmp_path):
    """`infographic new` writes the reference use of the design system (header, footer, roles,
    steps): it holds at the least and the most content at every size."""
    folder = create_layout("ward-notice", tmp_path)
    report = check_layout(folder, contrast=False, stress=True)
    assert report.ok and not report.warnings, report.format()
    assert len(report.renders) == 18  # sample, minimum and maximum at six sizes


@pytest.mark.parametrize("track_width, expected", [(28, {"empty-band"}), (200, set())])
def test_a_thin_line_through_an_empty_page_does_not_fill_it(tmp_path, track_width, expected):
    """Two steps at the ends of a timeline's track leave the page between them empty; a wide
    panel down the page is content."""
    body = ('<rect x="80" y="150" width="' + str(track_width) + '" height="780" fill="#dfe7f2"/>'
            '{{ text("body", "Rửa tay bằng xà phòng", x=300, y=110, width=600, height=60) }}'
            '{{ text("body", "Đeo khẩu trang", x=300, y=930, width=600, height=60) }}')
    assert findings(tmp_path, body, minimum=True)[0] == expected
