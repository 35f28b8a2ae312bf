"""One key per render input: what the batch stores to skip unchanged outputs on a rerun, and
what the preview caches renders by.

:func:`render_key` hashes named parts (``layout=folder_hash(folder)``, ``data=…``,
``theme=…``, ``size=…`` and whatever else the caller's output depends on: format, strictness,
fonts, version) as canonical JSON, so batch and preview cannot disagree about what changed.
:func:`folder_hash` is the one way a layout folder is hashed: names and contents of its regular
files, bounded (``limits.HASH_*``) so that a wrong folder, a FIFO or a device can neither block
nor fill memory.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import os
import stat
from pathlib import Path
from typing import Any

from .fileio import read_regular
from .limits import HASH_CONTENT_LIMIT, HASH_FOLDER_BUDGET, HASH_MAX_FILES

_IGNORED_PARTS = {"__pycache__", ".git", "node_modules"}


def _default(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    return str(value)


def _plain(value: Any) -> Any:
    """Mapping keys as text (YAML data may have number keys, which JSON cannot sort among
    text keys)."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def canonical(value: Any) -> str:
    """Stable JSON text of ``value`` (sorted keys, dates as ISO, anything else as text)."""
    return json.dumps(_plain(value), sort_keys=True, ensure_ascii=False, default=_default,
                      separators=(",", ":"))


def render_key(**parts: Any) -> str:
    """sha256 (hex) over the named parts of a render's input, e.g. ``layout=folder_hash(…),
    data=…, theme=…, size=…, format=…``."""
    return hashlib.sha256(canonical(parts).encode("utf-8")).hexdigest()


def theme_hash(theme: Any) -> str:
    """Hash of a loaded theme (a :class:`~infographic.themes.Theme`): its colours, fonts, logo."""
    return hashlib.sha256(canonical(dataclasses.asdict(theme)).encode("utf-8")).hexdigest()


def _stamp(info: os.stat_result) -> bytes:
    return f"{info.st_size}:{info.st_mtime_ns}".encode()


def _file_bytes(path: Path, limit: int) -> bytes | None:
    """A regular file's content up to ``limit`` bytes; None for anything else (a FIFO or a device
    is never opened for a blocking read, see :func:`~infographic.fileio.read_regular`)."""
    try:
        return read_regular(path, limit)
    except OSError:
        return None


def folder_hash(folder: "str | os.PathLike[str]") -> str:
    """A hash of every file in a folder (names and contents).

    Only regular files are read, each up to :data:`~infographic.limits.HASH_CONTENT_LIMIT` and
    all together up to :data:`~infographic.limits.HASH_FOLDER_BUDGET`; beyond that (and for
    symlinks, by their target) size and modification time stand in for the content. Symlinks
    are not followed into folders, hidden files and editor backups (``~``) do not count, and a
    FIFO or device counts by its name only, so nothing here can block or fill memory.
    """
    folder = Path(folder)
    digest = hashlib.sha256()
    budget, seen = HASH_FOLDER_BUDGET, 0
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if d not in _IGNORED_PARTS and not d.startswith("."))
        for name in sorted(files):
            if name.startswith(".") or name.endswith("~"):
                continue
            seen += 1
            if seen > HASH_MAX_FILES:
                return digest.hexdigest()
            path = Path(root) / name
            digest.update(str(path.relative_to(folder)).encode() + b"\0")
            try:
                info = os.lstat(path)
                if stat.S_ISLNK(info.st_mode):
                    digest.update(b"link:" + os.fsencode(os.readlink(path)) + _stamp(path.stat()))
                    continue
            except OSError:
                continue
            content = None
            if stat.S_ISREG(info.st_mode) and info.st_size <= min(HASH_CONTENT_LIMIT, budget):
                content = _file_bytes(path, HASH_CONTENT_LIMIT)
            if content is None:
                digest.update(b"stat:" + _stamp(info))
            else:
                budget -= len(content)
                digest.update(content)
    return digest.hexdigest()


def file_hash(path: "str | os.PathLike[str] | None") -> str:
    """A hash of one file's content (size and modification time past the content limit);
    ``-`` for no file, ``missing`` for one that is gone."""
    if path is None:
        return "-"
    content = _file_bytes(Path(path), HASH_CONTENT_LIMIT)
    if content is not None:
        return hashlib.sha256(content).hexdigest()
    try:
        return "stat:" + _stamp(os.stat(path)).decode()
    except OSError:
        return "missing"
