"""Fitting text into a box: shrink-to-fit, max lines, ellipsis, balanced lines.

The text is shaped once; every candidate size is then only arithmetic on em advances.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from .. import limits
from ..errors import FitError
from .breaks import BREAK_MODES, WORD, gap_ranks
from .emoji import EMOJI_MODES
from .fonts import Face, FontRegistry
from .normalize import clean_text, split_paragraphs
from .shaping import ShapedLine, shape_line
from .wrap import Span, Wrapped, balance_line, wrap_line

ALIGNS = ("left", "center", "right", "justify")
VALIGNS = ("top", "middle", "bottom")
OVERFLOW_POLICIES = ("error", "truncate", "visible")
#: Worst last. ``illegible``: fitted, but below its slot role's legible floor (set by the render
#: context, see infographic/layout/design.py).
STATUSES = ("fit", "shrunk", "illegible", "truncated", "overflow")
SIZE_STEP = 0.5
#: Texts up to this many characters keep their fit between renders: labels, headers, figures and
#: the same data at several sizes recur; layouts measure text by fitting it, often many times.
FIT_CACHE_CHARS = 120
ELLIPSIS = "…"


@dataclass(frozen=True)
class TextStyle:
    """How one text slot is set and fitted. Sizes are in canvas units (px at 1080 wide)."""

    family: str = "Noto Sans"
    weight: int = 400
    style: str = "normal"
    size: float = 32.0
    min_size: float | None = None  # None: never shrink
    line_height: float = 1.3  # × size; raised when needed to clear stacked marks
    paragraph_spacing: float = 0.6  # extra space between paragraphs, × size
    tracking: float = 0.0  # extra space after each letter, em
    align: str = "left"
    valign: str = "top"
    fill: str = "#000000"
    features: tuple[str, ...] = ()
    uppercase: bool = False
    max_lines: int | None = None
    balance: bool = False
    overflow: str = "error"
    emoji: str = "colour"  # or "mono": emoji in the text's colour (official notices)
    #: "word": break at phrase and word boundaries, keep names, numbers and dates whole
    #: (``text/breaks.py``); "syllable": every space is as good a break as another.
    breaks: str = "word"
    background: str = "#ffffff"  # what the text is set on: the paper of "mono" emoji

    def __post_init__(self) -> None:
        if self.align not in ALIGNS:
            raise ValueError(f"align must be one of {', '.join(ALIGNS)}, not '{self.align}'")
        if self.valign not in VALIGNS:
            raise ValueError(f"valign must be one of {', '.join(VALIGNS)}, not '{self.valign}'")
        if self.overflow not in OVERFLOW_POLICIES:
            raise ValueError(f"overflow must be one of {', '.join(OVERFLOW_POLICIES)}, "
                             f"not '{self.overflow}'")
        if self.size <= 0 or (self.min_size is not None and not 0 < self.min_size <= self.size):
            raise ValueError("size must be positive and min_size between 0 and size")
        if not self.size <= limits.MAX_TEXT_SIZE:  # fitting tries every step down to min_size
            raise ValueError(f"size {self.size:g} is above the largest text size "
                             f"{limits.MAX_TEXT_SIZE:g}")
        if self.breaks not in BREAK_MODES:
            raise ValueError(f"breaks must be one of {', '.join(BREAK_MODES)}, "
                             f"not '{self.breaks}'")
        if self.emoji not in EMOJI_MODES:
            raise ValueError(f"emoji must be one of {', '.join(EMOJI_MODES)}, not '{self.emoji}'")
        if self.max_lines is not None and self.max_lines < 1:
            raise ValueError("max_lines must be at least 1")

    @property
    def smallest(self) -> float:
        return self.min_size if self.min_size is not None else self.size


@dataclass(frozen=True)
class Line:
    """One visual line: a span of a shaped hard line, maybe ending in an ellipsis."""

    span: Span
    paragraph: int
    last_in_paragraph: bool
    ellipsis: ShapedLine | None = None

    @property
    def width(self) -> float:
        return self.span.width + (self.ellipsis.width(0, len(self.ellipsis.text))
                                  if self.ellipsis else 0.0)


@dataclass
class FittedText:
    """The outcome of fitting: lines at a size, with the vertical metrics to place them."""

    text: str
    style: TextStyle
    lines: list[Line]
    size: float
    ascent: float  # em, ink-safe
    descent: float  # em, negative
    line_height: float  # em, effective
    status: str
    missing: frozenset[str] = field(default_factory=frozenset)
    message: str = ""

    @property
    def line_texts(self) -> tuple[str, ...]:
        """Each line as text, as placed (with its "…" when truncated): where lines broke."""
        return tuple(line.span.text + (line.ellipsis.text if line.ellipsis else "")
                     for line in self.lines)

    @property
    def height(self) -> float:
        """Height of the block in canvas units, from top of the tallest ink to lowest descender."""
        if not self.lines:
            return 0.0
        return self.size * (self.ascent - self.descent + self._advance_to(len(self.lines) - 1))

    def baseline(self, index: int) -> float:
        """Offset of line ``index``'s baseline below the block top, in canvas units."""
        return self.size * (self.ascent + self._advance_to(index))

    def _advance_to(self, index: int) -> float:
        gaps = sum(1 for i in range(1, index + 1)
                   if self.lines[i].paragraph != self.lines[i - 1].paragraph)
        return index * self.line_height + gaps * self.style.paragraph_spacing


def _faces_used(shaped: list[list[ShapedLine]], primary: Face) -> list[Face]:
    faces = {primary}
    for para in shaped:
        for line in para:
            faces.update(g.face for g in line.glyphs)
    return list(faces)


class _Fitter:
    def __init__(self, text: str, style: TextStyle, width: float, height: float,
                 registry: FontRegistry) -> None:
        self.style, self.width, self.height = style, width, height
        primary = registry.match(style.family, style.weight, style.style)
        self.chain = registry.fallback_chain(primary)
        self.text = text
        paragraphs = split_paragraphs(text)
        self.shaped = [[shape_line(line.upper() if style.uppercase else line, self.chain,
                                   style.features, style.tracking)
                        for line in para] for para in paragraphs]
        # break ranks from the text as written: capitals mark names even in an uppercase slot
        self.word_ranks = [[gap_ranks(line) if style.breaks == "word" else None
                            for line in para] for para in paragraphs]
        self.ranks = self.word_ranks
        # Body text may tighten its spaces to keep a word whole or save a line (text/wrap.py); a
        # title does so only to save a line at the size found without it (:meth:`set_lines`).
        self.tighten = not style.balance
        self.cut_a_word = False  # whether the last size search met a word wider than the line
        faces = _faces_used(self.shaped, primary)
        self.ascent = max(f.ascent for f in faces)
        self.descent = min(f.descent for f in faces)
        self.line_height = max(style.line_height, self.ascent - self.descent + 0.02)
        self.missing = frozenset(c for para in self.shaped for line in para for c in line.missing)

    def lines_at(self, size: float, balanced: bool = False, count_only: bool = False,
                 saving: bool = False) -> tuple[list[Line], bool]:
        """The lines at ``size``; with ``count_only``, as many lines as they will have, maybe
        broken elsewhere (what trying a size needs); with ``saving``, a title's spaces tighten
        and a word splits where that saves a line."""
        tighten = self.tighten or saving
        max_width = self.width / size
        lines: list[Line] = []
        hard = False
        for p_index, para in enumerate(self.shaped):
            for l_index, shaped in enumerate(para):
                ranks = self.ranks[p_index][l_index]
                # a balanced slot is a title: counted as balance_line will set it
                wrapped: Wrapped = (
                    balance_line(shaped, max_width, ranks, tighten=tighten, split=saving)
                    if balanced else
                    wrap_line(shaped, max_width, ranks, body=not self.style.balance,
                              tighten=tighten, count_only=count_only, split=saving))
                hard = hard or wrapped.hard_split
                last_line = l_index == len(para) - 1
                for s_index, span in enumerate(wrapped.spans):
                    lines.append(Line(span, p_index,
                                      last_line and s_index == len(wrapped.spans) - 1))
        return lines, hard

    def result(self, lines: list[Line], size: float, status: str, message: str = ""
               ) -> FittedText:
        return FittedText(self.text, self.style, lines, size, self.ascent, self.descent,
                          self.line_height, status, self.missing, message)

    def fits(self, lines: list[Line], size: float) -> bool:
        if self.style.max_lines is not None and len(lines) > self.style.max_lines:
            return False
        return self.result(lines, size, "fit").height <= self.height + 0.01

    def candidate_sizes(self) -> list[float]:
        sizes, size = [], self.style.size
        while size > self.style.smallest + 1e-9:
            sizes.append(size)
            size = round(size - SIZE_STEP, 4)
        sizes.append(self.style.smallest)
        return sizes

    def largest_fitting(self, sizes: list[float], allow_hard_split: bool, saving: bool
                        ) -> float | None:
        """Binary search for the largest size that fits (fitting is monotone in size)."""
        def ok(size: float) -> bool:
            lines, hard = self.lines_at(size, count_only=True, saving=saving)
            self.cut_a_word = self.cut_a_word or hard
            return self.fits(lines, size) and (allow_hard_split or not hard)

        low, high = 0, len(sizes) - 1  # sizes are descending
        self.cut_a_word = False
        if not ok(sizes[high]):
            return None
        while low < high:
            mid = (low + high) // 2
            if ok(sizes[mid]):
                high = mid
            else:
                low = mid + 1
        return sizes[low]

    def fit(self) -> FittedText:
        if not self.shaped:
            return self.result([], self.style.size, "fit")
        sizes = self.candidate_sizes()
        # Words kept whole at any size the slot allows; else breaks at any space (between the
        # syllables of a word: only when nothing else fits); a word cut between letters last.
        # A title's spaces tighten only after these fail (at a size where they fit, the lines
        # set there may tighten, see :meth:`set_lines`): the sizes found are those of a title
        # that keeps its spaces, so a layout that measured them keeps its room.
        plain: list[list[tuple[int, ...] | None]] = [
            [None if ranks is None else (WORD,) * len(ranks) for ranks in para]
            for para in self.word_ranks]
        rankings = (self.word_ranks, plain) if self.word_ranks != plain else (plain,)
        saves = self.style.balance and self.style.breaks == "word"  # tightening needs ranks
        savings = (False, True) if saves else (False,)
        tries = [(False, ranks, saving) for saving in savings for ranks in rankings] + \
            [(True, ranks, False) for ranks in rankings]
        cut = {id(ranks): True for ranks in rankings}  # did a try cut a word between letters?
        for allow_hard_split, ranks, saving in tries:
            if allow_hard_split and not cut[id(ranks)]:
                continue  # the same lines as without letting it: they did not fit
            self.ranks = ranks
            size = self.largest_fitting(sizes, allow_hard_split, saving)
            if not saving:
                cut[id(ranks)] = self.cut_a_word
            if size is not None:
                return self.result(self.set_lines(size, saving), size,
                                   "fit" if size == self.style.size else "shrunk")
        return self.overflow()

    def set_lines(self, size: float, saving: bool) -> list[Line]:
        """The lines placed at the fitted ``size``. A title sized with its spaces kept tightens
        them there (up to a third of each) and splits a word where both parts keep four letters
        only when that gives it fewer lines: never a larger size (a title tightened at every
        size would take a larger one and crowd the layout)."""
        lines, _ = self.lines_at(size, balanced=self.style.balance, saving=saving)
        if self.style.balance and self.style.breaks == "word" and not saving and len(lines) > 1:
            counted, _ = self.lines_at(size, count_only=True, saving=True)  # cheap: a count
            if len(counted) < len(lines):
                fewer, hard = self.lines_at(size, balanced=True, saving=True)
                if len(fewer) < len(lines) and not hard and self.fits(fewer, size):
                    return fewer
        return lines

    def overflow(self) -> FittedText:
        size = self.style.smallest
        lines, _ = self.lines_at(size)
        kept = 0
        while kept < len(lines) and self.fits(lines[:kept + 1], size):
            kept += 1
        shown = f"{kept} of {len(lines)} lines fit at the smallest size {size:g}"
        if self.style.overflow == "truncate" and kept > 0:
            kept_lines = lines[:kept]
            kept_lines[-1] = self.with_ellipsis(kept_lines[-1], size)
            return self.result(kept_lines, size, "truncated", f"truncated: {shown}")
        if self.style.overflow == "visible":
            return self.result(lines, size, "overflow", f"overflows its box: {shown}")
        raise FitError(f"text does not fit its box: {shown}; shorten the text, or let the slot "
                       "shrink further (min_size) or truncate (overflow: truncate)")

    def with_ellipsis(self, line: Line, size: float) -> Line:
        ellipsis = shape_line(ELLIPSIS, self.chain, self.style.features, self.style.tracking)
        room = self.width / size - ellipsis.width(0, len(ELLIPSIS))
        span = line.span
        end = span.end
        text = span.line.text
        while end > span.start and span.line.width(span.start, end) > room:
            space = text.rfind(" ", span.start, end)
            end = space if space > span.start else max(
                (c for c in span.line.cluster_starts if span.start <= c < end), default=span.start)
        while end > span.start and text[end - 1] in " ,;:.-–—":
            end -= 1
        new_span = Span(span.line, span.start, end, span.line.width(span.start, end))
        return replace(line, span=new_span, last_in_paragraph=True, ellipsis=ellipsis)


def fit_text(text: object, style: TextStyle, width: float, height: float,
             registry: FontRegistry) -> FittedText:
    """Set ``text`` in a ``width`` × ``height`` box following ``style``'s fit policy.

    Raises :class:`FitError` when the text cannot fit and the policy is ``overflow: error``.
    Fits of short texts are remembered per registry (see :data:`FIT_CACHE_CHARS`); callers treat
    a :class:`FittedText` as read-only.
    """
    cleaned = clean_text(text)
    if len(cleaned) > FIT_CACHE_CHARS:
        return _Fitter(cleaned, style, width, height, registry).fit()
    key = (cleaned, style, width, height, len(registry.faces))
    fitted = registry.fit_cache.get(key)
    if fitted is None:
        fitted = _Fitter(cleaned, style, width, height, registry).fit()
        registry.fit_cache.put(key, fitted)
    return fitted
