"""Per-user caches kept between processes, so a one-shot command starts warm.

What is kept must be safe to keep:

* a private folder — ``$INFOGRAPHIC_CACHE_DIR``, else ``$XDG_CACHE_HOME/infographic`` or
  ``~/.cache/infographic`` — created with mode 0700 and used only while it is owned by this
  user and closed to others (as Jinja2 checks its bytecode cache folder);
* entries named by a hash of everything they were made from, so a changed input is a new name
  and nothing is ever stale;
* bounded: past :data:`~infographic.limits.USER_CACHE_ENTRIES` entries of a kind, the least recently written go;
* never an error: no home folder, a read-only disk or someone else's folder means no cache.
  ``INFOGRAPHIC_CACHE=0`` turns the caches off.
"""

from __future__ import annotations

import hashlib
import os
import stat
from functools import lru_cache
from pathlib import Path

from . import limits
from .errors import OutputError
from .fileio import atomic_file


@lru_cache(maxsize=1)
def cache_dir() -> Path | None:
    """The private cache folder, or None when there is no safe one."""
    if os.environ.get("INFOGRAPHIC_CACHE", "1") == "0":
        return None
    base = os.environ.get("INFOGRAPHIC_CACHE_DIR")
    if base:
        folder = Path(base)
    else:
        xdg = os.environ.get("XDG_CACHE_HOME")
        folder = (Path(xdg) if xdg else Path.home() / ".cache") / "infographic"
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = folder.lstat()
    except (OSError, RuntimeError):
        return None
    private = stat.S_ISDIR(info.st_mode) and not info.st_mode & 0o077
    owned = not hasattr(os, "getuid") or info.st_uid == os.getuid()
    return folder if private and owned else None


def key(*parts: "str | bytes") -> str:
    """A cache name for the inputs ``parts`` (their SHA-256)."""
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big") + data)
    return digest.hexdigest()


def _path(kind: str, name: str) -> Path | None:
    folder = cache_dir()
    return None if folder is None else folder / kind / name


def get(kind: str, name: str) -> bytes | None:
    """The bytes kept under ``kind``/``name``, or None."""
    path = _path(kind, name)
    if path is None:
        return None
    try:
        return path.read_bytes()
    except OSError:
        return None


def put(kind: str, name: str, data: bytes) -> None:
    """Keep ``data`` under ``kind``/``name`` (atomically; silently not, when it cannot be)."""
    path = _path(kind, name)
    if path is None or len(data) > limits.USER_CACHE_ENTRY_BYTES:
        return
    try:
        path.parent.mkdir(mode=0o700, exist_ok=True)
        with atomic_file(path, permissions=0o600) as out:
            out.write(data)
        _prune(path.parent)
    except (OSError, OutputError):
        return


def _prune(folder: Path) -> None:
    entries = [e for e in os.scandir(folder) if not e.name.startswith(".")]
    if len(entries) <= limits.USER_CACHE_ENTRIES:
        return
    entries.sort(key=lambda e: e.stat().st_mtime_ns)
    for entry in entries[:len(entries) - limits.USER_CACHE_ENTRIES]:
        try:
            os.unlink(entry.path)
        except OSError:
            pass
