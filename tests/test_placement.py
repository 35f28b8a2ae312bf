"""One text-placement service (infographic/placement.py): slots, chart labels, the icon sheet
and the print slug are set, placed and recorded the same way."""

from __future__ import annotations

import io
from collections import Counter

from PIL import Image

import infographic
from infographic.blocks.charts import bar_chart
from infographic.blocks.charts.kit import ChartKit
from infographic.fitreport import FitReport
from infographic.media.icons import contact_sheet
from infographic.placement import TextPlacer
from infographic.scene import Scene
from infographic.text.fit import TextStyle
from infographic.text.fonts import default_registry


def test_every_placed_text_is_in_the_fit_report_under_the_name_it_is_drawn_with():
    for layout in ("demo-charts", "key-statistics", "daily-trend"):
        art = infographic.render(layout, size="square")
        assert art.scene is not None
        placed = Counter(run.slot for run in art.scene.texts)
        reported = Counter(e.slot for e in [*art.fit_report.entries, *art.fit_report.labels])
        assert placed == reported, layout
        assert art.fit_report.labels or layout != "demo-charts"


def test_a_chart_label_with_a_missing_character_is_a_finding_like_a_slot():
    report, scene = FitReport("test", "square"), Scene()
    kit = ChartKit(report=report, scene=scene)
    bar_chart([{"label": "Phường Bến Nghé 中", "value": 12}, {"label": "Đa Kao", "value": 8}],
              x=0, y=0, width=600, height=300, kit=kit)
    missing = report.of_kind("missing-glyph")
    assert missing, report.findings
    assert "中" in missing[0].message and missing[0].message.startswith("chart label")
    assert any("中" in e.missing_chars for e in report.labels)
    assert not report.entries  # labels are not slots: worst/ok stay about the layout's slots


def test_measuring_places_and_records_nothing():
    report, scene = FitReport("test", "square"), Scene()
    placer = TextPlacer(default_registry(), report, scene)
    style = TextStyle(size=40, min_size=20, max_lines=2, overflow="truncate")
    text = "Tiêm vắc xin phòng COVID-19 cho trẻ từ 5 đến dưới 12 tuổi"
    wide = placer.measure(text, style)
    assert wide > 600 and placer.height(text, style, wide + 1) < placer.height(text, style, 300)
    small = placer.common_size([(text, 300, 100), ("Ngắn", 300, 100)], style)
    assert 20 <= small < 40
    assert not scene.texts and not report.entries and not report.findings
    placed = placer.place(text, style, (10, 10, 300, 100), "lead")
    assert placed.run == 0 and placed.index == 0 and report.entries[0].slot == "lead"
    assert placed.fitted.size == small  # the size common_size found is the size it is set at


def test_the_icon_sheet_sets_its_names_through_the_service():
    sheet = Image.open(io.BytesIO(contact_sheet(columns=6, cell=140)))
    assert sheet.width == 6 * 140 + 48
    dark = sum(sheet.convert("L").histogram()[:120])
    assert dark > 5000  # icons and their names are drawn
