"""Shared test helpers: render to real pixels, read text back with tesseract."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

import infographic

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
REQUIRE_TOOLS = os.environ.get("INFOGRAPHIC_REQUIRE_TOOLS") == "1"


def require_tool(name: str) -> str:
    """Path of a system tool; in CI (INFOGRAPHIC_REQUIRE_TOOLS=1) a missing tool fails the test."""
    path = shutil.which(name)
    if path is None:
        if REQUIRE_TOOLS:
            pytest.fail(f"{name} is not installed; .ci/run should have installed it")
        pytest.skip(f"{name} is not installed (apt-get install it, or run .ci/run)")
    return path


def to_image(art: infographic.Artwork) -> Image.Image:
    return Image.open(io.BytesIO(art.to_bytes("png"))).convert("RGB")


def to_array(art: infographic.Artwork) -> np.ndarray:
    return np.asarray(to_image(art), dtype=np.int16)


def ocr(image: Image.Image, lang: str = "vie", psm: int = 6) -> str:
    """Text read back from ``image`` by tesseract."""
    tesseract = require_tool("tesseract")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "in.png"
        image.save(path)
        result = subprocess.run([tesseract, str(path), "stdout", "-l", lang, "--psm", str(psm)],
                                capture_output=True, text=True, check=False)
    if result.returncode != 0:
        pytest.fail(f"tesseract failed: {result.stderr.strip()}")
    return result.stdout


def cer(reference: str, hypothesis: str) -> float:
    """Character error rate: Levenshtein distance / reference length, white space normalised."""
    ref, hyp = " ".join(reference.split()), " ".join(hypothesis.split())
    previous = list(range(len(hyp) + 1))
    for i, rc in enumerate(ref, 1):
        current = [i]
        for j, hc in enumerate(hyp, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1,
                               previous[j - 1] + (rc != hc)))
        previous = current
    return previous[-1] / max(1, len(ref))


@pytest.fixture(scope="session")
def announcement_data() -> dict:
    return infographic.datafile.load_data_file(EXAMPLES / "announcement.yaml")
