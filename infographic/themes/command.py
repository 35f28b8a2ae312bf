"""``infographic themes``: list the bundled themes with their contrast check over the bundled
layouts, or write a theme derived from one brand colour (``--from-color``)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import yaml

from ..errors import OutputError
from ..fileio import require_suffix, write_atomic
from ..layout.manifest import bundled_layouts, load_layout
from . import Theme, bundled_themes, load_theme
from .contrast import layout_contrast_problems
from .derive import theme_from_color


def _problems(theme: Theme) -> list[str]:
    return [p for name in bundled_layouts() for p in layout_contrast_problems(load_layout(name), theme)]


def _as_yaml(theme: Theme) -> str:
    spec = {"name": theme.name, "title": theme.title, "palette": dict(theme.palette),
            "fonts": {role: dict(font) for role, font in theme.fonts.items()},
            "radius": theme.radius, "spacing": list(theme.spacing)}
    if theme.logo and theme.folder:
        spec["logo"] = str(theme.folder / theme.logo)
    return yaml.safe_dump(spec, allow_unicode=True, sort_keys=False)


def cmd_themes(args: argparse.Namespace) -> int:
    if args.from_color:
        if args.output:
            require_suffix(args.output, (".yaml", ".yml"), "--output", "a theme")
        theme = theme_from_color(args.from_color, args.name, logo=args.logo)
        text = _as_yaml(theme)
        if args.output:
            try:
                target = write_atomic(Path(args.output), text.encode("utf-8"))
            except OSError as exc:
                raise OutputError(f"cannot write {args.output}: {exc.strerror or exc}") from None
            print(f"wrote {target}")
        else:
            print(text, end="")
        for problem in _problems(theme):
            print(f"warning: {problem}")
        return 0
    rows = []
    for name in bundled_themes():
        theme = load_theme(name)
        rows.append({"name": name, "title": theme.title, "palette": dict(theme.palette),
                     "contrast_problems": _problems(theme)})
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    for row in rows:
        verdict = "contrast ok on every bundled layout" if not row["contrast_problems"] else \
            f"{len(row['contrast_problems'])} contrast problem(s)"
        print(f"{row['name']:<14} {row['title']}  — {verdict}")
        for problem in row["contrast_problems"]:
            print(f"    {problem}")
    return 0


def add_themes_parser(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    t = sub.add_parser("themes", help="list the bundled themes, or derive one from a colour")
    t.add_argument("--json", action="store_true", help="machine-readable output")
    t.add_argument("--from-color", metavar="#RRGGBB",
                   help="write a full theme derived from this brand colour")
    t.add_argument("--name", default="brand", help="name of the derived theme")
    t.add_argument("--logo", help="logo file of the derived theme")
    t.add_argument("--output", "-o", help="where to write the derived theme (.yaml)")
    t.set_defaults(func=cmd_themes)
