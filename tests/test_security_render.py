"""Issue 18, render-time attacks: hostile SVG and image content reaching cairo, Pillow, Ghostscript.

Each attack runs in a child Python under a 4 GB address-space cap and a timeout, as the attack
itself was run. The child records every process it is asked to start (an audit hook on
``subprocess.Popen``, ``os.posix_spawn``, ``os.exec``, ``os.spawn``, ``os.system``, ``os.fork``)
and its peak memory, and reports how the render ended: an image, a typed ``InfographicError``, or
something else (an untyped exception is a failure of the library, not of the input).
"""

from __future__ import annotations

import base64
import json
import os
import resource
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from hostile import ADDRESS_SPACE_CAP, EPS_URI, LOOPING_EPS, attack_layout, tile_svg

CHILD_TIMEOUT_S = 120
PEAK_LIMIT_MB = 1024

#: Runs in the child: installs the audit hook after the imports (importing cairocffi runs
#: ``ldconfig -p`` once), runs the attack, prints one JSON line.
_HARNESS = textwrap.dedent('''
    import json, os, resource, sys, traceback
    import infographic, infographic.print.pdf, infographic.print.cmyk
    from infographic.errors import InfographicError

    SPAWNS = ("subprocess.Popen", "os.posix_spawn", "os.exec", "os.spawn", "os.system",
              "os.fork", "os.forkpty", "pty.spawn")
    events = []

    def ours(args):
        """Ghostscript on the PDF/X-4 we wrote ourselves (X-1a flattening), with -dSAFER."""
        argv = [str(a) for a in (args[1] if len(args) > 1 and args[1] else [])]
        return (bool(argv) and os.path.basename(argv[0]) in ("gs", "gsc") and "-dSAFER" in argv
                and argv[-1].endswith("/x4.pdf")
                and os.path.basename(os.path.dirname(argv[-1])).startswith("infographic-x1a-"))

    def hook(event, args):
        if event in SPAWNS:
            allowed = event == "subprocess.Popen" and ours(args)
            events.append({"event": event, "args": repr(args)[:300], "ours": allowed})
            if not allowed:  # stop it here: a looping PostScript would never return
                raise PermissionError("blocked by the test's audit hook: " + event)

    sys.addaudithook(hook)
    result = {}
    try:
        exec(compile(sys.argv[1], "<attack>", "exec"), {"infographic": infographic,
                                                         "out": sys.argv[2]})
        result["outcome"] = "ok"
    except InfographicError as exc:
        result.update(outcome="typed", type=type(exc).__name__, message=str(exc),
                      layout=exc.layout, field=exc.field)
    except BaseException as exc:
        result.update(outcome="untyped", type=type(exc).__name__, message=str(exc)[:500],
                      traceback=traceback.format_exc()[-3000:])
    result["events"] = events
    result["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print("RESULT " + json.dumps(result))
''')


def _cap_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE_CAP, ADDRESS_SPACE_CAP))


def run_attack(code: str, out: Path) -> dict:
    """Run ``code`` (with ``infographic`` and ``out`` bound) in a capped child; its report."""
    try:
        done = subprocess.run([sys.executable, "-c", _HARNESS, textwrap.dedent(code), str(out)],
                              capture_output=True, text=True, timeout=CHILD_TIMEOUT_S,
                              preexec_fn=_cap_memory, cwd=out)
    except subprocess.TimeoutExpired:
        pytest.fail(f"the attack was still running after {CHILD_TIMEOUT_S} s")
    lines = [line for line in done.stdout.splitlines() if line.startswith("RESULT ")]
    assert lines, f"the child died (exit {done.returncode}): {done.stderr[-2000:]}"
    result = json.loads(lines[-1][len("RESULT "):])
    assert result["outcome"] != "untyped", result.get("traceback")
    assert result["peak_mb"] < PEAK_LIMIT_MB, result
    return result


def has_red(path: Path) -> bool:
    pixels = np.asarray(Image.open(path).convert("RGB"), dtype=np.int16)
    return bool(((pixels[..., 0] > 200) & (pixels[..., 1] < 60) & (pixels[..., 2] < 60)).any())


# --- item 1: PostScript from a data file or a layout never reaches Ghostscript --------------------

def test_an_svg_logo_in_the_data_holding_postscript_starts_no_process(tmp_path):
    """The photo-card data file names ``logo.svg``, whose SVG embeds a looping EPS: the render
    is refused naming the field and the image, and nothing is started, at any size or format."""
    (tmp_path / "logo.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100" width="100" '
        f'height="100"><image width="100" height="100" href="{EPS_URI}"/></svg>',
        encoding="utf-8")
    result = run_attack("""
        from infographic.errors import InfographicError
        data = {"title": "Tiêm vắc xin đủ mũi", "sender": "Trạm Y tế phường Phúc Xá",
                "logo": "logo.svg", "photo": ""}
        refused = []
        for size, fmt in (("square", "png"), ("a4", "pdf")):
            try:
                infographic.render("photo-card", data, size=size, assets=[out]).save(
                    f"{out}/card-{size}.{fmt}")
            except InfographicError as exc:
                refused.append((exc.layout, exc.field, str(exc)))
        assert len(refused) == 2 and all(r[:2] == ("photo-card", "logo") for r in refused)
        assert all("PNG, JPEG" in r[2] and "PostScript" in r[2] for r in refused), refused
        """, tmp_path)
    assert result["outcome"] == "ok", result
    assert result["events"] == []
    assert not list(tmp_path.glob("card-*"))


def test_postscript_in_a_layout_starts_no_process(tmp_path):
    """``<image href="x.eps">``, an EPS data: URI, EPS bytes labelled as JPEG (the PDF writer's
    JPEG pass-through) and ``image("x.eps")``, drawn as PNG, JPEG, WebP, PDF, print PDF and
    CMYK: each is a typed error naming the layout, and no process starts. Ghostscript runs only
    to flatten the PDF/X-1a file of a harmless layout, on the PDF we wrote, with -dSAFER (the
    default PDF/X-4 conversion starts no process)."""
    uri_as_jpeg = f"data:image/jpeg;base64,{base64.b64encode(LOOPING_EPS).decode()}"
    bodies = {"file": '<image href="x.eps" width="100" height="100"/>',
              "uri": f'<image href="{EPS_URI}" width="100" height="100"/>',
              "jpeg": f'<image preserveAspectRatio="none" width="100" height="100" '
                      f'href="{uri_as_jpeg}"/>',
              "image": '{{ image("x.eps", 0, 0, 100, 100) }}'}
    for name, body in bodies.items():
        attack_layout(tmp_path / name, body)
        (tmp_path / name / "x.eps").write_bytes(LOOPING_EPS)
    result = run_attack("""
        from infographic.errors import InfographicError
        from infographic.print.pdf import save_print_pdf
        from infographic.print.cmyk import cmyk_pdf, cmyk_tiff
        steps = [lambda art: art.save(f"{out}/evil.{fmt}") for fmt in ("png", "jpg", "webp", "pdf")]
        steps += [lambda art: save_print_pdf([art], f"{out}/print.pdf"), cmyk_tiff,
                  lambda art: cmyk_pdf([art])]
        refused = set()
        for name in ("file", "uri", "jpeg", "image"):
            for step in steps:
                try:
                    step(infographic.render(f"{out}/{name}", {"title": "x"}, size="a4"))
                except InfographicError as exc:
                    assert exc.layout == name and "PNG, JPEG" in str(exc), str(exc)
                    refused.add(name)
        assert refused == {"file", "uri", "jpeg", "image"}, refused
        cmyk_pdf([infographic.render("announcement", size="a4")])  # X-4: no process at all
        cmyk_pdf([infographic.render("announcement", size="a4")], pdfx="1a")  # positive control
        """, tmp_path)
    assert result["outcome"] == "ok", result
    assert [e for e in result["events"] if not e["ours"]] == []
    assert len(result["events"]) == 1  # the harmless layout's X-1a flattening, and only that
    assert not list(tmp_path.glob("evil.*")) and not (tmp_path / "print.pdf").exists()


# --- item 3: pattern and mask tiles stay within the tile limit -------------------------------------

@pytest.mark.parametrize("kind", ["pattern", "bbox-pattern", "mask"])
def test_a_tiny_svg_logo_in_the_data_with_a_huge_tile_is_refused(tmp_path, kind):
    """A 350-byte logo whose 20000² tile reached 3.57 GB and 'succeeded'."""
    logo = tile_svg(kind, 20_000, 20_000)
    assert len(logo) < 400
    (tmp_path / "logo.svg").write_text(logo, encoding="utf-8")
    result = run_attack("""
        infographic.render("photo-card", {"title": "Tiêm vắc xin đủ mũi", "logo": "logo.svg",
                                          "sender": "Trạm Y tế phường Phúc Xá", "photo": ""},
                           size="square", assets=[out]).save(f"{out}/card.png")
        """, tmp_path)
    assert result["outcome"] == "typed", result
    assert (result["layout"], result["field"]) == ("photo-card", "logo")
    assert 'id="tile"' in result["message"] and "16 megapixels" in result["message"]
    assert not (tmp_path / "card.png").exists()


@pytest.mark.parametrize("kind, side", [("pattern", 30_000), ("pattern", 60_000),
                                        ("mask", 30_000), ("bbox-pattern", 30_000)])
def test_a_layout_with_a_huge_tile_is_refused(tmp_path, kind, side):
    """In a layout, 30000² reached 3.48 GB and 60000² ended in an untyped MemoryError; a tile
    inside an SVG image the layout draws is checked the same way."""
    svg = tile_svg(kind, side, 1080)
    body = svg[svg.index(">") + 1:-len("</svg>")]
    attack_layout(tmp_path / "tiles", body)
    (tmp_path / "tiles" / "logo.svg").write_text(tile_svg(kind, 20_000, 20_000), "utf-8")
    attack_layout(tmp_path / "logo", '<image href="logo.svg" width="200" height="200"/>')
    (tmp_path / "logo" / "logo.svg").write_text(tile_svg(kind, 20_000, 20_000), "utf-8")
    for folder, fmt in (("tiles", "png"), ("tiles", "pdf"), ("logo", "png")):
        result = run_attack(f"""
            art = infographic.render(f"{{out}}/{folder}", {{"title": "x"}}, size="square")
            art.save(f"{{out}}/{folder}.{fmt}")
            """, tmp_path)
        assert result["outcome"] == "typed" and result["type"] == "LimitError", result
        assert result["layout"] == folder and 'id="tile"' in result["message"], result
        assert not (tmp_path / f"{folder}.{fmt}").exists()


def test_a_pattern_within_the_limits_is_drawn(tmp_path):
    """The positive control: a small userSpaceOnUse pattern fills its rectangle."""
    import infographic
    from conftest import to_array
    svg = tile_svg("pattern", 20, 200).replace('width="20" height="20"><rect width="20" '
                                               'height="20"', 'width="20" height="20"><rect '
                                               'width="10" height="20"')
    attack_layout(tmp_path / "stripes", svg[svg.index(">") + 1:-len("</svg>")])
    pixels = to_array(infographic.render(tmp_path / "stripes", {"title": "x"}, size="200x200"))
    red = (pixels[..., 0] > 200) & (pixels[..., 1] < 60)
    assert 0.4 < red.mean() < 0.6  # red stripes on half the canvas


# --- item 5 (drawing): coordinates, radii and stroke widths bounded by the canvas ------------------

HUGE_SHAPES = {
    "circle": '<circle cx="50" cy="50" r="1e40" fill="red"/>',
    "scaled": '<g transform="scale(1e30)"><circle cx="5" cy="5" r="10" fill="red"/></g>',
    "arc": '<path d="M10 10 A1e40 1e40 0 0 1 90 90" fill="red" stroke="#000"/>',
    "stroke": '<path d="M10 10 C 20 20 40 20 50 10" style="stroke: #000; stroke-width: 1e40"/>',
    "stylesheet": '<style>circle { r: 1e40 }</style><circle cx="50" cy="50" r="1" fill="red"/>',
    "css-scale": '<style>.big { transform: scale(1e30) }</style><circle class="big" r="1"/>',
}


@pytest.mark.parametrize("shape", list(HUGE_SHAPES))
def test_huge_shapes_are_refused_before_drawing(tmp_path, shape):
    """<circle r="1e40"> drew the PNG past 120 s at 1.1 GB, and as PDF wrote 236 MB from 228
    bytes; the same in an SVG logo from a data file."""
    attack_layout(tmp_path / "huge", HUGE_SHAPES[shape])
    (tmp_path / "logo.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100">'
        f'{HUGE_SHAPES[shape]}</svg>', encoding="utf-8")
    for code, layout, field in (
            ('infographic.render(f"{out}/huge", {"title": "x"}, size="square").save(f"{out}/x.png")',
             "huge", None),
            ('infographic.render(f"{out}/huge", {"title": "x"}, size="a4").save(f"{out}/x.pdf")',
             "huge", None),
            ('infographic.render("photo-card", {"title": "Tiêm chủng", "logo": "logo.svg", '
             '"photo": ""}, size="square", assets=[out]).save(f"{out}/x.png")', "photo-card",
             "logo")):
        result = run_attack(code, tmp_path)
        assert result["outcome"] == "typed" and result["type"] in ("LimitError", "DataError")
        assert (result["layout"], result["field"]) == (layout, field)
        assert "canvas" in result["message"] or "finite" in result["message"], result
        assert not list(tmp_path.glob("x.*"))


# --- item 11: limit bypasses -------------------------------------------------------------------------

@pytest.mark.parametrize("space", [" ", "\t", "\n", " \t\n"])
def test_use_references_with_leading_white_space_count_in_the_fan_out(tmp_path, space):
    import infographic
    from infographic.errors import LimitError
    rects = '<rect width="1" height="1"/>' * 100
    attack_layout(tmp_path / "fanout", f'<defs><g id="a">{rects}</g></defs>'
                                     + f'<use href="{space}#a"/>' * 300)
    with pytest.raises(LimitError, match="20,000") as error:
        infographic.render(tmp_path / "fanout", {"title": "x"}, size="200x200").to_bytes("png")
    assert error.value.layout == "fanout"


def test_paths_in_a_fake_glyph_group_count_as_elements(tmp_path):
    import infographic
    from infographic.errors import LimitError
    glyph = '<path transform="matrix(1 0 0 1 0 0)" d="M0 0L1 0L1 1Z"/>'
    attack_layout(tmp_path / "glyphs", '{% for i in range(201) %}<g class="text">'
                                     '{% for j in range(1000) %}' + glyph +
                                     '{% endfor %}</g>{% endfor %}')
    with pytest.raises(LimitError, match="200,000 elements") as error:
        infographic.render(tmp_path / "glyphs", {"title": "x"}, size="200x200").to_bytes("png")
    assert error.value.layout == "glyphs"


def test_image_uses_the_one_embedded_image_limit(tmp_path):
    """``image()`` allowed 60 MP where limits.py says 36: a 42 MP picture is refused, naming
    the field and the limit."""
    import infographic
    Image.new("L", (7000, 6000)).save(tmp_path / "poster.png")
    with pytest.raises(infographic.DataError, match=r"42 MP\), over the 36 MP limit") as error:
        infographic.render("photo-card", {"title": "Tiêm chủng", "photo": "poster.png"},
                           size="square", assets=[tmp_path])
    assert (error.value.layout, error.value.field) == ("photo-card", "photo")


# --- item 12 (drawing): errors from cairosvg are typed and name the element ------------------------

@pytest.mark.parametrize("body, element", [
    ('<path d="M0 0 L100 100" stroke="#000" marker-end="url(x.svg#m)"/>', 'marker-end="url'),
    ('<text x="10" y="50"><tref href="#missing"/></text>', 'id="missing"'),
    ('<rect width="100" height="100" fill="#f00" opacity="abc"/>', 'opacity="abc"'),
    ('<text x="10" y="50" font-size="1e309">x</text>', 'font-size="1e309"'),
])
def test_svg_that_cairosvg_cannot_draw_is_a_typed_error_naming_the_element(tmp_path, body,
                                                                           element):
    import infographic
    from infographic.errors import InfographicError
    attack_layout(tmp_path / "broken", body)
    art = infographic.render(tmp_path / "broken", {"title": "x"}, size="200x200")
    for fmt in ("png", "pdf"):
        with pytest.raises(InfographicError) as error:
            art.save(tmp_path / f"broken.{fmt}")
        assert error.value.layout == "broken" and element in str(error.value)
        assert not (tmp_path / f"broken.{fmt}").exists()


@pytest.mark.parametrize("kwargs, kind, field, words", [
    ({"data": ["Tiêm chủng"]}, "DataError", None, "not a list"),
    ({"data": "Tiêm chủng"}, "DataError", None, "not a str"),
    ({"data": {"title": 10 ** 5000}}, "DataError", "title", "5,000 digits"),
    ({"theme": 5}, "ThemeError", None, "not a int"),
    ({"assets": 5}, "DataError", None, "list of folders"),
])
def test_hostile_api_arguments_are_typed_errors(kwargs, kind, field, words):
    """From the API: data given as a list or a string, a 5,000-digit title, a theme or asset
    folders of the wrong kind raised ValueError or TypeError."""
    import infographic
    from infographic.layout.manifest import load_layout
    if "data" in kwargs and isinstance(kwargs["data"], dict):
        kwargs = {"data": {**load_layout("announcement").sample_data(), **kwargs["data"]}}
    with pytest.raises(infographic.InfographicError) as error:
        infographic.render("announcement", **kwargs)
    assert type(error.value).__name__ == kind and words in str(error.value)
    assert error.value.field == field


def test_a_huge_number_is_blamed_on_its_field_not_the_template():
    """``cases: 1e308`` was reported as a template error."""
    import infographic
    from infographic.layout.manifest import load_layout
    data = {**load_layout("key-statistics").sample_data(), "cases": 1e308}
    with pytest.raises(infographic.DataError) as error:
        infographic.render("key-statistics", data)
    assert (error.value.layout, error.value.field) == ("key-statistics", "cases")


@pytest.mark.parametrize("body", [
    '<rect width="100" height="100" fill="#f00" opacity="abc"/>',
    HUGE_SHAPES["circle"],
])
def test_check_and_print_report_svg_that_cannot_be_drawn(tmp_path, body):
    """``check`` reports the element as an error of the layout; ``print`` raises a typed
    error and writes no file."""
    import infographic
    from infographic.authoring.check import check_layout
    from infographic.print import save_print_pdf
    folder = attack_layout(tmp_path / "broken", body)
    report = check_layout(folder, sizes=["square"])
    errors = [p.message for p in report.problems if p.level == "error"]
    assert any("layout 'broken'" in m and ("opacity" in m or "r=\"1e40\"" in m) for m in errors)
    with pytest.raises(infographic.InfographicError) as error:
        save_print_pdf([infographic.render(folder, {"title": "x"}, size="a4")],
                       tmp_path / "print.pdf")
    assert error.value.layout == "broken"
    assert not (tmp_path / "print.pdf").exists()
