"""Charts: geometry read back from the SVG (bar lengths, shares, ticks), labels inside the chart
and apart from each other, pixels outside the chart box left blank, and the edge cases."""

from __future__ import annotations

import datetime as dt
import io
import itertools
import math
import random

import cairosvg
import numpy as np
import pytest
from defusedxml import ElementTree
from PIL import Image

import infographic
from infographic.blocks.charts import (area_chart, bar_chart, big_number, donut_chart,
                                       line_chart, pictogram, pie_chart, progress_bar,
                                       progress_ring, sparkline, stacked_bar_chart)
from infographic.blocks.charts.axis import date_ticks, nice_ticks, tick_formatter
from infographic.blocks.charts.kit import Chart

NS = "{http://www.w3.org/2000/svg}"
LONG = ("Trạm Y tế phường Nguyễn Thái Bình và khu cách ly tập trung ký túc xá Đại học Quốc gia "
        "Thành phố Hồ Chí Minh")
DISTRICTS = [("Quận 1", 1234), ("Quận 3", 7605), ("Bình Thạnh", 0), ("Gò Vấp", 3120),
             ("Phú Nhuận", 860)]


def tree(chart: Chart):
    doc = (f'<svg xmlns="http://www.w3.org/2000/svg">{chart.svg}</svg>')
    return ElementTree.fromstring(doc.encode("utf-8"))


def elements(chart: Chart, cls: str) -> list:
    return [e for e in tree(chart).iter() if cls in (e.get("class") or "").split()]


def rects(chart: Chart, cls: str = "bar") -> list[dict]:
    out = []
    for e in elements(chart, cls):
        out.append({k: float(e.get(k)) for k in ("x", "y", "width", "height")} |
                   {"value": float(e.get("data-value")) if e.get("data-value") else None,
                    "label": e.get("data-label")})
    return out


def check_labels(chart: Chart, tolerance: float = 0.5) -> None:
    """Every label inside the chart's box, no two labels overlapping."""
    x, y, w, h = chart.box
    for label in chart.labels:
        lx, ly, lw, lh = label.box
        assert lx >= x - tolerance and lx + lw <= x + w + tolerance, (label.text, label.box)
        assert ly >= y - tolerance and ly + lh <= y + h + tolerance, (label.text, label.box)
    for a, b in itertools.combinations(chart.labels, 2):
        ax, ay, aw, ah = a.box
        bx, by, bw, bh = b.box
        overlap_x = min(ax + aw, bx + bw) - max(ax, bx)
        overlap_y = min(ay + ah, by + bh) - max(ay, by)
        assert overlap_x <= tolerance or overlap_y <= tolerance, (a.text, a.box, b.text, b.box)


def pixels(chart: Chart, canvas: tuple[int, int] = (1200, 800)) -> np.ndarray:
    w, h = canvas
    doc = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" '
           f'viewBox="0 0 {w} {h}"><rect width="{w}" height="{h}" fill="#FFFFFF"/>'
           f'{chart.svg}</svg>')
    png = cairosvg.svg2png(bytestring=doc.encode("utf-8"))
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=np.int16)


def assert_drawn_inside(chart: Chart, canvas: tuple[int, int] = (1200, 800)) -> None:
    """Nothing is painted outside the chart's box (1 px of antialiasing allowed)."""
    image = pixels(chart, canvas)
    x, y, w, h = chart.box
    ink = (np.abs(image - 255).sum(axis=2) > 30)
    assert ink.any(), "the chart drew nothing"
    inside = np.zeros_like(ink)
    inside[max(0, int(y) - 1):int(math.ceil(y + h)) + 1,
           max(0, int(x) - 1):int(math.ceil(x + w)) + 1] = True
    stray = ink & ~inside
    assert not stray.any(), f"{stray.sum()} pixels drawn outside the chart box"


# -- ticks -----------------------------------------------------------------------------------

@pytest.mark.parametrize("low, high", [(0, 7605092), (0, 98.5), (-4, 12.3), (0, 0), (5, 5),
                                       (0, 1e15), (0.001, 0.0042), (-3e6, -1e6), (0, 1),
                                       (13, 13.2)])
def test_ticks_are_nice_and_cover_the_data(low, high):
    ticks = nice_ticks(low, high)
    assert ticks.low <= min(low, 0) and ticks.high >= max(high, 0)
    assert 0 in ticks.values
    assert 2 <= len(ticks.values) <= 7
    mantissa = ticks.step / 10 ** math.floor(math.log10(ticks.step) + 1e-9)
    assert any(math.isclose(mantissa, m) for m in (1, 2, 5)), ticks.step
    gaps = {round(b - a, 9) for a, b in zip(ticks.values, ticks.values[1:])}
    assert len(gaps) == 1
    for value in ticks.values:
        assert math.isclose(value / ticks.step, round(value / ticks.step), abs_tol=1e-9)


@pytest.mark.parametrize("low, high, expected", [
    (0, 7605092, ["0", "2 triệu", "4 triệu", "6 triệu", "8 triệu"]),
    (0, 98.5, ["0", "20", "40", "60", "80", "100"]),
    (0, 36000, ["0", "10.000", "20.000", "30.000", "40.000"]),
    (0, 2.3, ["0", "0,5", "1,0", "1,5", "2,0", "2,5"]),
    (-4, 12.3, ["-5", "0", "5", "10", "15"]),
])
def test_tick_labels_in_vietnamese(low, high, expected):
    ticks = nice_ticks(low, high)
    fmt = tick_formatter(ticks)
    assert [fmt(v) for v in ticks.values] == expected


def test_date_ticks_pick_calendar_steps():
    days, fmt = date_ticks(dt.date(2021, 7, 10), dt.date(2021, 9, 13))
    assert all(d.weekday() == 0 for d in days)  # weeks start on Monday
    assert fmt(dt.date(2021, 9, 13)) == "13/9"
    months, fmt = date_ticks(dt.date(2021, 1, 1), dt.date(2021, 12, 31))
    assert all(d.day == 1 for d in months) and fmt(months[0]) == "1/2021"
    years, fmt = date_ticks(dt.date(2012, 1, 1), dt.date(2024, 3, 1))
    assert fmt(years[0]) == str(years[0].year)


# -- bars ------------------------------------------------------------------------------------

def test_column_heights_are_proportional_to_values():
    chart = bar_chart(DISTRICTS, 40, 40, 1000, 560)
    bars = rects(chart)
    assert [b["label"] for b in bars] == [d for d, _ in DISTRICTS]
    baseline = [b["y"] + b["height"] for b in bars]
    assert max(baseline) - min(baseline) <= 0.02  # all bars stand on the zero line
    ratios = [b["height"] / b["value"] for b in bars if b["value"]]
    assert max(ratios) - min(ratios) < 1e-3 * max(ratios)
    assert next(b for b in bars if b["value"] == 0)["height"] == 0
    assert len({round(b["width"], 3) for b in bars}) == 1
    check_labels(chart)
    assert_drawn_inside(chart, (1080, 640))


def test_value_labels_sit_on_their_bars_and_read_as_vietnamese_numbers():
    chart = bar_chart(DISTRICTS, 40, 40, 1000, 560)
    values = {label.text: label.box for label in chart.labels}
    assert {"1.234", "7.605", "0", "3.120", "860"} <= set(values)
    for bar in rects(chart):
        box = values[f"{bar['value']:,.0f}".replace(",", ".")]
        centre = box[0] + box[2] / 2
        assert abs(centre - (bar["x"] + bar["width"] / 2)) < 1
        assert box[1] + box[3] <= bar["y"] + 0.5  # above the bar, not on it


def test_ranked_horizontal_bars():
    chart = bar_chart(DISTRICTS, 40, 40, 1000, 500, orientation="horizontal", sort="desc",
                      highlight="Gò Vấp")
    bars = rects(chart)
    assert [b["value"] for b in bars] == sorted((v for _, v in DISTRICTS), reverse=True)
    assert [b["y"] for b in bars] == sorted(b["y"] for b in bars)
    ratios = [b["width"] / b["value"] for b in bars if b["value"]]
    assert max(ratios) - min(ratios) < 1e-3 * max(ratios)
    assert len({b["x"] for b in bars}) == 1
    fills = {e.get("data-label"): e.get("fill") for e in elements(chart, "bar")}
    assert fills["Gò Vấp"] == "#0B5394" and len(set(fills.values())) == 2
    check_labels(chart)
    assert_drawn_inside(chart, (1080, 600))


def test_negative_values_go_the_other_way_from_zero():
    data = [("Tuần 1", 120), ("Tuần 2", -45), ("Tuần 3", 30)]
    for orientation in ("vertical", "horizontal"):
        chart = bar_chart(data, 40, 40, 900, 500, orientation=orientation)
        bars = {b["label"]: b for b in rects(chart)}
        zero = elements(chart, "baseline")[0]
        if orientation == "vertical":
            zero_y = float(zero.get("y1"))
            assert math.isclose(bars["Tuần 1"]["y"] + bars["Tuần 1"]["height"], zero_y,
                                abs_tol=0.02)
            assert math.isclose(bars["Tuần 2"]["y"], zero_y, abs_tol=0.02)
            assert math.isclose(bars["Tuần 2"]["height"] / 45, bars["Tuần 1"]["height"] / 120,
                                rel_tol=1e-3)
        else:
            zero_x = float(zero.get("x1"))
            assert math.isclose(bars["Tuần 2"]["x"] + bars["Tuần 2"]["width"], zero_x,
                                abs_tol=0.02)
            assert math.isclose(bars["Tuần 1"]["x"], zero_x, abs_tol=0.02)
        assert any(label.text == "-45" for label in chart.labels)
        check_labels(chart)
        assert_drawn_inside(chart, (1000, 600))


def test_missing_values_are_marked_not_drawn_as_zero():
    chart = bar_chart([("A", 10), ("B", None), ("C", 5)], 0, 0, 600, 400)
    assert [b["label"] for b in rects(chart)] == ["A", "C"]
    assert [e.get("data-label") for e in elements(chart, "missing")] == ["B"]
    assert "–" in [label.text for label in chart.labels]


def test_all_zero_and_single_bar_still_draw_an_axis():
    chart = bar_chart([("A", 0), ("B", 0)], 0, 0, 600, 400, axis=True)
    assert [b["height"] for b in rects(chart)] == [0, 0]
    assert len(elements(chart, "bar-zero")) == 2
    assert [label.text for label in chart.labels if label.text in ("0", "1")]
    one = bar_chart([("Quận 1", 42)], 0, 0, 600, 400)
    assert len(rects(one)) == 1
    check_labels(one)


def test_long_category_names_are_wrapped_or_shortened_inside_their_band():
    data = [(LONG, 120), ("Quận 3", 80), (LONG + " (cơ sở 2)", 60)]
    chart = bar_chart(data, 40, 40, 1000, 500)
    names = [label for label in chart.labels if label.text in (LONG, LONG + " (cơ sở 2)")]
    assert len(names) == 2
    band = 1000 / 3
    for label in names:
        assert label.box[2] <= band
    assert len({round(label.size, 1) for label in chart.labels
                if label.text in (d for d, _ in data)}) == 1  # one size for all names
    check_labels(chart)
    horizontal = bar_chart(data, 40, 40, 1000, 400, orientation="horizontal")
    check_labels(horizontal)
    assert_drawn_inside(horizontal, (1080, 480))


def test_huge_numbers_use_compact_ticks_and_fit():
    data = [("Cả nước", 7.6e12), ("Hà Nội", 1.2e12), ("TP.HCM", 2.9e12)]
    chart = bar_chart(data, 40, 40, 900, 500, format="compact", axis=True)
    texts = [label.text for label in chart.labels]
    assert "7,6 nghìn tỷ" in texts and "8 nghìn tỷ" in texts
    check_labels(chart)
    assert_drawn_inside(chart, (1000, 600))


def test_365_bars_thin_their_labels():
    random.seed(7)
    data = [(f"{i + 1}", random.randint(0, 9000)) for i in range(365)]
    chart = bar_chart(data, 40, 40, 1000, 500)
    assert len(rects(chart)) == 365
    assert all(not label.text.endswith("…") for label in chart.labels)
    check_labels(chart)
    assert_drawn_inside(chart, (1080, 600))


def test_stacked_bars_sum_to_their_totals():
    rows = [{"label": f"Tuần {i}", "m1": 100 + 30 * i, "m2": 40 + 15 * i, "m3": None}
            for i in range(1, 6)]
    rows.append({"label": "Tuần 6", "m1": 0, "m2": 0, "m3": 0})
    chart = stacked_bar_chart(rows, ["m1", "m2", "m3"], 40, 40, 1000, 560,
                              names=["Mũi 1", "Mũi 2", "Mũi 3"])
    segments = rects(chart, "segment")
    per_px = {round(s["height"] / s["value"], 6) for s in segments}
    assert max(per_px) - min(per_px) < 1e-3 * max(per_px)
    for index, row in enumerate(rows[:5]):
        mine = [s for s, e in zip(segments, elements(chart, "segment"))
                if e.get("data-index") == str(index)]
        assert math.isclose(sum(s["height"] for s in mine) / (row["m1"] + row["m2"]),
                            next(iter(per_px)), rel_tol=1e-3)
        tops = sorted(mine, key=lambda s: s["y"])
        assert math.isclose(tops[0]["y"] + tops[0]["height"], tops[1]["y"], abs_tol=0.02)
    texts = [label.text for label in chart.labels]
    assert {"Mũi 1", "Mũi 2", "Mũi 3", "185", "0"} <= set(texts)
    check_labels(chart)
    assert_drawn_inside(chart, (1080, 640))


# -- lines -----------------------------------------------------------------------------------

def _series(days: int, missing=()):
    start = dt.date(2021, 1, 1)
    return [{"date": start + dt.timedelta(days=i),
             "value": None if i in missing else 1000 + 800 * math.sin(i / 20)}
            for i in range(days)]


def _path_points(element) -> list[tuple[float, float]]:
    d = element.get("d").replace("M", "").replace("Z", "")
    pairs = []
    for part in d.split("L"):
        numbers = part.split()
        pairs.append((float(numbers[0]), float(numbers[1])))
    return pairs


def test_line_chart_maps_dates_and_values_linearly():
    data = _series(60)
    chart = line_chart(data, 40, 40, 1000, 500)
    points = _path_points(elements(chart, "line")[0])
    assert len(points) == 60
    xs = [p[0] for p in points]
    steps = {round(b - a, 2) for a, b in zip(xs, xs[1:])}
    assert max(steps) - min(steps) <= 0.02  # one day, one step
    (_, y0), (_, y1) = points[0], points[30]
    slope = (y1 - y0) / (data[30]["value"] - data[0]["value"])
    for point, row in zip(points, data):
        assert math.isclose(point[1], y0 + slope * (row["value"] - data[0]["value"]),
                            abs_tol=0.02)
    assert any(label.text == "1/3" or label.text == "1/2" for label in chart.labels)
    check_labels(chart)
    assert_drawn_inside(chart, (1080, 600))


def test_missing_points_break_the_line():
    chart = line_chart(_series(30, missing={10, 11, 20}), 40, 40, 900, 400)
    runs = elements(chart, "line")
    assert [len(_path_points(r)) for r in runs] == [10, 8, 9]
    area = area_chart(_series(30, missing={10, 11}), 40, 40, 900, 400)
    assert len(elements(area, "area")) == 2


def test_one_point_and_365_points():
    one = line_chart(_series(1), 40, 40, 600, 400)
    assert len(elements(one, "point")) == 1 and not elements(one, "line")
    check_labels(one)
    year = line_chart(_series(365), 40, 40, 1000, 500)
    assert len(_path_points(elements(year, "line")[0])) == 365
    dates = [label for label in year.labels if label.text.endswith("/2021")]
    assert 3 <= len(dates) <= 8
    check_labels(year)
    assert_drawn_inside(year, (1080, 600))


def test_negative_and_huge_series():
    data = [{"date": f"2021-09-{d:02d}", "value": v} for d, v in
            zip(range(1, 8), [-5e9, 2e9, 7.6e9, None, 1e9, -2e9, 3e9])]
    chart = area_chart(data, 40, 40, 900, 450)
    texts = [label.text for label in chart.labels]
    assert "0" in texts and any(t.endswith("tỷ") for t in texts)
    check_labels(chart)
    assert_drawn_inside(chart, (1000, 550))


# -- parts of a whole ------------------------------------------------------------------------

def test_donut_slices_are_proportional_and_legend_fits():
    data = [("Đã tiêm 2 mũi", 5200000), ("Mới tiêm 1 mũi", 1800000), ("Chưa tiêm", 605092),
            ("Không rõ", 0)]
    chart = donut_chart(data, 40, 40, 1000, 420, center_label="người trên 18 tuổi")
    shares = [float(e.get("data-share")) for e in elements(chart, "slice")]
    total = 7605092
    assert [round(s, 6) for s in shares] == [round(v / total, 6) for _, v in data[:3]]
    texts = [label.text for label in chart.labels]
    assert "7.605.092" in texts and "5.200.000 · 68,4%" in texts
    assert all(label.status in ("fit", "shrunk") for label in chart.labels)
    check_labels(chart)
    assert_drawn_inside(chart, (1080, 500))


def test_pie_of_zeros_and_negatives():
    empty = pie_chart([("A", 0), ("B", 0)], 0, 0, 600, 300)
    assert elements(empty, "empty") and not [e for e in elements(empty, "slice")
                                             if "empty" not in e.get("class")]
    mixed = donut_chart([("A", 3), ("B", -1), ("C", 1)], 0, 0, 600, 300)
    assert [e.get("data-label") for e in elements(mixed, "slice")] == ["A", "C"]


@pytest.mark.parametrize("value, expected", [(98.5, "98,5%"), (0, "0%"), (130, "130%"),
                                             (None, "–")])
def test_progress_ring_and_bar(value, expected):
    ring = progress_ring(value, 20, 20, 300, label="Tỷ lệ tiêm mũi 1")
    assert expected in [label.text for label in ring.labels]
    check_labels(ring)
    bar = progress_bar(value, 20, 20, 800, 90, label="Tiêm mũi 2")
    assert expected in [label.text for label in bar.labels]
    track = rects(bar, "track")[0]
    filled = rects(bar, "progress")
    share = min(1.0, (value or 0) / 100)
    if share:
        assert math.isclose(filled[0]["width"], track["width"] * share, rel_tol=1e-3)
    else:
        assert not filled
    check_labels(bar)
    assert_drawn_inside(bar, (900, 200))


def test_big_number_with_delta_and_sparkline():
    chart = big_number(7605092, 40, 40, 500, 300, label="liều vắc xin đã tiêm", delta=-4,
                       good="down", series=[5, 7, None, 6, 9, 8])
    texts = {label.text: label for label in chart.labels}
    assert "7.605.092" in texts and "▼\u00a04" in texts
    delta = [e for e in tree(chart).iter() if e.get("data-slot") == "delta"][0]
    assert delta.get("fill") == "#1B7F3B"  # a fall in cases is good news
    lines = [e for e in elements(chart, "sparkline") if e.tag == f"{NS}path"]
    assert len(lines) == 2  # the gap splits it
    check_labels(chart)
    assert_drawn_inside(chart, (600, 400))
    assert elements(sparkline([3], 0, 0, 100, 30), "last-point")


@pytest.mark.parametrize("value, full, part", [(3, 3, None), (3.5, 3, 0.5), (0, 0, None),
                                               (10, 10, None), (12, 10, None)])
def test_pictogram_colours_value_of_total(value, full, part):
    chart = pictogram(value, 20, 20, 600, 260, total=10, caption=True)
    assert len(elements(chart, "icon")) == 10 + (1 if part else 0)
    assert len(elements(chart, "full")) == full
    parts = [float(e.get("data-part")) for e in elements(chart, "fill-part")]
    assert parts == ([part] if part else [])
    check_labels(chart)
    assert_drawn_inside(chart, (700, 320))


@pytest.mark.parametrize("part", [0.2, 0.5, 0.8])
def test_figure_pictogram_fills_a_fraction_by_area_from_the_feet(part):
    """0,2 of a person is a fifth of the figure's ink, rising from the feet (not one arm): the
    full colour covers ``part`` of the figure's pixels, and only its lower part."""
    chart = pictogram(part, 0, 0, 300, 500, total=1, icon="figure", color="#000000",
                      empty_color="#C0C0C0")
    image = pixels(chart, (300, 500))
    dark = (image.sum(axis=2) < 150)
    grey = (np.abs(image - 192).sum(axis=2) < 60)
    assert dark.sum() / (dark.sum() + grey.sum()) == pytest.approx(part, abs=0.03)
    rows = np.nonzero(dark.any(axis=1))[0]
    figure_rows = np.nonzero((dark | grey).any(axis=1))[0]
    assert rows.max() == pytest.approx(figure_rows.max(), abs=2)  # it starts at the feet
    assert rows.min() > figure_rows.min() + 10  # and does not reach the head


def test_pictogram_caption_reads_three_in_ten():
    chart = pictogram(3, 0, 0, 600, 260, caption=True)
    assert [label.text for label in chart.labels] == ["3 trên 10 người"]


# -- from a template -------------------------------------------------------------------------

def test_charts_are_template_blocks_themed_and_localised(tmp_path):
    (tmp_path / "layout.yaml").write_text(
        "name: chart-test\nsizes: [square]\nfields:\n  cases:\n    type: table\n"
        "    columns: {label: {type: text}, value: {type: number}}\n"
        "    sample: [{label: Quận 1, value: 1234.5}, {label: Quận 3, value: 7605}]\n"
        "slots: {}\n", encoding="utf-8")
    (tmp_path / "template.svg.j2").write_text(
        '<rect width="1080" height="1080" fill="{{ theme.background }}"/>'
        '{{ bar_chart(cases, x=80, y=80, width=920, height=900, highlight="Quận 3") }}',
        encoding="utf-8")
    vi = infographic.render(tmp_path, theme="official-red")
    root = ElementTree.fromstring(vi.svg.encode("utf-8"))
    bars = [e for e in root.iter(f"{NS}rect") if e.get("class") == "bar"]
    assert [e.get("fill") for e in bars] == ["#D29A94", "#A50E0E"] or \
        bars[1].get("fill") == "#A50E0E"
    labels = [e.get("aria-label") for e in root.iter(f"{NS}g") if e.get("aria-label")]
    assert "1.234,5" in labels
    en = infographic.render(tmp_path, locale="en")
    root = ElementTree.fromstring(en.svg.encode("utf-8"))
    assert "1,234.5" in [e.get("aria-label") for e in root.iter(f"{NS}g")]


def test_pictogram_with_a_bundled_icon_and_an_unknown_one():
    chart = pictogram(2.5, 20, 20, 600, 200, total=5, icon="mask", color="accent")
    assert len(elements(chart, "full")) == 2
    assert [float(e.get("data-part")) for e in elements(chart, "fill-part")] == [0.5]
    assert_drawn_inside(chart, (700, 260))
    with pytest.raises(infographic.LayoutError, match="pictogram"):
        pictogram(1, 0, 0, 300, 100, icon="no-such-icon-anywhere")


def test_stacked_negative_parts_stack_down_and_their_total_sits_below():
    rows = [{"label": "T1", "a": 30, "b": -10}, {"label": "T2", "a": -20, "b": -15},
            {"label": "T3", "a": None, "b": None}]
    chart = stacked_bar_chart(rows, ["a", "b"], 20, 20, 500, 400)
    zero = float(elements(chart, "baseline")[0].get("y1"))
    t2 = [s for s, e in zip(rects(chart, "segment"), elements(chart, "segment"))
          if e.get("data-index") == "1"]
    assert all(s["y"] >= zero - 0.02 for s in t2)
    total = next(label for label in chart.labels if label.text == "-35")
    assert total.box[1] >= max(s["y"] + s["height"] for s in t2) - 0.5
    check_labels(chart)
    assert_drawn_inside(chart, (560, 460))


def test_hundreds_of_ranked_rows_keep_readable_names_and_gain_an_axis():
    random.seed(5)
    data = [(f"Phường {i}", random.randint(0, 5000)) for i in range(365)]
    chart = bar_chart(data, 40, 40, 1000, 560, orientation="horizontal", sort="desc")
    assert len(rects(chart)) == 365
    names = [label for label in chart.labels if label.text.startswith("Phường")]
    assert 5 <= len(names) < 365 and min(label.size for label in names) >= 12
    assert elements(chart, "grid") and "5.000" in [label.text for label in chart.labels]
    check_labels(chart)
    assert_drawn_inside(chart, (1080, 640))
    few = bar_chart(data[:5], 40, 40, 1000, 400, orientation="horizontal")
    assert not elements(few, "grid")  # values written beside the bars are the scale


def test_small_donut_never_cuts_a_number_short():
    data = [("Đủ 2 mũi", 281000), ("Mới 1 mũi", 103000), ("Chưa tiêm", 6000)]
    for width, height in ((200, 170), (260, 200), (420, 260)):
        chart = donut_chart(data, 0, 0, width, height, center_label="người")
        assert all(label.status in ("fit", "shrunk") for label in chart.labels), \
            [(label.text, label.status) for label in chart.labels]
        assert all(label.size >= 12 for label in chart.labels)
        check_labels(chart)


def _random_values(rng: random.Random, count: int) -> list:
    scale = rng.choice([1, 100, 10_000, 7_605_092, 3e12])
    return [None if rng.random() < 0.15 else
            round(rng.uniform(-0.3 if rng.random() < 0.3 else 0, 1) * scale, rng.choice([0, 1]))
            for _ in range(count)]


@pytest.mark.parametrize("seed", range(40))
def test_random_data_and_boxes_keep_labels_whole_inside_and_apart(seed):
    """Whatever the data and box: no number is cut short, nothing leaves the box, no two labels
    collide."""
    rng = random.Random(seed)
    width, height = rng.randint(260, 1000), rng.randint(180, 600)
    count = rng.choice([1, 2, 5, 12, 40])
    values = _random_values(rng, count)
    names = [rng.choice(["Quận 1", "Phường Võ Thị Sáu", LONG, "Bình Thạnh", "Tây Hồ"])
             for _ in range(count)]
    start = dt.date(2021, 7, 1)
    charts = [
        bar_chart(list(zip(names, values)), 10, 10, width, height),
        bar_chart(list(zip(names, values)), 10, 10, width, height, orientation="horizontal",
                  sort="desc"),
        line_chart([{"date": start + dt.timedelta(days=i), "value": v}
                    for i, v in enumerate(values)], 10, 10, width, height),
        stacked_bar_chart([{"label": n, "a": v, "b": v and abs(v) / 2} for n, v in
                           zip(names, values)], ["a", "b"], 10, 10, width, height),
        donut_chart([(n, abs(v) if v else v) for n, v in zip(names[:5], values[:5])], 10, 10,
                    width, height),
        big_number(values[0], 10, 10, width, height, label="ca mắc", delta=values[-1],
                   series=values),
    ]
    for chart in charts:
        numbers = [label for label in chart.labels
                   if any(c.isdigit() for c in label.text) and label.text not in names]
        assert all(label.status in ("fit", "shrunk") for label in numbers), \
            (chart.kind, [(label.text, label.status) for label in numbers])
        check_labels(chart)
