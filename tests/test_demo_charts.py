"""The demo-charts layout: every chart block on one dashboard, at every size it declares."""

from __future__ import annotations

import re

import pytest
from defusedxml import ElementTree

import infographic
from infographic.authoring.geometry import check_artwork
from infographic.authoring.stress import stress_data
from infographic.fitreport import STATUSES
from infographic.layout.design import role_floor

from conftest import EXAMPLES, ocr, to_array, to_image

KINDS = {"big-number", "sparkline", "progress-ring", "progress-bar", "pictogram", "line-chart",
         "area-chart", "donut-chart", "pie-chart", "bar-chart", "column-chart",
         "stacked-bar-chart"}
#: Card titles keep the 24-unit floor and every chart text the 20-unit one, so each size shows
#: the cards that read there: square and portrait drop the three weekly charts (portrait the pie
#: too: its donut spans two columns), paper keeps the weekly cases instead of the pie, story the weekly columns instead of the pictogram, donut and
#: pie, and a landscape link preview keeps the total, the coverage and the trend. Where the
#: coverage card is too small for a ring that holds "98,5%" and "mũi 1" at the floor (square)
#: both doses are bars; landscape's one-line title leaves its cards room for the ring; square's
#: total card is too low for its sparkline.
SQUARE = KINDS - {"area-chart", "column-chart", "stacked-bar-chart", "progress-ring"}
PAPER = KINDS - {"area-chart", "stacked-bar-chart", "pie-chart"}
SHOWN = {"square": SQUARE - {"sparkline"}, "portrait": (SQUARE | {"progress-ring"}) - {"pie-chart"}, "a4": PAPER,
         "a3": PAPER,
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


@pytest.mark.parametrize("which", ["example", "minimum", "maximum"])
@pytest.mark.parametrize("size", infographic.load_layout("demo-charts").sizes)
def test_every_chart_text_is_at_its_floor(size, which, data):
    """Legends, centre labels, the big number's change and label, the pictogram's caption: every
    chart label at or above the caption floor (20 units on a screen; 10 pt on paper, in that
    sheet's units), recorded against it, and the render passes the geometry checks."""
    layout = infographic.load_layout("demo-charts")
    content = data if which == "example" else stress_data(layout, which)
    art = infographic.render("demo-charts", content, size=size)
    floor = role_floor("caption", art.size)
    assert art.fit_report.labels
    small = [(e.slot, e.text if hasattr(e, "text") else e.line_texts, e.size)
             for e in art.fit_report.labels if e.size < floor - 1e-6]
    assert not small, f"chart labels under the {floor:g}-unit caption floor at {size}: {small}"
    assert all(e.floor == floor and e.role == "caption" and e.status != "illegible"
               for e in art.fit_report.labels)
    problems = [f.message for f in check_artwork(art, minimum=which == "minimum",
                                                 safe_mm=layout.safe_area_mm)]
    assert not problems, problems


def test_a_chart_without_figures_says_so(data):
    """Wards listed without their counts and a coverage without figures: those cards say
    "Chưa có số liệu" (read back by OCR) instead of a blank card or a ring reading "0"; the
    cards with figures still draw their charts."""
    content = {**data, "districts": [{"label": "Phường 1"}, {"label": "Phường 4"}],
               "coverage": [{"label": "Đủ 2 mũi"}]}
    art = infographic.render("demo-charts", content, size="square")
    labels = [e.get("aria-label") for e in ElementTree.fromstring(art.svg.encode()).iter()]
    assert labels.count("Chưa có số liệu") == 2
    kinds = {c for e in ElementTree.fromstring(art.svg.encode()).iter()
             if "chart" in (e.get("class") or "").split() for c in e.get("class").split()[1:]}
    assert "donut-chart" not in kinds and "bar-chart" not in kinds and "pie-chart" in kinds
    assert "Chưa có số liệu" in ocr(to_image(art))


def test_a_donut_legend_sums_what_does_not_fit_into_khac():
    """A legend at the floor that cannot list every slice lists the largest and 'Khác' for the
    rest, and the chart draws the same slices (the shares add up to the whole)."""
    from infographic.blocks.charts import ChartKit, donut_chart
    kit = ChartKit()
    ages = [{"label": "Dưới 18", "value": 1800}, {"label": "18–49", "value": 7400},
            {"label": "50–64", "value": 3100}, {"label": "Từ 65", "value": 1600}]
    chart = donut_chart(ages, 0, 0, 320, 150, legible=True, kit=kit)
    texts = [label.text for label in chart.labels]
    assert "Khác" in texts and "Dưới 18" not in texts and "18–49" in texts
    assert all(label.size >= kit.floor for label in chart.labels)
    shares = [float(s) for s in re.findall(r'data-share="([0-9.]+)"', chart.svg)]
    assert len(shares) == texts.count("Khác") + sum(t in texts for t in ("18–49", "50–64",
                                                                          "Từ 65"))
    assert abs(sum(shares) - 1) < 1e-4
    roomy = donut_chart(ages, 0, 0, 600, 400, legible=True, kit=kit)
    assert "Khác" not in [label.text for label in roomy.labels]


@pytest.mark.parametrize("side", [70, 110, 150, 240])
def test_a_legible_ring_keeps_its_texts_inside_the_hole_at_the_floor(side):
    """A ring at any size: its share and label at or above the floor with every corner of their
    ink inside the hole, the label left out before anything shrinks; a ring too small for the
    share at the floor shows no text (the layout gives it a bar instead)."""
    from infographic.blocks.charts import ChartKit, progress_ring
    kit = ChartKit()
    ring = progress_ring(98.5, 0, 0, side, label="mũi 1", legible=True, kit=kit)
    inner = side / 2 * (1 - 0.16)
    for label in ring.labels:
        assert label.size >= kit.floor
        x, y, w, h = label.box
        for cx, cy in ((x, y), (x + w, y), (x, y + h), (x + w, y + h)):
            assert (cx - side / 2) ** 2 + (cy - side / 2) ** 2 <= inner ** 2 + 1e-6, label
    texts = [label.text for label in ring.labels]
    assert texts in ([], ["98,5%"], ["98,5%", "mũi 1"])
    if side >= 150:
        assert texts == ["98,5%", "mũi 1"]


def test_english_locale_changes_every_figure(data):
    art = infographic.render("demo-charts", data, size="square", locale="en")
    labels = {e.get("aria-label") for e in ElementTree.fromstring(art.svg.encode()).iter()}
    assert "7,605,092" in labels and "98.5%" in labels and "7.2 in 10 people" in labels
    assert "updated 5:00\u00a0PM, 9/13/2021" in labels
    assert "Other" in labels and "Khác" not in labels  # the legend's sum of the smaller slices
