"""Command line: ``infographic render`` and ``infographic layouts``. No rendering logic here."""

from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
from pathlib import Path
from typing import Any, Sequence

from .version import __version__
from .errors import InfographicError
from .sizes import PRESETS

#: The other commands: name → (module, function that adds its parser, one-line help). Only the
#: module of the command being run is imported (cold start: ``--help`` and ``layouts`` load no
#: cairo, Jinja2, HarfBuzz or Pillow); the others appear in ``--help`` by this one line.
COMMANDS: dict[str, tuple[str, str, str]] = {
    "icons": ("infographic.media.command", "add_icons_parser",
              "list the bundled icons (names for icon(...))"),
    "themes": ("infographic.themes.command", "add_themes_parser",
               "list the bundled themes, or derive one from a colour"),
    "batch": ("infographic.batch.command", "add_batch_parser",
              "render one image per data row (CSV, XLSX, JSON, JSONL, YAML)"),
    "print": ("infographic.print.command", "add_print_parser",
              "print-ready PDF: bleed, crop marks, one page per record"),
    "preview": ("infographic.preview.command", "add_preview_parser",
                "live preview for designers: every size, updated on save"),
    "new": ("infographic.authoring.command", "add_authoring_parsers",
            "scaffold a new layout folder that renders at once"),
    "import": ("infographic.authoring.importer.command", "add_import_parser",
               "turn an Inkscape, Figma or Illustrator drawing (one SVG per size) into a layout "
               "folder"),
    "check": ("infographic.authoring.command", "add_authoring_parsers",
              "lint a layout: manifest vs template, fonts, icons, fit at every size, contrast, "
              "glyph coverage"),
    "gallery": ("infographic.authoring.command", "add_authoring_parsers",
                "render every bundled layout with its example data into small PNGs and a "
                "README.md that shows them"),
}

EXIT_OK, EXIT_ERROR, EXIT_USAGE = 0, 1, 2
EXIT_PIPE = 141  # 128 + SIGPIPE, what a shell reports for a tool whose reader went away


def _output_path(pattern: str | None, layout: str, size: str, several: bool) -> Path:
    if pattern is None:
        return Path(f"{layout}-{size}.png")
    if "{size}" in pattern:
        return Path(pattern.replace("{size}", size))
    path = Path(pattern)
    return path.with_name(f"{path.stem}-{size}{path.suffix}") if several else path


def _asset_folders(args: argparse.Namespace) -> list[Path]:
    """Folders images may be read from: --assets, and the data file's own folder."""
    folders = [Path(folder) for folder in args.assets or []]
    return folders + ([Path(args.data).resolve().parent] if args.data else [])


def _suggest_jpeg(art: Any, target: Path, max_bytes: int) -> None:
    """A PNG that fits only as a palette of 256 colours or fewer bands photos and gradients;
    say so when a JPEG of the same picture fits at good quality."""
    if target.suffix.lower() != ".png":
        return
    from PIL import Image

    with Image.open(target) as written:
        if written.mode != "P":
            return
    try:
        art.to_bytes("jpeg", max_bytes=max_bytes)
    except InfographicError:
        return
    print(f"warning: {target} fits {max_bytes:,} bytes only as a PNG of 256 colours or fewer, "
          f"which bands photos and gradients; a JPEG fits without that: -o "
          f"{target.with_suffix('.jpg')}", file=sys.stderr)


def _cmd_render(args: argparse.Namespace) -> int:
    from .datafile import default_data, load_data_file, set_values
    from .layout.manifest import load_layout
    from .render import render

    layout = load_layout(args.layout)
    if args.data:
        data = load_data_file(args.data)
    else:
        data = default_data(layout)
    data.update(set_values(args.set or []))
    sizes = [s.strip() for s in args.size.split(",") if s.strip()]
    for size in sizes:
        art = render(layout, data, size=size, theme=args.theme, strict=args.strict,
                     assets=_asset_folders(args), locale=args.locale)
        target = art.save(_output_path(args.output, layout.name, size, len(sizes) > 1),
                          max_bytes=args.max_bytes)
        if args.alt_text:
            art.save_alt_text(target.with_suffix(".txt"))
        if args.max_bytes:
            _suggest_jpeg(art, target, args.max_bytes)
        if args.report:
            print(art.fit_report.format())
        elif art.fit_report.warnings:
            for warning in art.fit_report.warnings:
                print(f"warning: {warning}", file=sys.stderr)
        if not args.quiet:
            print(f"wrote {target} ({art.width}×{art.height}, fit: {art.fit_report.worst})")
    return EXIT_OK


def _cmd_layouts(args: argparse.Namespace) -> int:
    from .layout.manifest import bundled_layouts, load_layout

    layouts, broken = [], 0
    for name in bundled_layouts():
        try:
            layouts.append(load_layout(name))
        except InfographicError as exc:
            print(f"error: {exc}", file=sys.stderr)
            broken += 1
    if args.json:
        print(json.dumps([l.summary() for l in layouts], ensure_ascii=False, indent=2))
    else:
        for l in layouts:
            print(f"{l.name:<20} {l.title} — sizes: {', '.join(l.sizes)}")
    return EXIT_ERROR if broken else EXIT_OK


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The whole command line; with ``command``, only that command's module is loaded."""
    parser = argparse.ArgumentParser(prog="infographic", description=(
        "Render infographics from SVG layouts and data, with correct Vietnamese typography."))
    parser.add_argument("--version", action="version", version=f"infographic {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    r = sub.add_parser("render", help="render one layout to PNG/JPEG/WebP/PDF/SVG")
    r.add_argument("layout", help="bundled layout name or layout folder")
    r.add_argument("--data", "-d", help="data file (.yaml or .json); default: the example data")
    r.add_argument("--set", "-s", action="append", metavar="FIELD=VALUE",
                   help="set one field (repeatable); \\n in VALUE is a line break")
    r.add_argument("--size", default="square",
                   help=f"{', '.join(PRESETS)} or WxH; several separated by commas")
    r.add_argument("--theme", "-t", help="bundled theme name or theme .yaml file")
    r.add_argument("--locale", help="how figures (numbers, dates) are written: vi_VN "
                   "(default), en…; it formats figures only: the words of the layout and its "
                   "alt text stay as written")
    r.add_argument("--output", "-o", help="output file; the suffix picks the format "
                   "(.png .jpg .webp .pdf .svg); {size} is replaced by the size name")
    r.add_argument("--max-bytes", type=int, metavar="N",
                   help="best PNG/JPEG/WebP quality within N bytes (Zalo: 500000)")
    r.add_argument("--strict", action="store_true",
                   help="fail when text is truncated, overflows or has characters no font has")
    r.add_argument("--report", action="store_true", help="print the fit report of every slot")
    r.add_argument("--alt-text", action="store_true",
                   help="also write the alt text (built from the data) beside each output, as .txt")
    r.add_argument("--quiet", "-q", action="store_true", help="print only warnings and errors")
    r.add_argument("--assets", action="append", metavar="DIR",
                   help="folder that image(...) may read photos and logos from (repeatable; "
                   "the layout folder and the data file's folder always are)")
    r.set_defaults(func=_cmd_render)

    ls = sub.add_parser("layouts", help="list the bundled layouts")
    ls.add_argument("--json", action="store_true", help="machine-readable output")
    ls.set_defaults(func=_cmd_layouts)
    wanted = list(COMMANDS) if command is None else [command]
    for module, adder in dict.fromkeys(COMMANDS[n][:2] for n in wanted if n in COMMANDS):
        getattr(importlib.import_module(module), adder)(sub)
    for name, (_, _, summary) in COMMANDS.items():
        if name not in sub.choices:  # listed in --help, never run
            sub.add_parser(name, help=summary, add_help=False)
    return parser


def _command_name(argv: Sequence[str]) -> str | None:
    """The command word of ``argv`` (the first argument that is not an option)."""
    return next((a for a in argv if not a.startswith("-")), None)


def _add_debug_flag(parser: argparse.ArgumentParser) -> None:
    """``--debug`` before or after the command name (``infographic render x --debug``)."""
    parser.add_argument("--debug", action="store_true", help="on an error, show the full Python "
                        "traceback (for a bug report) instead of one line")
    for action in parser._actions:
        if not isinstance(action, argparse._SubParsersAction):
            continue
        for command in action.choices.values():
            command.add_argument("--debug", action="store_true", default=argparse.SUPPRESS,
                                 help=argparse.SUPPRESS)


def _pipe_closed() -> int:
    """The reader of our output went away (``| head``): end quietly, as Unix tools do."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())  # nothing more to flush at exit, no second error
    return EXIT_PIPE


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command. Errors end in one line on stderr, never a traceback (unless --debug)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(_command_name(argv) or "")
    _add_debug_flag(parser)
    args = parser.parse_args(argv)
    try:
        code = args.func(args)
        sys.stdout.flush()  # a closed pipe shows here, not at interpreter exit
        return code
    except BrokenPipeError:
        return _pipe_closed()
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except InfographicError as exc:
        if args.debug:
            raise
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except Exception as exc:  # noqa: BLE001 - a bug: one line, the traceback on request
        if args.debug:
            raise
        detail = " ".join(str(exc).split())[:300]
        print(f"error: unexpected {type(exc).__name__}{': ' + detail if detail else ''} — "
              "this is a bug in infographic: rerun the same command with --debug to see where "
              "it happened, and report it", file=sys.stderr)
        return EXIT_ERROR
