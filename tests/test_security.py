"""The attack list of issue 8 as a test suite: hostile text, hostile layouts, resource bombs.

Every attack ends in a valid image or a typed InfographicError; nothing outside the layout folder
is read (an audit hook records every file Python opens during the render, and secret red images
must not show up in the pixels), and nothing is fetched (sockets are blocked and recorded).
"""

from __future__ import annotations

import base64
import io
import os
import socket
import struct
import sys
import sysconfig
import zlib
from pathlib import Path
from xml.etree import ElementTree

import numpy as np
import pytest
from PIL import Image

import infographic
from infographic import limits, usercache
from infographic.errors import DataError, FitError, InfographicError, LayoutError, LimitError
from infographic.layout.template import _bytecode_cache

from conftest import to_image

SVG_NS = "{http://www.w3.org/2000/svg}"
PACKAGE = Path(infographic.__file__).resolve().parent
RED = (255, 0, 0)


# --- instruments ------------------------------------------------------------------------------

_OPENED: list[str] | None = None


def _audit(event: str, args: tuple) -> None:
    if _OPENED is not None and event == "open" and isinstance(args[0], (str, bytes, os.PathLike)):
        _OPENED.append(os.fsdecode(args[0]))


sys.addaudithook(_audit)


@pytest.fixture
def opened_files():
    """Paths Python opens while the test body runs."""
    global _OPENED
    _OPENED = []
    try:
        yield _OPENED
    finally:
        _OPENED = None


@pytest.fixture
def no_network(monkeypatch):
    """Block every socket; the list records each attempt."""
    attempts: list[object] = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise OSError("network blocked by test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    return attempts


def make_layout(folder: Path, body: str, fields: str = "title: {type: text, sample: x}",
                slots: str = "title: {size: 30, min_size: 10, overflow: truncate}") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "layout.yaml").write_text(
        f"name: {folder.name}\ntitle: Test\nfields:\n  {fields}\nslots:\n  {slots}\n",
        encoding="utf-8")
    (folder / "template.svg.j2").write_text(body, encoding="utf-8")
    return folder


def red_png(path: Path, size: int = 40) -> Path:
    Image.new("RGB", (size, size), RED).save(path)
    return path


def has_red(image: Image.Image) -> bool:
    pixels = np.asarray(image.convert("RGB"), dtype=np.int16)
    return bool(((pixels[..., 0] > 200) & (pixels[..., 1] < 60) & (pixels[..., 2] < 60)).any())


def slot_text(art: infographic.Artwork, slot: str) -> str:
    root = ElementTree.fromstring(art.svg)
    for group in root.iter(f"{SVG_NS}g"):
        if group.get("data-slot") == slot:
            return group.find(f"{SVG_NS}title").text or ""
    raise AssertionError(f"no text group for slot {slot}")


def png_bomb(side: int) -> bytes:
    """A grey PNG of side² pixels that is only a few hundred KB (rows of zeros deflate well)."""
    row = b"\x00" + b"\x00" * side
    raw = zlib.compress(row * side, 9)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    header = struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", raw)
            + chunk(b"IEND", b""))


# --- user text is data --------------------------------------------------------------------------

HOSTILE_TEXT = [
    "<b>đậm</b> & <i>nghiêng</i>",
    '</text><image href="file:///etc/passwd"/>',
    '"/><image href="file:///etc/passwd"/><g x="',
    "&amp; &nbsp; &#x41; &lt;script&gt;",
    "{{ 7 * 7 }} {% for i in range(3) %}x{% endfor %} {# comment #}",
    "]]><![CDATA[ <?xml version='1.0'?> <!DOCTYPE x [<!ENTITY e SYSTEM 'file:///etc/passwd'>]>",
]


@pytest.mark.parametrize("text", HOSTILE_TEXT)
def test_markup_and_template_syntax_in_user_text_render_literally(text, opened_files):
    art = infographic.render("announcement", {**_sample(), "title": text}, size="landscape")
    assert slot_text(art, "title") == text  # the SVG holds the characters, not markup
    root = ElementTree.fromstring(art.svg)
    assert not list(root.iter(f"{SVG_NS}image"))
    assert "root:" not in art.svg
    image = to_image(art)
    assert image.size == (1200, 630)
    assert not [p for p in opened_files if p.startswith("/etc")]


@pytest.mark.parametrize("text, expected", [
    ("Khẩu\x00 trang\x0bbắt\x1f buộc\x7f", "Khẩu trang\nbắt buộc"),  # controls; VT is a line break
    ("Tiêm \ud800chủng\udfff đủ liều", "Tiêm chủng đủ liều"),  # lone surrogates are dropped
    ("\u202eRTL\u202c và \u200fmark", "\u202eRTL\u202c và \u200fmark"),  # kept, drawn inkless
    ("zero\u200bwidth\u200c\u200d\ufeff", "zero\u200bwidth\u200c\u200d\ufeff"),
])
def test_control_and_invisible_characters_are_cleaned_or_kept_inkless(text, expected):
    art = infographic.render("announcement", {**_sample(), "title": text}, size="landscape")
    assert slot_text(art, "title") == expected
    assert art.fit_report.entries and not [e for e in art.fit_report.entries
                                            if e.slot == "title" and e.missing_chars]
    assert to_image(art).size == (1200, 630)


def test_emoji_without_a_picture_is_reported_and_strict_mode_refuses_it():
    # U+1FAEA (Unicode 17) is newer than the bundled emoji set (Unicode 16), and no font has it
    data = {**_sample(), "title": "Đeo khẩu trang \U0001faea nơi công cộng"}
    art = infographic.render("announcement", data, size="landscape")
    title = next(e for e in art.fit_report.entries if e.slot == "title")
    assert title.missing_chars == ("\U0001faea",)
    assert any("U+1FAEA" in w for w in art.fit_report.warnings)
    assert to_image(art).size == (1200, 630)
    with pytest.raises(FitError, match=r"U\+1FAEA"):
        infographic.render("announcement", data, size="landscape", strict=True)


def test_a_100000_character_field_is_rejected_with_the_field_and_the_limit():
    with pytest.raises(DataError) as error:
        infographic.render("announcement", {**_sample(), "lead": "a" * 100_000})
    assert error.value.field == "lead" and "20,000" in str(error.value)


def test_long_text_within_the_limits_is_fitted_or_reported_never_hangs():
    with pytest.raises(InfographicError):  # 700 × 6 characters cannot fit a landscape body
        infographic.render("announcement", {**_sample(), "body": ["chống dịch " * 63] * 6},
                           size="landscape", strict=True)


# --- a layout reads only its own folder, and nothing from the network ---------------------------

def test_hrefs_outside_the_layout_folder_are_neither_read_nor_fetched(tmp_path, no_network,
                                                                      opened_files):
    secret = red_png(tmp_path / "secret.png")
    outside = tmp_path / "outside"
    outside.mkdir()
    red_png(outside / "elsewhere.png")
    folder = tmp_path / "layout"
    folder.mkdir()
    (folder / "link.png").symlink_to(secret)
    (folder / "dirlink").symlink_to(outside, target_is_directory=True)
    hrefs = [f"file://{secret}", str(secret), "../secret.png", "link.png", "dirlink/elsewhere.png",
             "http://127.0.0.1:9/x.png", "https://example.com/x.png", "file:///etc/passwd",
             "/etc/passwd", "ftp://example.com/x.png", "//example.com/x.png"]
    images = "".join(f'<image href="{h}" width="200" height="200"/>'
                     f'<image xlink:href="{h}" width="200" height="200"/>' for h in hrefs)
    body = (f'<rect width="200" height="200" fill="#fff"/>{images}'
            f'<use href="http://127.0.0.1:9/x.svg#a"/><use href="file:///etc/passwd#a"/>'
            f'<style>@import url(http://127.0.0.1:9/x.css); @import url(file:///etc/passwd);'
            f'</style><g xml:base="http://127.0.0.1:9/"><image href="x.png" width="9" '
            f'height="9"/></g>')
    make_layout(folder, body)
    opened_files.clear()  # from here on, only what the render opens
    art = infographic.render(folder, {"title": "x"}, size="200x200")
    for fmt in ("png", "pdf"):
        data = art.to_bytes(fmt)
        assert b"root:" not in data
    assert not has_red(to_image(art))
    assert no_network == []
    cache = _bytecode_cache()  # our compiled templates, in Jinja2's private per-user folder
    kept = usercache.cache_dir()  # parsed YAML, kept per user (infographic/usercache.py)
    # Python loading installed code on first use (lazy imports) is not the render reading files
    code = tuple(os.path.realpath(sysconfig.get_paths()[k]) for k in ("stdlib", "platstdlib",
                                                                        "purelib", "platlib"))
    inside = (os.path.realpath(folder), str(PACKAGE), "/proc/") + code + \
        ((os.path.realpath(cache.directory),) if cache else ()) + \
        ((os.path.realpath(kept),) if kept else ())
    fonts = os.path.realpath(PACKAGE.parent / "fonts")
    stray = [p for p in opened_files
             if not os.path.realpath(p).startswith(inside + (fonts,)) and not p.endswith(".py")]
    assert stray == []


def test_an_image_inside_the_layout_folder_is_drawn(tmp_path):
    """The positive control for the test above: the same markup does draw an allowed file."""
    folder = tmp_path / "layout"
    folder.mkdir()
    red_png(folder / "logo.png")
    make_layout(folder, '<image href="logo.png" width="200" height="200"/>')
    assert has_red(to_image(infographic.render(folder, {"title": "x"}, size="200x200")))


def test_template_include_cannot_leave_the_folder_even_through_a_symlink(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET", encoding="utf-8")
    folder = tmp_path / "layout"
    folder.mkdir()
    (folder / "part.svg").symlink_to(secret)
    for include in ("part.svg", "../secret.txt", str(secret), "/etc/passwd"):
        make_layout(folder, f"<g>{{% include '{include}' %}}</g>")
        with pytest.raises(LayoutError):
            infographic.render(folder, {"title": "x"}, size="200x200")


@pytest.mark.parametrize("body, message", [
    ("{{ ''.__class__.__mro__[1].__subclasses__() }}", "unsafe"),
    ("{{ cycler.__init__.__globals__.os.popen('id').read() }}", "unsafe"),
    ("{{ self._TemplateReference__context }}", "unsafe|undefined"),
    ("{% import 'os' as os %}", "not found"),
    ("{{ lipsum(100000) }}", "undefined"),
    ("{{ 2 ** 99999999 }}", "exponent"),
    ("{{ 'x' * 10 ** 9 }}", "at most"),
    ("{{ ['x'] * 10 ** 9 }}", "at most"),
    ("{{ '%999999999d' % 1 }}", "at most"),
    ("{{ '%*d' % (999999999, 1) }}", "widths"),
    ("{{ '{:>999999999}'.format(1) }}", "at most"),
    ("{{ '{:>{w}}'.format(1, w=999999999) }}", "nested"),
    ("{{ 'x'.center(999999999) }}", "at most"),
    ("{{ 'x' | center(999999999) }}", "at most"),
    ("{{ '%999999999d' | format(1) }}", "at most"),
    ("{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}", "without end"),
    ("{% for i in range(99999) %}{{ 'x' * 999999 }}{% endfor %}", "MB of SVG"),
])
def test_hostile_templates_get_a_clear_error(tmp_path, body, message):
    folder = make_layout(tmp_path / "evil", body)
    with pytest.raises(InfographicError, match=message):
        infographic.render(folder, {"title": "x"}, size="200x200")


@pytest.mark.parametrize("body", [
    "{% for i in range(99999) %}{% for j in range(99999) %}{% endfor %}{% endfor %}",
    "{% macro f(n) %}{% if n %}{{ f(n - 1) }}{{ f(n - 1) }}{% endif %}{% endmacro %}{{ f(60) }}",
])
def test_endless_templates_are_stopped_by_the_time_limit(tmp_path, monkeypatch, body):
    monkeypatch.setattr(limits, "LAYOUT_SECONDS", 1.0)
    folder = make_layout(tmp_path / "slow", body)
    with pytest.raises(LimitError, match="longer than 1 s"):
        infographic.render(folder, {"title": "x"}, size="200x200")
    infographic.render("announcement", _sample(), size="landscape")  # nothing left pending


# --- resource bombs -------------------------------------------------------------------------------

def _render_png(tmp_path: Path, body: str, size: str = "200x200") -> bytes:
    folder = make_layout(tmp_path / "bomb", body)
    return infographic.render(folder, {"title": "x"}, size=size).to_bytes("png")


def test_png_bomb_is_refused_from_its_header_before_cairo_decodes_it(tmp_path):
    bomb = png_bomb(12_000)
    assert len(bomb) < 300_000
    uri = "data:image/png;base64," + base64.b64encode(bomb).decode()
    with pytest.raises(LimitError, match="12000×12000"):
        _render_png(tmp_path, f'<image href="{uri}" width="100" height="100"/>')
    (tmp_path / "bomb").mkdir(exist_ok=True)
    (tmp_path / "bomb" / "bomb.png").write_bytes(bomb)
    with pytest.raises(LimitError, match="scale it down"):
        _render_png(tmp_path, '<image href="bomb.png" width="100" height="100"/>')


def test_jpeg_bomb_and_too_many_image_pixels_are_refused(tmp_path, monkeypatch):
    out = io.BytesIO()
    Image.new("L", (3000, 3000), 128).save(out, "JPEG", quality=10)
    uri = "data:image/jpeg;base64," + base64.b64encode(out.getvalue()).decode()
    monkeypatch.setattr(limits, "MAX_IMAGE_PIXELS", 4_000_000)
    with pytest.raises(LimitError, match="3000×3000"):
        _render_png(tmp_path, f'<image href="{uri}" width="100" height="100"/>')
    monkeypatch.setattr(limits, "MAX_IMAGE_PIXELS", 10_000_000)
    monkeypatch.setattr(limits, "MAX_TOTAL_IMAGE_PIXELS", 20_000_000)
    with pytest.raises(LimitError, match="add up"):
        _render_png(tmp_path, f'<image href="{uri}" width="10" height="10"/>' * 3)


def test_use_fan_out_is_refused_before_drawing(tmp_path):
    body = ['<defs><rect id="l0" width="1" height="1"/>']
    for level in range(1, 8):
        body.append(f'<g id="l{level}">' + f'<use href="#l{level - 1}"/>' * 10 + "</g>")
    body.append('</defs><use href="#l7"/>')
    with pytest.raises(LimitError, match="<use>"):
        _render_png(tmp_path, "".join(body))


def test_use_cycle_is_refused(tmp_path):
    with pytest.raises(LimitError, match="cycle"):
        _render_png(tmp_path, '<g id="a"><use href="#b"/></g><g id="b"><use href="#a"/></g>')


def test_deep_nesting_and_element_count_are_refused(tmp_path, monkeypatch):
    with pytest.raises(LimitError, match="levels deep"):
        _render_png(tmp_path, "<g>" * 3000 + "</g>" * 3000)
    monkeypatch.setattr(limits, "MAX_SVG_ELEMENTS", 1000)
    with pytest.raises(LimitError, match="elements"):
        _render_png(tmp_path, "{% for i in range(2000) %}<rect/>{% endfor %}")


def test_nested_svg_image_is_checked_like_the_document(tmp_path):
    inner = ('<svg xmlns="http://www.w3.org/2000/svg">' + "<g>" * 500 + "</g>" * 500 + "</svg>")
    uri = "data:image/svg+xml;base64," + base64.b64encode(inner.encode()).decode()
    with pytest.raises(LimitError, match="embedded SVG"):
        _render_png(tmp_path, f'<image href="{uri}" width="100" height="100"/>')


def test_huge_canvas_is_refused_with_the_limit(monkeypatch):
    monkeypatch.setattr(limits, "MAX_CANVAS_PIXELS", 50_000_000)  # a server's choice
    art = infographic.render("announcement", _sample(), size="10000x10000")
    with pytest.raises(LimitError, match="megapixels"):
        art.to_bytes("png")


def test_entities_in_a_template_are_refused(tmp_path):
    folder = make_layout(tmp_path / "xxe", '<text>&xxe;</text>')
    with pytest.raises(LayoutError, match="invalid SVG"):
        infographic.render(folder, {"title": "x"}, size="200x200")


def _sample() -> dict:
    return infographic.layout.manifest.load_layout("announcement").sample_data()
