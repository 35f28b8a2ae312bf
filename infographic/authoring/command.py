"""CLI subcommands for layout authors: ``new``, ``check`` and ``gallery``."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from ..datafile import load_data_file
from .check import check_layout
from .gallery import DEFAULT_OUT, DEFAULT_SIDE, build_gallery
from .scaffold import create_layout

EXIT_OK, EXIT_PROBLEMS = 0, 1


def cmd_new(args: argparse.Namespace) -> int:
    if args.drawings:  # `new NAME --from DRAWING.svg` is `import DRAWING.svg -o DIR/NAME`
        from .importer.command import cmd_import

        return cmd_import(argparse.Namespace(drawings=args.drawings, force=args.force,
                                             output=str(Path(args.dir) / args.name),
                                             json=False, keep_colours=False,
                                             theme_from_drawing=False))
    folder = create_layout(args.name, args.dir, force=args.force)
    print(f"created {folder}/layout.yaml and {folder}/template.svg.j2")
    print(f"next: infographic render {folder} --size square,story,landscape -o out/{args.name}.png")
    print(f"      infographic check {folder}")
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    data = load_data_file(args.data) if args.data else None
    sizes = [s.strip() for s in args.size.split(",") if s.strip()] if args.size else None
    assets = list(args.assets or []) + ([str(Path(args.data).parent)] if args.data else [])
    report = check_layout(args.layout, data, sizes=sizes, contrast=not args.no_contrast,
                          data_label=args.data or "data file", assets=assets,
                          stress=args.stress)
    if args.json:
        print(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        print(report.format())
    return EXIT_OK if report.ok else EXIT_PROBLEMS


def cmd_gallery(args: argparse.Namespace) -> int:
    layouts = [n.strip() for n in args.layouts.split(",")] if args.layouts else None
    written = build_gallery(args.out, layouts, side=args.side,
                            progress=None if args.quiet else (lambda line: print(f"wrote {line}")))
    print(f"{len(written) - 1} pictures and {written[-1]}")
    return EXIT_OK


def add_authoring_parsers(sub: "argparse._SubParsersAction") -> None:
    new = sub.add_parser("new", help="scaffold a new layout folder that renders at once")
    new.add_argument("name", help="layout name: lower case, digits and hyphens (my-poster)")
    new.add_argument("--dir", default=".", help="folder to create it in (default: here)")
    new.add_argument("--force", action="store_true",
                     help="overwrite layout.yaml and template.svg.j2 of an existing folder")
    new.add_argument("--from", dest="drawings", action="append", metavar="DRAWING.svg",
                     help="import the layout from a drawing instead (repeatable: one per "
                     "size); the same as infographic import")
    new.set_defaults(func=cmd_new)

    check = sub.add_parser("check", help="lint a layout: manifest vs template, fonts, icons, "
                           "fit at every size, contrast, glyph coverage")
    check.add_argument("layout", help="bundled layout name or layout folder")
    check.add_argument("--data", "-d", help="check with this data file instead of the sample "
                       "and example data")
    check.add_argument("--size", help="sizes to render, comma separated (default: all the "
                       "layout supports)")
    check.add_argument("--assets", action="append", metavar="DIR",
                       help="extra folder images may be read from (repeatable)")
    check.add_argument("--no-contrast", action="store_true",
                       help="skip the measured contrast check (faster)")
    check.add_argument("--stress", action="store_true",
                       help="also render the least and the most content the manifest accepts, "
                       "and check every render's geometry: text inside its card and the safe "
                       "area, no overlaps, no text under its role's floor, no empty bands")
    check.add_argument("--json", action="store_true", help="machine-readable report")
    check.set_defaults(func=cmd_check)

    gallery = sub.add_parser("gallery", help="render every bundled layout with its example "
                             "data into small PNGs and a README.md that shows them")
    gallery.add_argument("--out", default=DEFAULT_OUT,
                         help="output folder (default: %(default)s, in the current folder)")
    gallery.add_argument("--layouts", help="only these layouts, comma separated")
    gallery.add_argument("--side", type=int, default=DEFAULT_SIDE,
                         help=f"longest side of each picture in pixels (default {DEFAULT_SIDE})")
    gallery.add_argument("--quiet", "-q", action="store_true", help="print only the summary")
    gallery.set_defaults(func=cmd_gallery)
