"""The one atomic writer (infographic/fileio.py): all or nothing, normal permissions."""

from __future__ import annotations

import os
import stat
import zipfile

import pytest

from infographic.errors import OutputError
from infographic.fileio import atomic_file, write_atomic


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path):
    target = tmp_path / "report.json"
    target.write_text("old")
    with pytest.raises(RuntimeError):
        with atomic_file(target, "w", encoding="utf-8") as out:
            out.write("half of the new")
            raise RuntimeError("killed half-way")
    assert target.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.json"]


def test_a_finished_write_replaces_the_file_with_normal_permissions(tmp_path):
    target = tmp_path / "sub" / "poster.png"
    write_atomic(target, b"\x89PNG")
    assert target.read_bytes() == b"\x89PNG"
    mask = os.umask(0)
    os.umask(mask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~mask
    with atomic_file(tmp_path / "all.zip") as out, zipfile.ZipFile(out, "w") as archive:
        archive.write(target, "poster.png")
    assert zipfile.ZipFile(tmp_path / "all.zip").namelist() == ["poster.png"]


def test_errors_name_the_file(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    with pytest.raises(OutputError, match="cannot write"):
        write_atomic(blocker / "poster.png", b"x")
    # an error about another file (one being zipped) is not reported as this file's
    with pytest.raises(FileNotFoundError):
        with atomic_file(tmp_path / "all.zip") as out, zipfile.ZipFile(out, "w") as archive:
            archive.write(tmp_path / "missing.png", "missing.png")
    assert not (tmp_path / "all.zip").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["not-a-folder"]
