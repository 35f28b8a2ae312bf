"""Colour emoji: finding them in text (UTS #51) and drawing them from the bundled Twemoji SVGs.

An emoji is a *grapheme cluster* (the ``regex`` module's ``\\X``) drawn in emoji presentation:
a ZWJ sequence (👨‍👩‍👧‍👦, 🧑‍⚕️), a skin tone (👍🏽), a flag (🇻🇳, 🏴 tag sequences), a keycap (1️⃣ #️⃣), a
character followed by VS16 (⚠️ ©️), or one whose default presentation is emoji (😷 ✅).
A VS15 (``U+FE0E``) asks for text, and so do characters whose default presentation is text
(© ™ ⚠ ☎ without VS16) — they are emoji only when no font can draw them as text.

Each emoji is one unbreakable cluster of :data:`ADVANCE` em, drawn as a :data:`SIZE` em square
whose bottom sits :data:`DROP` em below the baseline (the proportions Twemoji's own stylesheet
gives an emoji image in a line of text). The SVG files are in ``emoji/`` (see its README).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterator

import regex

from ..colour import is_hex, mix, relative_luminance
from ..resources import bundled_dir

SIZE = 1.0  # em: the drawn square
SIDE_BEARING = 0.05  # em on each side
ADVANCE = SIZE + 2 * SIDE_BEARING
DROP = 0.1  # em: how far the square's bottom sits below the baseline
EMOJI_MODES = ("colour", "mono")

_ZWJ, _VS15, _VS16, _KEYCAP = "\u200d", "\ufe0e", "\ufe0f", "\u20e3"
#: Text that may hold an emoji: anything from U+203C (‼) up, or a VS16. Vietnamese letters
#: (U+1EA0–1EF9), punctuation and NBSP/ZWSP are below, so most lines skip the cluster scan.
_MAYBE = re.compile("[\u203c-\U0010ffff]")
_CLUSTER = regex.compile(r"\X")
_EMOJI_DEFAULT = regex.compile(r"\p{Emoji_Presentation}")
_PICTOGRAPHIC = regex.compile(r"\p{Extended_Pictographic}|\p{Emoji}")
_STRONG = regex.compile(r"[\u200d\ufe0f\u20e3\p{Emoji_Modifier}\p{Regional_Indicator}"
                        r"\U000e0020-\U000e007f]")
_VIEWBOX = re.compile(r'viewBox="([-0-9. ]+)"')
_BODY = re.compile(r"<svg\b[^>]*>(.*)</svg>\s*$", re.S)
_ID = re.compile(r'\bid="([^"]+)"')
_PAINT = re.compile(r'\b(fill|stroke)="(#[0-9A-Fa-f]{3,6})"')


def emoji_dir() -> Path:
    return bundled_dir("emoji") / "twemoji"


@lru_cache(maxsize=1)
def _names() -> frozenset[str]:
    """File names (without ``.svg``) of the bundled set: code points in hex joined by ``-``."""
    return frozenset(p[:-4] for p in (entry.name for entry in _scandir()) if p.endswith(".svg"))


def _scandir() -> list[os.DirEntry[str]]:
    folder = emoji_dir()
    return list(os.scandir(folder)) if folder.is_dir() else []


def _key(chars: str) -> str:
    return "-".join(f"{ord(c):x}" for c in chars)


def emoji_keys(cluster: str) -> tuple[str, ...]:
    """The bundled pictures that draw ``cluster``: one, or one per part of a ZWJ sequence the set
    does not have as a whole (UTS #51's fallback); () when the set has none of it."""
    names = _names()
    for candidate in (cluster, cluster.replace(_VS16, "")):
        if _key(candidate) in names:
            return (_key(candidate),)
    if _ZWJ in cluster:
        parts = tuple(k for part in cluster.split(_ZWJ) for k in emoji_keys(part))
        if parts:
            return parts
    return ()


@dataclass(frozen=True)
class EmojiCluster:
    """Characters ``start``..``end`` of a line are drawn by the pictures ``keys``."""

    start: int
    end: int
    keys: tuple[str, ...]


def find_emoji(text: str, has_text_glyph: Callable[[str], bool]) -> list[EmojiCluster]:
    """The emoji clusters of ``text``; ``has_text_glyph(char)`` says whether a font can draw a
    character as text (characters with text presentation by default stay text when it can)."""
    if not _MAYBE.search(text):
        return []
    found = []
    for match in _CLUSTER.finditer(text):
        cluster = match.group()
        if not _PICTOGRAPHIC.match(cluster) and _KEYCAP not in cluster:
            continue
        if _VS15 in cluster:
            continue
        strong = bool(_STRONG.search(cluster))
        if not strong and not _EMOJI_DEFAULT.match(cluster) and has_text_glyph(cluster[0]):
            continue  # © ™ ⚠ # 1 …: text unless asked for emoji
        keys = emoji_keys(cluster)
        if keys:
            found.append(EmojiCluster(match.start(), match.end(), keys))
    return found


@lru_cache(maxsize=512)
def _picture(key: str) -> tuple[str, tuple[float, float, float, float]]:
    """The inner markup and viewBox of picture ``key`` (a bundled file, read once)."""
    source = (emoji_dir() / f"{key}.svg").read_text(encoding="utf-8")
    body = _BODY.search(source)
    box = _VIEWBOX.search(source)
    numbers = tuple(float(v) for v in box.group(1).split()) if box else (0.0, 0.0, 36.0, 36.0)
    return (body.group(1) if body else ""), numbers  # type: ignore[return-value]


def _lightness(colour: str) -> float:
    return relative_luminance(colour) ** (1 / 2.2)  # perceived, 0..1


def _mono(body: str, ink: str, paper: str) -> str:
    """Every paint of ``body`` as a tint between ``paper`` (what the text is set on) and ``ink``
    (the text's colour): the further a part's lightness is from the paper's, the nearer the
    ink. Tints are opaque, so a light part drawn over a dark one still stands out, and the
    picture keeps its shading in one colour (for official notices), dark text or light."""
    ink_l, paper_l = _lightness(ink), _lightness(paper)
    span = max(abs(ink_l - paper_l), 0.2)

    def repaint(match: "re.Match[str]") -> str:
        kind, original = match.groups()
        amount = min(1.0, max(0.15, abs(_lightness(original) - paper_l) / span))
        return f'{kind}="{mix(paper, ink, amount)}"'
    return _PAINT.sub(repaint, body)


def emoji_markup(key: str, x: float, y: float, size: float, mode: str = "colour",
                 colour: str = "#000000", paper: str = "#ffffff") -> str:
    """SVG of picture ``key`` filling the ``size`` square whose top left is (x, y): vector
    paths, ids made unique to this place. ``mode="mono"`` paints it in tints of ``colour``
    towards ``paper`` (what the text is set on)."""
    body, (min_x, min_y, width, height) = _picture(key)
    if "id=" in body:
        prefix = f"e{key}-{x:.0f}-{y:.0f}-"
        for name in set(_ID.findall(body)):
            body = body.replace(f'id="{name}"', f'id="{prefix}{name}"').replace(
                f"url(#{name})", f"url(#{prefix}{name})")
    paint = colour if is_hex(colour) else "#000000"
    if mode == "mono":
        body = _mono(body, paint, paper if is_hex(paper) else "#ffffff")
    scale = size / max(width, height)
    dx = x + (size - width * scale) / 2 - min_x * scale
    dy = y + (size - height * scale) / 2 - min_y * scale
    fill = paint if mode == "mono" else "#000000"
    return (f'<g class="emoji" data-emoji="{key}" fill="{fill}" stroke="none" transform="matrix({scale:.5g} 0 0 '
            f'{scale:.5g} {dx:.2f} {dy:.2f})">{body}</g>')


def iter_keys() -> Iterator[str]:
    """Every bundled picture's key (for tests and the coverage table)."""
    return iter(sorted(_names()))
