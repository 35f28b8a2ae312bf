"""Regenerate this layout's sample photo (drawn with numpy and Pillow; no third-party images).

    python layouts/photo-card/_make_photo.py

An out-of-focus street at dusk — the kind of backdrop a message card is set over — with lighter
areas at the top so the layout's scrim has real work to do.
"""

from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

HERE = Path(__file__).resolve().parent


def photo(width: int = 1920, height: int = 2560, seed: int = 11) -> Image.Image:
    rng = np.random.default_rng(seed)
    y = np.linspace(0, 1, height)[:, None, None]
    x = np.linspace(0, 1, width)[None, :, None]
    sky = np.array([250, 190, 120]) * (1 - y) ** 1.6 + np.array([30, 60, 96]) * (1 - (1 - y) ** 1.6)
    sky = sky + np.array([-20, 10, 30]) * x
    base = Image.fromarray(np.clip(np.broadcast_to(sky, (height, width, 3)), 0, 255).astype(np.uint8))
    glow = Image.new("RGB", (width, height), (0, 0, 0))
    draw = ImageDraw.Draw(glow)
    palette = [(255, 196, 92), (255, 140, 70), (120, 200, 255), (255, 236, 180), (90, 230, 200)]
    for _ in range(110):
        r = int(rng.uniform(27, 135))
        cx, cy = rng.uniform(0, width), rng.uniform(height * 0.25, height * 0.95)
        colour = palette[int(rng.integers(len(palette)))]
        level = rng.uniform(0.25, 0.8)
        draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=tuple(int(c * level) for c in colour))
    glow = glow.filter(ImageFilter.GaussianBlur(24))
    pixels = np.asarray(base, dtype=np.float32) + np.asarray(glow, dtype=np.float32) * 0.85
    # A darker band of "buildings" and a soft vignette.
    skyline = np.zeros((height, width), dtype=np.float32)
    for left in range(0, width, 135):
        top = int(rng.uniform(height * 0.38, height * 0.62))
        skyline[top:, left:left + int(rng.uniform(90, 180))] = 1
    skyline = np.asarray(Image.fromarray((skyline * 255).astype(np.uint8)).filter(
        ImageFilter.GaussianBlur(21)), dtype=np.float32) / 255
    pixels *= (1 - 0.35 * skyline)[..., None]
    yy, xx = np.mgrid[0:height, 0:width]
    vignette = 1 - 0.35 * (((xx / width - 0.5) ** 2 + (yy / height - 0.5) ** 2) / 0.5)
    pixels *= vignette[..., None]
    pixels += rng.normal(0, 3, (height, width, 1))
    return Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))


if __name__ == "__main__":
    photo().save(HERE / "sample-photo.jpg", quality=72, optimize=True, progressive=True)
