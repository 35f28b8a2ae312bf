"""The scene: what a render placed (text runs with glyphs, paint, slot, box), handed to drawing."""

from __future__ import annotations

import dataclasses
import re

import numpy as np
import pytest

import infographic
from infographic.checks.preflight import print_preflight
from infographic.print.pdf import page_scene
from infographic.scene import RUN_TAG

from conftest import to_array, to_image


def test_every_placed_text_is_a_run_and_the_svg_is_written_from_the_scene():
    art = infographic.render("demo-charts", size="square")
    scene = art.scene
    slots = [run.slot for run in scene.texts]
    assert {e.slot for e in art.fit_report} <= set(slots)  # layout slots …
    assert len(slots) > len(art.fit_report)  # … and the charts' labels
    assert scene.write_svg() == art.svg and scene.draws(art.svg)
    assert RUN_TAG not in art.svg
    assert scene.skeleton.count(f"<{RUN_TAG} ") == len(scene.texts)
    assert not re.search(r'<path transform="matrix\([\d.]+ 0 0 -', scene.skeleton)  # no glyphs
    assert re.search(r'<path transform="matrix\([\d.]+ 0 0 -', art.svg)
    first = next(e.slot for e in art.fit_report if e.lines)
    run = next(r for r in scene.texts if r.slot == first)
    assert run.text and run.fill.startswith("#") and run.glyphs
    x, y, width, height = run.box
    x0, y0, x1, y1 = run.glyph_area()
    assert x <= x0 < x1 <= x + width and y <= y0 <= y1 <= y + height  # baselines inside the box


def test_an_artwork_given_another_svg_is_drawn_as_that_svg():
    art = infographic.render("announcement", size="square")
    red = ('<svg xmlns="http://www.w3.org/2000/svg" width="1080" height="1080">'
           '<rect width="1080" height="1080" fill="#ff0000"/></svg>')
    pixels = to_array(dataclasses.replace(art, svg=red))
    assert (pixels == [255, 0, 0]).all()


def test_a_print_page_keeps_the_runs_and_adds_the_slug():
    art = infographic.render("announcement", size="a4")
    page = page_scene(art, label="announcement · a4 · page 1/1")
    assert page.texts[:len(art.scene.texts)] == art.scene.texts
    assert [run.slot for run in page.texts[len(art.scene.texts):]] == ["print-slug"]
    assert page.write_svg().count('data-slot="print-slug"') == 1
    no_text = art.scene.without_text()
    bare = to_array(dataclasses.replace(art, svg=no_text.svg, scene=no_text))
    drawn = to_array(art)
    assert not np.array_equal(bare, drawn)


def test_placed_images_are_in_the_scene_with_their_pixels():
    art = infographic.render("photo-card", size="a4")
    images = art.scene.images
    assert images, "photo-card places its photo"
    photo = images[0]
    assert photo.source and photo.uri.startswith("data:image/")
    width, height = photo.pixels
    x, y, w, h = photo.box
    assert width > 100 and height > 100 and w > 0 and h > 0
    # preflight reads the photo's pixels from the scene: the dpi it reports is pixels / mm
    resolution = next(p for p in art.fit_report.preflight if p.check == "image-resolution")
    k = art.size.units_per_mm
    assert resolution.value == pytest.approx(min(width / (w / k), height / (h / k)) * 25.4,
                                             rel=0.02)


def test_placed_qr_codes_are_in_the_scene_and_preflight_reads_their_modules():
    art = infographic.render("hotline-qr", size="a4")
    assert art.scene.qrs
    code = art.scene.qrs[0]
    x, y, side, height = code.box
    quiet_zone = side / code.module - code.modules  # both sides, in modules
    assert side == height and quiet_zone == pytest.approx(round(quiet_zone), abs=0.01)
    assert 0 <= round(quiet_zone) <= 20 and round(quiet_zone) % 2 == 0
    measured = next(p for p in art.fit_report.preflight if p.check == "qr-module")
    # the same as measuring the complete SVG's QR path (under the template's transforms)
    from_svg = print_preflight(art.svg, art.size, 5.0, {}, [])
    assert measured.value == next(p.value for p in from_svg if p.check == "qr-module") > 0


def test_photos_are_drawn_from_the_scene_not_fetched_and_reencoded():
    from infographic.output import raster

    art = infographic.render("photo-card", size="square")
    assert art.scene is not None and art.scene.images
    assert all(image.data[:3] == b"\xff\xd8\xff" or image.data.startswith(b"\x89PNG")
               for image in art.scene.images)  # the prepared bytes the data: URI holds
    drawn = raster.prepare(art)
    surface = raster._ScenePNGSurface(drawn, None, drawn.tree, None, 96, output_width=art.width,
                                      output_height=art.height,
                                      background_color=art.background)
    assert drawn.fetcher.fetched == 0  # nothing decoded from the SVG's data: URIs
    assert surface.scene_images == art.scene.images
    pixels = np.asarray(to_image(art))
    x, y, w, h = (round(v) for v in art.scene.images[0].box)
    photo = pixels[y + h // 4:y + 3 * h // 4, x + w // 4:x + 3 * w // 4]
    assert photo.std() > 10  # a photo, not the background
