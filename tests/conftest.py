"""Shared test helpers: render to real pixels, read text back with tesseract."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import tempfile
import time
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


def wait_for(condition, what: str, seconds: float = 60.0):
    """Poll ``condition()`` until it returns a true value, and return that value; fail naming
    ``what`` after ``seconds``. For state that another process or thread changes: the test
    proceeds as soon as the state is there, instead of sleeping a guessed time."""
    deadline = time.monotonic() + seconds
    while not (value := condition()):
        if time.monotonic() > deadline:
            pytest.fail(f"waited {seconds:g} s for {what}")
        time.sleep(0.02)
    return value


def process_ended(pid: int) -> bool:
    """True once process ``pid`` has exited (a zombie not yet reaped by its parent counts)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return True
    return stat.rsplit(")", 1)[1].split()[0] in ("Z", "X")


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


def make_layout(folder: Path, body: str, *, slots: dict | None = None, fields: dict | None = None,
                sizes: list[str] | None = None, name: str = "probe") -> Path:
    """Write a minimal layout folder (for tests that need a layout of their own)."""
    import yaml

    folder.mkdir(parents=True, exist_ok=True)
    manifest = {"name": name, "title": "Probe", "fields": fields or {
        "title": {"type": "text", "required": True, "sample": "Tiêu đề"}},
        "slots": slots or {"title": {"font": "body", "size": 40, "min_size": 20}}}
    if sizes:
        manifest["sizes"] = sizes
    (folder / "layout.yaml").write_text(yaml.safe_dump(manifest, allow_unicode=True),
                                        encoding="utf-8")
    (folder / "template.svg.j2").write_text(body, encoding="utf-8")
    return folder


def warnings_besides_soft_photos(report: "infographic.FitReport") -> list[str]:
    """A render's warnings other than preflight's "this photo prints under 300 dpi": the bundled
    sample photos are screen-sized, so at paper sizes preflight rightly says so (its numbers are
    tested in test_print_preflight.py)."""
    soft = {f"preflight: {item.message}" for item in report.preflight
            if item.check == "image-resolution"}
    return [warning for warning in report.warnings if warning not in soft]


def ink_bbox(pixels: np.ndarray, background=(255, 255, 255), threshold: int = 60):
    """(left, top, right, bottom) of pixels differing from ``background``; None if blank."""
    diff = np.abs(pixels[..., :3] - np.array(background, dtype=np.int16)).sum(axis=2)
    ys, xs = np.nonzero(diff > threshold)
    if len(xs) == 0:
        return None
    return int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1


#: Slow-tier tests of files whose other tests are quick, listed here rather than marked in files
#: that other work changes often: long sweeps, and tests that run into a time or size limit on
#: purpose. Node id prefix → why. (The fast tier, -m "not slow", is what the README suggests
#: while working; CI runs everything.)
SLOW = {
    "test_field_limits.py": "every text field at its limit at every size: hundreds of renders",
    "test_security_render.py::test_huge_shapes_are_refused_before_drawing": "runs into a limit",
    "test_security_render.py::test_a_layout_with_a_huge_tile_is_refused": "runs into a limit",
    "test_security_render.py::test_paths_in_a_fake_glyph_group_count_as_elements": "a limit",
    "test_security_batch.py::test_a_row_past_its_deadline_fails_and_the_batch_finishes":
        "waits for a time limit",
    "test_security_sandbox.py::test_every_template_bomb_is_a_limit_error_before_it_allocates":
        "runs every bomb into its limit",
    "test_security_preview.py::test_preview_renders_run_under_a_memory_cap_and_a_deadline":
        "waits for a time limit",
    "test_security_preview.py::test_streams_that_never_read_are_capped_and_dropped":
        "waits out a stalled stream",
    "test_usercache.py::test_cairocffi_starts_from_saved_declarations": "three fresh processes",
    "test_usercache.py::test_glyph_outlines_are_kept": "four fresh processes",
    "test_security_batch.py::test_on_dask_a_row_past_its_deadline_fails_and_the_rest_render":
        "a Dask cluster waits for a time limit",
    "test_security_batch.py::test_render_isolated_renders_and_stops_a_hang": "waits for a time limit",
    "test_security_batch.py::test_run_isolated_stops_one_long_c_call": "waits for a time limit",
    "test_typing.py": "mypy over the typed modules",
}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        node = item.nodeid.removeprefix("tests/")
        if any(node.startswith(prefix) for prefix in SLOW):
            item.add_marker(pytest.mark.slow)
