"""Where a Vietnamese line may break, and how good each break is.

Vietnamese writes a space between the *syllables* of a word, so a space is not a word boundary:
"sốt xuất huyết" is one word, "Hồ Chí Minh" one name. Every space of a line gets a rank:

* :data:`PHRASE` — after , ; : . ! ? or a dash, before a word that opens a phrase (với, và, của,
  để, tại …), and at an author's zero-width space: the best places;
* :data:`WORD` — between two words;
* :data:`WEAK` — between two words, but right after a word that opens a phrase or leads into a
  noun ("tại / Trạm", "các / hình thức"): a line should not end on one;
* :data:`SYLLABLE` — between the syllables of one word (from the word list), each part of at
  least :data:`MIN_PART_LETTERS` letters ("sốt xuất / huyết", "tiêm / chủng");
* :data:`FRAGMENT` — between the syllables of one word, leaving a shorter part ("có / thể",
  "Rửa / tay"): as hyphenation keeps two or three letters on each side, only worse;
* :data:`LABEL` — between a label and its number ("Quận / 12", "trên / 38", "số / 0912");
* :data:`KEEP` — inside what must stay together: a proper name (Hồ Chí Minh), a number and what it
  counts or its unit (12.480 ca, 98,5 %, 12 tuổi), a date (13 tháng 9), a phone number
  (0912 345 678), an abbreviated title and its name (TS. BS. Phạm …). A date's words stay with
  their numbers ("ngày 13 tháng 9 năm 2021"); another label before a number ("Quận 3",
  "số 0912 …", "hơn 7") is a :data:`LABEL`: it goes with its number unless only a break there
  lets the number stay whole.

Words come from a word list (``words/``: pyvi's dictionary of 31,000 compounds, MIT, and ours for
public-health notices), segmented by maximum matching with the fewest words; our rules add the
phrases and the spans to keep. ``benchmarks/segmenter_choice.py`` measures this against pyvi's
CRF segmenter. Ranks are computed once per text (cached).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..resources import bundled_dir

PHRASE, WORD, WEAK, SYLLABLE, FRAGMENT, LABEL, KEEP = 0, 1, 2, 3, 4, 5, 6
#: The ranks of a break inside a word.
INSIDE_WORD = (SYLLABLE, FRAGMENT)
#: A word split leaving a part of fewer letters is a :data:`FRAGMENT`.
MIN_PART_LETTERS = 4
BREAK_MODES = ("word", "syllable")
MAX_WORD_SYLLABLES = 6

#: Words that open a phrase: a break before them is a phrase boundary.
PHRASE_OPENERS = frozenset("""và với của cho để tại trong ngoài khi nếu hoặc hay nhưng mà vì do
từ theo về bằng trên dưới là thì nhằm như giữa qua bởi tuy nên rồi cùng sau trước kể""".split())
#: Words that lead into the noun after them: a break right after them is weak ("các / hình thức").
DETERMINERS = frozenset("các những mọi mỗi từng vài cả toàn một hai ba".split())
#: Words of a date or a time: "ngày 13 tháng 9 năm 2021" stays whole like a number and its unit.
DATE_WORDS = frozenset("ngày tháng năm quý tuần giờ phút".split())
#: Words a number glues to when they come before it: "ngày 13", "Quận 3", "mũi 2", "giờ 30",
#: "(tổng) đài 1900 …", "(Chỉ) thị 16", "(Nghị) định 100", "hơn 7".
NUMBER_PREFIXES = frozenset("""ngày tháng năm quý tuần thứ giờ phút quận phường xã huyện tỉnh ấp
khu tổ mũi liều đợt lần số tầng phòng lô đường hẻm ngõ kiệt điều khoản chương mục bước trang nhóm
lớp khối cấp độ hotline đài thị định hơn gần khoảng trên dưới gấp""".split())
_PUNCT_END = "),.;:!?…”’»"
_PUNCT_START = "(“‘«"
_DASHES = frozenset("-–—")
_TOKEN = re.compile("[^ \u200b]*\u200b|[^ \u200b]+")
#: Old-style tone marks (hoà, khoẻ, thuỷ) → the new style (hòa, khỏe, thủy), at a syllable's end.
_OLD_TONES = {
    "oà": "òa", "oá": "óa", "oả": "ỏa", "oã": "õa", "oạ": "ọa",
    "oè": "òe", "oé": "óe", "oẻ": "ỏe", "oẽ": "õe", "oẹ": "ọe",
    "uỳ": "ùy", "uý": "úy", "uỷ": "ủy", "uỹ": "ũy", "uỵ": "ụy",
}
_OLD_TONE_END = re.compile("(?<![q])(" + "|".join(_OLD_TONES) + r")(?=\s|$)", re.M)


def canonical(text: str) -> str:
    """``text`` in lower case with the new-style tone placement, for word-list lookups."""
    return _OLD_TONE_END.sub(lambda m: _OLD_TONES[m.group(1)], text.lower())


def words_dir() -> Path:
    return bundled_dir("words")


@lru_cache(maxsize=1)
def word_list() -> frozenset[str]:
    """Every line of the bundled word lists in canonical form (one word a line, syllables
    separated by one space; single syllables and comments are there too, and harmless), less
    the entries of ``not-words.txt`` (two words the general list joins: "phòng bệnh")."""
    words: set[str] = set()
    for path in sorted(words_dir().glob("*-words.txt")):
        words.update(canonical(path.read_text(encoding="utf-8")).splitlines())
    not_words = (words_dir() / "not-words.txt").read_text(encoding="utf-8")
    return frozenset(words - set(canonical(not_words).splitlines()))


@lru_cache(maxsize=1)
def word_ends() -> dict[str, bool]:
    """Every ending of two or more syllables of a word of the list ("sốt xuất huyết", "xuất
    huyết") → whether it is a word itself: :func:`segment` stops reading leftwards where no word
    ends so, and learns whether it read a word in the same look-up."""
    words = word_list()
    ends: dict[str, bool] = {}
    for word in words:
        syllables = word.split(" ")
        for cut in range(len(syllables) - 1):
            ending = " ".join(syllables[cut:])
            ends[ending] = ending in words
    return ends


def _core(token: str) -> str:
    """A token without the punctuation around it."""
    return token.strip(_PUNCT_END + _PUNCT_START + "\"'")


def _is_number(core: str) -> bool:
    """12.480, 98,5%, 13/9/2021, 0912, 7h30 (not Covid-19, F0 or SpO2: names with a digit)."""
    return bool(core) and core[0].isdigit()


def _is_title_case(core: str) -> bool:
    return len(core) > 0 and core[0].isupper() and (len(core) == 1 or not core[1:].isupper()) \
        and core.isalpha()


def _is_abbreviation(token: str) -> bool:
    """TP. TS. BS. Q. P.: a capitalised abbreviation that leads into a name or number."""
    return token.endswith(".") and 1 <= len(token) - 1 <= 3 and token[0].isupper() \
        and token[:-1].isalpha()


@dataclass(slots=True)  # not frozen: a frozen one takes twice as long to make
class _Token:
    """What the rules ask of one token (a syllable with the punctuation around it); shared
    through :func:`_token`'s cache, so never changed."""

    key: str  # its core as the word list spells it (canonical)
    letters: int
    closes: bool  # ends with a stop or a closing mark: , . ) ” …
    opens: bool  # starts with an opening mark: ( “
    starts_closed: bool  # starts with a stop or a closing mark: no line may start with it
    dash: bool
    author_break: bool  # ends with the author's zero-width space
    number: bool
    digits: bool  # all digits: one group of a phone number or of 1 000 000
    counts: bool  # a number ending in a digit: a unit or what it counts may follow ("12 tuổi")
    unit: bool  # may follow a number as its unit or what it counts
    title_case: bool
    abbreviation: bool
    opener: bool  # opens a phrase (và, với, tại …)
    leads: bool  # opens a phrase or leads into a noun: a line should not end on it
    date_word: bool
    number_prefix: bool  # a label a number glues to (ngày 13, Quận 3)


@lru_cache(maxsize=16384)  # syllables recur across texts
def _key(token: str) -> str:
    """How the word list spells ``token``: its core, canonical."""
    return canonical(_core(token))


@lru_cache(maxsize=16384)  # tokens recur across texts
def _token(token: str) -> _Token:
    core = _core(token)
    key = _key(token)
    number = _is_number(core)
    dash = token in _DASHES
    return _Token(
        key=key, letters=sum(char.isalpha() for char in token),
        closes=token[-1] in _PUNCT_END, opens=token[0] in _PUNCT_START,
        starts_closed=token[0] in _PUNCT_END, dash=dash, author_break=token.endswith("\u200b"),
        number=number, digits=core.isdigit(), counts=number and core[-1].isdigit(),
        unit=not number and bool(key) and key not in PHRASE_OPENERS and not dash
        and key not in ("đến", "tới"),
        title_case=_is_title_case(core), abbreviation=_is_abbreviation(token),
        opener=key in PHRASE_OPENERS, leads=key in PHRASE_OPENERS or key in DETERMINERS,
        date_word=key in DATE_WORDS, number_prefix=key in NUMBER_PREFIXES)


def segment(tokens: list[str]) -> list[int]:
    """Word lengths (in tokens) covering ``tokens`` (space-separated syllables): the fewest words
    from the word list, never across punctuation."""
    return _segment([_key(t) for t in tokens],
                    [left[-1] in _PUNCT_END or right[0] in _PUNCT_START
                     for left, right in zip(tokens, tokens[1:])])


def _segment(keys: list[str], apart: list[bool]) -> list[int]:
    """:func:`segment` of the tokens' word-list ``keys``; ``apart[i]``: punctuation between
    tokens ``i`` and ``i + 1``, which a word never spans."""
    lookup = word_ends().get
    n = len(keys)
    best = list(range(n + 1))  # fewest words covering tokens[:i] (one a syllable at worst)
    back = [1] * (n + 1)
    for end in range(2, n + 1):
        best[end] = best[end - 1] + 1
        start = end - 2
        if apart[start]:
            continue
        lowest = end - MAX_WORD_SYLLABLES
        candidate = keys[start] + " " + keys[end - 1]
        is_word = lookup(candidate)
        while is_word is not None:  # None: no word ends so, and a longer one cannot either
            if is_word and best[start] + 1 < best[end]:
                best[end], back[end] = best[start] + 1, end - start
            start -= 1
            if start < 0 or start < lowest or apart[start]:
                break
            candidate = keys[start] + " " + candidate
            is_word = lookup(candidate)
    lengths, end = [], n
    while end > 0:
        lengths.append(back[end])
        end -= back[end]
    return lengths[::-1]


def _compound_joints(keys: list[str]) -> list[int]:
    """Gaps inside a word of 4 or more syllables (``keys``) where it splits into two words of at
    least two syllables each ("an toàn | thực phẩm"): a weak break, not a break inside a word."""
    if len(keys) < 4:
        return []
    words = word_list()
    return [cut - 1 for cut in range(2, len(keys) - 1)
            if " ".join(keys[:cut]) in words and " ".join(keys[cut:]) in words]


def _word_ranks(syllables: list[_Token]) -> list[int]:
    """The rank of each gap by the words alone: :data:`WORD` between two words,
    :data:`SYLLABLE` or :data:`FRAGMENT` inside one, :data:`WEAK` between a compound's words."""
    ranks = [WORD] * (len(syllables) - 1)
    index = 0
    apart = [left.closes or right.opens for left, right in zip(syllables, syllables[1:])]
    for length in _segment([token.key for token in syllables], apart):
        if length > 1:
            word = syllables[index:index + length]
            total, before = sum(t.letters for t in word), 0
            for inner in range(index, index + length - 1):
                before += syllables[inner].letters
                ranks[inner] = SYLLABLE if min(before, total - before) >= MIN_PART_LETTERS \
                    else FRAGMENT
            if length >= 4:
                for inner in _compound_joints([t.key for t in word]):
                    ranks[index + inner] = WEAK  # an toàn | thực phẩm, Ủy ban | nhân dân
        index += length
    return ranks


def _keeps(left: _Token, right: _Token) -> bool:
    """True when the gap between ``left`` and ``right`` lies inside a name, a number with its
    unit, a date or a phone number."""
    if left.closes and not left.abbreviation:
        return False
    if left.abbreviation and (right.title_case or right.number or right.abbreviation):
        return True
    if left.title_case and right.title_case and not right.opens:
        return True  # Hồ Chí Minh, Nguyễn Văn An, Tân Sơn Nhất
    if left.digits and right.digits:
        return True  # 0912 345 678, 1900 9095, 1 000 000: groups of one number
    return left.counts and right.unit  # 12 tuổi, 12.480 ca, 98,5 %, 13 tháng (not 98,5% or 5K)


@lru_cache(maxsize=4096)
def gap_ranks(text: str) -> tuple[int, ...]:
    """The rank of each break opportunity of ``text`` (a hard line): one per gap between the
    tokens that :func:`tokens` finds, :data:`PHRASE` best … :data:`KEEP` worst."""
    author_breaks = "\u200b" in text
    # the tokens of tokens(text), as strings (without a zero-width space: what split finds)
    parts = _TOKEN.findall(text) if author_breaks else [p for p in text.split(" ") if p]
    if len(parts) < 2:
        return ()
    facts = [_token(part) for part in parts]
    syllables = facts
    if author_breaks:  # words are read without the author's zero-width spaces
        syllables = [_token(part.rstrip("\u200b") or part) if fact.author_break else fact
                     for part, fact in zip(parts, facts)]
    ranks = _word_ranks(syllables)
    for i, (left, right) in enumerate(zip(facts, facts[1:])):
        rank = ranks[i]
        if _keeps(left, right):
            rank = KEEP
        elif right.number and not left.closes and left.number_prefix:
            # a label and its number ("Quận 3", "hơn 7"); a date's words are part of the date
            rank = KEEP if left.date_word else max(rank, LABEL)
        if left.author_break:
            rank = PHRASE  # the author's choice
        elif right.dash or right.starts_closed:
            rank = max(rank, FRAGMENT)  # never start a line with a dash or a stop
        elif rank == KEEP:
            pass
        elif left.closes or left.dash or right.opens:
            rank = PHRASE
        elif rank == WORD and right.opener:
            rank = PHRASE
        elif rank == WORD and left.leads:
            rank = WEAK
        ranks[i] = rank
    return tuple(ranks)


@lru_cache(maxsize=4096)
def tokens(text: str) -> tuple[tuple[int, int], ...]:
    """(start, end) of each token of ``text``: runs without U+0020, cut after a zero-width space
    (NBSP is not a space: it holds its neighbours together)."""
    return tuple(match.span() for match in _TOKEN.finditer(text))
