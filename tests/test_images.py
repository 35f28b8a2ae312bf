"""Images: cover/contain/focal crops, masks, EXIF rotation, sRGB, downscaling, bad files, escapes."""

from __future__ import annotations

import base64
import io
import os
import re
import struct
import zlib
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

import infographic
from infographic.cache import LRUCache
from infographic.layout.manifest import load_layout_folder
from infographic.media import images as media_images

from conftest import to_array, warnings_besides_soft_photos

RED, BLUE, GREEN = (220, 30, 30), (30, 60, 220), (30, 170, 60)


def _layout(folder: Path, body: str, fields: str = "  photo: {type: text}\n"):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "layout.yaml").write_text(
        f"name: image-test\nsizes: [square, a4]\nfields:\n{fields}slots: {{}}\n",
        encoding="utf-8")
    (folder / "template.svg.j2").write_text(body, encoding="utf-8")
    return load_layout_folder(folder)


def _halves(path: Path, size=(400, 200), left=RED, right=BLUE, fmt=None, **save) -> Path:
    """An image whose left half is ``left`` and right half ``right``."""
    image = Image.new("RGB", size, right)
    image.paste(left, (0, 0, size[0] // 2, size[1]))
    image.save(path, fmt, **save)
    return path


def _close(pixel, colour, tolerance=40) -> bool:
    return int(np.abs(np.asarray(pixel[:3], dtype=int) - np.asarray(colour)).sum()) < tolerance


def _embedded(svg: str) -> Image.Image:
    uri = re.search(r'xlink:href="data:image/(?:png|jpeg);base64,([^"]+)"', svg).group(1)
    return Image.open(io.BytesIO(base64.b64decode(uri)))


@pytest.fixture(autouse=True)
def _fresh_cache():
    media_images.CACHE.clear()
    yield


@pytest.mark.parametrize("focal, expect", [((0.0, 0.5), (RED, RED)), ((1.0, 0.5), (BLUE, BLUE)),
                                           ((0.5, 0.5), (RED, BLUE))])
def test_cover_crops_around_the_focal_point(tmp_path, focal, expect):
    _halves(tmp_path / "halves.png")
    layout = _layout(tmp_path, '{{ image("halves.png", x=100, y=100, width=400, height=400, '
                               f'fit="cover", focal={focal}) }}}}')
    pixels = to_array(infographic.render(layout, {}))
    assert _close(pixels[300, 110], expect[0]) and _close(pixels[300, 490], expect[1])
    assert _close(pixels[90, 300], (255, 255, 255), 3) and _close(pixels[300, 510], (255, 255, 255), 3)


def test_contain_letterboxes_inside_the_box(tmp_path):
    _halves(tmp_path / "halves.png")  # 2:1 into a square box → 400×200 band, centred
    layout = _layout(tmp_path, '{{ image("halves.png", x=100, y=100, width=400, height=400, '
                               'fit="contain") }}')
    pixels = to_array(infographic.render(layout, {}))
    column = pixels[:, 150]
    coloured = np.nonzero(np.abs(column - 255).sum(axis=1) > 30)[0]
    assert abs(coloured.min() - 200) <= 1 and abs(coloured.max() - 399) <= 1
    assert _close(pixels[300, 150], RED) and _close(pixels[300, 450], BLUE)


def test_rounded_and_circular_masks(tmp_path):
    Image.new("RGB", (300, 300), GREEN).save(tmp_path / "green.png")
    layout = _layout(tmp_path,
                     '{{ image("green.png", x=100, y=100, width=300, height=300, radius=60) }}'
                     '{{ image("green.png", x=600, y=100, width=300, height=400, circle=true) }}')
    pixels = to_array(infographic.render(layout, {}))
    # Rounded: corners cut, edges' middles and centre filled.
    assert _close(pixels[102, 102], (255, 255, 255), 6)
    assert _close(pixels[250, 102], GREEN) and _close(pixels[250, 250], GREEN)
    # Circle: inscribed in the centred 300×300 square of the 300×400 box → centre (750, 300), r 150.
    assert _close(pixels[300, 750], GREEN)
    assert _close(pixels[300, 603], GREEN) and _close(pixels[153, 750], GREEN)
    assert _close(pixels[300 - 110, 750 - 110], (255, 255, 255), 6)  # outside along a diagonal
    assert _close(pixels[140, 750], (255, 255, 255), 6)  # above the circle, inside the box


def test_exif_rotation_is_applied(tmp_path):
    # Stored 200×100 with red on the left; EXIF orientation 6 says "rotate 90° clockwise to
    # display", so the displayed image is 100×200 with red on top.
    exif = Image.Exif()
    exif[0x0112] = 6
    _halves(tmp_path / "rotated.jpg", size=(200, 100), exif=exif.tobytes(), quality=95)
    layout = _layout(tmp_path, '{{ image("rotated.jpg", x=100, y=100, width=100, height=200, '
                               'fit="contain") }}')
    art = infographic.render(layout, {})
    pixels = to_array(art)
    assert _close(pixels[140, 150], RED) and _close(pixels[260, 150], BLUE)
    embedded = _embedded(art.svg)
    assert embedded.size == (100, 200)
    assert not embedded.getexif()  # metadata (EXIF, GPS) is not carried into the output


def _s15(value: float) -> bytes:
    return struct.pack(">i", round(value * 65536))


def _swapped_profile() -> bytes:
    """A matrix/TRC RGB ICC profile whose red and green primaries are sRGB's green and red:
    a pixel stored as red in it is green in sRGB."""
    def xyz(x, y, z):
        return b"XYZ \0\0\0\0" + _s15(x) + _s15(y) + _s15(z)
    text = b"swapped RG\0"
    desc = (b"desc\0\0\0\0" + struct.pack(">I", len(text)) + text + struct.pack(">IIHB", 0, 0, 0, 0)
            + b"\0" * 67)
    curve = b"curv\0\0\0\0" + struct.pack(">IH", 1, 256) + b"\0\0"  # gamma 1.0
    tags = [(b"desc", desc), (b"wtpt", xyz(0.9642, 1.0, 0.8249)),
            (b"rXYZ", xyz(0.3851, 0.7169, 0.0971)), (b"gXYZ", xyz(0.4361, 0.2225, 0.0139)),
            (b"bXYZ", xyz(0.1431, 0.0606, 0.7141)), (b"rTRC", curve), (b"gTRC", curve),
            (b"bTRC", curve), (b"cprt", b"text\0\0\0\0test\0\0\0\0")]
    offset = 128 + 4 + 12 * len(tags)
    table, body = b"", b""
    for sig, data in tags:
        table += sig + struct.pack(">II", offset + len(body), len(data))
        body += data + b"\0" * (-len(data) % 4)
    header = (struct.pack(">I", offset + len(body)) + b"\0" * 4 + struct.pack(">I", 0x02100000)
              + b"mntrRGB XYZ " + b"\0" * 12 + b"acsp" + b"\0" * 28 + _s15(0.9642) + _s15(1.0)
              + _s15(0.8249) + b"\0" * 48)
    return header + struct.pack(">I", len(tags)) + table + body


def test_embedded_profile_is_converted_to_srgb(tmp_path):
    # Red pixels tagged with a profile whose "red" is sRGB green must come out green; a CMYK
    # JPEG of pure cyan comes out cyan.
    Image.new("RGB", (100, 100), RED).save(tmp_path / "tagged.png", icc_profile=_swapped_profile())
    Image.new("CMYK", (100, 100), (255, 0, 0, 0)).save(tmp_path / "cyan.jpg", quality=95)
    layout = _layout(tmp_path, '{{ image("tagged.png", x=100, y=100, width=100, height=100) }}'
                               '{{ image("cyan.jpg", x=300, y=100, width=100, height=100) }}')
    pixels = to_array(infographic.render(layout, {}))
    r, g, b = pixels[150, 150]
    assert g > 200 and r < 130 and b < 130, (r, g, b)
    r, g, b = pixels[150, 350]
    assert r < 60 and g > 150 and b > 150, (r, g, b)


def test_sixteen_bit_grey_is_scaled_not_clipped(tmp_path):
    ramp = np.linspace(0, 65535, 256 * 64).reshape(64, 256).astype(np.uint16)
    Image.fromarray(ramp).save(tmp_path / "grey16.png")
    layout = _layout(tmp_path, '{{ image("grey16.png", x=100, y=100, width=256, height=64) }}')
    pixels = to_array(infographic.render(layout, {}))
    middle = pixels[132, 228]
    assert 100 < middle[0] < 156 and middle[0] == middle[1] == middle[2]


def test_image_is_downscaled_to_the_output_resolution(tmp_path):
    photo = np.random.default_rng(1).integers(0, 255, (2000, 3000, 3), dtype=np.uint8)
    Image.fromarray(photo).save(tmp_path / "big.jpg", quality=80)
    layout = _layout(tmp_path, '{{ image("big.jpg", x=0, y=0, width=300, height=200) }}')
    square = infographic.render(layout, {})
    assert _embedded(square.svg).size == (300, 200)
    a4 = infographic.render(layout, {}, size="a4")
    scale = a4.size.scale  # output pixels per canvas unit at 300 dpi
    assert _embedded(a4.svg).size == (round(300 * scale + 0.4999), round(200 * scale + 0.4999))


def test_small_photo_makes_a_small_pdf(tmp_path):
    # A 50 KB photo must not turn into a 500 KB PDF: JPEG stays JPEG inside the PDF.
    y, x = np.mgrid[0:480, 0:640]
    photo = np.stack([(x / 640 * 200 + 30), (y / 480 * 180 + 40), (x + y) % 255], axis=2)
    noise = np.random.default_rng(3).normal(0, 6, photo.shape)
    Image.fromarray(np.clip(photo + noise, 0, 255).astype(np.uint8)).save(
        tmp_path / "photo.jpg", quality=85)
    photo_bytes = (tmp_path / "photo.jpg").stat().st_size
    layout = _layout(tmp_path, '{{ image("photo.jpg", x=60, y=60, width=960, height=720) }}')
    pdf = infographic.render(layout, {}).to_bytes("pdf")
    assert b"/DCTDecode" in pdf
    assert len(pdf) < photo_bytes * 2 + 20_000, (len(pdf), photo_bytes)


@pytest.mark.parametrize("width, height, words", [(10000, 8000, "10000×8000 pixels (80 MP)"),
                                                   (30000, 30000, "900000000 pixels")])
def test_decompression_bomb_is_refused_naming_the_file(tmp_path, width, height, words):
    # A tiny PNG whose header claims a huge image: refused before any pixel is decoded.
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(
            ">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    (tmp_path / "bomb.png").write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
                                        + chunk(b"IDAT", zlib.compress(b"\0" * 100))
                                        + chunk(b"IEND", b""))
    layout = _layout(tmp_path, '{{ image(photo, x=0, y=0, width=300, height=300) }}')
    with pytest.raises(infographic.DataError) as error:
        infographic.render(layout, {"photo": "bomb.png"})
    message = str(error.value)
    assert "'bomb.png'" in message and words in message and "decompression bomb" in message


def test_broken_files_are_refused_naming_the_file(tmp_path):
    _halves(tmp_path / "whole.jpg", size=(600, 400), quality=90)
    data = (tmp_path / "whole.jpg").read_bytes()
    (tmp_path / "truncated.jpg").write_bytes(data[: len(data) // 3])
    (tmp_path / "notes.png").write_text("this is not an image", encoding="utf-8")
    layout = _layout(tmp_path, '{{ image("photo", x=0, y=0, width=300, height=300) }}')
    for name, words in (("truncated.jpg", "broken or truncated"), ("notes.png", "not an image")):
        with pytest.raises(infographic.DataError) as error:
            infographic.render(layout, {"photo": name})
        message = str(error.value)
        assert name in message and words in message and "field 'photo'" in message


def test_paths_outside_the_allowed_folders_are_refused(tmp_path):
    layout_dir, outside = tmp_path / "layout", tmp_path / "private"
    outside.mkdir()
    secret = _halves(outside / "secret.png")
    layout = _layout(layout_dir, '{{ image("photo", x=0, y=0, width=300, height=300) }}')
    os.symlink(secret, layout_dir / "link.png")
    for value in ("../private/secret.png", str(secret), "link.png"):
        with pytest.raises(infographic.DataError) as error:
            infographic.render(layout, {"photo": value})
        assert "outside the folders" in str(error.value), value
    with pytest.raises(infographic.DataError, match="only local files"):
        infographic.render(layout, {"photo": "https://example.org/a.png"})
    with pytest.raises(infographic.DataError, match="not found"):
        infographic.render(layout, {"photo": "missing.png"})
    # The same file is fine once its folder is given as an asset folder.
    art = infographic.render(layout, {"photo": "secret.png"}, assets=[outside])
    assert _close(to_array(art)[150, 20], RED)


def test_empty_optional_photo_draws_nothing_and_cache_is_reused(tmp_path):
    _halves(tmp_path / "halves.png")
    layout = _layout(tmp_path, '{{ image("photo", x=0, y=0, width=300, height=300) }}')
    art = infographic.render(layout, {})
    assert "<image" not in art.svg
    first = infographic.render(layout, {"photo": "halves.png"})
    cached = len(media_images.CACHE)
    second = infographic.render(layout, {"photo": "halves.png"})
    assert len(media_images.CACHE) == cached == 1 and first.svg == second.svg


def test_cache_is_bounded():
    cache = LRUCache(max_bytes=1000, size=lambda prepared: prepared.encoded_bytes)  # as CACHE
    item = media_images.PreparedImage("x" * 400, 1, 1, 0, 0, 1, 1)
    for key in range(5):
        cache.put((key,), item)
    assert len(cache) == 2 and cache.get((4,)) is item and cache.get((0,)) is None


LONG_TIPS = {
    "title": "Khuyến cáo của Bộ Y tế về phòng, chống dịch sốt xuất huyết trong mùa mưa cho "
             "người dân trên địa bàn phường",
    "tips": ["mosquito: Diệt lăng quăng, bọ gậy trong dụng cụ chứa nước",
             "mosquito-net: Ngủ màn kể cả ban ngày", "clean-water: Đậy kín dụng cụ chứa nước",
             "trash: Thu gom vật dụng phế thải", "hospital: Sốt cao đến ngay cơ sở y tế",
             "fever: Không tự ý dùng thuốc hạ sốt"],
    "issuer": "Trạm Y tế phường Võ Thị Sáu, Quận 3", "logo": "logo.png",
    "qr_url": "https://suckhoedoisong.vn/phong-chong-sot-xuat-huyet",
    "qr_caption": "Xem hướng dẫn chi tiết của Bộ Y tế", "hotline": "0283 822 1234"}
BARE = {"title": "Tiêm vắc-xin", "tips": ["vaccine: Tiêm đủ liều", "check: Theo dõi sau tiêm"]}


@pytest.mark.parametrize("case", ["example", "long tips", "bare"])
def test_demo_media_renders_at_every_preset_without_worse_than_shrunk(case):
    layout = infographic.load_layout("demo-media")
    data = {"example": infographic.datafile.load_data_file(
                Path(__file__).resolve().parent.parent / "examples" / "demo-media.yaml"),
            "long tips": LONG_TIPS, "bare": BARE}[case]
    for size in layout.sizes:
        art = infographic.render(layout, data, size=size, strict=True)
        report = art.fit_report
        assert report.worst in ("fit", "shrunk"), (size, report.format())
        assert warnings_besides_soft_photos(report) == [], (size, report.warnings)
        images = art.svg.count("<image")
        assert images == {"example": 2, "long tips": 1, "bare": 0}[case], size
        # six long tips take the whole width of a link preview: it leaves out the QR column
        crowded = case == "long tips" and size == "landscape"
        assert ('class="qr"' in art.svg) == (case != "bare" and not crowded), size


def test_demo_media_adapts_to_the_least_and_the_most_content():
    """The most content keeps a QR code a phone scans (4 units a module) at every size; the
    least (a title and two tips) grows its tips instead of leaving the page empty."""
    from infographic.authoring.stress import stress_data
    layout = infographic.load_layout("demo-media")
    for size in layout.sizes:
        art = infographic.render(layout, stress_data(layout, "maximum"), size=size)
        for qr in art.scene.qrs:
            assert qr.module >= 4 - 1e-6, (size, qr.module)
    for size in ("square", "story"):
        art = infographic.render(layout, stress_data(layout, "minimum"), size=size)
        tips = [e for e in art.fit_report if e.slot.split("#")[0] == "tip"]
        assert len(tips) == 2 and min(e.size for e in tips) >= 40, size


def test_demo_media_link_preview_shows_the_tips_that_fit_and_counts_the_rest():
    """Six tips of 60 capitals do not fit 1200 × 630 at the floor: the first ones are drawn, a
    line says how many more the post has, nothing goes under 24 units."""
    import re
    from xml.etree import ElementTree
    from field_limits import text_of_length
    tips = [text_of_length(60, "caps", i * 5) for i in range(6)]  # as test_field_limits does
    example = Path(__file__).resolve().parent.parent / "examples" / "demo-media.yaml"
    data = {**infographic.datafile.load_data_file(example), "tips": tips}
    art = infographic.render("demo-media", data, size="landscape")
    shown = [e for e in art.fit_report if e.slot.split("#")[0] == "tip"]
    assert 1 <= len(shown) < 6 and min(e.size for e in shown) >= 24
    labels = {g.get("data-slot"): g.get("aria-label")
              for g in ElementTree.fromstring(art.svg).iter("{http://www.w3.org/2000/svg}g")}
    assert re.fullmatch(r"… và (\d) lời khuyên khác", labels["more"]).group(1) == \
        str(6 - len(shown))


def test_cli_reads_images_from_the_data_folder_and_assets(tmp_path):
    from infographic.cli import main
    layout_dir, data_dir, assets = tmp_path / "layout", tmp_path / "data", tmp_path / "assets"
    data_dir.mkdir()
    assets.mkdir()
    _layout(layout_dir, '{{ image("photo", x=0, y=0, width=300, height=300) }}')
    _halves(data_dir / "beside-data.png")
    _halves(assets / "in-assets.png", left=GREEN, right=GREEN)
    (data_dir / "row.yaml").write_text("photo: beside-data.png\n", encoding="utf-8")
    (data_dir / "other.yaml").write_text("photo: in-assets.png\n", encoding="utf-8")
    out = tmp_path / "out.png"
    assert main(["render", str(layout_dir), "--data", str(data_dir / "row.yaml"), "-o",
                 str(out), "-q"]) == 0
    assert _close(np.asarray(Image.open(out).convert("RGB"))[150, 20], RED)
    assert main(["render", str(layout_dir), "--data", str(data_dir / "other.yaml"), "-o",
                 str(out), "-q"]) == 1  # not given: refused, one-line error
    assert main(["render", str(layout_dir), "--data", str(data_dir / "other.yaml"), "--assets",
                 str(assets), "-o", str(out), "-q"]) == 0
    assert _close(np.asarray(Image.open(out).convert("RGB"))[150, 20], GREEN)


def test_svg_logo_is_drawn_sharp_and_loads_nothing_else(tmp_path):
    secret = _halves(tmp_path / "secret.png")
    (tmp_path / "logo.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        'viewBox="0 0 200 100"><rect width="200" height="100" fill="#1e3cdc"/>'
        f'<image x="0" y="0" width="100" height="100" xlink:href="{secret.as_uri()}"/>'
        '<image x="100" y="0" width="100" height="100" xlink:href="secret.png"/></svg>',
        encoding="utf-8")
    layout = _layout(tmp_path, '{{ image("logo.svg", x=100, y=100, width=400, height=400, '
                               'fit="contain") }}')
    art = infographic.render(layout, {})
    pixels = to_array(art)
    # 2:1 logo in a square box: a 400×200 band, centred; all blue (the images were not loaded).
    assert _close(pixels[300, 110], BLUE, 12) and _close(pixels[300, 490], BLUE, 12)
    assert _close(pixels[210, 300], BLUE, 12) and _close(pixels[190, 300], (255, 255, 255), 6)
    assert _embedded(art.svg).size == (400, 200)  # drawn at the output pixels, not scaled up
    (tmp_path / "broken.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'><rect",
                                         encoding="utf-8")
    broken = _layout(tmp_path, '{{ image("broken.svg", x=0, y=0, width=100, height=100) }}')
    with pytest.raises(infographic.DataError, match="'broken.svg' is broken"):
        infographic.render(broken, {})
