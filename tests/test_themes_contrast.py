"""Themes: the bundled brand kits, a theme derived from one colour, and the WCAG contrast check
of every text slot on what it sits on (fit-report warning, error in strict mode)."""

from __future__ import annotations

import pytest

import infographic
from infographic.themes import PALETTE_KEYS, bundled_themes, load_theme
from infographic.themes.contrast import (check_layout, contrast_ratio, relative_luminance,
                                         required_ratio)
from infographic.themes.derive import theme_from_color

BRANDS = ["#0B5394", "#FFD500", "#00A651", "#E4002B", "#7F7F7F", "#000000", "#FFFFFF"]


@pytest.mark.parametrize("a, b, expected", [("#000000", "#FFFFFF", 21.0), ("#FFFFFF", "#FFFFFF",
                                            1.0), ("#777777", "#FFFFFF", 4.48),
                                            ("#0B5394", "#FFFFFF", 7.84)])
def test_contrast_ratio_matches_wcag(a, b, expected):
    assert contrast_ratio(a, b) == pytest.approx(expected, abs=0.01)
    assert contrast_ratio(b, a) == pytest.approx(expected, abs=0.01)


def test_luminance_and_large_text_rule():
    assert relative_luminance("#FFFFFF") == pytest.approx(1.0)
    assert relative_luminance("#000") == 0.0
    assert required_ratio(24, 400) == 3.0 and required_ratio(23.5, 400) == 4.5
    assert required_ratio(19, 700) == 3.0 and required_ratio(18, 700) == 4.5


def test_at_least_four_bundled_themes_load():
    names = bundled_themes()
    assert {"health-blue", "official-red", "alert-red", "calm-green"} <= set(names)
    for name in names:
        theme = load_theme(name)
        assert set(PALETTE_KEYS) <= set(theme.palette)
        assert contrast_ratio(theme.palette["text"], theme.palette["background"]) >= 7
        assert contrast_ratio(theme.palette["on_primary"], theme.palette["primary"]) >= 4.5


@pytest.mark.parametrize("layout", infographic.bundled_layouts())
def test_every_bundled_theme_passes_on_every_bundled_layout(layout):
    spec = infographic.load_layout(layout)
    problems = [p for theme in bundled_themes() for p in check_layout(spec, load_theme(theme))]
    assert problems == []


@pytest.mark.parametrize("brand", BRANDS)
def test_theme_derived_from_one_colour_is_complete_and_readable(brand):
    theme = theme_from_color(brand, "ward-brand")
    p = theme.palette
    assert set(PALETTE_KEYS) <= set(p)
    assert len({p["primary"], p["secondary"], p["accent"], p["surface"]}) == 4
    for key in ("text", "muted", "primary", "positive", "negative"):
        for surface in ("background", "surface"):
            assert contrast_ratio(p[key], p[surface]) >= 4.5, (key, surface)
    assert contrast_ratio(p["on_primary"], p["primary"]) >= 4.5
    assert contrast_ratio(p["secondary"], p["primary"]) >= 4.5
    assert contrast_ratio(p["accent"], p["background"]) >= 3.0
    for layout in infographic.bundled_layouts():
        assert check_layout(infographic.load_layout(layout), theme) == []


def test_a_brand_colour_that_is_readable_is_kept():
    assert theme_from_color("#0B5394").palette["primary"] == "#0B5394"
    assert theme_from_color("#FFD500").palette["primary"] != "#FFD500"  # too light for text


def _layout(tmp_path, slot_style: str):
    (tmp_path / "layout.yaml").write_text(
        "name: contrast-test\nsizes: [square]\nfields:\n  title: {type: text, sample: Tiêu đề}\n"
        f"slots:\n  title: {slot_style}\n", encoding="utf-8")
    (tmp_path / "template.svg.j2").write_text(
        '<rect width="1080" height="1080" fill="{{ theme.background }}"/>'
        '{{ text("title", title, x=80, y=80, width=900, height=200) }}', encoding="utf-8")
    return tmp_path


def test_low_contrast_warns_in_the_fit_report_and_fails_in_strict_mode(tmp_path):
    folder = _layout(tmp_path, "{font: body, size: 20, color: secondary}")
    art = infographic.render(folder, theme="health-blue")
    assert any("contrast of 1.22:1" in w and "title" in w for w in art.fit_report.warnings)
    with pytest.raises(infographic.FitError, match="WCAG AA needs 4.5:1"):
        infographic.render(folder, theme="health-blue", strict=True)


def test_declared_background_is_what_the_text_is_checked_against(tmp_path):
    folder = _layout(tmp_path, "{font: body, size: 20, color: secondary, background: primary}")
    art = infographic.render(folder, theme="health-blue", strict=True)
    assert not [w for w in art.fit_report.warnings if "contrast" in w]
    on_band = _layout(tmp_path, "{font: body, size: 20, color: on_primary}")
    assert not [w for w in infographic.render(on_band).fit_report.warnings if "contrast" in w]
    bad = _layout(tmp_path, "{font: body, size: 20, background: nonsense}")
    with pytest.raises(infographic.LayoutError, match="nonsense"):
        infographic.render(bad)


def test_large_text_needs_only_three_to_one(tmp_path):
    # #F4B400 amber on primary blue: 4.25:1, enough for 30 px bold, not for 16 px.
    large = _layout(tmp_path, "{font: heading, size: 30, color: accent, background: primary}")
    assert not [w for w in infographic.render(large, theme="health-blue").fit_report.warnings
                if "contrast" in w]
    small = _layout(tmp_path, "{font: body, size: 16, color: accent, background: primary}")
    assert [w for w in infographic.render(small, theme="health-blue").fit_report.warnings
            if "contrast" in w]


def _logo_png(path):
    from PIL import Image
    Image.new("RGB", (120, 120), "#E4002B").save(path)
    return path


def test_theme_file_with_logo_and_spacing_scale(tmp_path):
    import yaml
    from conftest import to_array
    kit = tmp_path / "kit"
    kit.mkdir()
    _logo_png(kit / "logo.png")
    spec = yaml.safe_load((load_theme("calm-green").folder / "calm-green.yaml").read_text(
        encoding="utf-8"))
    spec.update(name="ward-kit", logo="logo.png", spacing=[5, 10, 20, 40])
    (kit / "ward.yaml").write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    theme = load_theme(kit / "ward.yaml")
    assert theme.logo == "logo.png" and theme.spacing == (5, 10, 20, 40)
    layout = tmp_path / "layout"
    layout.mkdir()
    (layout / "layout.yaml").write_text("name: logo-test\nsizes: [square]\nfields: {}\n"
                                        "slots: {}\n", encoding="utf-8")
    (layout / "template.svg.j2").write_text(
        '<rect width="1080" height="1080" fill="{{ theme.background }}"/>'
        '{% if theme.logo %}{{ image(theme.logo, x=theme.spacing[3], y=theme.spacing[3], '
        'width=200, height=200) }}{% endif %}', encoding="utf-8")
    pixels = to_array(infographic.render(layout, theme=kit / "ward.yaml"))
    assert abs(pixels[140, 140] - [0xE4, 0x00, 0x2B]).max() < 8  # the logo, at 40 + 100
    assert abs(pixels[20, 20] - [0xFB, 0xFD, 0xF9]).max() < 4  # background outside it
    plain = to_array(infographic.render(layout, theme="calm-green"))
    assert abs(plain[140, 140] - [0xFB, 0xFD, 0xF9]).max() < 4  # no logo, nothing drawn


@pytest.mark.parametrize("change, message", [({"spacing": [8, 4]}, "spacing"),
                                             ({"spacing": "wide"}, "spacing"),
                                             ({"logo": "missing.png"}, "logo file")])
def test_bad_theme_kit_entries_are_clear_errors(tmp_path, change, message):
    import yaml
    spec = yaml.safe_load((load_theme("health-blue").folder / "health-blue.yaml").read_text(
        encoding="utf-8"))
    spec.update(change)
    (tmp_path / "t.yaml").write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    with pytest.raises(infographic.ThemeError, match=message):
        load_theme(tmp_path / "t.yaml")


def test_derived_theme_carries_a_logo(tmp_path):
    theme = theme_from_color("#00A651", logo=_logo_png(tmp_path / "brand.png"))
    assert theme.logo == "brand.png" and theme.folder == tmp_path.resolve()
    assert theme.template_view()["logo"] == "brand.png"


def test_cli_lists_themes_and_writes_a_derived_one(tmp_path, capsys):
    from infographic.cli import main
    assert main(["themes", "--json"]) == 0
    rows = __import__("json").loads(capsys.readouterr().out)
    assert {r["name"] for r in rows} >= {"health-blue", "alert-red", "calm-green"}
    assert all(r["contrast_problems"] == [] for r in rows)
    target = tmp_path / "brand.yaml"
    assert main(["themes", "--from-color", "#00A651", "--name", "phuong", "-o",
                 str(target)]) == 0
    theme = load_theme(target)
    assert theme.name == "phuong" and theme.palette["primary"] == "#00803E"
    art = infographic.render("demo-charts", size="square", theme=target, strict=True)
    assert art.fit_report.ok
    assert main(["themes", "--from-color", "#zz"]) == 1
    assert "not a colour" in capsys.readouterr().err
