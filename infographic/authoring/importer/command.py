"""``infographic import DRAWING.svg [DRAWING.svg …] -o DIR/NAME``: the CLI over
:func:`import_drawing` (``infographic new NAME --from DRAWING.svg`` is the same)."""

from __future__ import annotations

import argparse
import json

EXIT_OK = 0


def cmd_import(args: argparse.Namespace) -> int:
    from . import import_drawing

    report = import_drawing(args.drawings, args.output, force=args.force,
                            keep_colours=args.keep_colours,
                            theme_from_drawing=args.theme_from_drawing,
                            keep_sizes=getattr(args, "keep_sizes", False))
    if args.json:
        print(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        print(report.format())
        print(f"next: infographic render {args.output} --size {','.join(report.sizes)} "
              f"-o out/{{size}}.png")
        print(f"      infographic check {args.output}")
    return EXIT_OK


def add_import_parser(sub: "argparse._SubParsersAction") -> None:
    parser = sub.add_parser("import", help="turn an Inkscape, Figma or Illustrator drawing "
                            "(one SVG per size) into a layout folder")
    parser.add_argument("drawings", nargs="+", metavar="DRAWING.svg",
                        help="the drawing(s), one per size (square, story, a4…: by the "
                        "artboard's name or proportions)")
    parser.add_argument("--output", "-o", required=True, metavar="DIR/NAME",
                        help="the layout folder to write; its name is the layout's")
    parser.add_argument("--force", action="store_true",
                        help="replace the layout in an existing folder")
    parser.add_argument("--keep-colours", action="store_true",
                        help="keep the drawing's colours as they are (by default a colour of a "
                        "bundled theme's palette becomes its name, so --theme restyles it)")
    parser.add_argument("--theme-from-drawing", action="store_true",
                        help="also write theme.yaml in the layout folder: the drawing's palette "
                        "as a theme (render with --theme DIR/NAME/theme.yaml)")
    parser.add_argument("--keep-sizes", action="store_true",
                        help="keep every text at the size drawn (by default a size snaps to the "
                        "nearest step of the type scale: 20, 24, 30, 40, 56, 80, 112)")
    parser.add_argument("--json", action="store_true", help="the report as JSON")
    parser.set_defaults(func=cmd_import)
