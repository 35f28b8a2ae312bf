"""Authoring tools: `infographic new` + `infographic check` round trip, what check catches, and
the gallery."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

import infographic
from infographic.authoring import check_layout, create_layout, thumbnail
from infographic.authoring.gallery import build_gallery
from infographic.cli import main

from conftest import to_array

PRESETS = ["square", "portrait", "story", "landscape", "a4", "a3"]


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_new_then_check_round_trip(tmp_path, capsys):
    assert main(["new", "my-poster", "--dir", str(tmp_path)]) == 0
    folder = tmp_path / "my-poster"
    assert (folder / "layout.yaml").is_file() and (folder / "template.svg.j2").is_file()
    assert "infographic check" in capsys.readouterr().out
    assert main(["check", str(folder)]) == 0
    out = capsys.readouterr().out
    assert "OK: 0 error(s), 0 warning(s)" in out
    for size in PRESETS:
        assert f"rendered {size} (sample data): fit" in out


def test_scaffold_renders_real_pixels_at_every_size(tmp_path):
    folder = create_layout("ward-notice", tmp_path)
    for size in PRESETS:
        art = infographic.render(folder, size=size)
        assert art.fit_report.ok and not art.fit_report.warnings
        title = art.fit_report["title"]
        assert title.box[0] > 0 and title.box[1] > 0
    pixels = to_array(infographic.render(folder, size="square"))
    assert (pixels < 100).all(axis=2).sum() > 2000  # dark title ink on the white canvas


def test_new_refuses_to_overwrite_and_bad_names(tmp_path, capsys):
    assert main(["new", "x-card", "--dir", str(tmp_path)]) == 0
    before = (tmp_path / "x-card" / "layout.yaml").read_text()
    edit(tmp_path / "x-card" / "layout.yaml", "title: X card", "title: Mine")
    assert main(["new", "x-card", "--dir", str(tmp_path)]) == 1
    assert "already exists" in capsys.readouterr().err
    assert "title: Mine" in (tmp_path / "x-card" / "layout.yaml").read_text()
    assert main(["new", "x-card", "--dir", str(tmp_path), "--force"]) == 0
    assert (tmp_path / "x-card" / "layout.yaml").read_text() == before
    assert main(["new", "Bad_Name", "--dir", str(tmp_path)]) == 1
    assert "lower case" in capsys.readouterr().err


def test_check_reports_what_to_fix(tmp_path, capsys):
    folder = create_layout("broken", tmp_path)
    manifest, template = folder / "layout.yaml", folder / "template.svg.j2"
    # A field nobody shows, a slot nobody uses, a misspelt name, an unknown icon, a font
    # without Vietnamese, and grey-on-white text.
    edit(manifest, "  sender:\n    type: text",
         "  unused:\n    type: text\n    label: Thừa\n  sender:\n    type: text")
    edit(manifest, "slots:\n", "slots:\n  spare: {font: body, size: 20}\n  symbol: {font: Noto "
         "Sans Symbols 2, size: 20}\n")
    edit(manifest, "color: text, balance: true}", "color: \"#D0D0D0\", balance: true}")
    edit(template, "{{ head.moved(0, shift) }}",
         "{{ head.moved(0, shift) }}{% if 0 %}{{ titel }}{{ icon('no-such-icon', x=0, y=0, "
         "size=9) }}{{ text('symbol', '·', x=0, y=0, width=9, height=9) }}{% endif %}")
    assert main(["check", str(folder), "--size", "square"]) == 1
    out = capsys.readouterr().out
    assert "the template reads 'titel'" in out
    assert "field 'unused' is declared but never shown" in out
    assert "slot 'spare' is declared but the template never sets text in it" in out
    assert "icon 'no-such-icon'" in out
    assert "slot 'symbol'" in out and "lacks" in out and "Vietnamese" in out
    assert "[contrast]" in out and "text 'title' (#D0D0D0)" in out
    assert out.count("fix:") >= 6
    assert "FAILED:" in out


def test_check_fails_on_text_that_cannot_fit(tmp_path):
    folder = create_layout("tiny", tmp_path)
    edit(folder / "layout.yaml", "min_size: 30, max_lines: 3", "min_size: 50, max_lines: 1")
    report = check_layout(folder, sizes=["square"], contrast=False)
    assert not report.ok
    assert any(p.topic == "render" and "title" in p.message for p in report.errors)


def test_check_with_a_data_file_and_json(tmp_path, capsys):
    folder = create_layout("poster", tmp_path)
    data = tmp_path / "row.json"
    data.write_text(json.dumps({"title": "Lịch tiêm chủng tuần này", "sender": "Phường 1"}),
                    encoding="utf-8")
    assert main(["check", str(folder), "--data", str(data), "--size", "story", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] and report["renders"] == [f"story ({data}): fit"]


@pytest.mark.parametrize("name", ["prevention-tips", "hotline-qr", "step-guide", "myth-fact",
                                  "schedule"])
def test_bundled_layouts_pass_check(name):
    report = check_layout(name)
    assert report.ok, report.format()
    assert not report.warnings, report.format()


def test_photo_card_passes_check_including_measured_contrast_over_the_photo():
    report = check_layout("photo-card", sizes=["square", "landscape"])
    assert report.ok and not report.warnings, report.format()


def test_gallery_writes_small_pictures_and_an_index(tmp_path):
    written = build_gallery(tmp_path, ["step-guide"], side=200)
    pictures = [p for p in written if p.suffix == ".png"]
    assert len(pictures) == 6
    for picture in pictures:
        image = Image.open(picture)
        assert max(image.size) == 200 and picture.stat().st_size < 60_000
    index = (tmp_path / "README.md").read_text(encoding="utf-8")
    assert all(p.name in index for p in pictures)


def test_committed_gallery_covers_every_bundled_layout():
    gallery = Path(__file__).resolve().parent.parent / "examples" / "gallery"
    index = (gallery / "README.md").read_text(encoding="utf-8")
    for name in ["prevention-tips", "hotline-qr", "step-guide", "photo-card", "myth-fact",
                 "schedule", "announcement"]:
        assert (gallery / f"{name}-square.png").is_file()
        assert f"{name}-story.png" in index


def test_thumbnail_is_a_real_render_at_the_small_size():
    art = infographic.render("myth-fact", size="a4")
    small = thumbnail(art, 300)
    assert max(small.size) == 300 and small.size[0] < small.size[1]
    pixels = np.asarray(small)
    assert pixels.std() > 20  # not a blank image


def test_check_measures_the_contrast_of_chart_labels(tmp_path):
    """Chart labels are in the fit report, so ``check`` measures them like slots: a bar chart
    drawn on a band of the text colour has labels that cannot be read."""
    from conftest import make_layout

    chart = ('{{ bar_chart([{"label": "Phường 1", "value": 120}, {"label": "Phường 2", '
             '"value": 157}], 100, 100, 880, 800) }}')
    dark = make_layout(tmp_path / "dark", '<rect width="1080" height="1080" '
                       'fill="{{ theme.text }}"/>' + chart)
    light = make_layout(tmp_path / "light", '<rect width="1080" height="1080" fill="#FFFFFF"/>'
                        + chart)
    labels = {e.slot for e in infographic.render(dark, size="square").fit_report.labels}
    assert labels

    def failing(folder):
        report = check_layout(folder, sizes=["square"])
        return {slot for slot in labels for p in report.errors
                if p.topic == "contrast" and f"text '{slot}'" in p.message}

    assert failing(dark) and not failing(light)
