"""The public API and CLI on real output: formats, sizes, errors, escaping, fit report."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from xml.etree import ElementTree

import pytest
from PIL import Image

import infographic
from infographic import DataError, FitError, LayoutError, OutputError, SizeError
from infographic.cli import main

from conftest import EXAMPLES, make_layout, to_image


@pytest.fixture(scope="module")
def square(announcement_data):
    return infographic.render("announcement", announcement_data, size="square")


# --- sizes -------------------------------------------------------------------------------------

@pytest.mark.parametrize("size,pixels,dpi", [
    ("square", (1080, 1080), 72), ("portrait", (1080, 1350), 72), ("story", (1080, 1920), 72),
    ("landscape", (1200, 630), 72), ("a4", (2480, 3508), 300), ("a3", (3508, 4961), 300),
    ("1280x720", (1280, 720), 72)])
def test_every_preset_renders_at_its_pixel_size(announcement_data, size, pixels, dpi):
    art = infographic.render("announcement", announcement_data, size=size)
    image = Image.open(io.BytesIO(art.to_bytes("png")))
    assert image.size == pixels == (art.width, art.height)
    assert tuple(round(v) for v in image.info["dpi"]) == (dpi, dpi)
    assert art.fit_report.worst in ("fit", "shrunk"), art.fit_report.format()


def test_layout_reflows_rather_than_stretches(announcement_data):
    wide = infographic.render("announcement", announcement_data, size="landscape")
    tall = infographic.render("announcement", announcement_data, size="story")
    # a link preview sets the headline across its width in fewer lines and keeps to headline,
    # lead and signature; the tall post carries the body too
    assert wide.fit_report["title"].lines < tall.fit_report["title"].lines
    assert wide.fit_report["title"].box[2] > tall.fit_report["title"].box[2]
    assert "body" not in {e.slot for e in wide.fit_report}
    assert "body" in {e.slot for e in tall.fit_report}


# --- output formats ----------------------------------------------------------------------------

def test_png_is_opaque_rgb(square):
    image = Image.open(io.BytesIO(square.to_bytes("png")))
    assert image.mode == "RGB"


def test_jpeg_is_flattened_444_high_quality(square):
    data = square.to_bytes("jpeg")
    image = Image.open(io.BytesIO(data))
    assert image.mode == "RGB" and image.info["dpi"] == (72, 72)
    from PIL import JpegImagePlugin
    assert JpegImagePlugin.get_sampling(image) == 0  # 4:4:4
    # quality ≥ 90: the luminance quantisation table is fine (≤ 3 for q≥90 at the DC term)
    assert image.quantization[0][0] <= 3


def test_webp_and_svg_and_pdf(square, tmp_path):
    webp = Image.open(io.BytesIO(square.to_bytes("webp")))
    assert webp.format == "WEBP" and webp.size == (1080, 1080)
    svg = square.to_bytes("svg")
    root = ElementTree.fromstring(svg)
    assert root.get("width") == "1080" and root.get("viewBox") == "0 0 1080 1080"
    assert b"<text" not in svg  # text is outlines, independent of installed fonts
    pdf = square.to_bytes("pdf")
    assert pdf.startswith(b"%PDF") and b"/MediaBox [ 0 0 810 810 ]" in pdf
    assert b"/Font" not in pdf  # vector outlines, no font dependency


def test_paper_pdf_has_the_paper_size(announcement_data):
    pdf = infographic.render("announcement", announcement_data, size="a4").to_bytes("pdf")
    assert b"/MediaBox [ 0 0 595.275591 841.889764 ]" in pdf


def test_svg_keeps_plain_text_for_accessibility(square, announcement_data):
    root = ElementTree.fromstring(square.svg)
    ns = {"s": "http://www.w3.org/2000/svg"}
    labels = [g.get("aria-label") for g in root.iter("{http://www.w3.org/2000/svg}g")
              if g.get("data-slot") == "title"]
    assert labels == [announcement_data["title"]]
    assert root.find("s:title", ns).text == announcement_data["title"]


def test_save_picks_format_from_suffix_and_writes_atomically(square, tmp_path):
    for suffix, magic in ((".png", b"\x89PNG"), (".jpg", b"\xff\xd8"), (".webp", b"RIFF"),
                          (".pdf", b"%PDF"), (".svg", b"<?xml")):
        path = square.save(tmp_path / f"out{suffix}")
        assert path.read_bytes().startswith(magic)
    with pytest.raises(OutputError, match="ending in"):
        square.save(tmp_path / "out.gif")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        f"out{s}" for s in (".png", ".jpg", ".webp", ".pdf", ".svg"))  # no temp files left


# --- user text is data ------------------------------------------------------------------------

@pytest.mark.parametrize("hostile", [
    'A < B & C > D "quoted" \'single\'',
    "{{ 7 * 7 }} {% for x in range(3) %}x{% endfor %}",
    '</text><image href="file:///etc/passwd"/>',
    "&nbsp; &amp; &#x41; <![CDATA[x]]>",
])
def test_markup_and_template_code_in_data_render_literally(tmp_path, hostile):
    folder = make_layout(tmp_path / "lit", '{{ text("title", title, x=40, y=40, width=1000, '
                         'height=400) }}', slots={"title": {"size": 40, "min_size": 10}})
    art = infographic.render(folder, {"title": hostile}, size="square")
    root = ElementTree.fromstring(art.svg)  # still well-formed
    group = next(g for g in root.iter("{http://www.w3.org/2000/svg}g")
                 if g.get("data-slot") == "title")
    assert group.get("aria-label") == hostile  # the literal text, not interpreted
    assert not any(el.tag.endswith("image") for el in root.iter())
    glyphs = [p for p in group.iter("{http://www.w3.org/2000/svg}path")]
    assert len(glyphs) >= len(hostile.replace(" ", "")) - 2  # every character drawn


# --- errors -------------------------------------------------------------------------------------

def test_unknown_layout():
    with pytest.raises(LayoutError, match="unknown layout 'nope'.*announcement"):
        infographic.render("nope", {})


def test_unknown_size(announcement_data):
    with pytest.raises(SizeError, match="unknown size 'huge'"):
        infographic.render("announcement", announcement_data, size="huge")


def test_missing_required_field(announcement_data):
    data = {**announcement_data, "title": "  "}
    with pytest.raises(DataError) as info:
        infographic.render("announcement", data)
    assert str(info.value).startswith("layout 'announcement', field 'title': is required")


def test_misspelt_field_suggests_the_right_one(announcement_data):
    data = {**announcement_data, "titel": "x"}
    with pytest.raises(DataError, match="field 'titel': unknown field .did you mean 'title'"):
        infographic.render("announcement", data)


def test_bad_date(announcement_data):
    with pytest.raises(DataError, match="field 'date': '31/02/2021' is not a date"):
        infographic.render("announcement", {**announcement_data, "date": "31/02/2021"})


def test_too_long_field_is_rejected_with_the_numbers(announcement_data):
    with pytest.raises(DataError, match="field 'title': text is 150 characters, the maximum is 100"):
        infographic.render("announcement", {**announcement_data, "title": "x" * 150})


def test_text_that_cannot_fit_gives_a_clear_error_naming_the_slot(announcement_data):
    """Content within the manifest's limits that a size cannot hold above the legible floor (a
    100-character title, three 280-character paragraphs, a 60-character signer and role, a
    120-character footer and a 40-character issuer and motto, all in capitals, on a square post:
    the lead and the kicker give way, and the body still does not fit)."""
    body = [("NỘI DUNG RẤT DÀI CỦA THÔNG BÁO " * 10)[:280]] * 3
    data = {**announcement_data, "body": body, "title": ("TIÊU ĐỀ THÔNG BÁO " * 6)[:100],
            "issuer": ("ỦY BAN NHÂN DÂN PHƯỜNG BẾN NGHÉ " * 2)[:40],
            "motto": ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM " * 2)[:40],
            "signer_role": ("CHỨC DANH NGƯỜI KÝ " * 4)[:60],
            "signer": ("NGƯỜI KÝ THÔNG BÁO " * 4)[:60],
            "footer": ("ĐƯỜNG DÂY NÓNG BỘ Y TẾ 1900 9095 " * 4)[:120]}
    with pytest.raises(FitError) as info:
        infographic.render("announcement", data, size="square")
    assert "layout 'announcement', field 'body': the body does not fit at square" in str(info.value)


def test_overflow_and_truncation_are_in_the_fit_report(tmp_path):
    slots = {"title": {"size": 40, "min_size": 30, "max_lines": 1, "overflow": "truncate"}}
    folder = make_layout(tmp_path / "t", '{{ text("title", title, x=40, y=40, width=300, '
                         'height=200) }}', slots=slots)
    art = infographic.render(folder, {"title": "Khai báo y tế trước khi đến cơ sở"})
    entry = art.fit_report["title"]
    assert entry.status == "truncated" and entry.lines == 1
    assert art.fit_report.warnings and not art.fit_report.ok
    with pytest.raises(FitError, match="truncated"):
        infographic.render(folder, {"title": "Khai báo y tế trước khi đến cơ sở"}, strict=True)


def test_missing_glyph_is_reported(tmp_path):
    folder = make_layout(tmp_path / "m", '{{ text("title", title, x=40, y=40, width=900, '
                         'height=200) }}')
    # U+1FAEA (Unicode 17) is newer than the bundled emoji set, and no font has it
    art = infographic.render(folder, {"title": "Đeo khẩu trang \U0001faea"})
    assert art.fit_report["title"].missing_chars == ("\U0001faea",)
    assert any("U+1FAEA" in w for w in art.fit_report.warnings)


def test_template_errors_name_file_and_line(tmp_path):
    folder = make_layout(tmp_path / "broken", '<rect/>\n{{ text("title", title, x=1 }}')
    with pytest.raises(LayoutError, match=r"template.svg.j2, line 2"):
        infographic.render(folder, {"title": "x"})
    folder = make_layout(tmp_path / "undef", '{{ nosuchname }}')
    with pytest.raises(LayoutError, match="'nosuchname' is undefined"):
        infographic.render(folder, {"title": "x"})


def test_template_sandbox_blocks_python_internals(tmp_path):
    folder = make_layout(tmp_path / "evil", "{{ title.__class__.__mro__[1].__subclasses__() }}")
    with pytest.raises(LayoutError, match="not allowed|unsafe|undefined"):
        infographic.render(folder, {"title": "x"})


def test_layout_cannot_read_files_outside_its_folder(tmp_path):
    secret = tmp_path / "secret.png"
    Image.new("RGB", (50, 50), (255, 0, 0)).save(secret)
    body = (f'<rect width="200" height="200" fill="#fff"/>'
            f'<image href="file://{secret}" width="200" height="200"/>'
            f'<image href="../secret.png" width="200" height="200"/>')
    folder = make_layout(tmp_path / "layout", body)
    pixels = to_image(infographic.render(folder, {"title": "x"}, size="200x200")).get_flattened_data()
    assert (255, 0, 0) not in set(pixels)


# --- CLI ----------------------------------------------------------------------------------------

def test_cli_renders_example_data_by_default(tmp_path, capsys):
    out = tmp_path / "a.png"
    assert main(["render", "announcement", "--size", "portrait", "-o", str(out)]) == 0
    assert Image.open(out).size == (1080, 1350)
    assert "wrote" in capsys.readouterr().out


def test_cli_data_file_set_and_several_sizes(tmp_path):
    data = tmp_path / "d.json"
    data.write_text(json.dumps({**infographic.datafile.load_data_file(
        EXAMPLES / "announcement.yaml"), "date": "2021-09-14"}), encoding="utf-8")
    code = main(["render", "announcement", "--data", str(data), "--set", "title=Thông báo khẩn",
                 "--size", "square,landscape", "-o", str(tmp_path / "n-{size}.jpg"), "-q"])
    assert code == 0
    assert Image.open(tmp_path / "n-square.jpg").size == (1080, 1080)
    assert Image.open(tmp_path / "n-landscape.jpg").size == (1200, 630)


@pytest.mark.parametrize("args,message", [
    (["render", "nope"], "error: unknown layout 'nope'"),
    (["render", "announcement", "--size", "big"], "error: unknown size 'big'"),
    (["render", "announcement", "--set", "title="], "field 'title': is required"),
    (["render", "announcement", "--data", "/nonexistent.yaml"], "cannot read data file"),
])
def test_cli_user_errors_are_one_line_and_exit_1(tmp_path, capsys, args, message):
    assert main(args + ["-o", str(tmp_path / "x.png")]) == 1
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert not (tmp_path / "x.png").exists()


def test_cli_layouts_json_and_module_entry_point():
    result = subprocess.run([sys.executable, "-m", "infographic", "layouts", "--json"],
                            capture_output=True, text=True, check=True)
    names = [entry["name"] for entry in json.loads(result.stdout)]
    assert "announcement" in names


def test_filter_on_an_empty_optional_field_is_a_layout_error_not_a_traceback(tmp_path):
    folder = make_layout(tmp_path / "f", "{{ n | number }}",
                         fields={"title": {"type": "text"}, "n": {"type": "number"}}, slots={})
    with pytest.raises(LayoutError, match="template.svg.j2: .*guard optional fields"):
        infographic.render(folder, {"title": "x"})
