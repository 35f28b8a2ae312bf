"""Line breaking on shaped advances.

Breaks at spaces (U+0020) and after U+200B; NBSP holds words together. A word longer than the
line is broken after ``/ - – — _ . ? & = :`` where possible (URLs, codes), else between grapheme
clusters (marks stay with their base letter).
"""

from __future__ import annotations

from dataclasses import dataclass

from .shaping import ShapedLine

_BREAK_AFTER = set("/-‐–—")  # preferred inside an over-long word
_BREAK_AFTER_LAST_RESORT = set("_.?&=:")
_EPSILON = 1e-6


@dataclass(frozen=True)
class Span:
    """Characters ``start``..``end`` of a shaped line, laid out as one visual line."""

    line: ShapedLine
    start: int
    end: int
    width: float  # em, without trailing spaces

    @property
    def text(self) -> str:
        return self.line.text[self.start:self.end]


@dataclass(frozen=True)
class Wrapped:
    spans: list[Span]
    hard_split: bool  # a word had to be cut between letters (not at / or -)


def _words(text: str) -> list[tuple[int, int]]:
    words, start = [], None
    for index, char in enumerate(text):
        if char == " ":
            if start is not None:
                words.append((start, index))
                start = None
        else:
            if start is None:
                start = index
            if char == "\u200b":
                words.append((start, index + 1))
                start = None
    if start is not None:
        words.append((start, len(text)))
    return words


def _split_token(line: ShapedLine, start: int, end: int, max_width: float
                 ) -> tuple[list[Span], bool]:
    """Cut the over-long word ``start..end`` into pieces no wider than ``max_width``."""
    pieces: list[Span] = []
    hard = False
    pos = start
    while pos < end:
        width, best_soft, best_weak, best_any = 0.0, None, None, None
        for index in range(pos, end):
            width += line.advances[index]
            nxt = index + 1
            at_cluster = nxt == end or nxt in line.cluster_starts
            if not at_cluster:
                continue
            if width > max_width + _EPSILON and best_any is not None:
                break
            best_any = nxt
            if line.text[index] in _BREAK_AFTER:
                best_soft = nxt
            elif line.text[index] in _BREAK_AFTER_LAST_RESORT:
                best_weak = nxt
        if best_any == end:
            cut = end
        elif best_soft is not None:
            cut = best_soft
        elif best_weak is not None:
            cut = best_weak
        else:
            cut = best_any if best_any is not None else end
            hard = hard or cut != end
        pieces.append(Span(line, pos, cut, line.width(pos, cut)))
        pos = cut
    return pieces, hard


def wrap_line(line: ShapedLine, max_width: float) -> Wrapped:
    """Greedy wrap of one hard line into spans no wider than ``max_width`` (em)."""
    spans: list[Span] = []
    hard = False
    current: Span | None = None
    for start, end in _words(line.text):
        word_width = line.width(start, end)
        if current is not None:
            joined = line.width(current.start, end)
            if joined <= max_width + _EPSILON:
                current = Span(line, current.start, end, joined)
                continue
            spans.append(current)
            current = None
        if word_width <= max_width + _EPSILON:
            current = Span(line, start, end, word_width)
        else:
            pieces, split_hard = _split_token(line, start, end, max_width)
            hard = hard or split_hard
            spans.extend(pieces[:-1])
            current = pieces[-1]
    if current is not None:
        spans.append(current)
    if not spans:
        spans.append(Span(line, 0, 0, 0.0))  # an empty line still takes its place
    return Wrapped(spans, hard)


def balance_line(line: ShapedLine, max_width: float) -> Wrapped:
    """Wrap into as many lines as greedy does, with line lengths as even as possible.

    Dynamic programming over the words: minimise the sum of squared line widths for the same
    line count (the total is fixed, so this evens the lines), never exceeding ``max_width``.
    """
    greedy = wrap_line(line, max_width)
    count = len(greedy.spans)
    words = _words(line.text)
    if count < 2 or greedy.hard_split or len(words) > 200:
        return greedy
    n = len(words)
    inf = float("inf")

    def width(i: int, j: int) -> float:  # words i..j-1 on one line
        return line.width(words[i][0], words[j - 1][1])

    # best[k][j]: cost of setting the first j words in k lines; back[k][j]: start of line k
    best = [[inf] * (n + 1) for _ in range(count + 1)]
    back = [[0] * (n + 1) for _ in range(count + 1)]
    best[0][0] = 0.0
    for k in range(1, count + 1):
        for j in range(1, n + 1):
            for i in range(j - 1, -1, -1):
                w = width(i, j)
                if w > max_width + _EPSILON:
                    break
                cost = best[k - 1][i] + w * w
                if cost < best[k][j]:
                    best[k][j], back[k][j] = cost, i
    if best[count][n] == inf:
        return greedy
    spans, j = [], n
    for k in range(count, 0, -1):
        i = back[k][j]
        spans.append(Span(line, words[i][0], words[j - 1][1], width(i, j)))
        j = i
    return Wrapped(spans[::-1], False)
