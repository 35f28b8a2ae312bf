"""Regenerate the Inkscape drawings the importer tests use, with the real Inkscape (1.2+).

    python tests/drawings/make_drawings.py

Each drawing is written as plain SVG with Inkscape's layer names (``inkscape:label``), then
opened and saved by Inkscape (``--export-type=svg``), so the committed files are what the
editor writes: sodipodi/inkscape namespaces, generated ids, flowed text laid out in tspans.
Inkscape also renders each one to PNG (``*.inkscape.png``), the reference the pixel tests
compare the imported layout with. The example drawing in ``examples/drawings/`` is made the
same way. The Figma and Illustrator drawings (``figma-*.svg``, ``illustrator-*.svg``) are
written by hand after those programs' export conventions; see README.md here.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
EXAMPLES = HERE.parents[1] / "examples" / "drawings"

HEAD = ('<svg xmlns="http://www.w3.org/2000/svg" '
        'xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape" '
        'width="{w}" height="{h}" viewBox="0 0 {w} {h}">\n')

#: Wording from the ward's notice (/work/shared/seeds): Công văn 70-CV/BTG.
ISSUER = "BAN TUYÊN GIÁO QUẬN ỦY"
TITLE = ("Phát huy hiệu quả tuyên truyền", "phòng, chống dịch Covid-19")
LEAD = ("Ngày 13/9/2021, Ban Tuyên giáo Quận ủy ban hành Công văn số 70-CV/BTG về tăng cường "
        "tuyên truyền phòng, chống dịch bệnh Covid-19 trên địa bàn.")
TIPS = [("Quán triệt", "Triển khai nghiêm túc các văn bản chỉ đạo về phòng, chống dịch."),
        ("Đồng bộ", "Thông tin qua nhóm Zalo cơ sở, fanpage, loa phát thanh."),
        ("Gương mẫu", "Đảng viên giữ chức vụ lãnh đạo nêu cao vai trò tiền phong."),
        ("Nắm bắt", "Nắm bắt tâm trạng xã hội, tình hình dư luận của Nhân dân."),
        ("Vận động", "Vận động người dân hiểu đúng, tin tưởng, đồng thuận với các giải pháp."),
        ("Đoàn kết", "Huy động sức mạnh đoàn kết của Nhân dân vào phòng, chống dịch."),
        ("Lưu động", "Tuyên truyền lưu động, loa phát thanh đến từng tổ dân phố."),
        ("Kiểm soát", "Góp phần khống chế, kiểm soát dịch bệnh, bảo vệ sức khỏe Nhân dân.")]
HOTLINE = "1900 9095"
BLUE, INK, SURFACE = "#0b5394", "#1f2933", "#e8f0fa"
#: The footer band of the drawings marked for the shared footer: health-blue's ``surface``, the
#: colour that footer is drawn in (the import warns about a band drawn in another colour).
FOOTER = "#f2f6fb"


def _card(index: int, x: float, y: float, w: float, h: float, heading_size: int = 30,
          text_size: int = 24) -> str:
    heading, text = TIPS[index]
    baseline = 58 + round((heading_size - 30) * 0.4)  # the heading's middle on the bullet's
    return (f'  <g inkscape:label="card-{index + 1}">\n'
            f'   <rect x="{x}" y="{y}" width="{w}" height="{h}" rx="16" fill="{SURFACE}"/>\n'
            f'   <circle cx="{x + 44}" cy="{y + 48}" r="14" fill="{BLUE}"/>\n'
            f'   <text inkscape:label="heading" x="{x + 72}" y="{y + baseline}" '
            f'style="font-family:Inter;font-weight:bold;font-size:{heading_size}px;fill:{BLUE}">'
            f'{heading}</text>\n'
            f'   <rect id="card{index}box" x="{x + 28}" y="{y + 84}" width="{w - 56}" '
            f'height="{h - 104}" fill="none"/>\n'
            f'   <text inkscape:label="text" xml:space="preserve" style="font-family:\'Noto Sans\';'
            f'font-size:{text_size}px;line-height:1.35;fill:{INK};'
            f'shape-inside:url(#card{index}box)">'
            f'{text}</text>\n  </g>\n')


#: Per size: header band height, title size, where the cards start, their height and columns.
ARRANGEMENTS = {
    "square": dict(band=270, title=48, cards_top=500, card_h=210, columns=2),
    "portrait": dict(band=290, title=52, cards_top=600, card_h=260, columns=2),
    # one column of wide cards, their type a step larger (read on a tall phone screen)
    "story": dict(band=300, title=48, cards_top=680, card_h=256, columns=1, heading=40,
                  text=30),
    # the test drawing's story: eight cards in two columns
    "story8": dict(band=300, title=48, cards_top=640, card_h=270, columns=2, cards=8),
    "a4": dict(band=320, title=56, cards_top=700, card_h=300, columns=2),
}


def poster(w: int, h: float, kind: str = "square", head: str | None = None,
           chrome: bool = False) -> str:
    """The notice poster: header band, title (with a title-box), flowed lead, four tip cards
    in a list named ``tips``, footer with the hotline; one arrangement per size. With
    ``chrome`` the bands are grouped and named ``header`` and ``footer`` (the shared page
    header and footer), the issuing body is the field ``issuer`` and a circle named ``logo``
    stands for the emblem."""
    if kind == "landscape":
        return _landscape(w, h, chrome)
    a = ARRANGEMENTS[kind]
    band, cards_top, card_h = a["band"], a["cards_top"], a["card_h"]
    t, lh = a["title"], round(a["title"] * 1.25)
    bands = (f'  <rect width="{w}" height="{band}" fill="{BLUE}"/>\n'
             f'  <rect y="{band}" width="{w}" height="10" fill="#f1c232"/>\n')
    foot_band = (f'  <rect y="{h - 110}" width="{w}" height="110" '
                 f'fill="{FOOTER if chrome else SURFACE}"/>\n')
    out = [head or HEAD.format(w=w, h=h),
           f' <g inkscape:label="Nền" inkscape:groupmode="layer">\n'
           f'  <rect width="{w}" height="{h}" fill="#ffffff"/>\n'
           + ("" if chrome else bands + foot_band) + ' </g>\n',
           ' <g inkscape:label="Chữ" inkscape:groupmode="layer">\n',
           _header(w, bands, 74) if chrome else _issuer_and_date(w, 78),
           f'  <rect inkscape:label="title-box" x="64" y="110" width="{w - 128}" '
           f'height="{band - 140}" fill="none"/>\n',
           f'  <text inkscape:label="title" x="64" y="{110 + t + 2}" style="font-family:Inter;'
           f'font-weight:bold;font-size:{t}px;line-height:1.25;fill:#ffffff">'
           f'<tspan x="64" y="{110 + t + 2}">{TITLE[0]}</tspan>'
           f'<tspan x="64" y="{110 + t + 2 + lh}">{TITLE[1]}</tspan></text>\n',
           f'  <rect id="leadframe" x="64" y="{band + 50}" width="{w - 128}" '
           f'height="{cards_top - band - 80}" fill="none"/>\n',
           f'  <text inkscape:label="lead" xml:space="preserve" style="font-family:\'Noto Sans\';'
           f'font-size:28px;line-height:1.4;fill:{INK};shape-inside:url(#leadframe)">{LEAD}'
           '</text>\n',
           '  <g inkscape:label="tips">\n']
    gap = 24
    columns = a["columns"]
    cw = (w - 128 - gap * (columns - 1)) / columns
    for i in range(a.get("cards", 4)):
        out.append(_card(i, 64 + (i % columns) * (cw + gap),
                         cards_top + (i // columns) * (card_h + gap), cw, card_h,
                         a.get("heading", 30), a.get("text", 24)))
    out.append('  </g>\n')
    out.append(_footer(w, h, foot_band, 44, 40) if chrome else _hotline(w, h, 44, 40))
    out.append(' </g>\n</svg>\n')
    return "".join(out)


def _issuer_and_date(w: float, baseline: float, labels: tuple[str, str] = ("", "")) -> str:
    issuer, date = (f' inkscape:label="{label}"' if label else "" for label in labels)
    left = 160 if labels[0] else 64  # beside the logo
    return (f'  <text{issuer} x="{left}" y="{baseline}" style="font-family:Inter;'
            f'font-weight:bold;font-size:26px;letter-spacing:1.3px;fill:#ffffff">{ISSUER}'
            '</text>\n'
            f'  <text{date} x="{w - 64}" y="{baseline}" style="font-family:\'Noto Sans\';'
            f'font-size:24px;text-anchor:end;fill:#dbe7f5">Cập nhật {{{{ date }}}}</text>\n')


def _header(w: float, bands: str, baseline: float) -> str:
    """The header band as a group named ``header``: the band and its stripe, a circle named
    ``logo`` where the emblem goes, the issuing body (``issuer``) and the update line."""
    return ('  <g inkscape:label="header">\n' + bands.replace("  <rect", "   <rect") +
            f'   <circle inkscape:label="logo" cx="100" cy="{baseline - 10}" r="36" '
            'fill="#ffffff"/>\n' +
            _issuer_and_date(w, baseline, ("issuer", "")).replace("  <text", "   <text") +
            '  </g>\n')


def _hotline(w: float, h: float, label_up: float, number_up: float, size: int = 40) -> str:
    return (f'  <text x="64" y="{h - label_up}" style="font-family:\'Noto Sans\';font-size:28px;'
            f'fill:{INK}">Đường dây nóng</text>\n'
            f'  <text inkscape:label="hotline" x="{w - 64}" y="{h - number_up}" style="font-family:'
            f'Inter;font-weight:bold;font-size:{size}px;text-anchor:end;fill:{BLUE}">{HOTLINE}'
            '</text>\n')


def _footer(w: float, h: float, band: str, label_up: float, number_up: float,
            size: int = 40) -> str:
    """The footer band as a group named ``footer``: the band, the words "Đường dây nóng"
    (``hotline-label``) and the number (``hotline``)."""
    texts = _hotline(w, h, label_up, number_up, size).replace(
        '<text x="64"', '<text inkscape:label="hotline-label" x="64"', 1)
    return ('  <g inkscape:label="footer">\n' + band.replace("  <rect", "   <rect")
            + texts.replace("  <text", "   <text") + '  </g>\n')


def _landscape(w: int, h: int, chrome: bool = False) -> str:
    """The link preview (1200 × 630): seen small, it keeps to the title, the lead and the
    hotline (no tips). With ``chrome``: a header row (logo, issuing body, date) over a stripe,
    and the footer band at the bottom."""
    if chrome:
        header = _header(w, f'  <rect width="{w}" height="112" fill="{BLUE}"/>\n'
                            f'  <rect y="112" width="{w}" height="6" fill="#f1c232"/>\n', 74)
        footer = _footer(w, h, f'  <rect y="{h - 80}" width="{w}" height="80" '
                               f'fill="{FOOTER}"/>\n', 30, 26, 30)
        # the title centred in a taller box, the lead down to the footer: a short title and
        # lead leave no empty band
        title_box, baselines, lead_box = (124, 236), (227, 292), (380, 160)
    else:
        header = _issuer_and_date(w, 88)
        footer = ""
        title_box, baselines, lead_box = (130, 190), (206, 271), (346, 122)
    return (HEAD.format(w=w, h=h) +
            f' <g inkscape:label="Nền" inkscape:groupmode="layer">\n'
            f'  <rect width="{w}" height="{h}" fill="{BLUE}"/>\n' +
            ("" if chrome else
             f'  <rect y="{h - 150}" width="{w}" height="150" fill="#ffffff"/>\n'
             f'  <rect y="{h - 160}" width="{w}" height="10" fill="#f1c232"/>\n') +
            ' </g>\n'
            ' <g inkscape:label="Chữ" inkscape:groupmode="layer">\n' + header +
            f'  <rect inkscape:label="title-box" x="64" y="{title_box[0]}" width="{w - 128}" '
            f'height="{title_box[1]}" fill="none"/>\n'
            f'  <text inkscape:label="title" x="64" y="{baselines[0]}" style="font-family:Inter;'
            f'font-weight:bold;font-size:52px;line-height:1.25;fill:#ffffff">'
            f'<tspan x="64" y="{baselines[0]}">{TITLE[0]}</tspan>'
            f'<tspan x="64" y="{baselines[1]}">{TITLE[1]}</tspan></text>\n'
            f'  <rect id="leadframe" x="64" y="{lead_box[0]}" width="{w - 128}" '
            f'height="{lead_box[1]}" fill="none"/>\n'
            f'  <text inkscape:label="lead" xml:space="preserve" style="font-family:\'Noto Sans\';'
            f'font-size:28px;line-height:1.4;fill:#ffffff;shape-inside:url(#leadframe)">{LEAD}'
            '</text>\n' +
            (footer or _hotline(w, h, 70, 66, 48)) + ' </g>\n</svg>\n')


A4_HEAD = ('<svg xmlns="http://www.w3.org/2000/svg" '
           'xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape" '
           'width="210mm" height="297mm" viewBox="0 0 1080 1527.43">\n')


def flowroot() -> str:
    """Inkscape 0.92's flowed text (SVG 1.2 flowRoot), which Inkscape 1.x still reads and keeps."""
    return (HEAD.format(w=1080, h=1080) +
            '  <rect width="1080" height="1080" fill="#fdf6e3"/>\n'
            f'  <flowRoot inkscape:label="title" style="font-family:Inter;font-size:64px;'
            f'font-weight:bold;fill:{BLUE}"><flowRegion><rect x="100" y="200" width="880" '
            f'height="300"/></flowRegion><flowPara>{" ".join(TITLE)}</flowPara></flowRoot>\n'
            '</svg>\n')


def _png_data_uri(colour: tuple[int, int, int]) -> str:
    """A small embedded picture (a flat emblem), as editors embed pictures."""
    import base64
    import io

    from PIL import Image, ImageDraw

    image = Image.new("RGB", (96, 96), (255, 255, 255))
    ImageDraw.Draw(image).ellipse((8, 8, 88, 88), fill=colour)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def figma() -> str:
    """Shaped after Figma's SVG export of one frame with "Include id attribute" on: layer
    names as ids (duplicates get _2, _3), presentation attributes, one positioned <tspan> per
    line with xml:space="preserve", the frame's clip path, pictures as patterns... here an
    embedded <image> (Figma writes <image> inside <defs> for fills; a placed image is simpler
    and what "Export as SVG" gives for an image layer with "Outline text" off)."""
    cards = []
    for i, (heading, text) in enumerate(TIPS[:3]):
        suffix = "" if i == 0 else f"_{i + 1}"
        y = 430 + i * 150
        cards.append(
            f'<g id="card{suffix}">\n'
            f'<rect id="Rectangle{suffix}" x="64" y="{y}" width="952" height="130" rx="16" '
            f'fill="#E8F0FA"/>\n'
            f'<text id="heading{suffix}" fill="#0B5394" xml:space="preserve" '
            f'style="white-space: pre" font-family="Inter" font-size="30" font-weight="bold" '
            f'letter-spacing="0em"><tspan x="96" y="{y + 50.91}">{heading}</tspan></text>\n'
            f'<text id="text{suffix}" fill="#1F2933" xml:space="preserve" '
            f'style="white-space: pre" font-family="Noto Sans" font-size="24" '
            f'letter-spacing="0em"><tspan x="96" y="{y + 98.68}">{text}</tspan></text>\n'
            '</g>\n')
    return (
        '<svg width="1080" height="1080" viewBox="0 0 1080 1080" fill="none" '
        'xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">\n'
        '<g id="square" clip-path="url(#clip0_12_7)">\n'
        '<rect width="1080" height="1080" fill="white"/>\n'
        '<rect id="Header" width="1080" height="250" fill="#0B5394"/>\n'
        f'<image id="logo" x="64" y="40" width="72" height="72" xlink:href="'
        f'{_png_data_uri((241, 194, 50))}"/>\n'
        f'<text id="{ISSUER}" fill="white" xml:space="preserve" style="white-space: pre" '
        f'font-family="Inter" font-size="26" font-weight="bold" letter-spacing="0.05em">'
        f'<tspan x="160" y="85.45">{ISSUER}</tspan></text>\n'
        '<text id="title" fill="white" xml:space="preserve" style="white-space: pre" '
        'font-family="Be Vietnam Pro" font-size="44" font-weight="bold" letter-spacing="0em">'
        f'<tspan x="64" y="168.5">{TITLE[0]}</tspan><tspan x="64" y="222.5">{TITLE[1]}</tspan>'
        '</text>\n'
        '<text id="lead" fill="#1F2933" xml:space="preserve" style="white-space: pre" '
        'font-family="Noto Sans" font-size="26" letter-spacing="0em">'
        '<tspan x="64" y="318.1">Ngày 13/9/2021, Ban Tuyên giáo Quận ủy ban hành Công văn số '
        '70-CV/BTG</tspan><tspan x="64" y="354.5">về tăng cường tuyên truyền phòng, chống dịch '
        'Covid-19.</tspan></text>\n'
        '<g id="tips">\n' + "".join(cards) + '</g>\n'
        '<rect id="Footer" y="900" width="1080" height="180" fill="#E8F0FA"/>\n'
        '<text id="Hotline label" fill="#1F2933" xml:space="preserve" style="white-space: pre" '
        'font-family="Noto Sans" font-size="28" letter-spacing="0em">'
        '<tspan x="64" y="1000.2">Đường dây nóng</tspan></text>\n'
        '<text id="hotline" fill="#0B5394" xml:space="preserve" style="white-space: pre" '
        'font-family="Inter" font-size="44" font-weight="bold" letter-spacing="0em">'
        f'<tspan x="64" y="1052.5">{HOTLINE}</tspan></text>\n'
        '<rect id="qr" x="876" y="920" width="140" height="140" fill="#CCCCCC"/>\n'
        '</g>\n<defs>\n<clipPath id="clip0_12_7">\n'
        '<rect width="1080" height="1080" fill="white"/>\n</clipPath>\n</defs>\n</svg>\n')


def illustrator() -> str:
    """Shaped after Illustrator's "Export As → SVG" (Styling: Internal CSS, Object IDs: Layer
    Names): a <style> of .stN classes, ids made from layer names (":" as _x3A_, duplicates as
    _1_) with the real name in data-name, text placed by transform="matrix(…)" and one
    <tspan> per line, fonts by PostScript name; the artboard is A4 in points."""
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<!-- Generator: Adobe Illustrator 27.0.0, SVG Export Plug-In . SVG Version: 6.00 '
        'Build 0)  -->\n'
        '<svg version="1.1" id="Layer_1" xmlns="http://www.w3.org/2000/svg" '
        'xmlns:xlink="http://www.w3.org/1999/xlink" x="0px" y="0px" width="595.3px" '
        'height="841.9px" viewBox="0 0 595.3 841.9" style="enable-background:new 0 0 595.3 '
        '841.9;" xml:space="preserve">\n'
        '<style type="text/css">\n'
        '\t.st0{fill:#FFFFFF;}\n\t.st1{fill:#0B5394;}\n\t.st2{fill:#1F2933;}\n'
        "\t.st3{font-family:'BeVietnamPro-Bold';}\n\t.st4{font-size:26px;}\n"
        "\t.st5{font-family:'MyriadPro-Regular';}\n\t.st6{font-size:14px;}\n"
        "\t.st7{font-size:13px;letter-spacing:0.6;}\n\t.st8{fill:#F1C232;}\n"
        '</style>\n'
        '<rect class="st0" width="595.3" height="841.9"/>\n'
        '<rect class="st1" width="595.3" height="170"/>\n'
        '<text transform="matrix(1 0 0 1 35.4 45)" class="st0 st3 st7">BAN TUYÊN GIÁO QUẬN ỦY'
        '</text>\n'
        '<text id="title_1_" data-name="title" transform="matrix(1 0 0 1 35.4 95)">'
        f'<tspan x="0" y="0" class="st0 st3 st4">{TITLE[0]}</tspan>'
        f'<tspan x="0" y="32" class="st0 st3 st4">{TITLE[1]}</tspan></text>\n'
        '<rect id="lead-box" class="st0" x="35.4" y="200" width="524.5" height="90"/>\n'
        '<text id="lead" transform="matrix(1 0 0 1 35.4 216)" class="st2 st5 st6">'
        f'{LEAD}</text>\n'
        '<g id="icon_x3A_mask" data-name="icon:mask">\n'
        '\t<circle class="st8" cx="297.6" cy="470" r="90"/>\n</g>\n'
        '<rect class="st1" y="740" width="595.3" height="101.9"/>\n'
        '<text id="hotline_2_" data-name="hotline" transform="matrix(1 0 0 1 297.6 805)" '
        'class="st0 st3 st4" style="text-anchor:middle">' + HOTLINE + '</text>\n'
        '</svg>\n')


def multipage() -> str:
    """An Inkscape 1.2 document with two pages, labelled after their sizes: the square poster
    on the first page and the story beside it."""
    square = poster(1080, 1080).split("\n", 1)[1].rsplit("</svg>", 1)[0]
    story = poster(1080, 1920, "story8").split("\n", 1)[1].rsplit("</svg>", 1)[0]
    story = story.replace('inkscape:label="Nền"', 'inkscape:label="Nền 2"').replace(
        'id="leadframe"', 'id="leadframe2"').replace("#leadframe)", "#leadframe2)")
    for i in range(8):
        story = story.replace(f'id="card{i}box"', f'id="story{i}box"').replace(
            f"url(#card{i}box)", f"url(#story{i}box)")
    return ('<svg xmlns="http://www.w3.org/2000/svg" '
            'xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape" '
            'xmlns:sodipodi="http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd" '
            'width="1080" height="1080" viewBox="0 0 1080 1080">\n'
            ' <sodipodi:namedview id="namedview1">\n'
            '  <inkscape:page x="0" y="0" width="1080" height="1080" id="page1" '
            'inkscape:label="square"/>\n'
            '  <inkscape:page x="1180" y="0" width="1080" height="1920" id="page2" '
            'inkscape:label="story"/>\n </sodipodi:namedview>\n'
            f'{square}\n <g transform="translate(1180,0)">\n{story}\n </g>\n</svg>\n')


def offsets() -> str:
    """Transforms an editor leaves behind: a viewBox that does not start at 0, a layer moved
    by a translate, a rotated shape, a title inside a scaled group, a text on a skewed path
    (kept as drawn)."""
    return ('<svg xmlns="http://www.w3.org/2000/svg" '
            'xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape" '
            'width="1080" height="1080" viewBox="-40 -30 1080 1080">\n'
            ' <g inkscape:label="Layer 1" inkscape:groupmode="layer" '
            'transform="translate(-40,-30)">\n'
            f'  <rect width="1080" height="1080" fill="{SURFACE}"/>\n'
            f'  <rect x="700" y="600" width="260" height="260" fill="#f1c232" '
            'transform="rotate(15 830 730)"/>\n'
            '  <g transform="translate(64 40) scale(2)">\n'
            f'   <rect width="476" height="100" rx="8" fill="{BLUE}"/>\n'
            f'   <text inkscape:label="title" x="16" y="40" style="font-family:Inter;'
            f'font-weight:bold;font-size:24px;fill:#ffffff">{TITLE[0]}</text>\n'
            '  </g>\n'
            f'  <text inkscape:label="lead" x="64" y="330" style="font-family:\'Noto Sans\';'
            f'font-size:28px;fill:{INK}">{LEAD[:60]}</text>\n'
            ' </g>\n</svg>\n')


def inkscape(source: str, target: Path, png: Path | None) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        plain = Path(tmp) / target.name
        plain.write_text(source, encoding="utf-8")
        subprocess.run(["inkscape", str(plain), "--export-type=svg",
                        f"--export-filename={target}"], check=True, capture_output=True)
        if png is not None:
            render(target, png)
    print(f"wrote {target}" + (f" and {png.name}" if png else ""))


def render(drawing: Path, png: Path) -> None:
    """Inkscape's own picture of a drawing, half size (the pixel tests' reference)."""
    width = 540
    subprocess.run(["inkscape", str(drawing), "--export-type=png", f"--export-width={width}",
                    f"--export-filename={png}"], check=True, capture_output=True)


def main() -> int:
    (HERE / "figma-square.svg").write_text(figma(), encoding="utf-8")
    render(HERE / "figma-square.svg", HERE / "figma-square.inkscape.png")
    (HERE / "illustrator-a4.svg").write_text(illustrator(), encoding="utf-8")
    render(HERE / "illustrator-a4.svg", HERE / "illustrator-a4.inkscape.png")
    inkscape(poster(1080, 1080), HERE / "inkscape-square.svg", HERE / "inkscape-square.inkscape.png")
    inkscape(poster(1080, 1920, "story8"), HERE / "inkscape-story.svg",
             HERE / "inkscape-story.inkscape.png")
    inkscape(flowroot(), HERE / "inkscape-flowroot.svg", HERE / "inkscape-flowroot.inkscape.png")
    inkscape(multipage(), HERE / "inkscape-pages.svg", None)
    inkscape(offsets(), HERE / "inkscape-offsets.svg", HERE / "inkscape-offsets.inkscape.png")
    EXAMPLES.mkdir(parents=True, exist_ok=True)
    for kind, (w, h) in {"square": (1080, 1080), "portrait": (1080, 1350),
                         "story": (1080, 1920), "landscape": (1200, 630),
                         "a4": (1080, 1527.43)}.items():
        head = A4_HEAD if kind == "a4" else None
        inkscape(poster(w, h, kind, head, chrome=True), EXAMPLES / f"notice-{kind}.svg", None)
    bundled_layout()
    return 0


def bundled_layout() -> None:
    """``layouts/drawn-notice``: the example drawings imported, as a designer would
    (``infographic import examples/drawings/notice-*.svg -o layouts/drawn-notice``), then one
    edit to the manifest: at least three tips, so the cards never leave most of a page empty."""
    from infographic.authoring.importer import import_drawing

    folder = HERE.parents[1] / "layouts" / "drawn-notice"
    order = ["square", "portrait", "story", "landscape", "a4"]
    import_drawing([EXAMPLES / f"notice-{kind}.svg" for kind in order], folder, force=True)
    manifest = folder / "layout.yaml"
    text = manifest.read_text(encoding="utf-8")
    text = text.replace("    min_items: 1\n", "    min_items: 3\n", 1)
    manifest.write_text(text.replace("name: drawn-notice\n", "name: drawn-notice\n", 1),
                        encoding="utf-8")
    print(f"wrote {folder}")


if __name__ == "__main__":
    sys.exit(main())
