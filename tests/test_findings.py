"""Typed findings (infographic/findings.py): fit, missing glyphs, contrast, charts; a strict
FitError names its slot, so a batch never renders twice to explain a failure."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import infographic
from infographic.errors import FitError

from batch_support import MINI, SMALL, batch, load_report, ward_rows, write_csv

SAMPLE = infographic.load_layout("announcement").sample_data()
LONG_TIP = "Thực hiện nghiêm Thông điệp 5K mỗi ngày"  # four of them overflow the slot


def test_a_strict_failure_carries_its_slot_and_finding():
    data = {**infographic.load_layout(MINI).sample_data(), "tips": [LONG_TIP] * 4}
    lenient = infographic.render(MINI, data, size=SMALL)
    fit = lenient.fit_report.of_kind("fit")
    assert fit and all(f.slot and f.severity == "warning" for f in fit)
    assert [f.message for f in lenient.fit_report.findings] == lenient.fit_report.warnings
    with pytest.raises(FitError) as raised:
        infographic.render(MINI, data, size=SMALL, strict=True)
    error = raised.value
    assert error.field == fit[0].slot and error.finding is not None
    assert error.finding.kind == "fit" and error.finding.slot == error.field


def test_missing_glyphs_and_chart_labels_are_typed():
    art = infographic.render("announcement", {**SAMPLE, "title": "Tiêm mũi 3 中"},
                             size="square")
    missing = art.fit_report.of_kind("missing-glyph")
    assert [f.slot for f in missing] == ["title"] and "中" in missing[0].message
    report = json.loads(json.dumps(art.fit_report.to_dict()))
    assert report["findings"][0]["kind"] == "missing-glyph"


def test_batch_reports_the_slot_of_a_strict_failure_from_one_render(tmp_path: Path):
    rows = ward_rows(2)
    rows[1].update({f"tips.{i}": LONG_TIP for i in (1, 2, 3, 4)})
    data = write_csv(tmp_path / "long.csv", rows)
    out = tmp_path / "strict"
    assert batch(MINI, str(data), "-o", str(out), "--size", SMALL, "-j", "1", "-q",
                 "--strict") == 3
    failed = [o for o in load_report(out / "batch-report.json")["outcomes"]
              if o["status"] == "failed"]
    assert len(failed) == 1 and failed[0]["field"].startswith("tips")


def test_chart_labels_are_in_the_fit_report():
    art = infographic.render("demo-charts", size="square")
    labels = art.fit_report.labels
    assert len(labels) > 20 and len({e.slot for e in labels}) == len(labels)  # named once each
    width, height = art.size.canvas_width, art.size.canvas_height
    for entry in labels:
        x, y, w, h = entry.box
        assert 0 <= x and x + w <= width + 1 and 0 <= y and y + h <= height + 1, entry
        assert entry.status in ("fit", "shrunk") and entry.drawn
    placed = [run for run in art.scene.texts if run.slot not in {e.slot for e in art.fit_report}]
    assert len(placed) == len(labels)  # every chart label drawn is reported
    assert len(art.fit_report.to_dict()["labels"]) == len(labels)
    assert f"chart labels: {len(labels)}" in art.fit_report.format()


def test_the_batch_report_carries_typed_findings_and_the_sheet_filters_by_kind(tmp_path: Path):
    rows = ward_rows(2)
    rows[1].update({f"tips.{i}": LONG_TIP for i in (1, 2, 3, 4)})
    data = write_csv(tmp_path / "long.csv", rows)
    out = tmp_path / "out"
    args = (MINI, str(data), "-o", str(out), "--size", SMALL, "-j", "1", "-q", "--contact-png")
    assert batch(*args) == 4
    report = load_report(out / "batch-report.json")
    assert report["finding_kinds"] == {"fit": 1}
    warned = [o for o in report["outcomes"] if o["findings"]]
    assert [o["row"] for o in warned] == [3]
    findings = warned[0]["findings"]
    assert {f["kind"] for f in findings} == {"fit"}
    assert all(f["slot"].startswith("tips") and f["severity"] == "warning" for f in findings)
    assert [f["message"] for f in findings] == warned[0]["warnings"]  # the old field is kept
    page = (out / "index.html").read_text(encoding="utf-8")
    assert page.count("data-kinds='fit'") == 1 and "<option value='fit'>fit (1)</option>" in page
    assert page.count("<span class='kind'>fit</span>") == len(findings)
    # A rerun finds the outputs up to date and reports their findings from the batch's state.
    assert batch(*args) == 4
    again = load_report(out / "batch-report.json")
    unchanged = [o for o in again["outcomes"] if o["findings"]]
    assert [o["status"] for o in unchanged] == ["unchanged"]
    assert unchanged[0]["findings"] == findings and again["finding_kinds"] == {"fit": 1}
