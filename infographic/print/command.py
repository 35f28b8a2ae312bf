"""``infographic print``: a print-ready PDF (one page per data record) for the print shop."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..datafile import default_data, load_data_file, set_values
from ..fileio import require_suffix, write_atomic
from ..layout.manifest import load_layout
from ..sizes import DEFAULT_BLEED_MM
from .pages import page_records, render_pages
from .preflight import bleed_problems


def _cmd_print(args: argparse.Namespace) -> int:
    from .cmyk import cmyk_print  # pikepdf and ImageCms load only for this command
    from .pdf import print_pdf

    target = require_suffix(args.output, (".pdf",), "--output", "a print PDF")
    layout = load_layout(args.layout)
    records, assets = [], [Path(folder) for folder in args.assets or []]
    sources = args.data or [None]
    for source in sources:
        if source:
            data = load_data_file(source)
            assets.append(Path(source).resolve().parent)
        else:
            data = default_data(layout)
        records.extend(page_records(data))
    overrides = set_values(args.set or [])
    for record in records:
        record.update(overrides)
    arts = render_pages(layout, records, size=args.size, theme=args.theme, strict=args.strict,
                        assets=assets)
    for number, art in enumerate(arts, 1):
        label = f"page {number}: " if len(arts) > 1 else ""
        bleed = bleed_problems(art, args.bleed)
        if args.report:
            print(f"{label or 'preflight: '}\n{art.fit_report.format()}")
        for warning in ([] if args.report else art.fit_report.warnings) + [
                f"preflight: {item.message}" for item in bleed]:
            print(f"warning: {label}{warning}", file=sys.stderr)
    marks = not args.no_marks
    if (args.pdfx or args.profile or args.ink_limit) and not args.cmyk:
        print("error: --pdfx, --profile and --ink-limit are for CMYK files: add --cmyk",
              file=sys.stderr)
        return 2
    result = None
    if args.cmyk:
        result = cmyk_print(arts, args.bleed, marks, profile=args.profile,
                            pdfx=args.pdfx or "4", ink_limit=args.ink_limit)
        pdf_bytes = result.data
    else:
        pdf_bytes = print_pdf(arts, args.bleed, marks)
    target = write_atomic(target, pdf_bytes)
    if result is not None:
        failed = [check for check in result.checks if not check.ok]
        if args.report:
            print(result.format())
        for check in failed:
            print(f"warning: PDF/X: {check.format()}", file=sys.stderr)
    elif args.report:
        print("RGB print PDF with an sRGB output intent: not PDF/X (a PDF/X file is CMYK "
              "here: add --cmyk)")
    if not args.quiet:
        paper = arts[0].size.paper_mm
        assert paper is not None  # rendered at a paper size (page_scene refuses others)
        kind = ""
        if result is not None:
            passed = sum(check.ok for check in result.checks)
            kind = (f", CMYK {'PDF/X-4' if result.standard == '4' else 'PDF/X-1a:2003'} "
                    f"({passed}/{len(result.checks)} checks pass), ink ≤ {result.max_ink:.0f} %")
        print(f"wrote {target} ({len(arts)} page{'s' * (len(arts) > 1)}, "
              f"{paper[0]:g}×{paper[1]:g} mm trim, bleed {args.bleed:g} mm"
              f"{', crop marks' if marks else ''}{kind or ', RGB (not PDF/X)'})")
    return 0


def add_print_parser(sub: "argparse._SubParsersAction") -> None:
    p = sub.add_parser("print", help="print-ready PDF: bleed, crop marks, one page per record",
                       description="Render a layout at a paper size into one print-ready PDF "
                       "(vector, outlined text, bleed, crop marks, TrimBox/BleedBox). Each "
                       "--data file is one page, or one page per entry of its 'pages' list.")
    p.add_argument("layout", help="bundled layout name or layout folder")
    p.add_argument("--data", "-d", action="append",
                   help="data file (.yaml/.json), repeatable; default: the example data")
    p.add_argument("--set", "-s", action="append", metavar="FIELD=VALUE",
                   help="set one field on every page (repeatable)")
    p.add_argument("--size", default="a4", help="a5…a0, a3-landscape…, WxHmm (default a4)")
    p.add_argument("--theme", "-t", help="bundled theme name or theme .yaml file")
    p.add_argument("--output", "-o", required=True, help="the PDF to write")
    p.add_argument("--bleed", type=float, default=DEFAULT_BLEED_MM,
                   help=f"bleed in mm (default {DEFAULT_BLEED_MM:g}; 0 with --no-marks gives "
                   "pages of the trim size for office printers)")
    p.add_argument("--no-marks", action="store_true", help="leave out the crop marks")
    p.add_argument("--cmyk", action="store_true",
                   help="CMYK PDF/X-4 (black text in K only, ink limit; see docs/print.md)")
    p.add_argument("--pdfx", choices=("4", "1a"),
                   help="with --cmyk: PDF/X standard, 4 (default: vectors and transparency "
                   "kept) or 1a (transparency flattened at the output dpi, needs Ghostscript)")
    p.add_argument("--profile", help="with --cmyk: the press's CMYK ICC output profile "
                   "(default: the bundled FOGRA39, ISO coated offset)")
    p.add_argument("--ink-limit", type=float, metavar="PERCENT",
                   help="with --cmyk: total ink limit, 200–400 (default 300)")
    p.add_argument("--assets", action="append", metavar="FOLDER",
                   help="extra folder images may be read from (repeatable)")
    p.add_argument("--strict", action="store_true",
                   help="fail when text is truncated, overflows or has characters no font has")
    p.add_argument("--report", action="store_true",
                   help="print each page's fit and preflight, and the PDF/X checks")
    p.add_argument("--quiet", "-q", action="store_true", help="print only warnings and errors")
    p.set_defaults(func=_cmd_print)
