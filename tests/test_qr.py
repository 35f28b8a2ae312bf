"""QR codes: vector, decodable by a real decoder, quiet zone, theme colours, scannability check."""

from __future__ import annotations

import re

import numpy as np
import pytest
import zxingcpp

import infographic
from infographic.layout.manifest import load_layout_folder
from infographic.media.qr import MIN_MODULE_PX, qr_code

from conftest import to_array, to_image

URL = "https://tokhaiyte.vn/?ma=BN-2021-09-13"


def _layout(tmp_path, body: str, sizes: str = "[square, a4]"):
    (tmp_path / "layout.yaml").write_text(
        f"name: qr-test\nsizes: {sizes}\nfields:\n  link: {{type: url}}\nslots: {{}}\n",
        encoding="utf-8")
    (tmp_path / "template.svg.j2").write_text(body, encoding="utf-8")
    return load_layout_folder(tmp_path)


def _decode(image) -> list[str]:
    return [r.text for r in zxingcpp.read_barcodes(image) if r.format == zxingcpp.BarcodeFormat.QRCode]


@pytest.mark.parametrize("text", [URL, "Khai báo y tế: gọi 1900 9095 hoặc quét mã tại trạm"])
def test_rendered_qr_decodes_back_to_its_text(tmp_path, text):
    layout = _layout(tmp_path, '{{ qr(link, x=340, y=340, size=400) }}')
    art = infographic.render(layout, {"link": text})
    assert _decode(to_image(art)) == [text]
    assert art.fit_report.warnings == []


def test_qr_is_vector_one_path_with_no_image(tmp_path):
    layout = _layout(tmp_path, '{{ qr(link, x=100, y=100, size=300) }}')
    svg = infographic.render(layout, {"link": URL}).svg
    group = re.search(r'<g class="qr".*?</g>', svg, re.S).group(0)
    assert group.count("<path") == 1 and "<image" not in svg
    assert "data:" not in group


def test_quiet_zone_and_theme_colours(tmp_path):
    layout = _layout(tmp_path, '<rect width="1080" height="1080" fill="{{ theme.primary }}"/>'
                               '{{ qr(link, x=240, y=240, size=600, color="text") }}')
    art = infographic.render(layout, {"link": URL}, theme="health-blue")
    pixels = to_array(art)
    code = qr_code(URL, 240, 240, 600)
    module = code.module
    quiet = pixels[242:240 + int(4 * module) - 2, 242:838]  # the top quiet-zone band
    assert (np.abs(quiet - 255).sum(axis=2) < 4).all(), "quiet zone must be light"
    # Finder pattern's outer ring, top-left: dark modules in the theme's text colour #15202B.
    corner = pixels[int(240 + 4.5 * module), int(240 + 4.5 * module)]
    assert np.abs(corner - np.array([0x15, 0x20, 0x2B])).sum() < 6
    # Outside the box the page colour (primary) is untouched.
    assert np.abs(pixels[230, 540] - np.array([0x0B, 0x53, 0x94])).sum() < 6
    assert _decode(to_image(art)) == [URL]


def test_module_geometry_matches_the_box(tmp_path):
    code = qr_code(URL, 0, 0, 330, quiet=4)
    assert code.modules in (25, 29, 33)
    assert code.module == pytest.approx(330 / (code.modules + 8))
    assert code.bottom == 330


def test_too_small_qr_warns_on_screen_and_fails_in_strict(tmp_path):
    layout = _layout(tmp_path, '{{ qr(link, x=10, y=10, size=90) }}')
    art = infographic.render(layout, {"link": URL})
    [warning] = art.fit_report.warnings
    assert "QR modules are" in warning and f"under {MIN_MODULE_PX:g} px" in warning
    with pytest.raises(infographic.FitError) as error:
        infographic.render(layout, {"link": URL}, strict=True)
    assert "qr-test" in str(error.value) and "QR modules" in str(error.value)


def test_print_size_is_checked_in_millimetres(tmp_path):
    layout = _layout(tmp_path, '{{ qr(link, x=10, y=10, size=70) }}')
    art = infographic.render(layout, {"link": URL}, size="a4")
    assert any("mm printed" in w for w in art.fit_report.warnings)
    ok = infographic.render(_layout(tmp_path, '{{ qr(link, x=300, y=300, size=200) }}'),
                            {"link": URL}, size="a4")
    assert not [w for w in ok.fit_report.warnings if "QR" in w]


def test_low_contrast_colour_is_reported(tmp_path):
    layout = _layout(tmp_path, '{{ qr(link, x=240, y=240, size=600, color="accent") }}')
    art = infographic.render(layout, {"link": URL}, theme="health-blue")
    assert any("contrast" in w for w in art.fit_report.warnings)


def test_bad_qr_input_is_a_clear_error(tmp_path):
    layout = _layout(tmp_path, '{{ qr(link, x=240, y=240, size=600) }}')
    with pytest.raises(infographic.DataError) as error:
        infographic.render(layout, {"link": "x" * 3000})
    assert "too long for a QR code" in str(error.value) and "qr-test" in str(error.value)
    with pytest.raises(infographic.DataError, match="needs some text"):
        infographic.render(layout, {"link": ""})
