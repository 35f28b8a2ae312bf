"""Columns → fields: names, renames, lists, tables, constants, per-row size/theme/layout."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from batch_support import BANNER, MINI, SMALL, batch, load_report, outputs, write_csv
from infographic.batch import ColumnMapping
from infographic.errors import DataError
from infographic.themes import load_theme

FIELDS = ("ward", "date", "cases", "tips")


def test_columns_match_fields_loosely_and_extra_columns_are_ignored() -> None:
    row = {" Ward ": "Phường 1", "DATE": "13/9/2021", "ghi chú": "x", "cases": ""}
    mapped = ColumnMapping().apply(row, FIELDS)
    assert mapped.data == {"ward": "Phường 1", "date": "13/9/2021"}  # empty cell: default
    assert mapped.ignored == ("ghi chú",)


def test_numbered_columns_make_lists_in_number_order() -> None:
    row = {"tips.2": "Rửa tay", "tips.1": "Đeo khẩu trang", "tips.3": "", "tips.10": "Khai báo"}
    assert ColumnMapping().apply(row, FIELDS).data == {
        "tips": ["Đeo khẩu trang", "Rửa tay", "Khai báo"]}


def test_numbered_columns_with_keys_make_tables() -> None:
    row = {"tips.1.heading": "Khẩu trang", "tips.1.text": "Đeo khẩu trang nơi công cộng.",
           "tips.2.heading": "Khử khuẩn", "tips.2.text": "Rửa tay thường xuyên."}
    assert ColumnMapping().apply(row, ["tips"]).data == {"tips": [
        {"heading": "Khẩu trang", "text": "Đeo khẩu trang nơi công cộng."},
        {"heading": "Khử khuẩn", "text": "Rửa tay thường xuyên."}]}


def test_map_options_files_and_constants(tmp_path: Path) -> None:
    mapping_file = tmp_path / "map.yaml"
    mapping_file.write_text("columns:\n  Tên phường: ward\n  Lời khuyên 1: tips.1\n"
                            "set:\n  cases: 0\n", encoding="utf-8")
    mapping = ColumnMapping.from_options([str(mapping_file), "Ngày=date"], ["tips.2=Rửa tay"])
    mapped = mapping.apply({"Tên phường": "Phường Đa Kao", "Ngày": "2021-09-13",
                            "Lời khuyên 1": "Đeo khẩu trang", "cases": "7"}, FIELDS)
    assert mapped.data == {"ward": "Phường Đa Kao", "date": "2021-09-13", "cases": "7",
                           "tips": ["Đeo khẩu trang", "Rửa tay"]}
    assert mapping.apply({"Tên phường": "P"}, FIELDS).data["cases"] == 0  # the constant


def test_overrides_and_conflicts() -> None:
    mapped = ColumnMapping().apply({"ward": "P", "_size": "story", "_theme": "official-red",
                                    "_layout": ""}, FIELDS)
    assert mapped.overrides == {"size": "story", "theme": "official-red"}
    with pytest.raises(DataError, match="conflicts"):
        ColumnMapping().apply({"tips": "a", "tips.1": "b"}, FIELDS)
    with pytest.raises(DataError, match="numbered from 1"):
        ColumnMapping().apply({"tips.0": "a"}, FIELDS)


def _pixel(path: Path, xy: tuple[int, int]) -> tuple[int, int, int]:
    with Image.open(path) as image:
        return image.convert("RGB").getpixel(xy)


def _hex(color: str) -> tuple[int, int, int]:
    return tuple(int(color[i:i + 2], 16) for i in (1, 3, 5))


def test_per_row_size_theme_and_layout_overrides_render(tmp_path: Path) -> None:
    rows = [
        {"ward": "Phường Bến Nghé", "date": "2021-09-13", "tips.1": "Đeo khẩu trang"},
        {"ward": "Phường Đa Kao", "date": "2021-09-13", "_size": "300x200,200x300"},
        {"ward": "Phường Tân Định", "date": "2021-09-13", "_theme": "official-red"},
        {"ward": "Phường 1", "date": "2021-09-13", "_layout": "banner"},
    ]
    shutil.copytree(BANNER, tmp_path / "banner")  # a row names layouts beside its data file
    data = write_csv(tmp_path / "rows.csv", rows)
    out = tmp_path / "out"
    assert batch(MINI, str(data), "-o", str(out), "--size", SMALL, "-j", "1", "-q",
                 "--name", "{row}-{layout}") == 0
    names = {p.name: p for p in outputs(out)}
    assert sorted(names) == sorted(["2-mini.png", "3-mini-300x200.png", "3-mini-200x300.png",
                                    "4-mini.png", "5-banner.png"])
    with Image.open(names["3-mini-300x200.png"]) as image:
        assert image.size == (300, 200)
    with Image.open(names["3-mini-200x300.png"]) as image:
        assert image.size == (200, 300)
    # The mini layout's top bar is the theme's primary colour: blue by default, red on row 4.
    blue = _hex(load_theme("health-blue").palette["primary"])
    red = _hex(load_theme("official-red").palette["primary"])
    assert np.allclose(_pixel(names["2-mini.png"], (100, 3)), blue, atol=2)
    assert np.allclose(_pixel(names["4-mini.png"], (100, 3)), red, atol=2)
    # Row 5 used the banner layout: the whole background is the primary colour.
    assert np.allclose(_pixel(names["5-banner.png"], (5, 190)), blue, atol=2)
    report = load_report(out / "batch-report.json")
    layouts = {o["name"]: o["layout"] for o in report["outcomes"]}
    assert layouts["5-banner"] == "banner" and layouts["2-mini"] == "mini"


def test_a_bad_override_fails_only_its_row(tmp_path: Path) -> None:
    rows = [{"ward": "Phường 1", "date": "2021-09-13", "_size": "huge"},
            {"ward": "Phường 2", "date": "2021-09-13", "_theme": "no-such-theme"},
            {"ward": "Phường 3", "date": "2021-09-13", "_layout": "no-such-layout"},
            {"ward": "Phường 4", "date": "2021-09-13"}]
    out = tmp_path / "out"
    code = batch(MINI, str(write_csv(tmp_path / "rows.csv", rows)), "-o", str(out), "--size",
                 SMALL, "-j", "1", "-q")
    assert code == 3
    report = load_report(out / "batch-report.json")
    status = {o["row"]: o["status"] for o in report["outcomes"]}
    assert status == {2: "failed", 3: "failed", 4: "failed", 5: "rendered"}
    errors = {o["row"]: o["error"] for o in report["outcomes"] if o["status"] == "failed"}
    assert all(errors[row].startswith(f"row {row}") for row in errors)
    assert "unknown size 'huge'" in errors[2]
    assert "unknown theme 'no-such-theme'" in errors[3]
    assert "unknown layout 'no-such-layout'" in errors[4]


def test_locale_option_and_per_row_override(tmp_path: Path) -> None:
    rows = [{"ward": "Phường 1", "date": "2021-09-13", "cases": 12345},
            {"ward": "Phường 1", "date": "2021-09-13", "cases": 12345, "_locale": "en"}]
    data = write_csv(tmp_path / "rows.csv", rows)
    args = ["--size", SMALL, "-j", "1", "-q", "--name", "{row}"]
    assert batch(MINI, str(data), "-o", str(tmp_path / "a"), *args) == 0
    assert batch(MINI, str(data), "-o", str(tmp_path / "b"), *args, "--locale", "en") == 0

    def pixels(path: Path) -> np.ndarray:
        with Image.open(path) as image:
            return np.asarray(image.convert("L"), dtype=np.int16)

    vi, en = pixels(tmp_path / "a" / "2.png"), pixels(tmp_path / "a" / "3.png")
    assert np.abs(vi - en).max() > 100  # 12.345 and 12,345 differ in ink
    assert np.array_equal(pixels(tmp_path / "b" / "2.png"), en)  # --locale en for every row
    assert np.array_equal(pixels(tmp_path / "b" / "3.png"), en)


def test_table_columns_feed_a_bundled_layout(tmp_path: Path) -> None:
    """prevention-tips takes a table of tips: tips.N.heading / tips.N.text columns fill it."""
    row = {"title": "Thực hiện tốt Thông điệp 5K để bảo vệ bản thân, gia đình và cộng đồng"}
    for number, (heading, text) in enumerate([
            ("Khẩu trang", "Đeo khẩu trang nơi công cộng và trên phương tiện giao thông."),
            ("Khử khuẩn", "Rửa tay thường xuyên bằng xà phòng hoặc dung dịch sát khuẩn."),
            ("Khoảng cách", "Giữ khoảng cách an toàn khi tiếp xúc với người khác.")], 1):
        row[f"tips.{number}.heading"], row[f"tips.{number}.text"] = heading, text
    out = tmp_path / "out"
    assert batch("prevention-tips", str(write_csv(tmp_path / "tips.csv", [row])), "-o", str(out),
                 "-j", "1", "-q", "--name", "{row}") == 0
    report = load_report(out / "batch-report.json")
    assert report["outcomes"][0]["status"] == "rendered" and report["ignored_columns"] == {}
    too_few = dict(row)
    del too_few["tips.3.heading"], too_few["tips.3.text"]
    code = batch("prevention-tips", str(write_csv(tmp_path / "few.csv", [too_few])), "-o",
                 str(tmp_path / "few"), "-j", "1", "-q")
    assert code == 3
    failed = load_report(tmp_path / "few" / "batch-report.json")["outcomes"][0]
    assert failed["field"] == "tips" and "at least 3" in failed["reason"]
