"""A drawing's font family → the nearest bundled family, with the reason for the report."""

from __future__ import annotations

from ...text.fonts import FontRegistry

#: Families designers use, by the bundled family that looks most like them.
_NEAREST = {
    "Inter": ("inter", "roboto", "helvetica", "helvetica neue", "arial", "sf pro", "sf pro text",
              "sf pro display", "-apple-system", "system-ui", "segoe ui", "montserrat",
              "be vietnam", "be vietnam pro", "bevietnampro", "manrope", "poppins", "nunito sans", "work sans",
              "ibm plex sans", "lexend", "archivo", "figtree", "plus jakarta sans"),
    "Noto Sans": ("noto sans", "open sans", "source sans pro", "source sans 3", "lato",
                  "tahoma", "verdana", "calibri", "dejavu sans", "liberation sans", "pt sans",
                  "myriad pro", "myriadpro-regular", "sans-serif", "sans"),
    "Noto Serif": ("noto serif", "times", "times new roman", "georgia", "source serif pro",
                   "merriweather", "cambria", "garamond", "pt serif", "liberation serif",
                   "dejavu serif", "minion pro", "serif", "roboto slab"),
}


def family_list(value: str | None) -> list[str]:
    """``'Be Vietnam Pro', Arial, sans-serif`` → ["Be Vietnam Pro", "Arial", "sans-serif"]."""
    return [f.strip().strip("'\"").strip() for f in (value or "").split(",") if f.strip()]


def _base(family: str) -> str:
    """Illustrator writes PostScript names: ``Roboto-Bold``, ``MyriadPro-Regular``."""
    name = family.lower()
    for suffix in ("-regular", "-bold", "-medium", "-semibold", "-light", "-black", "-italic",
                   "-extrabold", "-bolditalic"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def nearest_family(families: list[str], registry: FontRegistry) -> tuple[str, str | None]:
    """The bundled family for a ``font-family`` list, and a note when it is not the one asked
    for (None when a listed family is bundled)."""
    bundled = {f.lower(): f for f in registry.text_families}
    for family in families:
        if family.lower() in bundled:
            return bundled[family.lower()], None
    asked = families[0] if families else "(none)"
    for family in families:
        base = _base(family)
        for target, names in _NEAREST.items():
            if base in names or family.lower() in names:
                return target, f"font '{asked}' is not bundled: set in {target}, the nearest " \
                    "bundled family"
    serif = any("serif" in f.lower() and "sans" not in f.lower() for f in families)
    target = "Noto Serif" if serif else "Noto Sans"
    return target, f"font '{asked}' is unknown: set in {target}; pick Inter, Noto Sans or " \
        "Noto Serif in the drawing to choose"


def weight_of(value: str | None) -> int:
    value = (value or "normal").strip().lower()
    named = {"normal": 400, "regular": 400, "bold": 700, "bolder": 700, "lighter": 300,
             "medium": 500, "semibold": 600, "black": 900, "heavy": 900, "light": 300}
    if value in named:
        return named[value]
    try:
        return int(float(value))
    except ValueError:
        return 400


def weight_from_family(families: list[str]) -> int | None:
    """Illustrator's ``font-family:'Roboto-Bold'`` carries the weight in the name."""
    for family in families[:1]:
        name = family.lower()
        for word, weight in (("extrabold", 800), ("semibold", 600), ("black", 900),
                             ("bold", 700), ("medium", 500), ("light", 300)):
            if name.endswith(word) or f"-{word}" in name:
                return weight
    return None


def snapped_weight(registry: FontRegistry, family: str, weight: int, style: str) -> int:
    """The nearest weight ``family`` ships (``infographic check`` wants an exact face)."""
    faces = [f for f in registry.faces if f.family == family]
    same = [f for f in faces if f.style == style] or faces
    return min(same, key=lambda f: (abs(f.weight - weight), f.weight < weight)).weight
