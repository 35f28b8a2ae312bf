"""Where lines break in 224 Vietnamese headlines and messages, before and after word-aware breaking.

Each text of ``data/headlines_vi.txt`` is set at 3 box widths (500, 700 and 950 canvas units, a
title's size 56, no shrinking), balanced like a title and greedy like body text, once with
``breaks: syllable`` (every space a break: the breaker before issue 14) and once with ``breaks:
word`` (the default). Each line break is judged by the segmenter and rules of
``infographic/text/breaks.py``:

* *inside a word* — between the syllables of one word ("sốt xuất / huyết", "có / thể");
* *inside a name, number+unit, date or phone* — "Hồ Chí / Minh", "12 / tuổi", "13 / tháng 9",
  and between a label and its number ("Quận / 12", "trên / 38": not a word's syllables);
* *orphan* — a line of one short word (a syllable of at most 4 letters alone on a line);
* *more lines* — texts that take more lines than with ``breaks: syllable``.

    python benchmarks/line_breaks.py
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from infographic.text import shaping  # noqa: E402
from infographic.text.breaks import INSIDE_WORD, KEEP, LABEL, gap_ranks, tokens  # noqa: E402
from infographic.text.fit import TextStyle, fit_text  # noqa: E402
from infographic.text.fonts import default_registry  # noqa: E402

DATA = Path(__file__).resolve().parent / "data" / "headlines_vi.txt"
WIDTHS = (500, 700, 950)
SIZE = 56


def headlines() -> list[str]:
    return [line for line in DATA.read_text(encoding="utf-8").splitlines()
            if line and not line.startswith("#")]


def judge(text: str, lines: tuple[str, ...]) -> dict[str, int]:
    """Count the breaks of ``lines`` (a wrapping of ``text``) by kind."""
    spans = tokens(text)
    ranks = gap_ranks(text)
    ends, position = [], 0
    for line in lines[:-1]:
        position = text.index(line, position) + len(line)
        ends.append(position)
    counts = {"breaks": 0, "inside word": 0, "inside kept": 0, "orphans": 0}
    for end in ends:
        gap = next((i for i, (_, e) in enumerate(spans) if e == end), None)
        if gap is None or gap >= len(ranks):
            continue  # a break inside a token (a URL cut): not a space
        counts["breaks"] += 1
        counts["inside word"] += ranks[gap] in INSIDE_WORD
        counts["inside kept"] += ranks[gap] in (LABEL, KEEP)
    counts["orphans"] = sum(1 for line in lines if " " not in line and len(line) <= 4) \
        if len(lines) > 1 else 0
    return counts


def run(balance: bool) -> None:
    registry = default_registry()
    texts = headlines()
    totals = {mode: {"breaks": 0, "inside word": 0, "inside kept": 0, "orphans": 0, "lines": 0}
              for mode in ("syllable", "word")}
    more = fewer = cases = 0
    more_at = {width: 0 for width in WIDTHS}
    cpu = {"syllable": 0.0, "word": 0.0}
    for text in texts:
        for width in WIDTHS:
            count = {}
            for mode in ("syllable", "word"):
                style = TextStyle(size=SIZE, balance=balance, breaks=mode)
                registry.fit_cache.clear()  # every text shaped, ranked and fitted afresh
                shaping._shape_line_cached.cache_clear()
                gap_ranks.cache_clear()
                tokens.cache_clear()
                started = time.process_time()
                lines = fit_text(text, style, width, 1e9, registry).line_texts
                cpu[mode] += time.process_time() - started
                for key, value in judge(text, lines).items():
                    totals[mode][key] += value
                totals[mode]["lines"] += len(lines)
                count[mode] = len(lines)
            cases += 1
            more += count["word"] > count["syllable"]
            more_at[width] += count["word"] > count["syllable"]
            fewer += count["word"] < count["syllable"]
    kind = "balanced (titles)" if balance else "greedy (body)"
    print(f"\n{kind}: {len(texts)} texts × {len(WIDTHS)} widths = {cases} cases, size {SIZE}")
    print(f"{'breaks':<10} {'breaks':>7} {'in word':>13} {'in name/number':>15} {'orphans':>8} "
          f"{'lines':>6} {'CPU ms/text (shape+rank+fit)':>29}")
    for mode, t in totals.items():
        share = 100 * t["inside word"] / max(1, t["breaks"])
        kept = 100 * t["inside kept"] / max(1, t["breaks"])
        print(f"{mode:<10} {t['breaks']:>7} {t['inside word']:>5} ({share:4.1f} %) "
              f"{t['inside kept']:>6} ({kept:4.1f} %) {t['orphans']:>8} {t['lines']:>6} "
              f"{1000 * cpu[mode] / cases:29.3f}")
    print(f"word vs syllable: more lines in {more} cases ({100 * more / cases:.1f} %), "
          f"fewer in {fewer}; more lines by width: " + ", ".join(
              f"{w}: {100 * n / len(texts):.0f} %" for w, n in more_at.items()))


if __name__ == "__main__":
    run(balance=True)
    run(balance=False)
