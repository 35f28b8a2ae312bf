"""``infographic batch LAYOUT DATA -o OUTDIR …``: the command line over :func:`run_batch`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from ..errors import InfographicError
from ..fileio import require_suffix
from ..limits import ISOLATED_SECONDS
from ..sizes import PRESETS
from .executors import default_jobs
from .mapping import ColumnMapping
from .naming import DEFAULT_TEMPLATE
from .plan import BatchSpec, Shard
from .readers import DATA_FORMATS
from .runner import BatchOptions, run_batch

EPILOG = """\
data columns → layout fields:
  a column named like a field feeds it; --map COLUMN=FIELD renames one; numbered columns make
  lists (body.1, body.2) and tables (tips.1.heading, tips.1.text); _size, _theme, _layout and
  _locale columns override the batch's size(s), theme, layout and locale for that row; empty
  cells take the field's default.

exit codes:
  0  every row rendered (or was already up to date), no fit warnings
  1  the batch could not start (unknown layout, unreadable data file, bad option)
  2  command-line usage error
  3  some rows failed (row, field and reason are in the report); the other rows were rendered
     (also: the contact sheet, bound PDF or zip could not be written)
  4  every row rendered, but some outputs have fit warnings (truncated text…): see index.html
  130 interrupted: rerun the same command to render the rest

Rerunning the same command renders only outputs that are missing or whose inputs (layout,
row data, theme, fonts, version, size, format) changed.
"""


def _rows(text: str | None) -> tuple[int, int] | None:
    if not text:
        return None
    first, _, last = text.partition("-")
    try:
        low = int(first) if first else 1
        high = int(last) if last else (low if not _ else 10**12)
    except ValueError:
        raise InfographicError(f"--rows needs A-B (row numbers as the spreadsheet shows them), "
                               f"got '{text}'") from None
    return low, high


def add_batch_parser(sub: Any) -> argparse.ArgumentParser:
    """Add the ``batch`` subcommand to ``infographic``'s subparsers."""
    b = sub.add_parser("batch", help="render one image per data row (CSV, XLSX, JSON, JSONL, YAML)",
                       description="Render one image per row (and size) of a data file, in "
                       "parallel, resumable, with a report and a contact sheet.",
                       epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    b.add_argument("layout", help="bundled layout name or layout folder")
    b.add_argument("data", help="data file: .csv .tsv .xlsx .json .jsonl .yaml")
    b.add_argument("--output", "-o", required=True, help="output folder")
    b.add_argument("--size", default="square",
                   help=f"{', '.join(PRESETS)} or WxH; several separated by commas")
    b.add_argument("--format", "-f", default="png", help="png, jpeg, webp, pdf, svg; several "
                   "separated by commas")
    b.add_argument("--name", "-n", default=DEFAULT_TEMPLATE, help="output name template over "
                   "columns and fields, e.g. '{ward}-{date}' (also {row} {layout} {size}; "
                   "'/' makes folders). Default: %(default)s")
    b.add_argument("--ascii-names", action="store_true",
                   help="strip Vietnamese diacritics from file names (Phường → Phuong)")
    b.add_argument("--theme", "-t", help="bundled theme name or theme .yaml file")
    b.add_argument("--locale", help="how figures (numbers, dates) are written: vi_VN "
                   "(default), en…; it formats figures only: the words of the layout and its "
                   "alt text stay as written")
    b.add_argument("--assets", action="append", default=[], metavar="DIR",
                   help="folder that image(...) may read photos and logos from (repeatable; "
                   "the layout folder and the data file's folder always are)")
    b.add_argument("--map", "-m", action="append", default=[], metavar="COLUMN=FIELD|FILE.yaml",
                   help="map a column to a field (repeatable), or a YAML file with "
                   "'columns:' and 'set:'")
    b.add_argument("--set", "-s", action="append", default=[], metavar="FIELD=VALUE",
                   help="give every row this value (a cell in the row wins)")
    b.add_argument("--jobs", "-j", type=int, default=None,
                   help=f"worker processes (default: all cores, here {default_jobs()})")
    b.add_argument("--timeout", type=float, default=None, metavar="SECONDS",
                   help="hard deadline of one row at one size: its worker is stopped and the "
                   f"row fails (default: {ISOLATED_SECONDS:g})")
    b.add_argument("--executor", choices=("pool", "dask"), default="pool",
                   help="pool: local processes; dask: a Dask cluster (pip install "
                   "'infographic[dask]')")
    b.add_argument("--scheduler", help="Dask scheduler address (tcp://host:8786); default: "
                   "start a local cluster of --jobs workers")
    b.add_argument("--shard", help="I/N: render only the I-th of N interleaved parts of the rows "
                   "(for cron, Slurm arrays, Kubernetes jobs, GNU parallel)")
    b.add_argument("--rows", help="only rows A-B (numbers as the spreadsheet shows them)")
    b.add_argument("--input-format", choices=DATA_FORMATS, help="data format (default: suffix)")
    b.add_argument("--delimiter", help="CSV delimiter (default: detected among , ; tab |)")
    b.add_argument("--sheet", help="XLSX sheet name (default: the first)")
    b.add_argument("--strict", action="store_true", help="a row whose text is truncated or "
                   "overflows fails instead of being rendered with a warning")
    b.add_argument("--report", "-r", help="JSON report path (default: OUTDIR/batch-report.json)")
    b.add_argument("--no-contact-sheet", action="store_true",
                   help="do not write OUTDIR/index.html and thumbnails")
    b.add_argument("--contact-png", action="store_true",
                   help="also write PNG contact-sheet pages to OUTDIR/_review/")
    b.add_argument("--bind", metavar="FILE.pdf", help="bind every row into one multi-page PDF "
                   "(adds pdf to --format)")
    b.add_argument("--zip", metavar="FILE.zip", help="zip the outputs")
    b.add_argument("--force", action="store_true", help="render everything, even if up to date")
    b.add_argument("--prune", action="store_true", help="delete outputs an earlier run wrote that "
                   "the data no longer produces (a deleted row, a dropped size or format); "
                   "without it they are only listed in the report")
    b.add_argument("--quiet", "-q", action="store_true",
                   help="no progress; print only errors, warnings and (on failure) the summary")
    b.set_defaults(func=cmd_batch)
    return b


def _split(text: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in text.split(",") if p.strip())


def options_from_args(args: argparse.Namespace) -> BatchOptions:
    formats = _split(args.format)
    if args.bind and "pdf" not in formats:
        formats += ("pdf",)
    if args.jobs is not None and args.jobs < 1:
        raise InfographicError("--jobs must be 1 or more")
    if args.timeout is not None and not args.timeout > 0:
        raise InfographicError("--timeout must be a number of seconds above 0")
    spec = BatchSpec(layout=args.layout, sizes=_split(args.size), formats=formats,
                     theme=args.theme, name_template=args.name, ascii_names=args.ascii_names,
                     mapping=ColumnMapping.from_options(args.map, args.set),
                     shard=Shard.parse(args.shard), rows=_rows(args.rows), strict=args.strict,
                     thumbnails=not args.no_contact_sheet or args.contact_png,
                     locale=args.locale, assets=tuple(
                         str(Path(a).resolve()) for a in [*args.assets, Path(args.data).parent]))
    return BatchOptions(data=Path(args.data), outdir=Path(args.output), spec=spec,
                        input_format=args.input_format, delimiter=args.delimiter,
                        sheet=args.sheet, jobs=args.jobs, timeout=args.timeout,
                        executor=args.executor,
                        scheduler=args.scheduler,
                        report=Path(args.report) if args.report else None,
                        contact_sheet=not args.no_contact_sheet, contact_png=args.contact_png,
                        bind=require_suffix(args.bind, (".pdf",), "--bind", "the bound PDF")
                        if args.bind else None,
                        zip=require_suffix(args.zip, (".zip",), "--zip", "the zip")
                        if args.zip else None, force=args.force, prune=args.prune,
                        quiet=args.quiet, stream=sys.stderr)


def cmd_batch(args: argparse.Namespace) -> int:
    result = run_batch(options_from_args(args))
    return result.exit_code
