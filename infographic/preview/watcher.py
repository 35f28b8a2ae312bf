"""Watch the files a preview depends on and tell :class:`LivePreview` what was saved.

Layout folders are watched with their subfolders; data files and theme files through their
folders without subfolders (editors often save by writing a new file and renaming it over the old
one, which a watch on the file itself would miss).
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from watchfiles import awatch

from ..paths import resolve_inside
from ..resources import themes_dir
from .live import LivePreview

#: Changes are handed over once files have been quiet for STEP_MS (at most DEBOUNCE_MS after the
#: first), so an editor's write-then-rename save becomes one re-render.
STEP_MS = 50
DEBOUNCE_MS = 400


def watched_paths(live: LivePreview) -> tuple[set[Path], set[Path]]:
    """(folders watched recursively, folders watched without subfolders)."""
    project = live.project
    recursive = {entry.folder for entry in project.layouts.values()}
    flat = {themes_dir()}
    for entry in project.layouts.values():
        if entry.data_path is not None:
            flat.add(entry.data_path.parent)
    if project.theme_file is not None:
        flat.add(project.theme_file.parent)
    flat = {p for p in flat if not any(resolve_inside(r, p) is not None for r in recursive)}
    return ({p for p in recursive if p.is_dir()}, {p for p in flat if p.is_dir()})


async def _watch(live: LivePreview, folders: set[Path], recursive: bool,
                 stop: asyncio.Event) -> None:
    if not folders:
        return
    async for changes in awatch(*folders, recursive=recursive, stop_event=stop, step=STEP_MS,
                                debounce=DEBOUNCE_MS):
        live.files_changed({Path(path).resolve() for _, path in changes})


async def watch(live: LivePreview, stop: asyncio.Event) -> None:
    """Run until ``stop`` is set; a watcher failure is logged, never fatal to the server."""
    recursive, flat = watched_paths(live)
    try:
        await asyncio.gather(_watch(live, recursive, True, stop), _watch(live, flat, False, stop))
    except Exception as exc:  # noqa: BLE001 - the pages still work, only without live reload
        print(f"warning: file watching stopped ({exc}); reload the page after saving",
              file=sys.stderr)
