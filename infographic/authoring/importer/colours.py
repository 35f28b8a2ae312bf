"""A drawing's colours and the bundled themes: colours equal to a theme's palette become
theme names (``{{ theme.primary }}``), so the imported layout follows ``--theme``; or a theme
file is written from the drawing's own palette."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any, Iterable, Mapping

from ...colour import luma, parse_hex
from ...themes import PALETTE_KEYS, bundled_themes, load_theme
from .drawing import local, parse_style
from .parts import PagePlan
from .textslots import hex_colour

#: Properties holding a colour, in attributes or in ``style``.
COLOUR_PROPERTIES = ("fill", "stroke", "stop-color", "flood-color", "lighting-color", "color")
#: When two palette names share a colour, the one a text (or a shape) most likely means.
_TEXT_ORDER = ("text", "on_primary", "primary", "muted", "accent", "secondary", "negative",
               "positive", "background", "surface")
_SHAPE_ORDER = ("primary", "background", "surface", "secondary", "accent", "text", "muted",
                "positive", "negative", "on_primary")


def drawing_colours(plans: Iterable[PagePlan]) -> Counter[str]:
    """How often each colour is used by the drawings' shapes and texts."""
    found: Counter[str] = Counter()
    for plan in plans:
        for element in plan.drawing.iter():
            style = parse_style(element.get("style"))
            for name in COLOUR_PROPERTIES:
                colour = hex_colour(style.get(name, element.get(name)))
                if colour:
                    found[colour] += 1
        for spec in plan.slots.values():
            for key in ("color", "background"):
                if str(spec.get(key, "")).startswith("#"):
                    found[spec[key].lower()] += 1
    return found


@dataclass
class ColourNames:
    """Drawing colour → theme palette name, for one bundled theme."""

    theme: str
    palette: Mapping[str, str]

    def name(self, colour: str | None, for_text: bool = False) -> str | None:
        colour = hex_colour(colour)
        if colour is None:
            return None
        matches = [k for k, v in self.palette.items() if v.lower() == colour]
        order = _TEXT_ORDER if for_text else _SHAPE_ORDER
        return min(matches, key=order.index) if matches else None


def choose_theme(colours: Counter[str]) -> ColourNames | None:
    """The bundled theme whose palette holds most of the drawing's colours (by use), if any
    colour other than white matches."""
    best, best_score = None, 0
    for name in bundled_themes():
        palette = load_theme(name).palette
        values = {v.lower() for v in palette.values()} - {"#ffffff"}
        score = sum(count for colour, count in colours.items() if colour in values)
        if score > best_score:
            best, best_score = ColourNames(name, palette), score
    return best


def name_slot_colours(slots: dict[str, dict[str, Any]], names: ColourNames) -> None:
    for spec in slots.values():
        for key in ("color", "background"):
            named = names.name(spec.get(key), for_text=key == "color")
            if named:
                spec[key] = named


def largest_fill(plans: Iterable[PagePlan]) -> str | None:
    """The fill of the largest rectangle: the drawing's background."""
    from .matrix import length

    best, area = None, 0.0
    for plan in plans:
        for element in plan.drawing.iter():
            if local(element.tag) != "rect":
                continue
            fill = hex_colour(parse_style(element.get("style")).get("fill", element.get("fill")))
            size = length(element.get("width")) * length(element.get("height"))
            if fill and size > area:
                best, area = fill, size
    return best


def theme_from_drawing(name: str, colours: Counter[str], slots: dict[str, dict[str, Any]],
                       background: str | None = None) -> dict[str, Any]:
    """A theme (the YAML mapping) from the drawing's palette: the most used saturated colour
    is ``primary``, the commonest text colour ``text``, the light fills ``background`` and
    ``surface``; what the drawing does not show comes from health-blue."""
    base = load_theme("health-blue")
    palette = dict(base.palette)

    def light(c: str) -> float:
        return luma(parse_hex(c)) / 255

    def saturated(c: str) -> bool:
        channels = parse_hex(c)
        return max(channels) - min(channels) > 60

    ranked = [c for c, _ in colours.most_common()]
    strong = [c for c in ranked if saturated(c) and 0.15 < light(c) < 0.85]
    if strong:
        palette["primary"] = strong[0]
    if len(strong) > 1:
        palette["accent"] = strong[1]
    texts = Counter(str(s.get("color")) for s in slots.values()
                    if str(s.get("color", "")).startswith("#"))
    dark = [c for c, _ in texts.most_common() if light(c) < 0.4]
    if dark:
        palette["text"] = dark[0]
    lights = [c for c in ranked if light(c) > 0.85]
    if background and background in lights:  # the largest rectangle's fill first
        lights.remove(background)
        lights.insert(0, background)
    if lights:
        palette["background"] = lights[0]
    if len(lights) > 1:
        palette["surface"] = palette["secondary"] = lights[1]
    on_primary = [str(s["color"]) for s in slots.values()
                  if str(s.get("background", "")).lower() == palette["primary"].lower()
                  and str(s.get("color", "")).startswith("#")]
    if on_primary:
        palette["on_primary"] = on_primary[0]
    palette = {k: palette[k].upper() if palette[k].startswith("#") else palette[k]
               for k in PALETTE_KEYS}
    return {"name": f"{name}-colours", "title": f"Màu của bản vẽ {name}", "palette": palette,
            "fonts": {role: dict(font) for role, font in base.fonts.items()},
            "radius": base.radius}


def themed(value: str, names: ColourNames | None, for_text: bool = False) -> str:
    """``value`` with a palette colour written as a sentinel the writer turns into
    ``{{ theme.NAME }}`` after escaping (``\\x00theme.primary\\x00``)."""
    if names is None:
        return value
    named = names.name(value, for_text)
    return f"\x00theme.{named}\x00" if named else value


def is_colour_property(name: str) -> bool:
    return local(name) in COLOUR_PROPERTIES


def band_colour_notes(plans: Iterable[PagePlan], theme: str) -> list[str]:
    """A header or footer band drawn in a colour other than the theme colour the shared helper
    fills it with: say so (the band follows the theme, as every bundled layout's does)."""
    palette = load_theme(theme).palette
    notes = []
    for plan in plans:
        for which, described, key, drawn in plan.bands:
            if palette[key].lower() != drawn.lower():
                notes.append(f"{described}: the shared {which} draws its band in the theme's "
                             f"{key} ({palette[key]} in {theme}), not the drawn {drawn}; draw "
                             "the band in that colour, or render with a theme whose "
                             f"{key} it is (--theme-from-drawing writes the drawing's palette "
                             "as a theme)")
    return notes
