"""``py.typed`` means something: mypy checks the whole package (``[tool.mypy]`` in
pyproject.toml), and CI runs this test."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REQUIRE_TOOLS

ROOT = Path(__file__).resolve().parent.parent


def test_mypy_passes_on_the_typed_modules(tmp_path):
    try:
        import mypy  # noqa: F401
    except ImportError:
        if REQUIRE_TOOLS:
            pytest.fail("mypy is not installed; it is in the 'test' extra")
        pytest.skip("mypy is not installed (pip install -e '.[test]')")
    result = subprocess.run([sys.executable, "-m", "mypy", "--cache-dir", str(tmp_path)],
                            cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Success" in result.stdout
