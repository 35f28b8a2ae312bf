"""Bundled icons: every one renders, recolours, resolves by alias, and errors name close matches."""

from __future__ import annotations

import io
import json
import re

import numpy as np
import pytest
from PIL import Image

import cairosvg
import infographic
from infographic.cli import main
from infographic.layout.manifest import load_layout_folder
from infographic.media.icons import bundled_icons, get_icon

from conftest import ROOT, to_array

ICONS = list(bundled_icons())
#: What public-health communication needs (issue 3); each must be bundled under this name.
REQUIRED = ["mask", "hand-wash", "distance", "no-gathering", "health-declaration", "vaccine",
            "virus", "hospital", "ambulance", "phone", "hotline", "thermometer", "fever", "cough",
            "mosquito", "clean-water", "elderly", "child", "pregnancy", "calendar", "location",
            "qr", "check", "warning"]


def _pixels(icon, size: int = 64, fill: str = "#0b5394") -> np.ndarray:
    png = cairosvg.svg2png(bytestring=icon.standalone_svg(size, fill).encode(),
                           background_color="#ffffff")
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=np.int16)


def _layout(tmp_path, body: str):
    (tmp_path / "layout.yaml").write_text(
        "name: icon-test\nsizes: [square]\nfields:\n  name: {type: text}\nslots: {}\n",
        encoding="utf-8")
    (tmp_path / "template.svg.j2").write_text(body, encoding="utf-8")
    return load_layout_folder(tmp_path)


def test_required_icons_are_bundled():
    missing = [name for name in REQUIRED if name not in bundled_icons()]
    assert not missing


@pytest.mark.parametrize("icon", ICONS, ids=[i.name for i in ICONS])
def test_every_icon_renders_inside_its_box(icon):
    pixels = _pixels(icon)
    ink = np.abs(pixels - 255).sum(axis=2) > 60
    coverage = ink.mean()
    assert 0.08 < coverage < 0.85, f"{icon.name}: {coverage:.2f} of the box inked"
    rows, cols = np.nonzero(ink)
    # Fitted and centred: the ink spans the box on its long side and is centred on both axes.
    assert max(rows.max() - rows.min(), cols.max() - cols.min()) >= 60
    assert abs(rows.min() - (63 - rows.max())) <= 2 and abs(cols.min() - (63 - cols.max())) <= 2
    assert icon.vi and icon.en and icon.aliases


def test_the_licence_ships_with_the_icons():
    folder = ROOT / "icons"
    assert "CC BY 4.0" in (folder / "LICENSE.txt").read_text(encoding="utf-8")
    for icon in ICONS:
        svg = (folder / "fontawesome" / f"{icon.source}.svg").read_text(encoding="utf-8")
        assert "Font Awesome Free" in svg and "CC BY 4.0" in svg


def test_names_aliases_and_source_names_resolve_to_one_icon():
    assert get_icon("mask") is get_icon("khau-trang") is get_icon("head-side-mask")
    assert get_icon("Hand_Wash").name == "hand-wash"
    assert get_icon("muoi").name == get_icon("sot-xuat-huyet").name == "mosquito"


def test_unknown_icon_names_close_matches():
    with pytest.raises(infographic.LayoutError) as error:
        get_icon("maks")
    assert "'maks'" in str(error.value) and "'mask'" in str(error.value)


def test_icon_is_recoloured_from_the_theme_and_placed_in_its_box(tmp_path):
    layout = _layout(tmp_path, '{{ icon("virus", x=100, y=200, size=300, color="primary") }}'
                               '{{ icon("virus", x=600, y=200, size=300, color="#c62828", '
                               'bg="secondary") }}')
    art = infographic.render(layout, {}, theme="health-blue")
    pixels = to_array(art)
    primary = np.array([0x0B, 0x53, 0x94])
    red = np.array([0xC6, 0x28, 0x28])
    left, right = pixels[200:500, 100:400], pixels[200:500, 600:900]
    assert (np.abs(left - primary).sum(axis=2) < 6).mean() > 0.2
    assert (np.abs(right - red).sum(axis=2) < 6).mean() > 0.1
    assert not (np.abs(left - red).sum(axis=2) < 30).any()
    # The tile behind the second icon is the theme's secondary colour, inside the box only.
    secondary = np.array([0xDC, 0xEA, 0xF7])
    assert (np.abs(pixels[205, 745] - secondary).sum()) < 6
    outside = pixels[:190]
    assert (np.abs(outside - 255).sum(axis=2) < 3).all()


def test_unknown_icon_in_a_template_names_layout_and_icon(tmp_path):
    layout = _layout(tmp_path, '{{ icon("vacine", x=0, y=0, size=100) }}')
    with pytest.raises(infographic.LayoutError) as error:
        infographic.render(layout, {})
    message = str(error.value)
    assert "icon-test" in message and "'vacine'" in message and "'vaccine'" in message


def test_cli_lists_icons_as_json_and_writes_a_contact_sheet(tmp_path, capsys):
    sheet = tmp_path / "sheet.png"
    assert main(["icons", "--json", "--sheet", str(sheet)]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert {i["name"] for i in listed["icons"]} == {i.name for i in ICONS}
    assert "CC BY 4.0" in listed["source"]["licence"]
    image = Image.open(sheet).convert("L")
    assert image.width > 800 and np.asarray(image).min() < 80  # icons and labels are drawn
    assert main(["icons"]) == 0
    text = capsys.readouterr().out
    assert re.search(r"^mask\s+Đeo khẩu trang", text, re.M)


def test_media_blocks_load_even_after_another_block_module_was_imported(tmp_path):
    # Importing one block module first (as Python callers of charts do) must not hide the others.
    import subprocess
    import sys
    import textwrap
    script = textwrap.dedent("""
        import importlib, pkgutil
        import infographic.blocks as blocks
        other = [m.name for m in pkgutil.iter_modules(blocks.__path__) if m.name != "media"]
        for name in other[:1]:
            importlib.import_module(f"infographic.blocks.{name}")
        import infographic
        art = infographic.render("demo-media", size="square")
        print("icon" in art.svg, 'class="qr"' in art.svg)
    """)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            cwd=tmp_path, timeout=120)
    assert result.stdout.split() == ["True", "True"], result.stderr[-2000:]


def test_misspelt_icon_in_the_data_is_that_fields_error():
    data = {"title": "Thông điệp 5K", "tips": ["mak: Khẩu trang", "distance: Khoảng cách"]}
    with pytest.raises(infographic.DataError) as error:
        infographic.render("demo-media", data)
    message = str(error.value)
    assert "field 'tips'" in message and "'mak'" in message and "'mask'" in message
