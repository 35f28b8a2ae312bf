"""``infographic preview DRAWING.svg …``: the designer's drawings imported into a layout folder
that the preview shows, and imported again on every save (Inkscape, Figma, Illustrator).

The preview itself only watches the layout folder: a new import rewrites it, and the open
pages update like for any edited layout. A failed import keeps the last good layout on screen
and says why on the console."""

from __future__ import annotations

import re
import shutil
import sys
import tempfile
import threading
import unicodedata
from pathlib import Path
from typing import Sequence

from watchfiles import watch

from ..authoring.importer import ImportReport, import_drawing
from ..errors import InfographicError
from .watcher import DEBOUNCE_MS, STEP_MS  # as the preview's own watcher: one import per save


def is_drawing(argument: str) -> bool:
    return argument.lower().endswith(".svg")


def layout_name(drawing: Path) -> str:
    """``Áp phích Square.svg`` → ``ap-phich-square``: a valid layout name for the import."""
    plain = unicodedata.normalize("NFD", drawing.stem.lower().replace("đ", "d"))
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    name = re.sub(r"[^a-z0-9]+", "-", plain).strip("-")
    return name if name[:1].isalpha() else f"drawing-{name}".rstrip("-")


class DrawingSync:
    """Keeps ``folder`` the import of ``drawings``; :meth:`start` follows their saves."""

    def __init__(self, drawings: Sequence[str | Path], folder: Path | None = None) -> None:
        self.drawings = [Path(d).resolve() for d in drawings]
        self._own_root = None if folder else Path(tempfile.mkdtemp(prefix="infographic-drawn-"))
        self.folder = folder or self._own_root / layout_name(self.drawings[0])  # type: ignore[operator]
        self.report: ImportReport = import_drawing(self.drawings, self.folder, force=True)
        self.last_error: str | None = None
        self.imports = 1
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def reimport(self) -> bool:
        try:
            self.report = import_drawing(self.drawings, self.folder, force=True)
        except InfographicError as exc:
            self.last_error = str(exc)
            print(f"import failed, the preview keeps the last good import: {exc}",
                  file=sys.stderr, flush=True)
            return False
        self.last_error = None
        self.imports += 1
        print(f"imported {', '.join(d.name for d in self.drawings)} again", flush=True)
        return True

    def _follow(self) -> None:
        folders = sorted({d.parent for d in self.drawings})
        wanted = set(self.drawings)
        for changes in watch(*folders, recursive=False, stop_event=self._stop, step=STEP_MS,
                             debounce=DEBOUNCE_MS, yield_on_timeout=False):
            if any(Path(path).resolve() in wanted for _, path in changes) \
                    and all(d.is_file() for d in self.drawings):
                self.reimport()

    def start(self) -> None:
        self._thread = threading.Thread(target=self._follow, name="infographic-drawings",
                                        daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(5)
        if self._own_root is not None:
            shutil.rmtree(self._own_root, ignore_errors=True)
