"""Ctrl+C stops ``infographic preview`` at once, even when it was started with SIGINT ignored
(a background job of a shell script, a test harness): the signal must not be lost while the
server is still starting."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("uvicorn")


def test_ctrl_c_right_after_the_address_stops_the_preview(tmp_path):
    command = [str(Path(sys.executable).parent / "infographic"), "preview", "announcement",
               "--port", "0"]
    process = subprocess.Popen(command, cwd=tmp_path, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True,
                               preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN))
    try:
        first = process.stdout.readline()  # blocks until the preview prints or ends
        assert "Live preview of" in first, process.stderr.read()
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0 and "Traceback" not in stderr, stderr
