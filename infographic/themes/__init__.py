"""Themes: a palette and font roles that layouts refer to by name (``primary``, ``heading``…)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping

from ..dataparse import StructureError, load_yaml
from ..colour import is_hex
from ..errors import ThemeError

PALETTE_KEYS = ("primary", "secondary", "accent", "background", "surface", "text", "muted",
                "on_primary", "positive", "negative")
FONT_ROLES = ("heading", "body", "figures", "serif")
DEFAULT_THEME = "health-blue"
#: Spacing scale in canvas units (px at 1080 wide): ``theme.spacing[3]`` is the 4th step.
DEFAULT_SPACING = (4.0, 8.0, 12.0, 16.0, 24.0, 32.0, 48.0, 64.0)
_FOLDER = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Theme:
    name: str
    palette: Mapping[str, str]
    fonts: Mapping[str, Mapping[str, Any]]
    radius: float = 16
    title: str = ""
    extra: Mapping[str, Any] = field(default_factory=dict)
    logo: str | None = None  # file name of the brand logo, inside ``folder``
    spacing: tuple[float, ...] = DEFAULT_SPACING
    folder: Path | None = None  # the theme file's folder: where its logo is read from
    #: How text slots draw emoji unless a slot says otherwise: "colour", or "mono" (in the
    #: text's colour, for official notices).
    emoji: str = "colour"

    def color(self, value: str) -> str:
        """A palette key (``primary``) or a literal ``#rrggbb`` colour."""
        if value in self.palette:
            return self.palette[value]
        if is_hex(value):
            return value
        raise ThemeError(f"unknown colour '{value}': use a palette name "
                         f"({', '.join(self.palette)}) or #rrggbb")

    def template_view(self) -> dict[str, Any]:
        """What a template sees as ``theme``: palette keys at top level, plus fonts and radius."""
        return {**self.palette, "name": self.name, "fonts": dict(self.fonts),
                "radius": self.radius, "logo": self.logo or "", "spacing": list(self.spacing),
                **self.extra}


def _spacing(spec: Mapping[str, Any], origin: str) -> tuple[float, ...]:
    steps = spec.get("spacing", DEFAULT_SPACING)
    try:
        values = tuple(float(v) for v in steps)
    except (TypeError, ValueError):
        values = ()
    if not values or any(v <= 0 for v in values) or list(values) != sorted(values):
        raise ThemeError(f"theme {origin}: spacing must be a list of growing positive sizes, "
                         f"e.g. [4, 8, 12, 16, 24, 32, 48, 64], not {steps!r}")
    return values


def _logo(spec: Mapping[str, Any], origin: str, folder: Path | None
          ) -> tuple[str | None, Path | None]:
    logo = spec.get("logo")
    if not logo:
        return None, folder
    path = Path(str(logo))
    if path.is_absolute():
        folder, path = path.parent, Path(path.name)
    if folder is None:
        raise ThemeError(f"theme {origin}: logo '{logo}' needs a folder: give the theme as a "
                         ".yaml file beside the logo, or the logo as an absolute path")
    if len(path.parts) != 1 or not (folder / path).is_file():
        raise ThemeError(f"theme {origin}: logo file '{logo}' is not in {folder}")
    return path.name, folder


def theme_from_mapping(spec: Mapping[str, Any], origin: str, folder: Path | None = None
                       ) -> Theme:
    """A theme from its YAML mapping; ``folder`` is where the file is (for its ``logo``)."""
    if not isinstance(spec, Mapping):
        raise ThemeError(f"theme {origin}: expected a mapping with 'palette' and 'fonts'")
    palette = dict(spec.get("palette") or {})
    missing = [k for k in PALETTE_KEYS if k not in palette]
    if missing:
        raise ThemeError(f"theme {origin}: palette lacks {', '.join(missing)}")
    for key, value in palette.items():
        if not isinstance(value, str) or not is_hex(value):
            raise ThemeError(f"theme {origin}: palette '{key}' must be #rrggbb, not {value!r}")
    fonts = dict(spec.get("fonts") or {})
    for role in FONT_ROLES:
        if not isinstance(fonts.get(role), Mapping) or "family" not in fonts[role]:
            raise ThemeError(f"theme {origin}: fonts.{role} needs a family")
    logo, folder = _logo(spec, origin, folder)
    emoji = str(spec.get("emoji", "colour"))
    if emoji not in ("colour", "mono"):
        raise ThemeError(f"theme {origin}: emoji must be colour or mono, not {emoji!r}")
    return Theme(emoji=emoji, name=str(spec.get("name", origin)), palette=palette, fonts=fonts,
                 radius=float(spec.get("radius", 16)), title=str(spec.get("title", "")),
                 logo=logo, spacing=_spacing(spec, origin), folder=folder)


def bundled_themes() -> list[str]:
    return sorted(p.stem for p in _FOLDER.glob("*.yaml"))


def _load_file(path: Path) -> Theme:
    """Load a theme file, cached per version of the file so a saved edit is picked up."""
    stat = path.stat()
    return _load_file_version(path, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=64)
def _load_file_version(path: Path, mtime_ns: int, size: int) -> Theme:
    try:
        spec = load_yaml(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, StructureError) as exc:
        raise ThemeError(f"cannot read theme {path}: {exc}") from exc
    return theme_from_mapping(spec, path.stem, path.parent)


def load_theme(theme: "str | Path | Mapping[str, Any] | Theme | None") -> Theme:
    """A bundled theme name, a path to a theme YAML file, a mapping, or a :class:`Theme`."""
    if isinstance(theme, Theme):
        return theme
    if theme is None:
        theme = DEFAULT_THEME
    if isinstance(theme, Mapping):
        return theme_from_mapping(theme, "given as a mapping")
    if not isinstance(theme, (str, Path)):
        raise ThemeError(f"a theme is a bundled name, a path to a .yaml file or a mapping, not "
                         f"a {type(theme).__name__}")
    path = Path(theme)
    if path.suffix in (".yaml", ".yml") and path.is_file():
        return _load_file(path.resolve())
    bundled = _FOLDER / f"{theme}.yaml"
    if bundled.is_file():
        return _load_file(bundled)
    raise ThemeError(f"unknown theme '{theme}': bundled themes are {', '.join(bundled_themes())}, "
                     "or give a path to a .yaml theme file")
