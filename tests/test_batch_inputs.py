"""Every input format gives the same rows, with the row numbers a user sees, and renders."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PIL import Image

from batch_support import MINI, SMALL, batch, load_report, outputs, ward_rows, write_csv, \
    write_format
from infographic.batch import read_rows
from infographic.errors import DataError


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".json", ".jsonl", ".yaml"])
def test_each_format_reads_the_same_rows(tmp_path: Path, suffix: str) -> None:
    rows = ward_rows(4)
    path = write_format(tmp_path / f"wards{suffix}", rows)
    read = list(read_rows(path))
    assert [r.values["ward"] for r in read] == [r["ward"] for r in rows]
    assert [str(r.values["tips.2"]) for r in read] == [r["tips.2"] for r in rows]
    assert [int(r.values["cases"]) for r in read] == [r["cases"] for r in rows]
    first = {".csv": 2, ".xlsx": 2, ".json": 1, ".jsonl": 1, ".yaml": 1}[suffix]
    assert [r.number for r in read] == list(range(first, first + 4))
    assert [r.index for r in read] == [0, 1, 2, 3]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".json", ".jsonl", ".yaml"])
def test_each_format_renders_one_image_per_row(tmp_path: Path, suffix: str) -> None:
    path = write_format(tmp_path / f"wards{suffix}", ward_rows(3))
    out = tmp_path / "out"
    code = batch(MINI, str(path), "-o", str(out), "--size", SMALL, "--jobs", "1",
                 "--name", "{ward}", "-q")
    assert code == 0
    files = outputs(out)
    assert [f.stem for f in files] == sorted(["Phường-Bến-Nghé", "Phường-Võ-Thị-Sáu",
                                               "Phường-Đa-Kao"])
    for file in files:
        with Image.open(file) as image:
            assert image.size == (200, 200)
    report = load_report(out / "batch-report.json")
    assert report["counts"]["rendered"] == 3 and report["exit_code"] == 0


def test_csv_as_excel_writes_it(tmp_path: Path) -> None:
    """BOM, semicolons (Vietnamese Excel), quoted line breaks, CRLF and blank lines."""
    path = tmp_path / "excel.csv"
    path.write_bytes("\ufeffward;date;tips\r\n\"Phường 1; Quận 3\";13/9/2021;\"Đeo khẩu trang\r\n"
                     "Rửa tay\"\r\n\r\nPhường 2;14/9/2021;\r\n".encode("utf-8"))
    rows = list(read_rows(path))
    assert [r.values["ward"] for r in rows] == ["Phường 1; Quận 3", "Phường 2"]
    assert rows[0].values["tips"] == "Đeo khẩu trang\r\nRửa tay"
    assert [r.number for r in rows] == [2, 3]


def test_csv_utf16_tab_separated(tmp_path: Path) -> None:
    """Excel's "Unicode text" export: UTF-16 with a BOM, tab-separated."""
    path = write_csv(tmp_path / "unicode.csv", ward_rows(2), delimiter="\t", encoding="utf-16")
    rows = list(read_rows(path))
    assert [r.values["ward"] for r in rows] == ["Phường Bến Nghé", "Phường Võ Thị Sáu"]


def test_csv_delimiter_option_and_bad_encoding(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "pipe.csv", ward_rows(2), delimiter="|")
    assert list(read_rows(path, delimiter="|"))[1].values["cases"] == "157"
    latin = tmp_path / "latin.csv"
    latin.write_bytes("ward\nPhu\xf2ng\n".encode("latin-1"))
    with pytest.raises(DataError, match="not UTF-8"):
        list(read_rows(latin))


def test_xlsx_types_and_sheet(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "Notes"
    book.active.append(["not the data"])
    sheet = book.create_sheet("Wards")
    sheet.append([None])  # a blank first row, as offices often leave
    sheet.append(["ward", "date", "cases"])
    sheet.append(["Phường Đa Kao", dt.datetime(2021, 9, 13), 1234])
    path = tmp_path / "book.xlsx"
    book.save(path)
    rows = list(read_rows(path, sheet="Wards"))
    assert rows[0].number == 3
    assert rows[0].values == {"ward": "Phường Đa Kao", "date": dt.date(2021, 9, 13),
                              "cases": 1234}
    with pytest.raises(DataError, match="no sheet 'Data'.*Notes, Wards"):
        list(read_rows(path, sheet="Data"))


def test_broken_jsonl_line_is_a_bad_row_not_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "rows.jsonl"
    path.write_text('{"ward": "Phường 1", "date": "2021-09-13"}\n{"ward": "Phường 2", \n'
                    '\n["not", "a", "row"]\n', encoding="utf-8")
    rows = list(read_rows(path))
    assert [r.number for r in rows] == [1, 2, 4]
    assert rows[0].problem is None and rows[0].values["ward"] == "Phường 1"
    assert "not valid JSON" in rows[1].problem
    assert "not an object" in rows[2].problem


def test_unknown_format_and_missing_file(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="cannot tell the format"):
        list(read_rows(tmp_path / "data.ods"))
    with pytest.raises(DataError, match="does not exist"):
        list(read_rows(tmp_path / "missing.csv"))
