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
def word_ends() -> frozenset[str]:
    """The words of two or more syllables and their endings of two or more ("sốt xuất huyết",
    "xuất huyết"): :func:`segment` stops reading leftwards where no word ends so."""
    ends: set[str] = set()
    for word in word_list():
        syllables = word.split(" ")
        ends.update(" ".join(syllables[cut:]) for cut in range(len(syllables) - 1))
    return frozenset(ends)


@lru_cache(maxsize=16384)  # tokens recur across texts
def _core(token: str) -> str:
    """A token without the punctuation around it."""
    return token.strip(_PUNCT_END + _PUNCT_START + "\"'")


@lru_cache(maxsize=16384)
def _key(token: str) -> str:
    """How the word list spells ``token``: its core, canonical (syllables recur: cached)."""
    return canonical(_core(token))


def segment(tokens: list[str]) -> list[int]:
    """Word lengths (in tokens) covering ``tokens`` (space-separated syllables): the fewest words
    from the word list, never across punctuation."""
    words, ends = word_list(), word_ends()
    keys = [_key(t) for t in tokens]
    closes = [t[-1] in _PUNCT_END for t in tokens]
    opens = [t[0] in _PUNCT_START for t in tokens]
    n = len(tokens)
    best = [0] + [n + 1] * n  # fewest words covering tokens[:i]
    back = [0] * (n + 1)
    for end in range(1, n + 1):
        best[end], back[end] = best[end - 1] + 1, 1
        candidate = keys[end - 1]
        for start in range(end - 2, max(-1, end - 1 - MAX_WORD_SYLLABLES), -1):
            if closes[start] or opens[start + 1]:
                break  # a word never spans punctuation
            candidate = keys[start] + " " + candidate
            if candidate not in ends:
                break  # no word ends with these syllables: a longer one cannot either
            if best[start] + 1 < best[end] and candidate in words:
                best[end], back[end] = best[start] + 1, end - start
    lengths, end = [], n
    while end > 0:
        lengths.append(back[end])
        end -= back[end]
    return lengths[::-1]


def _compound_joints(word: "list[str]") -> list[int]:
    """Gaps inside a word of 4 or more syllables where it splits into two words of at least two
    syllables each ("an toàn | thực phẩm"): a weak break, not a break inside a word."""
    if len(word) < 4:
        return []
    words = word_list()
    keys = [_key(t) for t in word]
    return [cut - 1 for cut in range(2, len(word) - 1)
            if " ".join(keys[:cut]) in words and " ".join(keys[cut:]) in words]


@lru_cache(maxsize=16384)  # tokens recur across texts
def _is_number(token: str) -> bool:
    """12.480, 98,5%, 13/9/2021, 0912, 7h30 (not Covid-19, F0 or SpO2: names with a digit)."""
    core = _core(token)
    return bool(core) and core[0].isdigit()


@lru_cache(maxsize=16384)  # tokens recur across texts
def _is_title_case(token: str) -> bool:
    core = _core(token)
    return len(core) > 0 and core[0].isupper() and (len(core) == 1 or not core[1:].isupper()) \
        and core.isalpha()


@lru_cache(maxsize=16384)  # tokens recur across texts
def _is_abbreviation(token: str) -> bool:
    """TP. TS. BS. Q. P.: a capitalised abbreviation that leads into a name or number."""
    return token.endswith(".") and 1 <= len(token) - 1 <= 3 and token[0].isupper() \
        and token[:-1].isalpha()


def _keeps(tokens: list[str]) -> list[bool]:
    """For each gap between tokens: True when it lies inside a name, a number with its unit, a
    date or a phone number."""
    keep = [False] * max(0, len(tokens) - 1)
    for i in range(len(tokens) - 1):
        left, right = tokens[i], tokens[i + 1]
        if left[-1] in _PUNCT_END and not _is_abbreviation(left):
            continue
        right_key = _key(right)
        if _is_abbreviation(left) and (_is_title_case(right) or _is_number(right)
                                       or _is_abbreviation(right)):
            keep[i] = True
        elif _is_title_case(left) and _is_title_case(right) and not right.startswith(
                tuple(_PUNCT_START)):
            keep[i] = True  # Hồ Chí Minh, Nguyễn Văn An, Tân Sơn Nhất
        elif _core(left).isdigit() and _core(right).isdigit():
            keep[i] = True  # 0912 345 678, 1900 9095, 1 000 000: groups of one number
        elif _is_number(left) and _core(left)[-1].isdigit() and not _is_number(right) \
                and right_key \
                and right_key not in PHRASE_OPENERS and right not in _DASHES \
                and right_key not in ("đến", "tới"):
            keep[i] = True  # 12 tuổi, 12.480 ca, 98,5 %, 13 tháng (not 98,5% or 5K: unit given)
    return keep


def _labels_number(tokens: list[str], i: int) -> bool:
    """True when tokens ``i`` and ``i + 1`` are a label and its number: "ngày 13", "tháng 9",
    "Quận 3", "mũi 2", "số 0912…", "hơn 7" (kept together, but more loosely than the number itself)."""
    left, right = tokens[i], tokens[i + 1]
    return _is_number(right) and left[-1] not in _PUNCT_END \
        and _key(left) in NUMBER_PREFIXES


@lru_cache(maxsize=16384)
def _letters(token: str) -> int:
    return sum(char.isalpha() for char in token)


@lru_cache(maxsize=4096)
def gap_ranks(text: str) -> tuple[int, ...]:
    """The rank of each break opportunity of ``text`` (a hard line): one per gap between the
    tokens that :func:`tokens` finds, :data:`PHRASE` best … :data:`KEEP` worst."""
    spans = tokens(text)
    parts = [text[a:b] for a, b in spans]
    if len(parts) < 2:
        return ()
    ranks = [WORD] * (len(parts) - 1)
    index = 0
    syllables = [p.rstrip("\u200b") or p for p in parts]
    letters = [_letters(part) for part in syllables]
    for length in segment(syllables):
        for inner in range(index, index + length - 1):
            before = sum(letters[index:inner + 1])
            after = sum(letters[inner + 1:index + length])
            ranks[inner] = SYLLABLE if min(before, after) >= MIN_PART_LETTERS else FRAGMENT
        for inner in _compound_joints(syllables[index:index + length]):
            ranks[index + inner] = WEAK  # an toàn | thực phẩm, Ủy ban | nhân dân
        index += length
    for i, keep in enumerate(_keeps(parts)):
        if keep:
            ranks[i] = KEEP
        elif _labels_number(parts, i):  # a date's words are part of the date
            ranks[i] = KEEP if _key(parts[i]) in DATE_WORDS else max(ranks[i], LABEL)
    for i in range(len(parts) - 1):
        left, right = parts[i], parts[i + 1]
        if left.endswith("\u200b"):
            ranks[i] = PHRASE  # the author's choice
        elif right in _DASHES or right[0] in _PUNCT_END:
            ranks[i] = max(ranks[i], FRAGMENT)  # never start a line with a dash or a stop
        elif ranks[i] == KEEP:
            continue
        elif left[-1] in _PUNCT_END or left in _DASHES or right[0] in _PUNCT_START:
            ranks[i] = PHRASE
        elif ranks[i] == WORD and _key(right) in PHRASE_OPENERS:
            ranks[i] = PHRASE
        elif ranks[i] == WORD and (_key(left) in PHRASE_OPENERS or _key(left) in DETERMINERS):
            ranks[i] = WEAK
    return tuple(ranks)


@lru_cache(maxsize=4096)
def tokens(text: str) -> tuple[tuple[int, int], ...]:
    """(start, end) of each token of ``text``: runs without U+0020, cut after a zero-width space
    (NBSP is not a space: it holds its neighbours together)."""
    return tuple(match.span() for match in _TOKEN.finditer(text))
