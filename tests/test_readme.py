"""Every shell command and Python snippet in README.md runs as written, in README order, in a
fresh folder that holds a copy of ``examples/`` (the README's commands run from a clone).

Not run here, and why: ``pip install …`` (``.ci/run`` runs the README's install commands in a
fresh venv, and tests/test_packaging.py installs the wheel) and ``python -m pytest …`` (what CI
runs). ``infographic preview`` serves until stopped: each preview command is started, must print
its address, and is then stopped with Ctrl+C (with ``--port 0``, so it never meets a busy port).
``text`` blocks are synopses and ``jinja`` blocks template code, so neither is run.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, wait_for

pytestmark = pytest.mark.slow  # renders every README example (a batch of 48 files, print PDFs)

README = ROOT / "README.md"
NOT_RUN = re.compile(r"^(pip install|python -m pytest)\b")


def _blocks() -> list[tuple[str, str, str]]:
    """(heading, language, code) of every ``sh`` and ``python`` block, in README order."""
    blocks, heading = [], "top"
    for match in re.finditer(r"^## ([^\n]+)$|^```(\w+)\n(.*?)^```", README.read_text(
            encoding="utf-8"), re.M | re.S):
        if match.group(1):
            heading = match.group(1)
        elif match.group(2) in ("sh", "python"):
            blocks.append((heading, match.group(2), match.group(3)))
    return blocks


def _commands(code: str) -> list[str]:
    """Shell commands of a block: continuation lines joined, comments and installs left out."""
    commands = []
    for line in code.replace("\\\n", " ").splitlines():
        parts = [p.strip() for p in line.split("&&") if not NOT_RUN.match(p.strip())]
        line = " && ".join(p for p in parts if p)
        if line and not line.startswith("#"):
            commands.append(line)
    return commands


@pytest.fixture(scope="module")
def clone(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("clone")
    shutil.copytree(ROOT / "examples", folder / "examples",
                    ignore=shutil.ignore_patterns("gallery", "__pycache__"))
    return folder


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    return env


def _preview_starts(command: str, folder: Path) -> None:
    command = re.sub(r"--port \d+", "", command.split(" #")[0]) + " --port 0"
    process = subprocess.Popen(["bash", "-c", f"exec {command}"], cwd=folder, env=_env(),
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    def address() -> str | bool:
        line = process.stdout.readline()  # blocks until the preview prints or ends
        return line if "Live preview of" in line else process.poll() is not None and "ended"

    try:
        started = wait_for(address, f"'{command}' to print its address", 120)
        assert started != "ended", process.stderr.read()
    finally:
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=60)
    assert "Traceback" not in stderr, stderr


BLOCKS = _blocks()


def test_the_readme_has_snippets_of_both_kinds():
    kinds = [language for _, language, _ in BLOCKS]
    assert kinds.count("sh") >= 6 and kinds.count("python") >= 3


@pytest.mark.parametrize("heading, language, code", BLOCKS,
                         ids=[f"{i}-{h.split()[0].lower()}-{lang}"
                              for i, (h, lang, _) in enumerate(BLOCKS)])
def test_readme_snippet_runs_as_written(clone, heading, language, code):
    if language == "python":
        result = subprocess.run([sys.executable, "-c", code], cwd=clone, env=_env(),
                                capture_output=True, text=True, timeout=600)
        assert result.returncode == 0, f"{heading}:\n{code}\n{result.stderr}"
        return
    for command in _commands(code):
        if command.startswith("infographic preview"):
            _preview_starts(command, clone)
            continue
        result = subprocess.run(["bash", "-c", command], cwd=clone, env=_env(),
                                capture_output=True, text=True, timeout=600)
        assert result.returncode == 0, f"{heading}: {command}\n{result.stderr}"
        assert "Traceback" not in result.stderr, result.stderr


def test_the_batch_example_writes_what_the_readme_says(clone):
    """The README: "This writes out/wards/Phường-Võ-Thị-Sáu-13-09-2021-square.png … (12 wards ×
    2 sizes × 2 formats), out/wards/index.html, out/wards/batch-report.json, one PDF and a zip" — after the
    README's batch command has run above."""
    wards = clone / "out" / "wards"
    if not wards.is_dir():
        pytest.skip("run with the README snippets (the batch command writes out/wards)")
    assert (wards / "Phường-Võ-Thị-Sáu-13-09-2021-square.png").is_file()
    assert len(list(wards.glob("*.png"))) == 24 and len(list(wards.glob("*.pdf"))) == 24
    for made in (wards / "index.html", wards / "batch-report.json", clone / "out" /
                 "wards-print.pdf", clone / "out" / "wards.zip"):
        assert made.is_file(), made


def test_install_and_test_commands_are_what_ci_runs():
    """The README commands this file leaves out run in .ci/run, word for word."""
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    for _, language, code in BLOCKS:
        for line in code.splitlines():
            if language == "sh" and re.match(r"pip install (\.|-e)|python -m pytest -q$", line):
                assert line.strip() in ci, line
