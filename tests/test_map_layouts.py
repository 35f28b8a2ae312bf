"""The map layouts (risk-map, map-figures) with their example data: golden images at every
preset, ward names read back by OCR from the rendered map, the labels' geometry in a real render
(no two overlap, each inside the canvas, asking for a type step and set at least at the
caption floor), and the fit report naming
what did not join."""

from __future__ import annotations

import re

import pytest
from PIL import Image, ImageOps

import infographic
from infographic.authoring import thumbnail
from infographic.datafile import load_data_file
from infographic.errors import FitError
from infographic.layout.design import TYPE_STEPS, canvas_scale, role_floor

from conftest import EXAMPLES, cer, ocr
from test_layout_goldens import GOLDEN_DIR, SIZES, UPDATE, as_array, render_gray, similarity
from test_layout_goldens import MAX_BAD_FRACTION, MIN_MEAN

LAYOUTS = ["risk-map", "map-figures"]


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("name", LAYOUTS)
def test_render_matches_golden(name, size):
    golden_path = GOLDEN_DIR / f"{name}-{size}.png"
    actual = render_gray(name, size)
    if UPDATE:
        actual.save(golden_path, optimize=True)
        pytest.skip(f"golden written: {golden_path}")
    assert golden_path.is_file(), (f"no golden {golden_path}: create it with "
                                   "INFOGRAPHIC_UPDATE_GOLDENS=1 python -m pytest -q "
                                   "tests/test_map_layouts.py")
    mean, bad = similarity(as_array(actual), as_array(Image.open(golden_path).convert("L")))
    assert mean >= MIN_MEAN and bad <= MAX_BAD_FRACTION, (
        f"{name} at {size} differs from its golden: mean SSIM {mean:.3f}, {bad:.1%} bad windows")


def _example(name):
    return load_data_file(EXAMPLES / f"{name}.yaml")


def _map_labels(art):
    return [e for e in art.fit_report.labels if e.slot.split("#")[0] == "map-label"]


@pytest.mark.slow
@pytest.mark.parametrize("size", ["story", "a4"])
def test_ocr_reads_the_ward_labels_back(size):
    art = infographic.render("risk-map", _example("risk-map"), size=size, assets=[EXAMPLES])
    labels = _map_labels(art)
    assert len(labels) >= 11  # every ward named inside its area at these sizes
    assert not _misread(art, labels)


@pytest.mark.slow
@pytest.mark.parametrize("size", ["square", "portrait", "landscape", "a4"])
def test_ocr_reads_the_highest_provinces_back_on_the_figures_map(size):
    """map-figures names the provinces it lists as the highest on the map too (beside them
    with a leader line where they are too small for their name), legibly."""
    data = _example("map-figures")
    art = infographic.render("map-figures", data, size=size)
    labels = [e for e in art.fit_report.labels
              if e.slot.split("#")[0] in ("map-callout", "map-label")]
    listed = [e for e in art.fit_report.entries if e.slot.split("#")[0] == "name"]
    assert len(labels) == len(listed) >= 3
    highest = sorted(data["rows"], key=lambda row: -row["value"])[:len(listed)]
    assert {_label_text(art, e) for e in labels} == {row["name"] for row in highest}
    assert not _misread(art, labels, margin=(4, 3))  # inside the frame round a callout's name


def _misread(art, labels, margin=(8, 6)):
    """The labels OCR does not read back (character error rate over 0.2), as (drawn, read),
    each read from its box and ``margin`` units round it."""
    image = thumbnail(art, 2400)
    scale = image.width / art.size.canvas_width
    misread = []
    for entry in labels:
        x, y, w, h = entry.content_box
        mx, my = margin
        crop = image.crop((int((x - mx) * scale), int((y - my) * scale),
                           int((x + w + mx) * scale), int((y + h + my) * scale)))
        text = ocr(crop, psm=6)
        expected = _label_text(art, entry)
        if cer(expected, text) > 0.2:  # again as black ink on white (tesseract's best case)
            text = ocr(_ink_on_white(crop), psm=6)
        if cer(expected, text) > 0.2:
            misread.append((expected, text.strip()))
    return misread


def _ink_on_white(crop):
    gray = ImageOps.grayscale(crop)
    histogram = gray.histogram()
    fill = histogram.index(max(histogram))  # the area's colour; the ink is the far extreme
    darkest, lightest = gray.getextrema()
    if lightest - fill > fill - darkest:  # white names on the darker levels
        gray = ImageOps.invert(gray)
    return ImageOps.autocontrast(gray)


def _label_text(art, entry):
    """The text of a placed label, from the scene (what was drawn)."""
    for run in art.scene.texts:
        if run.slot == entry.slot:
            return run.text
    raise AssertionError(f"no scene text for {entry.slot}")


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("name", LAYOUTS)
def test_map_labels_do_not_overlap_and_stay_legible(name, size):
    art = infographic.render(name, _example(name), size=size, assets=[EXAMPLES])
    labels = [e for e in art.fit_report.labels if e.slot.startswith("map-")]
    assert labels, "the legend at least is labelled"
    boxes = [(e.slot, e.content_box) for e in labels]
    for index, (first, a) in enumerate(boxes):
        assert 0 <= a[0] and a[0] + a[2] <= art.size.canvas_width + 0.5, first
        assert 0 <= a[1] and a[1] + a[3] <= art.size.canvas_height + 0.5, first
        for second, b in boxes[index + 1:]:
            overlap = (min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0]),
                       min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1]))
            assert not (overlap[0] > 0.5 and overlap[1] > 0.5), f"{first} overlaps {second}"
    # every name, number and legend entry asks for a type step × k and is set at least at the
    # caption floor (on paper its size in points)
    k = canvas_scale(art.size.canvas_width, art.size.canvas_height)
    steps = {round(step * k * 2) / 2 for step in TYPE_STEPS.values()}
    floor = role_floor("caption", art.size)
    for entry in labels:
        assert any(abs(entry.max_size - s) <= 0.02 for s in steps), (entry.slot, entry.max_size)
        assert entry.size >= floor - 0.01, (entry.slot, entry.size, floor)
    # a name set beside its area (a callout) is joined to it by a leader line ending at its box
    ends = [(float(x), float(y)) for x, y in re.findall(
        r'<line class="map-leader" x1="[^"]*" y1="[^"]*" x2="([^"]*)" y2="([^"]*)"', art.svg)]
    for entry in labels:
        if entry.slot.split("#")[0] != "map-callout":
            continue
        x, y, w, h = entry.content_box
        assert any(x - 12 <= ex <= x + w + 12 and y - 12 <= ey <= y + h + 12
                   for ex, ey in ends), f"{entry.slot} has no leader line"


def test_fit_report_names_wards_without_rows_and_strict_refuses():
    data = _example("risk-map")
    art = infographic.render("risk-map", data, size="square", assets=[EXAMPLES])
    messages = [f.message for f in art.fit_report.of_kind("map")]
    assert any("have no row" in m and "Phường 5" in m for m in messages), messages
    data = {**data, "wards": data["wards"] + [{"name": "Phường 99", "level": 2}]}
    art = infographic.render("risk-map", data, size="square", assets=[EXAMPLES])
    assert any("match no area: Phường 99" in f.message for f in art.fit_report.of_kind("map"))
    with pytest.raises(FitError, match="Phường 99"):
        infographic.render("risk-map", data, size="square", assets=[EXAMPLES], strict=True)


def test_check_reads_the_map_file_a_layout_names(tmp_path):
    from infographic.authoring.check import check_layout
    from infographic.layout.manifest import load_layout

    folder = tmp_path / "my-map"
    source = load_layout("risk-map").folder
    folder.mkdir()
    for name in ("template.svg.j2", "layout.yaml"):
        text = (source / name).read_text(encoding="utf-8")
        (folder / name).write_text(text.replace("default: quan-mau-minh-hoa.geojson",
                                                "default: phuong-vn2000.geojson"),
                                   encoding="utf-8")
    ring = [[606000, 1193000], [607000, 1193000], [607000, 1194000], [606000, 1193000]]
    (folder / "phuong-vn2000.geojson").write_text(
        '{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": '
        '{"name": "Phường 1"}, "geometry": {"type": "Polygon", "coordinates": [%s]}}]}'
        % str(ring), encoding="utf-8")
    report = check_layout(folder, sizes=["square"], contrast=False)
    maps = [p for p in report.errors if p.topic == "maps"]
    assert maps and "phuong-vn2000.geojson" in maps[0].message and "VN-2000" in maps[0].message
    assert "WGS 84" in maps[0].fix


def test_hatching_survives_greyscale_printing():
    """With hatch=true two levels whose colours are near in grey (cam, đỏ) differ in texture:
    the pixels of a hatched ward vary, those of the plain one do not."""
    data = _example("risk-map")

    def spread(hatch):
        art = infographic.render("risk-map", {**data, "hatch": hatch}, size="square",
                                 assets=[EXAMPLES])
        entry = next(e for e in _map_labels(art) if _label_text(art, e) in ("Phường 11", "P.11"))
        x, y, w, h = entry.content_box
        image = thumbnail(art, 1080).convert("L")
        cx = int(x + w / 2)
        patch = image.crop((cx - 8, int(y + h + 4), cx + 8, int(y + h + 20)))
        darkest, lightest = patch.getextrema()
        return lightest - darkest

    assert spread(False) < 10 and spread(True) > 40
