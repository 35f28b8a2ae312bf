"""The fast raster path draws the same pixels as cairosvg drawing the complete SVG.

Text groups are drawn from cached glyph outlines where cairosvg reaches them (so shapes drawn
over text still cover it), while ``Artwork.svg`` stays the complete, self-contained document.
"""

from __future__ import annotations

import contextlib
import io
from typing import Iterator
from xml.etree import ElementTree

import numpy as np
import pytest
from cairosvg.parser import Tree
from cairosvg import surface as cairosvg_surface
from cairosvg.surface import PNGSurface
from PIL import Image

import infographic
from infographic import limits
from infographic.layout.manifest import bundled_layouts, load_layout
from infographic.output import encoding, imagedraw, raster, shapes
from infographic.output.glyphs import OUTLINES, RUN_TAG

from conftest import to_array

SVG_NS = "{http://www.w3.org/2000/svg}"


@contextlib.contextmanager
def cairosvg_alone() -> Iterator[None]:
    """cairosvg's own ``path`` and ``image`` handlers, not our hooks (output/shapes.py,
    output/imagedraw.py), for as long as the block runs."""
    raster.install_hooks()
    ours = dict(cairosvg_surface.TAGS)
    cairosvg_surface.TAGS.update(path=shapes._ORIGINAL, image=imagedraw._ORIGINAL)
    try:
        yield
    finally:
        cairosvg_surface.TAGS.update(ours)


def reference_pixels(art: infographic.Artwork) -> np.ndarray:
    """cairosvg alone drawing Artwork.svg, glyph paths and all."""
    with cairosvg_alone():
        surface = PNGSurface(Tree(bytestring=art.svg.encode("utf-8"), url=None), None, 96,
                             output_width=art.width, output_height=art.height,
                             background_color=art.background)
    surface.cairo.flush()
    image = Image.frombuffer("RGB", (art.width, art.height), bytes(surface.cairo.get_data()),
                             "raw", "BGRX", surface.cairo.get_stride(), 1)
    return np.asarray(image, dtype=np.int16)


@pytest.mark.parametrize("name", bundled_layouts())
def test_fast_path_matches_cairosvg_on_every_bundled_layout(name):
    layout = load_layout(name)
    size = "landscape" if "landscape" in layout.sizes else layout.sizes[0]
    art = infographic.render(layout, size=size)
    fast = to_array(art)
    reference = reference_pixels(art)
    difference = np.abs(fast - reference).max(axis=2)
    # Only anti-aliasing differs: a run of glyphs is filled as one path instead of one per glyph.
    assert difference.max() <= 40
    assert (difference > 8).mean() < 0.001
    assert (fast != fast[0, 0]).any(axis=2).mean() > 0.01  # something was drawn


def test_artwork_svg_keeps_every_glyph_path_and_no_placeholder():
    art = infographic.render("announcement", size="square")
    root = ElementTree.fromstring(art.svg)
    groups = [g for g in root.iter(f"{SVG_NS}g") if g.get("class") == "text"]
    assert groups and all(g.findall(f"{SVG_NS}path") for g in groups)
    assert RUN_TAG not in art.svg
    # the scene the drawing stage reads: one run and one placeholder per text group
    runs = art.scene.texts
    assert len(runs) == len(groups)
    assert art.scene.skeleton.count(f"<{RUN_TAG} ") == len(groups)
    assert [run.slot for run in runs] == [g.get("data-slot") for g in groups]
    assert sum(len(run.glyphs) for run in runs) == sum(len(g.findall(f"{SVG_NS}path"))
                                                        for g in groups)


def test_shapes_drawn_over_text_still_cover_it(tmp_path):
    """z-order: a template that paints a rectangle over a text block hides that text."""
    folder = tmp_path / "over"
    folder.mkdir()
    (folder / "layout.yaml").write_text(
        "name: over\ntitle: Over\nfields:\n  title: {type: text, sample: Khẩu trang}\n"
        "slots:\n  title: {size: 60, min_size: 20, color: '#000000'}\n", encoding="utf-8")
    (folder / "template.svg.j2").write_text(
        '<rect width="400" height="400" fill="#ffffff"/>'
        '{{ text("title", title, x=20, y=20, width=360, height=160) }}'
        '<rect x="0" y="0" width="400" height="90" fill="#00ff00"/>'
        '{{ text("title", title, x=20, y=220, width=360, height=160) }}', encoding="utf-8")
    art = infographic.render(folder, size="400x400")
    pixels = to_array(art)
    top, bottom = pixels[:90], pixels[220:380]
    assert (np.abs(top - [0, 255, 0]).max(axis=2) == 0).all()  # the green band hides the glyphs
    assert (bottom.max(axis=2) < 60).any()  # the second block's dark glyphs are drawn
    assert np.abs(pixels - reference_pixels(art)).max() <= 40


def test_an_artwork_made_from_svg_alone_is_drawn_as_written(tmp_path):
    svg = ('<svg xmlns="http://www.w3.org/2000/svg" width="200" height="200"><g class="text" '
           'fill="#000"><rect width="5" height="5"/></g><g class="text">'
           '<path d="M0 0 L10 0 L10 10 Z"/></g></svg>')
    art = infographic.Artwork(svg=svg, size=infographic.parse_size("200x200"),
                              fit_report=infographic.FitReport("hand", "200x200"), layout="hand")
    assert art.scene is None
    pixels = to_array(art)
    assert (pixels[1, 1] == 0).all() and (pixels[2, 8] == 0).all() and (pixels[150, 150] == 255).all()
    assert np.abs(pixels - reference_pixels(art)).max() == 0



def test_rasters_drawn_into_kept_pixel_memory_are_what_fresh_surfaces_draw(monkeypatch):
    """One raster after another reuse the thread's pixel memory (output/raster.py): a picture
    with no background shows nothing of the one before, and an image returned earlier keeps
    its pixels."""
    def hand_made(svg: str, background: str) -> infographic.Artwork:
        return infographic.Artwork(svg=svg, size=infographic.parse_size("240x200"),
                                   fit_report=infographic.FitReport("hand", "240x200"),
                                   layout="hand", background=background)
    dark = hand_made('<svg xmlns="http://www.w3.org/2000/svg" width="240" height="200">'
                     '<rect width="240" height="200" fill="#c00"/></svg>', "#000000")
    bare = hand_made('<svg xmlns="http://www.w3.org/2000/svg" width="240" height="200">'
                     '<rect width="10" height="10" fill="#0c0"/></svg>', "")
    first = raster.rasterize(dark)
    before = first.tobytes()
    second = np.asarray(raster.rasterize(bare))
    assert first.tobytes() == before
    assert (np.asarray(first)[40, 60] == [204, 0, 0]).all()
    assert (second[5, 5] == [0, 204, 0]).all() and (second[40, 60] == 0).all()  # cleared, not red
    monkeypatch.setattr(limits, "RASTER_PIXELS_KEPT_BYTES", 0)  # a fresh surface every time
    assert (np.asarray(raster.rasterize(bare)) == second).all()


def test_outline_cache_is_bounded():
    before = len(OUTLINES)
    infographic.render("announcement", size="square").to_bytes("jpeg")
    assert 0 < len(OUTLINES) <= OUTLINES.max_size
    assert len(OUTLINES) >= min(before, OUTLINES.max_size)


def test_pdf_draws_glyphs_as_vector_fills():
    art = infographic.render("announcement", size="a4")
    pdf = art.to_bytes("pdf")
    assert pdf.startswith(b"%PDF") and len(pdf) > 10_000


@pytest.mark.parametrize("fmt", ["png", "jpeg", "webp"])
def test_small_file_mode_fits_the_byte_limit(fmt):
    art = infographic.render("announcement", size="story")
    full = art.to_bytes(fmt)
    limit = int(len(full) * 0.6)
    small = art.to_bytes(fmt, max_bytes=limit)
    assert len(small) <= limit
    image = Image.open(io.BytesIO(small)).convert("RGB")
    assert image.size == (1080, 1920)
    # Still the same picture: mean difference from the full-quality file stays small.
    reference = np.asarray(Image.open(io.BytesIO(full)).convert("RGB"), dtype=np.int16)
    assert np.abs(np.asarray(image, dtype=np.int16) - reference).mean() < 4


def test_zalo_limit_and_impossible_limits():
    art = infographic.render("announcement", size="square")
    assert len(art.to_bytes("png", max_bytes=encoding.ZALO_MAX_BYTES)) <= 500_000
    with pytest.raises(infographic.OutputError, match="cannot make the PNG fit"):
        art.to_bytes("png", max_bytes=2_000)


def test_png_writer_round_trips_pixels_and_dpi():
    art = infographic.render("announcement", size="a4")
    image = infographic.output.writers.rasterize(art)
    png = Image.open(io.BytesIO(art.to_bytes("png")))
    assert tuple(round(v) for v in png.info["dpi"]) == (300, 300)
    assert (np.asarray(png.convert("RGB")) == np.asarray(image)).all()
    # A photo-like image takes the Up filter and still round-trips exactly.
    rng = np.random.default_rng(0)
    ramp = np.add.outer(np.arange(300), np.arange(300))[:, :, None] / 3
    photo = Image.fromarray((ramp + rng.normal(0, 5, (300, 300, 3))).clip(0, 255).astype("uint8"))
    assert encoding._prefers_up_filter(photo, 1)
    back = Image.open(io.BytesIO(encoding.png_bytes(photo, 72)))
    assert (np.asarray(back) == np.asarray(photo)).all()


def test_cli_max_bytes(tmp_path):
    from infographic.cli import main
    out = tmp_path / "zalo.png"
    assert main(["render", "announcement", "--size", "story", "-o", str(out),
                 "--max-bytes", "200000"]) == 0
    assert out.stat().st_size <= 200_000 and Image.open(out).size == (1080, 1920)
    assert main(["render", "announcement", "-o", str(tmp_path / "x.png"),
                 "--max-bytes", "1000"]) == 1
    assert not (tmp_path / "x.png").exists()  # no half-written file


@pytest.mark.parametrize("name", ["hotline-qr", "key-statistics", "demo-charts"])
def test_paths_from_fonttools_draw_what_cairosvg_draws(name):
    """QR codes, icons and chart shapes drawn from cached cairo paths (output/shapes.py) differ
    from cairosvg parsing ``d`` itself by anti-aliasing only: cairosvg adds relative steps in
    cairo's fixed point, a QR row drifts by up to 1/8 px."""
    art = infographic.render(name, size="square")
    shapes.PATHS.clear()
    ours = np.asarray(raster.rasterize(art), dtype=np.int16)
    assert len(shapes.PATHS) > 0  # the shapes came through the cache
    with cairosvg_alone():
        theirs = np.asarray(raster.rasterize(art), dtype=np.int16)
    difference = np.abs(ours - theirs).max(axis=2)
    assert difference.max() <= 32
    assert (difference > 8).mean() < 0.0001
