"""Regenerate this layout's sample picture, a drawn illustration of hand washing.

    python layouts/photo-card/_make_photo.py

A health scene a ward office would post: two soapy hands under a running tap, a soap pump and
bubbles, in flat colours on a calm backdrop that is lighter at the top (where the subject is) and
deeper and plain in the lower half (where the card's scrim and text go). It is drawn from the bundled Font
Awesome Free icons (CC BY 4.0, see icons/LICENSE.txt) and rendered with cairosvg; the licence of
the result is in sample-photo.LICENSE.txt beside it.
"""

from __future__ import annotations

import io
import math
import random
import re
from pathlib import Path

import cairosvg
from PIL import Image

HERE = Path(__file__).resolve().parent
ICONS = HERE.parent.parent / "icons" / "fontawesome"
WIDTH, HEIGHT = 1600, 2000


def icon(name: str, x: float, y: float, size: float, fill: str, rotate: float = 0) -> str:
    """An icon's paths placed in a ``size`` square at (x, y), optionally turned about its centre."""
    svg = (ICONS / f"{name}.svg").read_text(encoding="utf-8")
    box = [float(v) for v in re.search(r'viewBox="([^"]+)"', svg).group(1).split()]
    paths = "".join(f'<path d="{d}"/>' for d in re.findall(r' d="([^"]+)"', svg))
    scale = size / max(box[2], box[3])
    turn = f"rotate({rotate} {x + size / 2} {y + size / 2}) " if rotate else ""
    return (f'<g transform="{turn}translate({x} {y}) scale({scale}) translate({-box[0]} {-box[1]})"'
            f' fill="{fill}">{paths}</g>')


def scene(seed: int = 5) -> str:
    rng = random.Random(seed)
    parts = [
        '<defs><linearGradient id="bg" x1="0" y1="0" x2="0" y2="1">'
        '<stop offset="0" stop-color="#e3f4f4"/><stop offset="0.55" stop-color="#9fd3d6"/>'
        '<stop offset="1" stop-color="#1f6f7f"/></linearGradient>'
        '<radialGradient id="halo"><stop offset="0" stop-color="#ffffff" stop-opacity="0.95"/>'
        '<stop offset="1" stop-color="#ffffff" stop-opacity="0"/></radialGradient></defs>',
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="url(#bg)"/>',
        # tiles of a wash-room wall, very faint
        *(f'<rect x="{x}" y="0" width="2" height="{HEIGHT * 0.5}" fill="#ffffff" fill-opacity="0.25"/>'
          for x in range(0, WIDTH, 200)),
        *(f'<rect x="0" y="{y}" width="{WIDTH}" height="2" fill="#ffffff" fill-opacity="0.25"/>'
          for y in range(0, int(HEIGHT * 0.5), 200)),
        f'<circle cx="{WIDTH * 0.5}" cy="{HEIGHT * 0.33}" r="560" fill="url(#halo)"/>',
        # the basin
        f'<ellipse cx="{WIDTH * 0.5}" cy="{HEIGHT * 0.56}" rx="640" ry="130" fill="#ffffff" fill-opacity="0.9"/>',
        f'<ellipse cx="{WIDTH * 0.5}" cy="{HEIGHT * 0.555}" rx="550" ry="90" fill="#cfe9ec"/>',
        # tap and running water
        icon("faucet-drip", WIDTH * 0.14, HEIGHT * 0.04, 420, "#5b6b78"),
        f'<rect x="{WIDTH * 0.14 + 326}" y="{HEIGHT * 0.04 + 356}" width="36" height="{HEIGHT * 0.12}" rx="18" fill="#7cc4e8" fill-opacity="0.85"/>',
        # soap pump
        icon("pump-soap", WIDTH * 0.78, HEIGHT * 0.36, 220, "#ef8f3a"),
        # the hands, large, where the card keeps its focus
        icon("hands-bubbles", WIDTH * 0.5 - 360, HEIGHT * 0.17, 720, "#0b4f8a"),
    ]
    for _ in range(34):  # soap bubbles
        r = rng.uniform(14, 62)
        cx = rng.uniform(WIDTH * 0.12, WIDTH * 0.88)
        cy = rng.uniform(HEIGHT * 0.06, HEIGHT * 0.52)
        if math.hypot(cx - WIDTH * 0.5, cy - HEIGHT * 0.35) < 330:
            continue
        parts.append(f'<circle cx="{cx:.0f}" cy="{cy:.0f}" r="{r:.0f}" fill="#ffffff" '
                     f'fill-opacity="0.35" stroke="#ffffff" stroke-width="{r / 9:.1f}"/>')
        parts.append(f'<circle cx="{cx - r * 0.35:.0f}" cy="{cy - r * 0.35:.0f}" r="{r * 0.18:.0f}" '
                     'fill="#ffffff" fill-opacity="0.9"/>')
    for i in range(5):  # water drops
        parts.append(icon("droplet", WIDTH * 0.3 + i * 60, HEIGHT * 0.2 + (i % 2) * 70, 50,
                          "#7cc4e8"))
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
            f'viewBox="0 0 {WIDTH} {HEIGHT}">' + "".join(parts) + "</svg>")


def picture(scale: float = 1.5) -> Image.Image:
    """The scene rasterised ``scale`` times its drawing size (2400 × 3000 px: sharp on A3)."""
    png = cairosvg.svg2png(bytestring=scene().encode("utf-8"), scale=scale)
    return Image.open(io.BytesIO(png)).convert("RGB")


if __name__ == "__main__":
    picture().save(HERE / "sample-photo.jpg", quality=84, optimize=True, progressive=True)
