"""``infographic icons [--json] [--sheet OUT.png]``: list the bundled icons, draw a contact sheet."""

from __future__ import annotations

import argparse
import json
import os
import tempfile
from pathlib import Path

from ..errors import OutputError
from .icons import bundled_icons, contact_sheet


def _write(target: Path, data: bytes) -> Path:
    """Write atomically: a reader never sees half a file."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.",
                                       suffix=".part")
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(tmp, target)
    except OSError as exc:
        raise OutputError(f"cannot write {target}: {exc.strerror or exc}") from None
    return target


def cmd_icons(args: argparse.Namespace) -> int:
    icons = bundled_icons()
    if args.json:
        print(json.dumps({"source": icons.source, "icons": [i.summary() for i in icons]},
                         ensure_ascii=False, indent=2))
    else:
        for icon in icons:
            aliases = ", ".join(icon.aliases)
            print(f"{icon.name:<20} {icon.vi} / {icon.en}  ({aliases}; {icon.source})")
        print(f"{len(icons)} icons — {icons.source.get('attribution', '')}")
    if args.sheet:
        target = _write(Path(args.sheet), contact_sheet())
        if not args.json:
            print(f"wrote {target}")
    return 0


def add_icons_parser(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    parser = sub.add_parser("icons", help="list the bundled icons (names for icon(...))")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.add_argument("--sheet", metavar="OUT.png", help="also write a contact sheet PNG")
    parser.set_defaults(func=cmd_icons)
