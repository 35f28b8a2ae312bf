"""Line breaking on shaped advances, at ranked break opportunities.

Every space of a line is a break opportunity ranked by ``text/breaks.py``: between phrases,
between words, right after a preposition, between the syllables of one word, or inside a name, a
number with its unit, a date (kept together). :func:`wrap_line` finds the fewest lines at the
best-ranked breaks (a split inside a word where both parts keep four letters when that saves a
line: body text always may, a title when its fit lets it), and a line's spaces may tighten by up
to a third (:data:`SHRINK`) to keep a word whole or save a line; :func:`balance_line` (titles)
evens the lines but pays for every break below a phrase boundary.
Without ranks (``breaks: syllable``) every space is as good as another and lines are filled
greedily. NBSP holds words together; U+200B is a break the author chose. A word longer than the
line is broken after ``/ - – — _ . ? & = :`` where possible (URLs, codes), else between grapheme
clusters (marks stay with their base letter).
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import accumulate
from typing import Sequence

from .breaks import FRAGMENT, KEEP, LABEL, PHRASE, SYLLABLE, WEAK, WORD, tokens
from .shaping import ShapedLine

_BREAK_AFTER = set("/-‐–—")  # preferred inside an over-long word
_BREAK_AFTER_LAST_RESORT = set("_.?&=:")
_EPSILON = 1e-6
#: What the greedy breaker compares: phrase and word breaks are equally good for body text.
_CLASS = {PHRASE: 0, WORD: 0, WEAK: 1, SYLLABLE: 2, FRAGMENT: 2, LABEL: 2, KEEP: 3}
#: What a break costs the balanced breaker, × the squared line width: it evens lines by the sum
#: of their squared widths, so a word break wins over a phrase break only when it evens the lines
#: by about a tenth of a line, and a break inside a word or a name only when the line count
#: needs it.
_PENALTY = {PHRASE: 0.0, WORD: 0.04, WEAK: 0.15, SYLLABLE: 3.0, FRAGMENT: 3.0, LABEL: 3.0,
            KEEP: 6.0}
#: What :func:`wrap_line` pays for a break, in lines: a break inside a word or a name costs more
#: than the line it could save. ``_RAG`` prices a line's unused width (squared, as a share of the
#: line): ragged lines cost little, next to any break's rank.
_COST = {PHRASE: 0.0, WORD: 0.02, WEAK: 0.25, SYLLABLE: 3.0, FRAGMENT: 3.0, LABEL: 3.0,
         KEEP: 6.0}
#: Body text may split a word to save a line (as hyphenation does in other scripts) where both
#: parts keep four letters or more; a shorter part, a label and its number or a name to save two
#: lines: a paragraph one line longer can push a whole layout past its page.
_BODY_COST = {**_COST, SYLLABLE: 0.9, FRAGMENT: 1.5, LABEL: 1.5, KEEP: 2.0}
#: A title that may split a word (``split``) does so only where both parts keep four letters.
_TITLE_SPLIT_COST = {**_COST, SYLLABLE: _BODY_COST[SYLLABLE]}
_RAG = 0.05
#: A last line of one word shorter than this share of the line ("nữa.") costs this much.
_RUNT, _RUNT_COST = 0.2, 0.5
#: With ranks, a line's spaces may tighten to keep a word whole, by at most this share of each
#: space (the shrink TeX gives its interword glue); ``_SQUEEZE`` prices using all of it, in lines.
SHRINK = 1 / 3
_SQUEEZE = 0.3
#: Lines of more tokens are filled greedily (the optimum costs tokens × tokens per line).
_DP_TOKENS = 400


@dataclass(frozen=True)
class Span:
    """Characters ``start``..``end`` of a shaped line, laid out as one visual line."""

    line: ShapedLine
    start: int
    end: int
    width: float  # em, without trailing spaces, as set (after ``space``)
    space: float = 0.0  # em added to each space (negative: spaces tightened to fit the line)

    @property
    def text(self) -> str:
        return self.line.text[self.start:self.end]


@dataclass(frozen=True)
class Wrapped:
    spans: list[Span]
    hard_split: bool  # a word had to be cut between letters (not at / or -)


def _ranks(count: int, ranks: "tuple[int, ...] | None") -> tuple[int, ...]:
    """One rank per gap between ``count`` tokens: the given ones when they match, else WORD."""
    if ranks is not None and len(ranks) == count - 1:
        return ranks
    return (WORD,) * max(0, count - 1)


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


def _best_end(line: ShapedLine, words: Sequence[tuple[int, int]], ranks: tuple[int, ...],
              start: int, first: int, last: int, max_width: float) -> int:
    """The token a line from ``start`` ends on: the last of the best-ranked breaks among the
    fitting ones (``first``..``last``); a weak break when the best one leaves the line under
    half full (one short word on its own line reads badly)."""
    best = min(_CLASS[ranks[k]] for k in range(first, last + 1))
    end = max(k for k in range(first, last + 1) if _CLASS[ranks[k]] == best)
    if best == 0 and line.width(start, words[end][1]) < 0.5 * max_width:
        weak = [k for k in range(end + 1, last + 1) if _CLASS[ranks[k]] == 1]
        if weak:
            return weak[-1]
    return end


def wrap_line(line: ShapedLine, max_width: float, ranks: "tuple[int, ...] | None" = None,
              body: bool = True, tighten: bool = True, count_only: bool = False,
              split: bool = False) -> Wrapped:
    """Wrap one hard line into spans no wider than ``max_width`` (em): as few lines as the
    ranked breaks allow, then the best breaks, then the evenest rag.

    ``ranks`` (from :func:`breaks.gap_ranks`, one per gap between tokens) price each break
    (:data:`_COST`): in a title (``body=False``) a break inside a word costs more than a line,
    so it is taken only when nothing else fits; body text splits a word when that saves a line
    (:data:`_BODY_COST`), and a title with ``split`` where both parts keep four letters
    (:data:`_TITLE_SPLIT_COST`). Without ranks every space is a break and lines are filled greedily (the
    breaker before ranks). Very long lines and words wider than the line are filled greedily too.
    ``tighten``: a line may tighten its spaces by up to :data:`SHRINK` of each (the span's
    ``space``). ``count_only``: only the number of lines matters (a fit trying a size), so a
    greedy fill at phrase and word breaks is returned when no wrapping can take fewer lines.
    """
    words = tokens(line.text)
    n = len(words)
    if ranks is None or len(ranks) != n - 1 or n > _DP_TOKENS:
        return _greedy(line, max_width, ranks)
    prefix = line.prefix  # widths by subtraction, inlined: this runs for every size tried
    limit = max_width + _EPSILON
    first, last = words[0][0], words[-1][1]
    if prefix[last] - prefix[first] <= limit:  # all on one line: no break to choose
        return Wrapped([Span(line, first, last, prefix[last] - prefix[first])], False)
    starts, inked = _token_widths(line, words)
    shrink = SHRINK if tighten else 0.0
    if count_only:
        quick = _word_fill(line, words, ranks, starts, inked, max_width, shrink)
        if quick is not None:
            return quick
    costs = _BODY_COST if body else _TITLE_SPLIT_COST if split else _COST
    rag, runt = _RAG, _RUNT * max_width
    inf = float("inf")
    best = [0.0] + [inf] * n  # cost of setting the first j tokens
    back = [0] * (n + 1)
    lowest = 0  # the first token that a line ending with token j - 1 can start with
    natural = 0  # the first with which it fits without tightening its spaces
    for j in range(1, n + 1):
        end = prefix[words[j - 1][1]]
        ink = inked[j]
        while lowest < j and (end - starts[lowest]) * (1 - shrink) \
                + (ink - inked[lowest]) * shrink > limit:
            lowest += 1  # a line ending later starts no earlier
        if lowest == j:
            return _greedy(line, max_width, ranks)  # a token wider than the line
        natural = max(natural, lowest)
        while natural < j and end - starts[natural] > limit:
            natural += 1
        penalty = costs[ranks[j - 1]] if j < n else 0.0
        chosen, came = inf, 0
        for i in range(lowest, natural):  # fits with its spaces tightened: costs a little
            width = end - starts[i]
            cost = best[i] + 1.0 + penalty + _SQUEEZE * (width - max_width) / (
                (width - (ink - inked[i])) * SHRINK)
            if cost <= chosen:  # ties: the shorter line, as before
                chosen, came = cost, i
        if j == n:  # the last line's rag costs nothing, unless it is a runt
            for i in range(natural, j):
                cost = best[i] + 1.0 + penalty + (_RUNT_COST if j - i == 1
                                                  and end - starts[i] < runt else 0.0)
                if cost <= chosen:
                    chosen, came = cost, i
        else:
            for i in range(natural, j):
                slack = (max_width - (end - starts[i])) / max_width
                cost = best[i] + 1.0 + penalty + rag * slack * slack
                if cost <= chosen:
                    chosen, came = cost, i
        best[j], back[j] = chosen, came
    spans, j = [], n
    while j > 0:
        i = back[j]
        spans.append(_span(line, words[i][0], words[j - 1][1], max_width))
        j = i
    return Wrapped(spans[::-1], False)


def _word_fill(line: ShapedLine, words: Sequence[tuple[int, int]], ranks: tuple[int, ...],
               starts: list[float], inked: list[float], max_width: float, shrink: float
               ) -> "Wrapped | None":
    """Lines filled greedily, each ending at the last phrase or word break that fits, when no
    wrapping at all (any space, spaces tightened) takes fewer lines: then the optimum has as
    many lines (these cost less than one more line) and a fit that only counts lines needs no
    more. None otherwise."""
    prefix, limit, n = line.prefix, max_width + _EPSILON, len(words)
    ends = [prefix[end] for _, end in words]
    fewest, i = 0, 0  # lines when every space may break, spaces tightened
    while i < n:
        j = i + 1
        while j < n and (ends[j] - starts[i]) * (1 - shrink) \
                + (inked[j + 1] - inked[i]) * shrink <= limit:
            j += 1
        fewest, i = fewest + 1, j
    spans, i, cost = [], 0, 0.0
    while i < n:
        if ends[i] - starts[i] > limit:
            return None  # a token wider than the line
        j = i + 1
        while j < n and ends[j] - starts[i] <= limit:
            j += 1
        if j < n:  # back to the last phrase or word break
            while j > i and ranks[j - 1] > WORD:
                j -= 1
            if j == i:
                return None
            slack = (max_width - (ends[j - 1] - starts[i])) / max_width
            cost += _COST[ranks[j - 1]] + _RAG * slack * slack
        elif j - i == 1 and ends[j - 1] - starts[i] < _RUNT * max_width:
            cost += _RUNT_COST
        spans.append(Span(line, words[i][0], words[j - 1][1], ends[j - 1] - starts[i]))
        if len(spans) > fewest or cost >= 1.0:
            return None  # more lines than needed, or perhaps dearer than one more line
        i = j
    return Wrapped(spans, False)


#: The last lines' token widths (a fit wraps the same lines at every size it tries), by the
#: line's identity: the line itself is kept with them, so a reused id is never mistaken.
_WIDTHS: dict[int, tuple[ShapedLine, list[float], list[float]]] = {}
_WIDTHS_KEPT = 64


def _token_widths(line: ShapedLine, words: Sequence[tuple[int, int]]
                  ) -> tuple[list[float], list[float]]:
    """Where each token starts (em from the line's start) and the running sum of the tokens'
    own widths (``n + 1`` of them): a line's spaces are its width less its tokens'."""
    kept = _WIDTHS.get(id(line))
    if kept is not None and kept[0] is line:
        return kept[1], kept[2]
    prefix = line.prefix
    starts = [prefix[start] for start, _ in words]
    inked = list(accumulate((prefix[end] - prefix[start] for start, end in words), initial=0.0))
    if len(_WIDTHS) >= _WIDTHS_KEPT:
        _WIDTHS.clear()
    _WIDTHS[id(line)] = (line, starts, inked)
    return starts, inked


def _span(line: ShapedLine, start: int, end: int, max_width: float) -> Span:
    """The span ``start..end``; wider than ``max_width``, with its spaces tightened to fit."""
    width = line.width(start, end)
    if width <= max_width + _EPSILON:
        return Span(line, start, end, width)
    spaces = line.text.count(" ", start, end)
    return Span(line, start, end, max_width, (max_width - width) / spaces)


def _greedy(line: ShapedLine, max_width: float, ranks: "tuple[int, ...] | None" = None
            ) -> Wrapped:
    """Greedy wrap: each line ends at the last fitting break of the best rank (every space when
    there are no ranks); a word wider than the line is cut (:func:`_split_token`)."""
    words = tokens(line.text)
    ranks = _ranks(len(words), ranks)
    spans: list[Span] = []
    hard = False
    start, first = (words[0][0] if words else 0), 0  # where the line starts, its first token
    while first < len(words):
        last = first - 1  # the last token that fits on the line
        while last + 1 < len(words) and \
                line.width(start, words[last + 1][1]) <= max_width + _EPSILON:
            last += 1
        if last < first:  # the first token alone is too wide: cut it
            pieces, split_hard = _split_token(line, start, words[first][1], max_width)
            hard = hard or split_hard
            spans.extend(pieces[:-1])
            start = pieces[-1].start
            if line.width(start, words[first][1]) > max_width + _EPSILON:
                spans.append(pieces[-1])  # one letter wider than the line: on its own
                first += 1
                start = words[first][0] if first < len(words) else start
            continue
        if last < len(words) - 1:
            last = _best_end(line, words, ranks, start, first, last, max_width)
        end = words[last][1]
        spans.append(Span(line, start, end, line.width(start, end)))
        first = last + 1
        if first < len(words):
            start = words[first][0]
    if not spans:
        spans.append(Span(line, 0, 0, 0.0))  # an empty line still takes its place
    return Wrapped(spans, hard)


def balance_line(line: ShapedLine, max_width: float, ranks: "tuple[int, ...] | None" = None,
                 tighten: bool = True, split: bool = False) -> Wrapped:
    """Wrap into as many lines as :func:`wrap_line` does for a title (``tighten`` and ``split``
    as there), with line lengths as even as possible.

    Dynamic programming over the tokens: minimise the sum of squared line widths for the same
    line count (the total is fixed, so this evens the lines) plus each break's penalty by its
    rank (:data:`_PENALTY`), never exceeding ``max_width``.
    """
    greedy = wrap_line(line, max_width, ranks, body=False, tighten=tighten, split=split)
    count = len(greedy.spans)
    words = tokens(line.text)
    shrink = SHRINK if tighten and ranks is not None and len(ranks) == len(words) - 1 else 0.0
    ranks = _ranks(len(words), ranks)
    if count < 2 or greedy.hard_split or len(words) > 200:
        return greedy
    n = len(words)
    inf = float("inf")
    scale = max_width * max_width
    prefix = line.prefix
    starts, inked = _token_widths(line, words)
    ends = [prefix[end] for _, end in words]
    limit = max_width + _EPSILON

    # best[k][j]: cost of setting the first j words in k lines; back[k][j]: start of line k.
    # Line k can only end where k lines fit and the other count - k lines can still follow.
    best = [[inf] * (n + 1) for _ in range(count + 1)]
    back = [[0] * (n + 1) for _ in range(count + 1)]
    best[0][0] = 0.0
    for k in range(1, count + 1):
        previous, current, came = best[k - 1], best[k], back[k]
        for j in range(k, n - (count - k) + 1):
            penalty = _PENALTY[ranks[j - 1]] * scale if j < n else 0.0
            end, ink = ends[j - 1], inked[j]
            for i in range(j - 1, k - 2, -1):
                w = end - starts[i]
                if w <= limit:
                    cost = previous[i] + w * w + penalty
                elif w - (w - (ink - inked[i])) * shrink > limit:
                    break
                else:  # spaces tightened to fit
                    cost = previous[i] + scale + penalty + _SQUEEZE * scale * (
                        w - max_width) / ((w - (ink - inked[i])) * shrink)
                if cost < current[j]:
                    current[j], came[j] = cost, i
    if best[count][n] == inf:
        return greedy
    spans, j = [], n
    for k in range(count, 0, -1):
        i = back[k][j]
        spans.append(_span(line, words[i][0], words[j - 1][1], max_width))
        j = i
    return Wrapped(spans[::-1], False)
