"""A built wheel carries the layouts, fonts, examples and themes and renders without the source."""

from __future__ import annotations

import subprocess
import sys
import venv
import zipfile

import pytest

from conftest import ROOT


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out),
                    str(ROOT)], check=True)
    return next(out.glob("infographic-*.whl"))


def test_wheel_contains_resources(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    for needed in ("infographic/py.typed", "infographic/_bundled/layouts/announcement/layout.yaml",
                   "infographic/_bundled/layouts/announcement/template.svg.j2",
                   "infographic/_bundled/fonts/noto-sans/NotoSans-Regular.ttf",
                   "infographic/_bundled/fonts/noto-sans/LICENSE.txt",
                   "infographic/_bundled/examples/announcement.yaml",
                   "infographic/themes/health-blue.yaml"):
        assert needed in names, needed


def test_installed_wheel_renders_outside_the_source_tree(wheel, tmp_path):
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True, system_site_packages=True)
    python = env_dir / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "-q", "--no-deps", "--force-reinstall",
                    str(wheel)], check=True)
    script = ("import infographic, pathlib; "
              "assert 'venv' in infographic.__file__, infographic.__file__; "
              "a = infographic.render('announcement', size='square'); a.save('out.png'); "
              "print(pathlib.Path('out.png').stat().st_size)")
    result = subprocess.run([str(python), "-c", script], cwd=tmp_path, capture_output=True,
                            text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert int(result.stdout.strip()) > 10_000
    cli = subprocess.run([str(env_dir / "bin" / "infographic"), "render", "announcement", "-o",
                          "cli.png", "-q"], cwd=tmp_path, capture_output=True, text=True)
    assert cli.returncode == 0, cli.stderr
    assert (tmp_path / "cli.png").stat().st_size > 10_000
