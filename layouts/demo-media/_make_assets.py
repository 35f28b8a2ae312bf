"""Regenerate this layout's sample photo and logo (drawn with Pillow; no third-party images).

    python layouts/demo-media/_make_assets.py
"""

from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

HERE = Path(__file__).resolve().parent


def photo(width: int = 1200, height: int = 800) -> Image.Image:
    """A soft 'photo' of a ward health station: sky, trees, building with a red cross."""
    y = np.linspace(0, 1, height)[:, None, None]
    sky = (np.array([120, 175, 225]) * (1 - y) + np.array([220, 236, 248]) * y)
    image = Image.fromarray(np.broadcast_to(sky, (height, width, 3)).astype(np.uint8))
    draw = ImageDraw.Draw(image)
    draw.ellipse((120, 90, 260, 230), fill=(255, 236, 180))
    draw.polygon([(0, 560), (300, 470), (620, 540), (900, 460), (1200, 520), (1200, 800),
                  (0, 800)], fill=(120, 170, 110))
    draw.rectangle((0, 640, width, height), fill=(205, 196, 178))  # yard
    # Building (focal point near x 0.62, y 0.45).
    draw.rectangle((520, 300, 980, 640), fill=(246, 243, 236))
    draw.polygon([(500, 310), (750, 200), (1000, 310)], fill=(176, 58, 46))
    for col in range(4):
        for row in range(2):
            x0, y0 = 560 + col * 105, 360 + row * 120
            draw.rectangle((x0, y0, x0 + 62, y0 + 70), fill=(120, 160, 190))
    draw.rectangle((715, 540, 785, 640), fill=(110, 80, 60))
    draw.rectangle((690, 232, 810, 292), fill=(255, 255, 255))
    draw.rectangle((738, 240, 762, 284), fill=(210, 40, 40))
    draw.rectangle((728, 250, 772, 274), fill=(210, 40, 40))
    for cx, cy, r in ((190, 520, 95), (380, 560, 70), (1090, 540, 90)):  # trees
        draw.rectangle((cx - 10, cy, cx + 10, cy + 120), fill=(100, 72, 50))
        draw.ellipse((cx - r, cy - r * 1.3, cx + r, cy + r * 0.5), fill=(70, 130, 75))
    # 3× up, so the photo prints at 300 dpi across an A3 page (3508 px for 297 mm): the banner
    # runs edge to edge on paper too, and the print preflight asks for 300 dpi.
    width, height = width * 3, height * 3
    image = image.resize((width, height), Image.Resampling.LANCZOS)
    image = image.filter(ImageFilter.GaussianBlur(3))
    noise = np.random.default_rng(7).normal(0, 5, (height, width, 1))
    pixels = np.clip(np.asarray(image, dtype=np.float32) + noise, 0, 255).astype(np.uint8)
    return Image.fromarray(pixels)


def logo(size: int = 400) -> Image.Image:
    """A round emblem with a cross, on a transparent background."""
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((0, 0, size - 1, size - 1), fill=(255, 255, 255, 255))
    draw.ellipse((size * 0.06, size * 0.06, size * 0.94, size * 0.94), fill=(11, 83, 148, 255))
    draw.ellipse((size * 0.16, size * 0.16, size * 0.84, size * 0.84), fill=(255, 255, 255, 255))
    a, b = size * 0.42, size * 0.58
    draw.rectangle((a, size * 0.26, b, size * 0.74), fill=(198, 40, 40, 255))
    draw.rectangle((size * 0.26, a, size * 0.74, b), fill=(198, 40, 40, 255))
    return image


if __name__ == "__main__":
    photo().save(HERE / "photo.jpg", quality=70, optimize=True, progressive=True)
    logo().save(HERE / "logo.png", optimize=True)
