"""The per-user cache between processes (infographic/usercache.py): private, bounded, never
stale, never an error; parsed YAML read back equal to a fresh parse."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest

from infographic import dataparse, limits, usercache


@pytest.fixture()
def cache(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("INFOGRAPHIC_CACHE_DIR", str(folder))
    usercache.cache_dir.cache_clear()
    yield folder
    usercache.cache_dir.cache_clear()


def _entries(folder: Path) -> list[Path]:
    return sorted((folder / "yaml").glob("*")) if (folder / "yaml").is_dir() else []


def test_parsed_yaml_is_kept_and_read_back_equal(cache):
    text = ("title: Phát huy hiệu quả tuyên truyền\ndate: 2021-09-13\n"
            "at: 2021-09-13 17:00:00+07:00\ncases: [975, 20, null, 7.5, true]\n")
    first = dataparse.load_yaml(text)
    assert oct(cache.stat().st_mode & 0o777) == "0o700"
    [entry] = _entries(cache)
    second = dataparse.load_yaml(text)
    assert second == first and second is not first
    assert second["date"] == dt.date(2021, 9, 13) and second["at"].utcoffset().seconds == 25200
    entry.write_bytes(b'{"title": "from the cache"}')  # proof that the second read uses it
    assert dataparse.load_yaml(text) == {"title": "from the cache"}
    assert dataparse.load_yaml(text + "\n") == first  # another text, another entry


def test_values_json_cannot_carry_are_parsed_every_time(cache):
    text = "numbers: !!set {1, 2}\nkeys: {1: một}\nraw: !!binary aGk=\n"
    assert dataparse.load_yaml(text) == {"numbers": {1, 2}, "keys": {1: "một"}, "raw": b"hi"}
    assert _entries(cache) == []


def test_errors_are_not_kept(cache):
    with pytest.raises(dataparse.StructureError, match="line 1, column 17"):
        dataparse.load_yaml("title: Lịch tiêm: tuần này\n")
    assert _entries(cache) == []


def test_a_folder_others_can_write_to_is_not_used(cache):
    cache.mkdir(mode=0o777)
    os.chmod(cache, 0o777)
    assert usercache.cache_dir() is None
    assert dataparse.load_yaml("a: 1\n") == {"a": 1}  # no cache, no error
    assert not (cache / "yaml").exists()


def test_the_cache_is_bounded(cache, monkeypatch):
    monkeypatch.setattr(limits, "USER_CACHE_ENTRIES", 5)
    for number in range(12):
        dataparse.load_yaml(f"row: {number}\n")
    assert len(_entries(cache)) == 5


def test_switched_off_with_infographic_cache_0(cache, monkeypatch):
    monkeypatch.setenv("INFOGRAPHIC_CACHE", "0")
    usercache.cache_dir.cache_clear()
    dataparse.load_yaml("a: 1\n")
    assert not cache.exists()


def test_a_second_process_reads_what_the_first_kept(cache):
    script = "import infographic; print(len(infographic.bundled_layouts()))"
    env = {**os.environ, "INFOGRAPHIC_CACHE_DIR": str(cache)}
    subprocess.run([sys.executable, "-m", "infographic", "layouts"], env=env, check=True,
                   capture_output=True)
    kept = _entries(cache)
    assert len(kept) >= 14  # one manifest per bundled layout
    stamps = {p: p.stat().st_mtime_ns for p in kept}
    subprocess.run([sys.executable, "-m", "infographic", "layouts"], env=env, check=True,
                   capture_output=True)
    assert {p: p.stat().st_mtime_ns for p in _entries(cache)} == stamps  # read, not rewritten
    assert subprocess.run([sys.executable, "-c", script], env=env, check=True,
                          capture_output=True, text=True).stdout.strip() == str(len(kept))


def test_cairocffi_starts_from_saved_declarations_and_draws_the_same(cache, tmp_path):
    script = ("import sys, infographic\n"
              "data = infographic.render('announcement', size='landscape').to_bytes('png')\n"
              "open(sys.argv[1], 'wb').write(data)\n"
              "print('pycparser' in sys.modules, sys.modules['cairocffi.ffi'].__doc__)\n")
    env = {**os.environ, "INFOGRAPHIC_CACHE_DIR": str(cache)}

    def run(name: str, **extra: str) -> str:
        return subprocess.run([sys.executable, "-c", script, str(tmp_path / name)],
                              env={**env, **extra}, check=True, capture_output=True,
                              text=True).stdout.strip()

    first = run("first.png")  # parses, then saves the declarations
    assert first.startswith("True") and len(list((cache / "cairo-ffi").glob("*.py"))) == 2
    second = run("second.png")
    assert second == "False cairocffi's bindings, from infographic's per-user cache"
    run("plain.png", INFOGRAPHIC_CACHE="0")
    plain = (tmp_path / "plain.png").read_bytes()
    assert (tmp_path / "first.png").read_bytes() == plain
    assert (tmp_path / "second.png").read_bytes() == plain


def test_glyph_outlines_are_kept_checked_and_draw_the_same(cache, tmp_path):
    script = ("import sys, infographic\n"
              "data = infographic.render('announcement', size='landscape').to_bytes('png')\n"
              "open(sys.argv[1], 'wb').write(data)\n")
    env = {**os.environ, "INFOGRAPHIC_CACHE_DIR": str(cache)}

    def run(name: str, **extra: str) -> bytes:
        subprocess.run([sys.executable, "-c", script, str(tmp_path / name)],
                       env={**env, **extra}, check=True)
        return (tmp_path / name).read_bytes()

    plain = run("plain.png", INFOGRAPHIC_CACHE="0")
    assert run("first.png") == plain  # draws, then keeps the outlines at exit
    [records] = list((cache / "glyph-outlines").iterdir())
    assert list((cache / "font-outlines").iterdir())
    assert run("second.png") == plain  # from the kept outlines
    damaged = bytearray(records.read_bytes())
    damaged[20:24] = (99).to_bytes(4, "little")  # first record: an unknown path element
    records.write_bytes(bytes(damaged))
    assert run("damaged.png") == plain  # checked, refused, drawn afresh
