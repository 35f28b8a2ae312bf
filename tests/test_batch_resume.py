"""Nothing lost, nothing done twice: reruns render only what is missing or changed, and a batch
killed with SIGKILL leaves no partial file and finishes on the next run."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from infographic.batch.state import StateStore
from infographic.errors import OutputError
from conftest import wait_for
from batch_support import FIXTURES, MINI, SMALL, batch, load_report, outputs, ward_rows, \
    write_csv


def _statuses(out: Path) -> dict[str, str]:
    return {o["name"]: o["status"] for o in load_report(out / "batch-report.json")["outcomes"]}


def _mtimes(out: Path) -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns for p in outputs(out)}


def test_rerun_renders_only_missing_or_changed_outputs(tmp_path: Path) -> None:
    rows = ward_rows(5)
    data = write_csv(tmp_path / "rows.csv", rows)
    out = tmp_path / "out"
    args = ["-o", str(out), "--size", SMALL, "-j", "1", "-q", "--name", "{row}"]
    assert batch(MINI, str(data), *args) == 0
    before = _mtimes(out)
    assert batch(MINI, str(data), *args) == 0
    assert set(_statuses(out).values()) == {"unchanged"} and _mtimes(out) == before

    (out / "3.png").unlink()                         # a deleted output
    (out / "4.png").write_bytes(b"\x89PNG truncated")  # a damaged one
    rows[3]["cases"] = 999                            # row 5's data changed
    write_csv(data, rows)
    assert batch(MINI, str(data), *args) == 0
    assert _statuses(out) == {"2": "unchanged", "3": "rendered", "4": "rendered",
                              "5": "rendered", "6": "unchanged"}
    after = _mtimes(out)
    assert after["2.png"] == before["2.png"] and after["6.png"] == before["6.png"]

    # A different theme, or --force, renders everything again.
    assert batch(MINI, str(data), *args, "--theme", "official-red") == 0
    assert set(_statuses(out).values()) == {"rendered"}
    assert batch(MINI, str(data), *args, "--theme", "official-red", "--force") == 0
    assert set(_statuses(out).values()) == {"rendered"}


def test_a_changed_layout_file_or_format_renders_again(tmp_path: Path) -> None:
    import shutil

    layout = tmp_path / "mini"
    shutil.copytree(FIXTURES / "mini", layout)
    data = write_csv(tmp_path / "rows.csv", ward_rows(2))
    out = tmp_path / "out"
    args = ["-o", str(out), "--size", SMALL, "-j", "1", "-q", "--name", "{row}"]
    assert batch(str(layout), str(data), *args) == 0
    template = layout / "template.svg.j2"
    template.write_text(template.read_text(encoding="utf-8") + "<!-- v2 -->\n", encoding="utf-8")
    assert batch(str(layout), str(data), *args) == 0
    assert set(_statuses(out).values()) == {"rendered"}
    assert batch(str(layout), str(data), *args, "--format", "png,svg") == 0
    report = load_report(out / "batch-report.json")
    assert [o["status"] for o in report["outcomes"]] == ["rendered", "rendered"]
    assert sorted(p.name for p in outputs(out, "")) == ["2.png", "2.svg", "3.png", "3.svg",
                                                         "batch-report.json", "index.html"]


def _complete_png(path: Path) -> bool:
    try:
        with Image.open(path) as image:
            image.load()
        return True
    except (OSError, SyntaxError):
        return False


@pytest.mark.slow  # kill -9
@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL of a process group is POSIX")
def test_killed_batch_leaves_no_partial_files_and_the_rerun_finishes_the_rest(
        tmp_path: Path) -> None:
    rows = 20
    # The last two rows hold their workers in a loop (until the template time limit), so the
    # batch is still running when it is killed however fast the machine renders the others.
    layout = tmp_path / "mini"
    shutil.copytree(MINI, layout)
    template = layout / "template.svg.j2"
    template.write_text('{% if ward == "chờ" %}{% for i in range(99999) %}{% for j in '
                        'range(99999) %}{% endfor %}{% endfor %}{% endif %}\n'
                        + template.read_text(encoding="utf-8"), encoding="utf-8")
    stuck = [dict(row, ward="chờ") for row in ward_rows(2)]
    data = write_csv(tmp_path / "rows.csv", ward_rows(rows) + stuck)
    out = tmp_path / "out"
    # Large images, so each takes long enough to be killed in the middle of the batch.
    args = [str(layout), str(data), "-o", str(out), "--size", "1600x1600", "-j", "2",
            "--name", "{row}", "--no-contact-sheet"]
    process = subprocess.Popen([sys.executable, "-m", "infographic", "batch", *args],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)
    try:
        wait_for(lambda: len(outputs(out)) >= 4 or process.poll() is not None,
                 "four outputs of the batch")
        assert process.poll() is None, "the batch ended before it could be killed"
        # A second run into the same folder meanwhile would be refused.
        with pytest.raises(OutputError, match="another batch is writing to"):
            StateStore(out, "all").lock()
    finally:
        os.killpg(process.pid, signal.SIGKILL)  # the CLI and its workers, as kill -9 or OOM
        process.wait()
    done = outputs(out)
    assert 4 <= len(done) <= rows
    assert all(_complete_png(p) for p in done), "a visible output is incomplete"
    finished = {p.stem for p in done}

    # The operator fills in the two unfinished rows and reruns the same command.
    write_csv(data, ward_rows(rows + 2))
    result = subprocess.run([sys.executable, "-m", "infographic", "batch", *args, "-q"],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    statuses = _statuses(out)
    assert {n for n, s in statuses.items() if s == "unchanged"} == finished
    assert {n for n, s in statuses.items() if s == "rendered"} == \
        {str(r) for r in range(2, rows + 4)} - finished
    assert len(outputs(out)) == rows + 2 and all(_complete_png(p) for p in outputs(out))
    assert not [p for p in out.rglob("*.part")], "temporary files were left behind"


def test_a_changed_photo_or_logo_renders_again(tmp_path: Path) -> None:
    """Images named in the data are part of the fingerprint, read from the data file's folder."""
    Image.new("RGB", (40, 40), "#d00000").save(tmp_path / "logo.png")
    rows = ward_rows(2)
    rows[0]["logo"] = "logo.png"
    data = write_csv(tmp_path / "rows.csv", rows)
    out = tmp_path / "out"
    args = ["-o", str(out), "--size", SMALL, "-j", "1", "-q", "--name", "{row}"]
    assert batch(MINI, str(data), *args) == 0

    def logo_pixel() -> tuple[int, int, int]:
        with Image.open(out / "2.png") as image:
            return image.convert("RGB").getpixel((200 - 32, 96))

    assert logo_pixel() == (208, 0, 0)
    Image.new("RGB", (40, 40), "#0000d0").save(tmp_path / "logo.png")
    assert batch(MINI, str(data), *args) == 0
    assert _statuses(out) == {"2": "rendered", "3": "unchanged"}
    assert logo_pixel() == (0, 0, 208)
