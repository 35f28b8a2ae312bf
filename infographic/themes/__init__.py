"""Themes: a palette and font roles that layouts refer to by name (``primary``, ``heading``…)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping

import yaml

from ..errors import ThemeError

PALETTE_KEYS = ("primary", "secondary", "accent", "background", "surface", "text", "muted",
                "on_primary", "positive", "negative")
FONT_ROLES = ("heading", "body", "figures", "serif")
DEFAULT_THEME = "health-blue"
_HEX = re.compile(r"^#(?:[0-9a-fA-F]{3}){1,2}$")
_FOLDER = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Theme:
    name: str
    palette: Mapping[str, str]
    fonts: Mapping[str, Mapping[str, Any]]
    radius: float = 16
    title: str = ""
    extra: Mapping[str, Any] = field(default_factory=dict)

    def color(self, value: str) -> str:
        """A palette key (``primary``) or a literal ``#rrggbb`` colour."""
        if value in self.palette:
            return self.palette[value]
        if _HEX.match(value):
            return value
        raise ThemeError(f"unknown colour '{value}': use a palette name "
                         f"({', '.join(self.palette)}) or #rrggbb")

    def template_view(self) -> dict[str, Any]:
        """What a template sees as ``theme``: palette keys at top level, plus fonts and radius."""
        return {**self.palette, "name": self.name, "fonts": dict(self.fonts),
                "radius": self.radius, **self.extra}


def theme_from_mapping(spec: Mapping[str, Any], origin: str) -> Theme:
    if not isinstance(spec, Mapping):
        raise ThemeError(f"theme {origin}: expected a mapping with 'palette' and 'fonts'")
    palette = dict(spec.get("palette") or {})
    missing = [k for k in PALETTE_KEYS if k not in palette]
    if missing:
        raise ThemeError(f"theme {origin}: palette lacks {', '.join(missing)}")
    for key, value in palette.items():
        if not isinstance(value, str) or not _HEX.match(value):
            raise ThemeError(f"theme {origin}: palette '{key}' must be #rrggbb, not {value!r}")
    fonts = dict(spec.get("fonts") or {})
    for role in FONT_ROLES:
        if not isinstance(fonts.get(role), Mapping) or "family" not in fonts[role]:
            raise ThemeError(f"theme {origin}: fonts.{role} needs a family")
    return Theme(name=str(spec.get("name", origin)), palette=palette, fonts=fonts,
                 radius=float(spec.get("radius", 16)), title=str(spec.get("title", "")))


def bundled_themes() -> list[str]:
    return sorted(p.stem for p in _FOLDER.glob("*.yaml"))


def _load_file(path: Path) -> Theme:
    """Load a theme file, cached per version of the file so a saved edit is picked up."""
    stat = path.stat()
    return _load_file_version(path, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=64)
def _load_file_version(path: Path, mtime_ns: int, size: int) -> Theme:
    try:
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ThemeError(f"cannot read theme {path}: {exc}") from exc
    return theme_from_mapping(spec, path.stem)


def load_theme(theme: "str | Path | Mapping[str, Any] | Theme | None") -> Theme:
    """A bundled theme name, a path to a theme YAML file, a mapping, or a :class:`Theme`."""
    if isinstance(theme, Theme):
        return theme
    if theme is None:
        theme = DEFAULT_THEME
    if isinstance(theme, Mapping):
        return theme_from_mapping(theme, "given as a mapping")
    path = Path(theme)
    if path.suffix in (".yaml", ".yml") and path.is_file():
        return _load_file(path.resolve())
    bundled = _FOLDER / f"{theme}.yaml"
    if bundled.is_file():
        return _load_file(bundled)
    raise ThemeError(f"unknown theme '{theme}': bundled themes are {', '.join(bundled_themes())}, "
                     "or give a path to a .yaml theme file")
