"""The demo-charts layout: every chart block on one dashboard, at every size it declares."""

from __future__ import annotations

import pytest
from defusedxml import ElementTree

import infographic
from infographic.fitreport import STATUSES

from conftest import EXAMPLES, to_array

KINDS = {"big-number", "sparkline", "progress-ring", "progress-bar", "pictogram", "line-chart",
         "area-chart", "donut-chart", "pie-chart", "bar-chart", "column-chart",
         "stacked-bar-chart"}
#: Card titles keep the 24-unit floor and axis labels the 20-unit one, so each size shows the
#: cards that read there: square and portrait drop the three weekly charts, paper keeps the weekly
#: cases instead of the pie, story the weekly columns instead of the pictogram, donut and pie, and
#: a landscape link preview keeps the total, the coverage and the trend.
SQUARE = KINDS - {"area-chart", "column-chart", "stacked-bar-chart"}
PAPER = KINDS - {"area-chart", "stacked-bar-chart", "pie-chart"}
SHOWN = {"square": SQUARE, "portrait": SQUARE, "a4": PAPER, "a3": PAPER,
         "story": KINDS - {"area-chart", "pictogram", "donut-chart", "pie-chart"},
         "landscape": {"big-number", "sparkline", "progress-ring", "progress-bar", "line-chart"}}
#: Chart labels that make an axis: the ticks, the dates, the category names.
AXIS_LABELS = ("tick", "date", "category")
CAPTION_FLOOR = 20


@pytest.fixture(scope="module")
def data():
    return infographic.datafile.load_data_file(EXAMPLES / "demo-charts.yaml")


@pytest.mark.parametrize("size", infographic.load_layout("demo-charts").sizes)
def test_renders_every_chart_at_every_size_without_truncation(size, data):
    art = infographic.render("demo-charts", data, size=size)
    assert STATUSES.index(art.fit_report.worst) <= STATUSES.index("shrunk"), \
        art.fit_report.format()
    assert art.fit_report.warnings == []
    root = ElementTree.fromstring(art.svg.encode("utf-8"))
    kinds = set()
    for element in root.iter():
        classes = (element.get("class") or "").split()
        if "chart" in classes:
            kinds.update(classes[1:])
            x, y, w, h = (float(v) for v in element.get("data-box").split())
            assert x >= 0 and y >= 0 and x + w <= art.size.canvas_width + 0.5 and \
                y + h <= art.size.canvas_height + 0.5
    assert kinds == SHOWN.get(size, KINDS)
    small = [(e.slot, e.size) for e in art.fit_report.labels
             if e.slot.split("#")[0] in AXIS_LABELS and e.size < CAPTION_FLOOR]
    assert not small, f"axis labels under the {CAPTION_FLOOR}-unit caption floor: {small}"
    pixels = to_array(art)
    assert pixels.std() > 40  # a real picture, not a blank page


def test_english_locale_changes_every_figure(data):
    art = infographic.render("demo-charts", data, size="portrait", locale="en")
    labels = {e.get("aria-label") for e in ElementTree.fromstring(art.svg.encode()).iter()}
    assert "7,605,092" in labels and "98.5%" in labels and "7.2 in 10 people" in labels
    assert "updated 5:00\u00a0PM, 9/13/2021" in labels
