"""A batch run end to end: bad rows, exit codes, the JSON report, progress output, sharding."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from PIL import Image

from batch_support import MINI, SMALL, batch, batch_process, load_report, outputs, ward_rows, \
    write_csv

LONG_TIP = "Thực hiện nghiêm Thông điệp 5K mỗi ngày"  # four of them overflow the slot


def _bad_rows(tmp_path: Path) -> Path:
    rows = ward_rows(6)
    rows[1]["date"] = "31/02/2021"          # row 3: not a date
    rows[2]["cases"] = "-5"                 # row 4: below the minimum
    rows[3]["ward"] = ""                    # row 5: required field empty
    rows[4]["tips.5"] = "Thêm một mục"      # row 6: a fifth list item, maximum is 4
    rows[4].update({"tips.3": "a", "tips.4": "b"})
    return write_csv(tmp_path / "bad.csv", rows)


def test_bad_rows_are_reported_and_the_rest_render(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = batch_process(MINI, str(_bad_rows(tmp_path)), "-o", str(out), "--size", SMALL,
                           "-j", "2", "--name", "{row}")
    assert result.returncode == 3, result.stderr
    assert sorted(p.name for p in outputs(out)) == ["2.png", "7.png"]
    for line in ("row 3, layout 'mini', field 'date': '31/02/2021' is not a date",
                 "row 4, layout 'mini', field 'cases': -5 is below the minimum",
                 "row 5, layout 'mini', field 'ward': is required",
                 "row 6, layout 'mini', field 'tips': has 5 items, the maximum is 4"):
        assert line in result.stderr
    assert "Traceback" not in result.stderr
    report = load_report(out / "batch-report.json")
    assert report["exit_code"] == 3
    assert report["counts"] == {"rendered": 2, "unchanged": 0, "failed": 4,
                                "with_fit_warnings": 0, "failed_rows": 4}
    failed = {o["row"]: o for o in report["outcomes"] if o["status"] == "failed"}
    assert {r: o["field"] for r, o in failed.items()} == {3: "date", 4: "cases", 5: "ward",
                                                           6: "tips"}
    assert failed[3]["reason"].startswith("'31/02/2021' is not a date")
    assert "batch: 2 rendered, 0 unchanged, 4 failed (4 row(s))" in result.stderr


def test_fit_warnings_exit_4_and_strict_fails_the_row(tmp_path: Path) -> None:
    rows = ward_rows(2)
    rows[1].update({f"tips.{i}": LONG_TIP for i in (1, 2, 3, 4)})
    data = write_csv(tmp_path / "long.csv", rows)
    out = tmp_path / "out"
    assert batch(MINI, str(data), "-o", str(out), "--size", SMALL, "-j", "1", "-q") == 4
    report = load_report(out / "batch-report.json")
    warned = [o for o in report["outcomes"] if o["warnings"]]
    assert [o["row"] for o in warned] == [3] and warned[0]["fit"] == "truncated"
    assert "tips" in warned[0]["warnings"][0]
    # The contact sheet highlights it.
    page = (out / "index.html").read_text(encoding="utf-8")
    assert page.count("class='card warn'") == 1 and "truncated" in page
    strict = tmp_path / "strict"
    assert batch(MINI, str(data), "-o", str(strict), "--size", SMALL, "-j", "1", "-q",
                 "--strict") == 3
    assert len(outputs(strict)) == 1


def test_unusable_inputs_exit_1_with_a_message(tmp_path: Path) -> None:
    data = write_csv(tmp_path / "rows.csv", ward_rows(1))
    result = batch_process("no-such-layout", str(data), "-o", str(tmp_path / "o"))
    assert result.returncode == 1 and "unknown layout 'no-such-layout'" in result.stderr
    result = batch_process(MINI, str(tmp_path / "missing.csv"), "-o", str(tmp_path / "o"))
    assert result.returncode == 1 and "does not exist" in result.stderr
    result = batch_process(MINI, str(data), "-o", str(tmp_path / "o"), "--shard", "3/2")
    assert result.returncode == 1 and "--shard" in result.stderr
    assert "Traceback" not in result.stderr


def test_log_lines_when_not_on_a_terminal(tmp_path: Path) -> None:
    result = batch_process(MINI, str(write_csv(tmp_path / "r.csv", ward_rows(4))), "-o",
                           str(tmp_path / "out"), "--size", SMALL, "-j", "1")
    assert result.returncode == 0
    lines = result.stderr.splitlines()
    assert lines[0] == "batch: 4 image(s) to check"
    assert any(l.startswith("batch: 2/4 (50%) ") and "/s, eta " in l for l in lines)
    assert "\x1b[" not in result.stderr  # no terminal control codes in logs


def _digests(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in outputs(folder)}


def test_shards_split_the_rows_and_together_equal_one_run(tmp_path: Path) -> None:
    rows = ward_rows(9)
    rows[3]["ward"] = rows[0]["ward"]  # a duplicate name: its "-2" must not depend on the shard
    data = write_csv(tmp_path / "rows.csv", rows)
    whole, split = tmp_path / "whole", tmp_path / "split"
    args = ["--size", SMALL, "-j", "1", "-q", "--name", "{ward}"]
    assert batch(MINI, str(data), "-o", str(whole), *args) == 0
    seen = []
    for index in (1, 2, 3):
        assert batch(MINI, str(data), "-o", str(split), *args, "--shard", f"{index}/3") == 0
        report = load_report(split / f"batch-report-{index}-of-3.json")
        seen.append(sorted(o["row"] for o in report["outcomes"]))
    assert seen == [[2, 5, 8], [3, 6, 9], [4, 7, 10]]
    assert sorted(p.name for p in split.glob("index*.html")) == [
        "index-1-of-3.html", "index-2-of-3.html", "index-3-of-3.html"]
    assert _digests(split) == _digests(whole) and len(_digests(whole)) == 9
    assert (split / "Phường-Bến-Nghé-2.png").is_file()
    # Each shard keeps its own state file; a rerun of all shards at once renders nothing.
    assert batch(MINI, str(data), "-o", str(split), *args) == 0
    assert load_report(split / "batch-report.json")["counts"]["unchanged"] == 9


def test_bind_pdf_zip_and_png_contact_sheet(tmp_path: Path) -> None:
    from pypdf import PdfReader
    import zipfile

    out = tmp_path / "out"
    data = write_csv(tmp_path / "rows.csv", ward_rows(5))
    assert batch(MINI, str(data), "-o", str(out), "--size", SMALL, "-j", "2", "-q",
                 "--name", "{ward}", "--bind", str(tmp_path / "print.pdf"),
                 "--zip", str(tmp_path / "all.zip"), "--contact-png") == 0
    reader = PdfReader(tmp_path / "print.pdf")
    assert len(reader.pages) == 5
    first = PdfReader(out / "Phường-Bến-Nghé.pdf").pages[0]
    assert [float(v) for v in reader.pages[0].mediabox] == [float(v) for v in first.mediabox]
    assert round(float(first.mediabox.width)) == 150  # 200 px at 96 px per inch, in points
    with zipfile.ZipFile(tmp_path / "all.zip") as archive:
        names = sorted(archive.namelist())
        assert archive.testzip() is None
    assert names == sorted(p.relative_to(out).as_posix() for suffix in (".png", ".pdf")
                           for p in outputs(out, suffix))
    assert len(names) == 10  # png + pdf per row
    pages = sorted((out / "_review").glob("contact-sheet-*.png"))
    assert len(pages) == 1
    with Image.open(pages[0]) as sheet:
        assert sheet.width > 1000 and sheet.height > 200
    page = (out / "index.html").read_text(encoding="utf-8")
    assert page.count("class='card '") == 5 and ">Phường-Đa-Kao<" in page
    for thumb in (out / "_review" / "thumbs").glob("*.png"):
        with Image.open(thumb) as image:
            assert max(image.size) <= 320
    report = json.loads((out / "batch-report.json").read_text(encoding="utf-8"))
    assert report["bound_pdf"].endswith("print.pdf") and report["zip"].endswith("all.zip")


def _crash_on_row_4(job):
    """A stand-in for a renderer that crashes hard (segfault, OOM kill) on one row."""
    import os

    from infographic.batch.worker import render_job

    if job.row == 4:
        os._exit(1)
    return render_job(job)


def test_a_row_that_kills_its_worker_fails_alone(tmp_path: Path, monkeypatch) -> None:
    from infographic.batch import BatchOptions, BatchSpec, run_batch
    from infographic.batch import executors

    monkeypatch.setattr(executors, "render_job", _crash_on_row_4)
    data = write_csv(tmp_path / "rows.csv", ward_rows(6))
    pool = executors.PoolExecutor(2)
    try:
        result = run_batch(BatchOptions(data, tmp_path / "out", BatchSpec(
            layout=MINI, sizes=(SMALL,), name_template="{row}"), quiet=True), pool)
    finally:
        pool.close()
    assert (result.rendered, result.failed, result.exit_code) == (5, 1, 3)
    report = load_report(tmp_path / "out" / "batch-report.json")
    failed = [o for o in report["outcomes"] if o["status"] == "failed"]
    assert [o["row"] for o in failed] == [4]
    assert "worker was killed while rendering" in failed[0]["error"]
    assert sorted(p.stem for p in outputs(tmp_path / "out")) == ["2", "3", "5", "6", "7"]


def test_rows_option_renders_a_range_as_the_spreadsheet_numbers_it(tmp_path: Path) -> None:
    data = write_csv(tmp_path / "rows.csv", ward_rows(6))
    out = tmp_path / "out"
    assert batch(MINI, str(data), "-o", str(out), "--size", SMALL, "-j", "1", "-q",
                 "--name", "{row}", "--rows", "3-5") == 0
    assert sorted(p.stem for p in outputs(out)) == ["3", "4", "5"]


def test_a_failed_hand_off_is_reported_and_the_rest_still_happen(tmp_path: Path) -> None:
    out = tmp_path / "out"
    data = write_csv(tmp_path / "rows.csv", ward_rows(2))
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the zip's folder should be", encoding="utf-8")
    result = batch_process(MINI, str(data), "-o", str(out), "--size", SMALL, "-j", "1",
                           "--name", "{row}", "--zip", str(blocked / "all.zip"))
    assert result.returncode == 3 and "error: zip: " in result.stderr
    report = load_report(out / "batch-report.json")
    assert report["counts"]["rendered"] == 2 and report["hand_off_errors"][0].startswith("zip")
    assert (out / "index.html").is_file()
