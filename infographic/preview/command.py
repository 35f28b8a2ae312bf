"""``infographic preview``: the argparse wiring (imports no web code until the command runs)."""

from __future__ import annotations

import argparse
import importlib.util
import signal
from typing import Any

from ..errors import InfographicError
from . import DEFAULT_PORT

WEB_STACK = ("starlette", "uvicorn", "watchfiles")  # the `preview` extra


def _cmd_preview(args: argparse.Namespace) -> int:
    missing = [name for name in WEB_STACK if importlib.util.find_spec(name) is None]
    if missing:
        raise InfographicError(f"the preview needs its web stack ({', '.join(missing)} missing): "
                               "pip install 'infographic[preview]'")
    from .server import serve

    # Ctrl+C stops the preview even when it was started with SIGINT ignored (a background job
    # of a script, a test harness): until uvicorn installs its own handler the signal was lost
    signal.signal(signal.SIGINT, signal.default_int_handler)
    layouts, sync = list(args.layouts), None
    drawings = [a for a in layouts if a.lower().endswith(".svg")]
    if drawings:  # a designer's drawings: imported now and on every save (drawings.py)
        from .drawings import DrawingSync

        sync = DrawingSync(drawings)
        print(sync.report.format(), flush=True)
        layouts = [str(sync.folder)] + [a for a in layouts if a not in drawings]
        sync.start()
    try:
        return serve(layouts, data=args.data or (), theme=args.theme, port=args.port,
                     open_browser=args.open)
    except KeyboardInterrupt:
        return 0
    finally:
        if sync is not None:
            sync.stop()


def add_preview_parser(sub: Any) -> None:
    """Add the ``preview`` subcommand to the CLI's subparsers."""
    p = sub.add_parser("preview", help="live preview for designers: every size, updated on save",
                       description="Serve a live preview on 127.0.0.1: a gallery of layouts and a "
                       "page per layout with every size side by side. Saving a layout's template, "
                       "manifest, data or theme updates open pages.")
    p.add_argument("layouts", nargs="*", metavar="LAYOUT",
                   help="bundled layout name, layout folder, or folder of layout folders "
                   "(default: every bundled layout); or drawings (.svg, one per size), "
                   "imported as one layout now and again on every save")
    p.add_argument("--data", "-d", action="append", metavar="FILE",
                   help="data file (.yaml or .json) to preview with; with several layouts, name "
                   "it after its layout (repeatable). Default: the example or sample data")
    p.add_argument("--theme", "-t", help="bundled theme name or theme .yaml file "
                   "(default: each layout's own theme; switchable in the page)")
    p.add_argument("--port", "-p", type=int, default=DEFAULT_PORT,
                   help=f"port on 127.0.0.1 (default {DEFAULT_PORT}; 0 picks a free one)")
    p.add_argument("--open", action="store_true", help="open the preview in the web browser")
    p.set_defaults(func=_cmd_preview)
