"""vi-VN (and en) number and date formats: as Python functions, as filters, per render."""

from __future__ import annotations

import datetime as dt

import pytest

import infographic
from infographic import formatting as f

D = dt.date(2021, 9, 13)
T = dt.datetime(2021, 9, 13, 17, 0)
NBSP = "\u00a0"


@pytest.mark.parametrize("call, expected", [
    (lambda: f.format_number(7605092), "7.605.092"),
    (lambda: f.format_number(98.5), "98,5"),
    (lambda: f.format_number(-1234.5), "-1.234,5"),
    (lambda: f.format_number(0), "0"),
    (lambda: f.format_number(2.0), "2"),
    (lambda: f.format_number(98.456), "98,46"),
    (lambda: f.format_number(98.4, 2), "98,40"),
    (lambda: f.format_number(1234567, 0), "1.234.567"),
    (lambda: f.format_number(10 ** 15), "1.000.000.000.000.000"),
    (lambda: f.format_percent(98.5), "98,5%"),
    (lambda: f.format_percent(100), "100%"),
    (lambda: f.format_percent(0.985, fraction=True), "98,5%"),
    (lambda: f.format_percent(12.345, 2), "12,35%"),
    (lambda: f.format_compact(7605092), f"7,6{NBSP}triệu".replace(NBSP, " ")),
    (lambda: f.format_compact(12300), "12,3 nghìn"),
    (lambda: f.format_compact(1_200_000_000), "1,2 tỷ"),
    (lambda: f.format_compact(950), "950"),
    (lambda: f.format_compact(-12300), "-12,3 nghìn"),
    (lambda: f.format_currency(1500000), f"1.500.000{NBSP}₫"),
    (lambda: f.format_date(D), "13/9/2021"),
    (lambda: f.format_date(D, "long"), "ngày 13 tháng 9 năm 2021"),
    (lambda: f.format_date("2021-09-13", "day_month"), "13/9"),
    (lambda: f.format_date(D, "month_year"), "9/2021"),
    (lambda: f.format_date(D, "weekday"), "Thứ Hai, 13/9/2021"),
    (lambda: f.format_weekday(D), "Thứ Hai"),
    (lambda: f.format_weekday(dt.date(2021, 9, 19)), "Chủ Nhật"),
    (lambda: f.format_time(T), "17:00"),
    (lambda: f.format_delta(12.3, percent=True), f"▲{NBSP}12,3%"),
    (lambda: f.format_delta(-4), f"▼{NBSP}4"),
    (lambda: f.format_delta(0), f"={NBSP}0"),
    (lambda: f.format_delta(-1534000, compact=True), f"▼{NBSP}1,5 triệu"),
    (lambda: f.format_updated(T), "cập nhật lúc 17:00 ngày 13/9/2021"),
    (lambda: f.format_updated(D, "17:00"), "cập nhật lúc 17:00 ngày 13/9/2021"),
    (lambda: f.format_updated(D, "7h30"), "cập nhật lúc 07:30 ngày 13/9/2021"),
    (lambda: f.format_updated(D), "cập nhật ngày 13/9/2021"),
])
def test_vietnamese(call, expected):
    assert call() == expected


@pytest.mark.parametrize("call, expected", [
    (lambda: f.format_number(7605092, locale="en"), "7,605,092"),
    (lambda: f.format_number(98.5, locale="en"), "98.5"),
    (lambda: f.format_percent(98.5, locale="en"), "98.5%"),
    (lambda: f.format_compact(7605092, locale="en"), "7.6 million"),
    (lambda: f.format_compact(12300, locale="en", short=True), "12.3K"),
    (lambda: f.format_currency(1500000, locale="en"), "₫1,500,000"),
    (lambda: f.format_date(D, locale="en"), "9/13/2021"),
    (lambda: f.format_date(D, "long", locale="en"), "September 13, 2021"),
    (lambda: f.format_weekday(D, locale="en"), "Monday"),
    (lambda: f.format_delta(12.3, percent=True, locale="en"), f"▲{NBSP}12.3%"),
    (lambda: f.format_updated(T, locale="en"), f"updated 5:00{NBSP}PM, 9/13/2021"),
])
def test_english(call, expected):
    assert call() == expected


def test_use_locale_sets_the_default_and_restores_it():
    assert f.current_locale() == "vi_VN"
    with f.use_locale("en-US"):
        assert f.format_number(1234.5) == "1,234.5"
    assert f.format_number(1234.5) == "1.234,5"
    with pytest.raises(ValueError, match="unknown locale"):
        with f.use_locale("xx_YY_ZZ"):
            pass


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), "12", True, None])
def test_numbers_reject_what_is_not_a_finite_number(bad):
    with pytest.raises((TypeError, ValueError)):
        f.format_number(bad)


def test_filters_are_registered_and_follow_the_render_locale(tmp_path):
    assert {"number", "percent", "compact", "currency", "date", "weekday", "delta",
            "updated"} <= set(f.FILTERS)
    (tmp_path / "layout.yaml").write_text(
        "name: fmt\nsizes: [square]\nfields:\n  n: {type: number, sample: 7605092.5}\n"
        "  d: {type: date, sample: 2021-09-13}\nslots: {}\n", encoding="utf-8")
    (tmp_path / "template.svg.j2").write_text(
        '<desc id="out">{{ n | number }}|{{ n | compact }}|{{ d | date("long") }}|'
        '{{ 12.3 | delta(percent=true) }}|{{ d | weekday }}</desc>', encoding="utf-8")
    vi = infographic.render(tmp_path).svg
    assert "7.605.092,5|7,6 triệu|ngày 13 tháng 9 năm 2021|▲\u00a012,3%|Thứ Hai" in vi
    en = infographic.render(tmp_path, locale="en").svg
    assert "7,605,092.5|7.6 million|September 13, 2021|▲\u00a012.3%|Monday" in en
    with pytest.raises(infographic.LayoutError, match="unknown locale"):
        infographic.render(tmp_path, locale="zz_QQ")


def test_cli_locale_flag(tmp_path, capsys):
    from infographic.cli import main
    out = tmp_path / "en.svg"
    assert main(["render", "demo-charts", "--size", "portrait", "--locale", "en", "-o",
                 str(out), "--quiet"]) == 0
    assert "7,605,092" in out.read_text(encoding="utf-8")
    assert main(["render", "demo-charts", "--locale", "xx_QQ", "-o", str(tmp_path / "x.svg")]) \
        == 1
    assert "unknown locale 'xx_QQ'" in capsys.readouterr().err
    assert not (tmp_path / "x.svg").exists()
