"""Output names from a template over columns (``{ward}-{date}``), safe and unique.

Every value is cleaned so that the name survives Windows, macOS, Linux, zip files and being sent
through Zalo or Facebook: no path separators (no traversal), no ``<>:"/\\|?*#%&{}$!'@+=`^~;,[]``,
no control characters, no leading dots, no trailing dots or spaces, no Windows device names
(``CON``, ``NUL``, ``COM1`` …), at most :data:`MAX_NAME_BYTES` bytes of UTF-8 (file systems
count bytes: 270 bytes of emoji is 68 characters), NFC Unicode (or plain ASCII with
``ascii_only``). ``/`` written in the template itself makes sub-folders.
"""

from __future__ import annotations

import os
import re
import string
import unicodedata
from pathlib import Path
from typing import Any, Mapping

from ..errors import InfographicError
from ..limits import MAX_NAME_BYTES, NAME_RESERVE_BYTES

DEFAULT_TEMPLATE = "{layout}-{row}"
_UNSAFE = re.compile(r"""[\x00-\x1f\x7f<>:"/\\|?*#%&{}$!'@+=`^~;,\[\]\s]+""")
_RUNS = re.compile(r"([-_.])[-_.]+")
_RESERVED = re.compile(r"^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$", re.IGNORECASE)
_ASCII_EXTRA = {"đ": "d", "Đ": "D"}


def name_limit(folder: "str | os.PathLike[str]", wanted: int = MAX_NAME_BYTES) -> int:
    """``wanted`` bytes, or fewer where the file system of ``folder`` (or of its nearest existing
    parent) allows shorter names than :data:`NAME_RESERVE_BYTES` more."""
    place = Path(folder).absolute()
    while not place.exists() and place.parent != place:
        place = place.parent
    try:
        system = os.pathconf(place, "PC_NAME_MAX")
    except (OSError, ValueError, AttributeError):  # no pathconf (Windows): NTFS allows 255
        system = 255
    return max(16, min(wanted, system - NAME_RESERVE_BYTES))


def _cut(value: str, max_bytes: int) -> str:
    """The longest start of ``value`` of at most ``max_bytes`` bytes of UTF-8, never half a
    character, and not ending in a separator or a combining mark."""
    data = value.encode("utf-8")
    if len(data) <= max_bytes:
        return value
    value = data[:max_bytes].decode("utf-8", "ignore")
    while value and (value[-1] in "-_. " or unicodedata.combining(value[-1])):
        value = value[:-1]
    return value


def safe_component(text: Any, *, ascii_only: bool = False,
                   max_bytes: int = MAX_NAME_BYTES) -> str:
    """One path component made of ``text``; may be empty when nothing printable is left."""
    value = unicodedata.normalize("NFC", str(text))
    if ascii_only:
        value = "".join(_ASCII_EXTRA.get(c, c) for c in value)
        value = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode("ascii")
    value = "".join(c if unicodedata.category(c)[0] != "C" else "-" for c in value)
    value = _UNSAFE.sub("-", value)
    value = _RUNS.sub(r"\1", value).strip("-_. ")
    value = _cut(value, max_bytes)
    if _RESERVED.match(value):
        value = f"_{value}"
    return value


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


class NameTemplate:
    """A ``str.format`` template whose fields are column or field names, plus ``row``,
    ``layout``, ``size``, ``theme``. Only plain names are allowed (no ``{a.b}`` or ``{a[0]}``),
    with an optional format spec (``{row:04d}``)."""

    def __init__(self, template: str | None = None, *, ascii_only: bool = False,
                 max_bytes: int = MAX_NAME_BYTES) -> None:
        self.template = template or DEFAULT_TEMPLATE
        self.ascii_only = ascii_only
        self.max_bytes = max_bytes
        self.segments = [s for s in self.template.replace("\\", "/").split("/")]
        if any(not s.strip() or s.strip() in (".", "..") for s in self.segments):
            raise InfographicError(f"name template '{self.template}': empty, '.' or '..' folder "
                                   "names are not allowed")
        self.fields: set[str] = set()
        for segment in self.segments:
            try:
                parsed = list(string.Formatter().parse(segment))
            except ValueError as exc:
                raise InfographicError(f"name template '{self.template}': {exc}") from None
            for _, name, spec, conversion in parsed:
                if name is None:
                    continue
                if not name or any(c in name for c in ".[]") or conversion or "{" in (spec or ""):
                    raise InfographicError(f"name template '{self.template}': use plain column "
                                           f"names in braces, like {{ward}}, not {{{name}}}")
                self.fields.add(name)

    @property
    def uses_size(self) -> bool:
        return "size" in self.fields

    def render(self, values: Mapping[str, Any]) -> str:
        """The relative output stem (folders joined with ``/``), without suffix.

        Raises :class:`InfographicError` when a name is missing from ``values``."""
        parts = []
        for segment in self.segments:
            parts.append(self._segment(segment, values))
        row = values.get("row", "")
        if not parts[-1]:
            parts[-1] = f"row-{row}"
        return "/".join(p or "_" for p in parts)

    def _segment(self, segment: str, values: Mapping[str, Any]) -> str:
        out = []
        for literal, name, spec, _ in string.Formatter().parse(segment):
            out.append(literal)
            if name is None:
                continue
            if name not in values:
                raise InfographicError(f"the name template uses {{{name}}} but the row has no "
                                       f"column or field '{name}'", field=name)
            value = values[name]
            try:
                text = format(value, spec) if spec else _text(value)
            except (ValueError, TypeError):
                text = _text(value)
            out.append(text.replace("/", "-").replace("\\", "-"))
        return safe_component("".join(out), ascii_only=self.ascii_only, max_bytes=self.max_bytes)


class UniqueNames:
    """Hands out each name once: a repeat gets ``-2``, ``-3`` … Names that differ only by case or
    Unicode form count as the same (Windows and macOS file systems would merge them)."""

    def __init__(self) -> None:
        self._taken: set[str] = set()

    @staticmethod
    def _key(name: str) -> str:
        return unicodedata.normalize("NFC", name).casefold()

    def claim(self, name: str) -> str:
        candidate, counter = name, 1
        while self._key(candidate) in self._taken:
            counter += 1
            candidate = f"{name}-{counter}"
        self._taken.add(self._key(candidate))
        return candidate
