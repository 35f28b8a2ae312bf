"""Shaping with HarfBuzz: one line of text → positioned glyphs, with per-glyph font fallback.

Everything is measured in em (font units / units-per-em) so that wrapping and fitting at any size
is arithmetic on one shaping result.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cached_property, lru_cache
from itertools import accumulate

import uharfbuzz as hb

from ..limits import SHAPE_CACHE_SIZE
from . import emoji
from .fonts import Face

LANGUAGE = "vi"
#: Format characters, spaces and controls are never "missing": they have no ink of their own.
_INKLESS_CATEGORIES = {"Cf", "Cc", "Zs", "Zl", "Zp", "Mn", "Me"}


@dataclass(frozen=True)
class Glyph:
    face: Face
    gid: int
    cluster: int  # index in the line's text of the first character of its cluster
    advance: float  # em
    dx: float  # em
    dy: float  # em
    #: A colour emoji picture (``text/emoji.py``) drawn in place of an outline; ``face`` and
    #: ``gid`` are then only the line's first face and 0.
    emoji: str = ""


@dataclass(frozen=True)
class ShapedLine:
    """A shaped hard line: glyphs in visual order and the advance that each character starts."""

    text: str
    glyphs: tuple[Glyph, ...]
    advances: tuple[float, ...]  # per character, em; 0 inside a cluster
    cluster_starts: frozenset[int]
    missing: frozenset[str]  # characters that no bundled face can draw

    def width(self, start: int, end: int) -> float:
        """Advance width (em) of characters ``start``..``end`` (exclusive)."""
        prefix = self.prefix
        last = len(prefix) - 1
        return prefix[min(end, last)] - prefix[min(start, last)]

    @cached_property
    def prefix(self) -> tuple[float, ...]:
        """Running sums of :attr:`advances` (``len(text) + 1`` of them): any width is one
        subtraction (wrapping and fitting ask for thousands)."""
        return tuple(accumulate(self.advances, initial=0.0))

    def glyphs_between(self, start: int, end: int) -> list[Glyph]:
        return [g for g in self.glyphs if start <= g.cluster < end]


def _is_inkless(char: str) -> bool:
    return unicodedata.category(char) in _INKLESS_CATEGORIES or "\ufe00" <= char <= "\ufe0f"


Run = tuple[int, int, "Face | emoji.EmojiCluster"]


def _itemize(text: str, chain: tuple[Face, ...]) -> tuple[list[Run], set[str]]:
    """Split ``text`` into runs of one face each (the first face in ``chain`` that has the
    char) and emoji clusters, one run each."""
    runs: list[Run] = []
    missing: set[str] = set()
    current = chain[0]
    pictures = {c.start: c for c in emoji.find_emoji(
        text, lambda char: any(f.has(char) for f in chain))}
    skip_to = 0
    for index, char in enumerate(text):
        if index < skip_to:
            continue
        if index in pictures:
            cluster = pictures[index]
            runs.append((cluster.start, cluster.end, cluster))
            skip_to = cluster.end
            current = chain[0]
            continue
        if _is_inkless(char) and index > 0 and not isinstance(runs[-1][2], emoji.EmojiCluster):
            face = current  # marks, joiners and spaces stay with the run before them
        else:
            found = next((f for f in chain if f.has(char)), None)
            if found is None:
                if not _is_inkless(char):
                    missing.add(char)
                found = chain[0]  # drawn as .notdef, and reported
            face = found
        if runs and runs[-1][2] is face and runs[-1][1] == index:
            start, _, _ = runs[-1]
            runs[-1] = (start, index + 1, face)
        else:
            runs.append((index, index + 1, face))
        current = face
    return runs, missing


#: Lines up to this many characters are cached (titles, labels and figures recur across renders);
#: a long paragraph shapes in about 0.3 ms and would make the cache heavy (about 250 bytes per
#: glyph), so the cache stays under about 25 MB however many different texts a batch renders.
CACHED_LINE_CHARS = 200


def shape_line(text: str, chain: tuple[Face, ...], features: tuple[str, ...] = (),
               tracking: float = 0.0) -> ShapedLine:
    """Shape one line (no ``\\n``) with ``chain[0]``, falling back along ``chain`` per character.

    ``features`` are extra OpenType features to turn on (e.g. ``("tnum",)``); kerning and standard
    ligatures are always on. ``tracking`` is extra space after each cluster, in em.
    """
    if len(text) <= CACHED_LINE_CHARS:
        return _shape_line_cached(text, chain, features, tracking)
    return _shape_line(text, chain, features, tracking)


def _shape_line(text: str, chain: tuple[Face, ...], features: tuple[str, ...],
                tracking: float) -> ShapedLine:
    codepoints = [ord(c) for c in text]
    runs, missing = _itemize(text, chain)
    feature_map = {"kern": True, "liga": True, **{f: True for f in features}}
    glyphs: list[Glyph] = []
    advances = [0.0] * len(text)
    for start, end, face in runs:
        if isinstance(face, emoji.EmojiCluster):
            for key in face.keys:
                glyphs.append(Glyph(chain[0], 0, start, emoji.ADVANCE, 0.0, 0.0, key))
                advances[start] += emoji.ADVANCE
            continue
        buf = hb.Buffer()
        buf.add_codepoints(codepoints, start, end - start)
        buf.guess_segment_properties()
        buf.language = LANGUAGE
        hb.shape(face.hb_font, buf, feature_map)
        scale = 1.0 / face.upem
        for info, pos in zip(buf.glyph_infos, buf.glyph_positions):
            advance = pos.x_advance * scale
            glyphs.append(Glyph(face, info.codepoint, info.cluster, advance,
                                pos.x_offset * scale, pos.y_offset * scale))
            advances[info.cluster] += advance
    starts = frozenset(g.cluster for g in glyphs)
    if tracking:
        for index in starts:
            advances[index] += tracking
        glyphs = [Glyph(g.face, g.gid, g.cluster, g.advance + tracking, g.dx, g.dy, g.emoji)
                  if _last_of_cluster(glyphs, i) else g for i, g in enumerate(glyphs)]
    return ShapedLine(text, tuple(glyphs), tuple(advances), starts, frozenset(missing))


_shape_line_cached = lru_cache(maxsize=SHAPE_CACHE_SIZE)(_shape_line)


def _last_of_cluster(glyphs: list[Glyph], index: int) -> bool:
    return index + 1 == len(glyphs) or glyphs[index + 1].cluster != glyphs[index].cluster
