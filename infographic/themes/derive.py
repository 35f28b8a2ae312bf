"""A full theme from one brand colour: the palette is derived so that every text colour passes
WCAG AA on the surfaces it is meant for."""

from __future__ import annotations

import colorsys
from pathlib import Path
from typing import Any

from ..errors import ThemeError
from . import DEFAULT_THEME, Theme, load_theme, theme_from_mapping
from ..colour import contrast_ratio, mix, parse_hex, to_hex
from .contrast import NORMAL_TEXT

WHITE, BLACK = "#FFFFFF", "#000000"


def _hls(color: str) -> tuple[float, float, float]:
    r, g, b = (c / 255 for c in parse_hex(color))
    return colorsys.rgb_to_hls(r, g, b)


def _from_hls(h: float, l: float, s: float) -> str:
    return to_hex(c * 255 for c in colorsys.hls_to_rgb(h % 1.0, max(0, min(1, l)),
                                                       max(0, min(1, s))))


def with_contrast(color: str, background: str, ratio: float = NORMAL_TEXT) -> str:
    """``color`` darkened (on light backgrounds) or lightened until it reaches ``ratio``."""
    target = BLACK if contrast_ratio(BLACK, background) >= contrast_ratio(WHITE, background) \
        else WHITE
    for step in range(0, 101):
        candidate = mix(color, target, step / 100)
        if contrast_ratio(candidate, background) >= ratio:
            return candidate
    return target


def theme_from_color(brand: str, name: str = "brand", *, title: str = "",
                     base: "str | Theme" = DEFAULT_THEME, radius: float | None = None,
                     logo: "str | Path | None" = None) -> Theme:
    """Derive primary, secondary, accent, surfaces and text colours from ``brand`` (#rrggbb);
    fonts and spacing come from ``base``; ``logo`` is the path of the brand's logo file.

    The brand colour is darkened only as far as white text on it needs (5:1, so it also reads
    on the tinted surface); the accent is amber or teal, the warm/cool opposite of the brand."""
    try:
        brand = to_hex(parse_hex(str(brand)))
    except ValueError:
        raise ThemeError(f"brand colour '{brand}' is not a colour: write #rrggbb") from None
    base_theme = load_theme(base)
    background = WHITE
    # 5:1 on white leaves room for the tinted surface and for light text on primary.
    primary = with_contrast(brand, WHITE, 5.0)
    hue, light, sat = _hls(primary)
    secondary = with_contrast(mix(primary, WHITE, 0.86), primary)  # light text on primary too
    surface = mix(primary, WHITE, 0.94)
    # Accent: amber beside cool brands (blue, green), deep teal beside warm ones (red, orange,
    # yellow) — the pairs of public-health posters — readable as large text on white.
    warm = hue < 0.2 or hue > 0.9
    accent_hue = 0.5 if warm else 0.11
    accent = with_contrast(_from_hls(accent_hue, 0.45, 0.9), background, 3.0)
    text = with_contrast(_from_hls(hue, 0.12, min(sat, 0.35)), surface, 12.0)
    muted = with_contrast(_from_hls(hue, 0.35, min(sat, 0.2)), surface, NORMAL_TEXT)
    positive = with_contrast("#1B8A44", surface)
    negative = with_contrast("#D32F2F", surface)
    spec: dict[str, Any] = {
        "name": name, "title": title or f"Derived from {brand}",
        "palette": {"primary": primary, "secondary": secondary, "accent": accent,
                    "background": background, "surface": surface, "text": text,
                    "muted": muted, "on_primary": WHITE, "positive": positive,
                    "negative": negative},
        "fonts": {role: dict(font) for role, font in base_theme.fonts.items()},
        "radius": base_theme.radius if radius is None else radius,
        "spacing": list(base_theme.spacing),
    }
    if logo:
        spec["logo"] = str(Path(logo).resolve())
    return theme_from_mapping(spec, name)
