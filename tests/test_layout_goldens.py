"""Golden images: each message layout at each re-flow (square, portrait, story, landscape, paper)
compared with a committed small grayscale reference, with a perceptual tolerance.

The metric is SSIM (structural similarity, 7 × 7 windows, numpy only) between the render and the
golden. A render passes when its mean SSIM is at least ``MIN_MEAN`` and fewer than
``MAX_BAD_FRACTION`` of its windows fall below ``BAD_WINDOW``. Calibrated on these layouts:
anti-aliasing and encoder noise (a 0.5 px blur, JPEG at quality 85) score ≥ 0.97 with ≤ 0.5 % bad
windows; moving the layout by one golden pixel (4.5 canvas units) scores ≤ 0.87 with ≥ 14 % bad
windows, and a headline that gains a word and re-wraps fails too.

Refresh the goldens after an intended change, then look at them before committing:

    INFOGRAPHIC_UPDATE_GOLDENS=1 python -m pytest -q tests/test_layout_goldens.py

A failing comparison writes the render and a difference image next to the test's tmp_path and
names them in the message.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageOps

import infographic
from infographic.authoring import thumbnail
from infographic.datafile import load_data_file

from conftest import EXAMPLES, ROOT

GOLDEN_DIR = ROOT / "tests" / "golden"
UPDATE = os.environ.get("INFOGRAPHIC_UPDATE_GOLDENS") == "1"
LAYOUTS = ["prevention-tips", "hotline-qr", "step-guide", "photo-card", "myth-fact", "schedule"]
#: a3 has the same canvas as a4 (1080 × 1527 units), so it re-flows identically.
SIZES = ["square", "portrait", "story", "landscape", "a4"]
SIDE = 240
MIN_MEAN = 0.95
BAD_WINDOW = 0.6
MAX_BAD_FRACTION = 0.01


def _box_mean(x: np.ndarray, w: int) -> np.ndarray:
    c = np.pad(x, ((1, 0), (1, 0))).cumsum(0).cumsum(1)
    return (c[w:, w:] - c[:-w, w:] - c[w:, :-w] + c[:-w, :-w]) / (w * w)


def ssim_map(a: np.ndarray, b: np.ndarray, w: int = 7) -> np.ndarray:
    """Local SSIM of two grayscale images (0..255) over w × w windows."""
    c1, c2 = (0.01 * 255) ** 2, (0.03 * 255) ** 2
    ma, mb = _box_mean(a, w), _box_mean(b, w)
    va, vb = _box_mean(a * a, w) - ma ** 2, _box_mean(b * b, w) - mb ** 2
    cov = _box_mean(a * b, w) - ma * mb
    return ((2 * ma * mb + c1) * (2 * cov + c2)) / ((ma ** 2 + mb ** 2 + c1) * (va + vb + c2))


def similarity(a: np.ndarray, b: np.ndarray) -> tuple[float, float]:
    """(mean SSIM, fraction of windows below BAD_WINDOW); different shapes score (0, 1)."""
    if a.shape != b.shape:
        return 0.0, 1.0
    local = ssim_map(a, b)
    return float(local.mean()), float((local < BAD_WINDOW).mean())


def passes(a: np.ndarray, b: np.ndarray) -> bool:
    mean, bad = similarity(a, b)
    return mean >= MIN_MEAN and bad <= MAX_BAD_FRACTION


def render_gray(name: str, size: str, data: dict | None = None) -> Image.Image:
    data = load_data_file(EXAMPLES / f"{name}.yaml") if data is None else data
    art = infographic.render(name, data, size=size, assets=[EXAMPLES])
    return ImageOps.grayscale(thumbnail(art, SIDE))


def as_array(image: Image.Image) -> np.ndarray:
    return np.asarray(image, dtype=np.float64)


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("name", LAYOUTS)
def test_render_matches_golden(name, size, tmp_path):
    golden_path = GOLDEN_DIR / f"{name}-{size}.png"
    actual = render_gray(name, size)
    if UPDATE:
        GOLDEN_DIR.mkdir(parents=True, exist_ok=True)
        actual.save(golden_path, optimize=True)
        pytest.skip(f"golden written: {golden_path}")
    if not golden_path.is_file():
        pytest.fail(f"no golden {golden_path}: create it with INFOGRAPHIC_UPDATE_GOLDENS=1 "
                    "python -m pytest -q tests/test_layout_goldens.py")
    golden = Image.open(golden_path).convert("L")
    a, b = as_array(actual), as_array(golden)
    mean, bad = similarity(a, b)
    if not (mean >= MIN_MEAN and bad <= MAX_BAD_FRACTION):
        actual.save(tmp_path / f"{name}-{size}-actual.png")
        if a.shape == b.shape:
            diff = np.clip(np.abs(a - b) * 3, 0, 255).astype(np.uint8)
            Image.fromarray(255 - diff).save(tmp_path / f"{name}-{size}-diff.png")
        pytest.fail(f"{name} at {size} differs from its golden: mean SSIM {mean:.3f} (min "
                    f"{MIN_MEAN}), {bad:.1%} windows below {BAD_WINDOW} (max "
                    f"{MAX_BAD_FRACTION:.0%}). Render and diff: {tmp_path}. If the change is "
                    "intended, refresh with INFOGRAPHIC_UPDATE_GOLDENS=1 (see module docstring).")


def test_metric_tolerates_raster_noise_but_sees_a_shifted_layout():
    """The tolerance is not a rubber stamp: the same comparison that accepts anti-aliasing
    noise rejects the layout moved by one golden pixel and a headline that re-wraps."""
    from PIL import ImageFilter

    base = render_gray("prevention-tips", "square")
    a = as_array(base)
    assert passes(a, as_array(base.filter(ImageFilter.GaussianBlur(0.5))))
    assert not passes(a, np.roll(a, 1, axis=0))
    assert not passes(a, np.roll(a, 1, axis=1))
    data = load_data_file(EXAMPLES / "prevention-tips.yaml")
    data["title"] = "Hãy cùng " + data["title"][0].lower() + data["title"][1:]
    assert not passes(a, as_array(render_gray("prevention-tips", "square", data)))
