"""``infographic icons [--json] [--sheet OUT.png]``: list the bundled icons, draw a contact sheet."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from ..fileio import require_suffix, write_atomic
from .icons import bundled_icons, contact_sheet


def cmd_icons(args: argparse.Namespace) -> int:
    sheet = require_suffix(args.sheet, (".png",), "--sheet", "the contact sheet") \
        if args.sheet else None
    icons = bundled_icons()
    if args.json:
        print(json.dumps({"source": icons.source, "icons": [i.summary() for i in icons]},
                         ensure_ascii=False, indent=2))
    else:
        for icon in icons:
            aliases = ", ".join(icon.aliases)
            print(f"{icon.name:<20} {icon.vi} / {icon.en}  ({aliases}; {icon.source})")
        print(f"{len(icons)} icons — {icons.source.get('attribution', '')}")
    if sheet:
        target = write_atomic(sheet, contact_sheet())
        if not args.json:
            print(f"wrote {target}")
    return 0


def add_icons_parser(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    parser = sub.add_parser("icons", help="list the bundled icons (names for icon(...))")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.add_argument("--sheet", metavar="OUT.png", help="also write a contact sheet PNG")
    parser.set_defaults(func=cmd_icons)
