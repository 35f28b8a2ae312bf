"""What a designer's layer name means: a field, a list, one cell of a list, a text box, a QR
code or a bundled icon. Names are read the way editors write them (``title-2``, ``title_1_``)."""

from __future__ import annotations

import re
from dataclasses import dataclass

FIELD_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
#: Editors number copies: Inkscape ``title-2``, Illustrator ``title_1_``, Figma ``title 2``.
_DECORATION = re.compile(r"^(.+?)(?:[- ]\d+|_\d+_)$")
#: Ids editors make up (``rect4211``, ``layer1``, Figma's ``Rectangle 12``): never marks.
_GENERATED = re.compile(
    r"^(?:(?:rect|path|text|tspan|g|layer|image|circle|ellipse|flowRoot|flowRegion|flowPara|"
    r"defs|use|clipPath|mask|linearGradient|radialGradient|stop|svg|metadata|namedview|polygon|"
    r"polyline|line|pattern|filter|symbol|style|title|desc|a)\d+"
    r"|(?:Rectangle|Group|Vector|Frame|Ellipse|Line|Layer|Path|Image|Text)[ _]?\d*"
    r"|(?:clip|paint|filter|mask|pattern)\d+(?:_[a-z]+)?(?:_\d+)*)$")
_PLACEHOLDER = re.compile(r"\{\{\s*(.*?)\s*\}\}")
#: Rectangles with these names are picture slots (an ``<image>`` may have any field name).
PICTURE_NAMES = ("photo", "logo", "picture", "image", "portrait", "avatar", "map", "banner")


class NameError_(ValueError):
    """A name meant as a mark that is not a valid one (the message says why)."""


@dataclass(frozen=True)
class Mark:
    """``kind``: field, list, cell, box, qr, icon. ``row`` is 1-based for cells."""

    kind: str
    field: str
    raw: str
    row: int = 0
    column: str = ""
    icon: str = ""


def undecorated(name: str) -> str:
    match = _DECORATION.match(name)
    return match.group(1) if match else name


def is_generated(name: str) -> bool:
    return not name or bool(_GENERATED.match(name))


def _field_name(name: str, raw: str) -> str:
    name = name.replace("-", "_")
    if not FIELD_NAME.match(name):
        raise NameError_(f"'{raw}' is not a valid field name: use lower case letters, digits "
                         "and _ , starting with a letter (e.g. title, hotline, tips)")
    return name


def parse_mark(raw: str) -> Mark | None:
    """The mark a layer name makes, or None for an ordinary name (``Background``,
    ``rect4211``). Raises :class:`NameError_` for a name that is clearly meant as a mark but
    cannot be one (``tips.one.heading``)."""
    raw = raw.strip()
    if is_generated(raw):
        return None
    name = undecorated(raw)
    lower = name.lower()
    if lower.startswith("icon:"):
        icon = name[5:].strip()
        if not re.match(r"^[a-z0-9][a-z0-9-]*$", icon):
            raise NameError_(f"'{raw}': an icon mark is icon:NAME with a bundled icon's name "
                             "(infographic icons lists them), e.g. icon:mask")
        return Mark("icon", "", raw, icon=icon)
    if lower == "qr" or lower.startswith("qr:"):
        target = name[3:].strip() or "qr" if ":" in name else "qr"
        return Mark("qr", _field_name(target, raw), raw)
    if name.endswith("[]"):
        return Mark("list", _field_name(name[:-2], raw), raw)
    if "." in name:
        parts = name.split(".")
        if len(parts) != 3 or not parts[1].isdigit() or int(parts[1]) < 1:
            raise NameError_(f"'{raw}': a cell of a list is named LIST.ROW.COLUMN with the row "
                             "counted from 1, e.g. tips.1.heading")
        return Mark("cell", _field_name(parts[0], raw), raw, row=int(parts[1]),
                    column=_field_name(parts[2], raw))
    for suffix in ("-box", "_box"):
        if name.endswith(suffix) and len(name) > len(suffix):
            return Mark("box", _field_name(name[: -len(suffix)], raw), raw)
    if "{" in name or "}" in name:
        raise NameError_(f"'{raw}': braces belong in the text, not the layer name: name the "
                         "layer after the field (title) or write {{ title }} in the text")
    if not FIELD_NAME.match(name.replace("-", "_")):
        return None  # an ordinary name ("Background", "Nền xanh")
    return Mark("field", _field_name(name, raw), raw)


def placeholders(text: str) -> list[tuple[str, str]]:
    """The text split into (literal, field) pieces at ``{{ field }}``; a final piece has
    field "". Raises :class:`NameError_` for a placeholder that is not a field name."""
    pieces, start = [], 0
    for match in _PLACEHOLDER.finditer(text):
        name = match.group(1)
        if not FIELD_NAME.match(name):
            raise NameError_(f"placeholder '{match.group(0)}' must hold one field name in lower "
                             "case, e.g. {{ date }}")
        pieces.append((text[start:match.start()], name))
        start = match.end()
    pieces.append((text[start:], ""))
    return pieces
