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
        ("Nắm bắt", "Nắm bắt tâm trạng xã hội, tình hình dư luận của Nhân dân.")]
HOTLINE = "1900 9095"
BLUE, INK, SURFACE = "#0b5394", "#1f2933", "#e8f0fa"


def _card(index: int, x: float, y: float, w: float, h: float) -> str:
    heading, text = TIPS[index]
    return (f'  <g inkscape:label="card-{index + 1}">\n'
            f'   <rect x="{x}" y="{y}" width="{w}" height="{h}" rx="16" fill="{SURFACE}"/>\n'
            f'   <circle cx="{x + 44}" cy="{y + 48}" r="14" fill="{BLUE}"/>\n'
            f'   <text inkscape:label="heading" x="{x + 72}" y="{y + 58}" '
            f'style="font-family:Inter;font-weight:bold;font-size:30px;fill:{BLUE}">'
            f'{heading}</text>\n'
            f'   <rect id="card{index}box" x="{x + 28}" y="{y + 84}" width="{w - 56}" '
            f'height="{h - 104}" fill="none"/>\n'
            f'   <text inkscape:label="text" xml:space="preserve" style="font-family:\'Noto Sans\';'
            f'font-size:24px;line-height:1.35;fill:{INK};shape-inside:url(#card{index}box)">'
            f'{text}</text>\n  </g>\n')


def poster(w: int, h: int) -> str:
    """The notice poster: header band, title (with a title-box), flowed lead, four tip cards
    in a list named ``tips``, footer with the hotline. Square and story arrangements."""
    tall = h > w * 1.3
    band = 300 if tall else 270
    cards_top = 760 if tall else 500
    card_h = 240 if tall else 210
    out = [HEAD.format(w=w, h=h),
           f' <g inkscape:label="Nền" inkscape:groupmode="layer">\n'
           f'  <rect width="{w}" height="{h}" fill="#ffffff"/>\n'
           f'  <rect width="{w}" height="{band}" fill="{BLUE}"/>\n'
           f'  <rect y="{band}" width="{w}" height="10" fill="#f1c232"/>\n'
           f'  <rect y="{h - 110}" width="{w}" height="110" fill="{SURFACE}"/>\n </g>\n',
           ' <g inkscape:label="Chữ" inkscape:groupmode="layer">\n',
           f'  <text x="64" y="78" style="font-family:Inter;font-weight:bold;font-size:26px;'
           f'letter-spacing:1.3px;fill:#ffffff">{ISSUER}</text>\n',
           f'  <text x="{w - 64}" y="78" style="font-family:\'Noto Sans\';font-size:24px;'
           f'text-anchor:end;fill:#dbe7f5">Cập nhật {{{{ date }}}}</text>\n',
           f'  <rect inkscape:label="title-box" x="64" y="110" width="{w - 128}" '
           f'height="{band - 140}" fill="none"/>\n',
           f'  <text inkscape:label="title" x="64" y="160" style="font-family:Inter;'
           f'font-weight:bold;font-size:48px;line-height:1.25;fill:#ffffff">'
           f'<tspan x="64" y="160">{TITLE[0]}</tspan>'
           f'<tspan x="64" y="220">{TITLE[1]}</tspan></text>\n',
           f'  <rect id="leadframe" x="64" y="{band + 50}" width="{w - 128}" '
           f'height="{cards_top - band - 80}" fill="none"/>\n',
           f'  <text inkscape:label="lead" xml:space="preserve" style="font-family:\'Noto Sans\';'
           f'font-size:28px;line-height:1.4;fill:{INK};shape-inside:url(#leadframe)">{LEAD}'
           '</text>\n',
           '  <g inkscape:label="tips">\n']
    gap = 24
    if tall:
        for i in range(4):
            out.append(_card(i, 64, cards_top + i * (card_h + gap), w - 128, card_h))
    else:
        cw = (w - 128 - gap) / 2
        for i in range(4):
            out.append(_card(i, 64 + (i % 2) * (cw + gap), cards_top + (i // 2) * (card_h + gap),
                             cw, card_h))
    out.append('  </g>\n')
    out.append(f'  <text x="64" y="{h - 44}" style="font-family:\'Noto Sans\';font-size:28px;'
               f'fill:{INK}">Đường dây nóng</text>\n')
    out.append(f'  <text inkscape:label="hotline" x="{w - 64}" y="{h - 40}" style="font-family:'
               f'Inter;font-weight:bold;font-size:40px;text-anchor:end;fill:{BLUE}">{HOTLINE}'
               '</text>\n </g>\n</svg>\n')
    return "".join(out)


def flowroot() -> str:
    """Inkscape 0.92's flowed text (SVG 1.2 flowRoot), which Inkscape 1.x still reads and keeps."""
    return (HEAD.format(w=1080, h=1080) +
            '  <rect width="1080" height="1080" fill="#fdf6e3"/>\n'
            f'  <flowRoot inkscape:label="title" style="font-family:Inter;font-size:64px;'
            f'font-weight:bold;fill:{BLUE}"><flowRegion><rect x="100" y="200" width="880" '
            f'height="300"/></flowRegion><flowPara>{" ".join(TITLE)}</flowPara></flowRoot>\n'
            '</svg>\n')


def inkscape(source: str, target: Path, png: Path | None) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        plain = Path(tmp) / target.name
        plain.write_text(source, encoding="utf-8")
        subprocess.run(["inkscape", str(plain), "--export-type=svg",
                        f"--export-filename={target}"], check=True, capture_output=True)
        if png is not None:
            subprocess.run(["inkscape", str(target), "--export-type=png",
                            f"--export-filename={png}"], check=True, capture_output=True)
    print(f"wrote {target}" + (f" and {png.name}" if png else ""))


def main() -> int:
    inkscape(poster(1080, 1080), HERE / "inkscape-square.svg", HERE / "inkscape-square.inkscape.png")
    inkscape(poster(1080, 1920), HERE / "inkscape-story.svg", HERE / "inkscape-story.inkscape.png")
    inkscape(flowroot(), HERE / "inkscape-flowroot.svg", HERE / "inkscape-flowroot.inkscape.png")
    EXAMPLES.mkdir(parents=True, exist_ok=True)
    inkscape(poster(1080, 1080), EXAMPLES / "notice-square.svg", None)
    inkscape(poster(1080, 1920), EXAMPLES / "notice-story.svg", None)
    return 0


if __name__ == "__main__":
    sys.exit(main())
