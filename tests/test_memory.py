"""Long runs keep memory flat: every cache is bounded (the long version is benchmarks/run.py)."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

import infographic
from infographic.layout.manifest import load_layout
from infographic.text import fonts, shaping
from infographic.text.fonts import default_registry

PACKAGE = Path(infographic.__file__).resolve().parent
WORDS = ("phòng chống dịch bệnh Covid tuyên truyền cán bộ đảng viên nhân dân khẩu trang vắc xin "
         "tiêm chủng trạm y tế phường xã quận huyện").split()
BODY_LIMIT = load_layout("announcement").fields["body"].max_length


def words_up_to(rng: random.Random, limit: int) -> str:
    """Random words from WORDS, as many as fit in ``limit`` characters (a paragraph at its limit)."""
    text = rng.choice(WORDS)
    while True:
        word = rng.choice(WORDS)
        if len(text) + 1 + len(word) > limit:
            return text
        text += " " + word


def rss_mb() -> float:
    with open("/proc/self/statm", encoding="ascii") as handle:
        return int(handle.read().split()[1]) * 4096 / 1e6


def test_no_unbounded_cache_in_the_package():
    unbounded = re.compile(r"lru_cache\(\s*maxsize\s*=\s*None|@(functools\.)?cache\b")
    offenders = [f"{path.relative_to(PACKAGE)}:{number}"
                 for path in PACKAGE.rglob("*.py")
                 for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                 if unbounded.search(line)]
    assert offenders == []


@pytest.mark.slow  # a long run: 50 renders in a row
def test_many_renders_with_different_text_keep_memory_flat():
    rng = random.Random(8)
    sample = load_layout("announcement").sample_data()

    def render_one() -> None:
        data = dict(sample)
        data["title"] = " ".join(rng.choice(WORDS) for _ in range(9))
        data["body"] = [words_up_to(rng, BODY_LIMIT) for _ in range(3)]
        infographic.render("announcement", data, size="landscape").to_bytes("png")

    for _ in range(10):  # warm up: fonts, outlines, templates
        render_one()
    before = rss_mb()
    for _ in range(40):
        render_one()
    growth = rss_mb() - before
    info = shaping._shape_line_cached.cache_info()
    assert info.currsize <= info.maxsize
    assert len(default_registry().fit_cache) <= fonts.FIT_CACHE_SIZE
    assert growth < 8, f"RSS grew {growth:.1f} MB over 40 renders"
