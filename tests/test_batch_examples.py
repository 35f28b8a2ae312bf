"""The bundled batch examples render on the bundled layouts, and each row's text is in its image
(read back by OCR): the README's example works."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from PIL import Image

from batch_support import batch, load_report, outputs
from conftest import EXAMPLES, cer, ocr

pytestmark = pytest.mark.slow  # OCR


def test_notices_yaml_on_the_announcement_layout(tmp_path: Path) -> None:
    out = tmp_path / "notices"
    assert batch("announcement", str(EXAMPLES / "batch" / "notices.yaml"), "-o", str(out),
                 "--size", "portrait", "--name", "{ward}-{number}", "-q", "-j", "2") == 0
    assert [p.name for p in outputs(out)] == ["Phường-4-21-TB-BCĐ.png", "Phường-9-18-TB-BCĐ.png",
                                              "Phường-Võ-Thị-Sáu-15-TB-BCĐ.png"]
    with Image.open(out / "Phường-4-21-TB-BCĐ.png") as image:
        assert image.size == (1080, 1350)
        text = ocr(image.convert("RGB"))
    lines = [" ".join(line.split()) for line in text.splitlines()]
    # The row's own words, not another row's: its body paragraph and its signer.
    body = ("Huy động sức mạnh đoàn kết của Nhân dân vào công tác phòng, chống dịch Covid-19, "
            "thực hiện “mục tiêu kép”.")
    joined = " ".join(l for l in lines if l)
    start = joined.find("Huy động")
    assert start >= 0, text
    assert cer(body, joined[start:start + len(body)]) < 0.08, text
    assert "Ban Chỉ đạo Phường 4" in lines and "Số: 21-TB/BCĐ" in joined


def test_wards_csv_on_the_key_statistics_layout(tmp_path: Path) -> None:
    out = tmp_path / "wards"
    assert batch("key-statistics", str(EXAMPLES / "batch" / "wards.csv"), "-o", str(out),
                 "--name", "{ward}-{updated}", "--rows", "2-3", "-q", "-j", "1") == 0
    with (EXAMPLES / "batch" / "wards.csv").open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))[:2]
    report = load_report(out / "batch-report.json")
    assert [o["name"] for o in report["outcomes"]] == [
        f"{r['ward'].replace(' ', '-')}-13-09-2021" for r in rows]
    for row, outcome in zip(rows, report["outcomes"]):
        assert outcome["fit"] in ("fit", "shrunk") and not outcome["warnings"]
        with Image.open(out / outcome["files"][0]) as image:
            words = ocr(image.convert("RGB"), psm=11).split()  # sparse text: the figure cards
        for column in ("recoveries", "vaccinations"):
            figure = f"{int(row[column]):,}".replace(",", ".")  # vi-VN thousands: 31.972
            assert figure in words, (column, figure, words)
        assert " ".join(["Trạm", "Y", "tế", *row["ward"].split()]) in " ".join(words), words
