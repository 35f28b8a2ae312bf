"""Bleed: what touches the trim edge continues into the bleed in the print PDF (read back as
pixels), and the bleed check finds artwork that stops at the trim."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

import infographic
from infographic.print import bleed_problems, print_pdf
from infographic.print.marks import slug_mm

from conftest import require_tool

TEMPLATE = """
<rect width="{{ canvas.width }}" height="{{ canvas.height }}" fill="#FFFFFF"/>
{{ text("title", title, x=canvas.safe + 40, y=canvas.height / 2, width=canvas.width - 2 * canvas.safe - 80, height=120) }}
{% if edge == "photo" %}{{ image("stripes.png", x=0, y=0, width=canvas.width, height=40 * canvas.mm) }}{% endif %}
{% if edge == "path" %}<path d="M0 {{ 100 * canvas.mm }}H{{ 60 * canvas.mm }}V{{ 140 * canvas.mm }}H0Z" fill="#C01010"/>{% endif %}
{% if edge == "overdraw" %}<circle cx="{{ canvas.width }}" cy="{{ 120 * canvas.mm }}" r="{{ 20 * canvas.mm + canvas.bleed }}" fill="#C01010"/>{% endif %}
{% if edge == "rect" %}<rect y="{{ 100 * canvas.mm }}" width="{{ 60 * canvas.mm }}" height="{{ 40 * canvas.mm }}" fill="#C01010"/>{% endif %}
"""


@pytest.fixture(scope="module")
def edge_layout(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("layouts") / "edge-check"
    folder.mkdir()
    # vertical stripes: red on the left quarter, green elsewhere, so a mirror is easy to see
    pixels = np.zeros((300, 1600, 3), dtype=np.uint8)
    pixels[:, :400] = (200, 30, 30)
    pixels[:, 400:] = (30, 160, 60)
    Image.fromarray(pixels, "RGB").save(folder / "stripes.png")
    (folder / "layout.yaml").write_text("""
name: edge-check
sizes: [a5]
fields:
  title: {type: text, sample: "Mép xén"}
  edge: {type: choice, choices: [none, photo, path, rect, overdraw], sample: none}
slots:
  title: {font: heading, weight: 700, size: 60, max_lines: 1}
""", encoding="utf-8")
    (folder / "template.svg.j2").write_text(TEMPLATE, encoding="utf-8")
    return folder


def _pixels(pdf: bytes, dpi: int, tmp_path: Path) -> np.ndarray:
    pdftoppm = require_tool("pdftoppm")
    (tmp_path / "page.pdf").write_bytes(pdf)
    subprocess.run([pdftoppm, "-r", str(dpi), "-singlefile", "-png", str(tmp_path / "page.pdf"),
                    str(tmp_path / "page")], check=True)
    return np.asarray(Image.open(tmp_path / "page.png").convert("RGB"), dtype=int)


def test_flush_photo_is_mirrored_into_the_bleed(edge_layout, tmp_path):
    art = infographic.render(edge_layout, {"title": "Ảnh tràn lề", "edge": "photo"}, size="a5")
    image = _pixels(print_pdf(art), 150, tmp_path)
    px, margin = 150 / 25.4, slug_mm(3, True)

    def at(x_mm, y_mm):
        return image[int(round((margin + y_mm) * px)), int(round((margin + x_mm) * px))]

    red, green = np.array([200, 30, 30]), np.array([30, 160, 60])
    # inside the trim the photo is where the template put it: red left, green right
    assert np.abs(at(5, 20) - red).max() < 40 and np.abs(at(140, 20) - green).max() < 40
    # in the bleed beside it: the same colours continue (left, right, top, top-left corner)
    assert np.abs(at(-1.5, 20) - red).max() < 40
    assert np.abs(at(148 + 1.5, 20) - green).max() < 40
    assert np.abs(at(100, -1.5) - green).max() < 40
    assert np.abs(at(-1.5, -1.5) - red).max() < 40
    # below the photo the bleed is the white background, not the photo
    assert at(-1.5, 60).min() > 245
    assert bleed_problems(art) == []


def test_bleed_check_finds_a_path_that_stops_at_the_trim(edge_layout):
    stopped = infographic.render(edge_layout, {"title": "Hình sát mép", "edge": "path"}, size="a5")
    problems = bleed_problems(stopped)
    assert [p.subject for p in problems] == ["left"]
    assert problems[0].value == pytest.approx(40, abs=2)  # 100–140 mm along the left edge
    assert "100–140 mm" in problems[0].message
    # the same shape as a rect is stretched into the bleed automatically
    stretched = infographic.render(edge_layout, {"title": "Hình sát mép", "edge": "rect"},
                                   size="a5")
    assert bleed_problems(stretched) == []
    assert bleed_problems(stretched, bleed_mm=0) == []


def test_shapes_drawn_past_the_edge_show_in_the_bleed(edge_layout, tmp_path):
    art = infographic.render(edge_layout, {"title": "Tràn lề", "edge": "overdraw"}, size="a5")
    radius = float(re.search(r'<circle [^>]*\br="([\d.]+)"', art.svg).group(1))
    assert radius - 20 * art.size.units_per_mm == pytest.approx(3 * art.size.units_per_mm)
    image = _pixels(print_pdf(art), 150, tmp_path)
    px, margin = 150 / 25.4, slug_mm(3, True)
    inside = image[int((margin + 120) * px), int((margin + 148 - 1.5) * px)]
    bleed = image[int((margin + 120) * px), int((margin + 148 + 1.5) * px)]
    assert np.abs(inside - [192, 16, 16]).max() < 40 and np.abs(bleed - [192, 16, 16]).max() < 40
    # clipped at the bleed edge: nothing of the circle reaches the marks' margin
    assert image[int((margin + 120) * px), int((margin + 148 + 4) * px)].min() > 245
    assert bleed_problems(art) == []
