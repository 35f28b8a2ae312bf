"""Fingerprints of everything an output depends on, so a rerun redoes only what changed.

An output's fingerprint covers the layout folder's files, the row's mapped data, the theme, the
bundled fonts, the package version, the size, the format and strictness. Layout, theme and font
hashes are computed once per process and cached.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..errors import InfographicError
from ..resources import bundled_dir
from ..themes import Theme

_SKIP_DIRS = {"__pycache__", ".git"}


def _hash_tree(root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        relative = path.relative_to(root)
        if set(relative.parts) & _SKIP_DIRS or relative.name.startswith("."):
            continue
        digest.update(relative.as_posix().encode("utf-8") + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


@lru_cache(maxsize=64)
def _tree_cached(root: Path, stamp: tuple[tuple[str, int, int], ...]) -> str:
    return _hash_tree(root)


def tree_hash(root: "str | Path") -> str:
    """Content hash of a folder; recomputed only when a file's size or mtime changes."""
    folder = Path(root).resolve()
    stamp = tuple(sorted((str(p), p.stat().st_size, p.stat().st_mtime_ns)
                         for p in folder.rglob("*") if p.is_file()))
    return _tree_cached(folder, stamp)


@lru_cache(maxsize=1)
def fonts_hash() -> str:
    return tree_hash(bundled_dir("fonts"))


def _default(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    return str(value)


def canonical(value: Any) -> str:
    """Stable JSON text of ``value`` (sorted keys, dates as ISO)."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=_default,
                      separators=(",", ":"))


def theme_hash(theme: Theme) -> str:
    return hashlib.sha256(canonical(dataclasses.asdict(theme)).encode("utf-8")).hexdigest()


_IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".webp", ".gif", ".svg", ".bmp", ".tif", ".tiff")


@lru_cache(maxsize=4096)
def _file_hash(path: Path, size: int, mtime_ns: int) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def asset_hashes(data: Any, roots: tuple[Path, ...]) -> dict[str, str]:
    """Content hashes of the image files the row's values name (``photo: anh/ward-1.jpg``),
    looked up in the asset folders as ``image(...)`` would: a new photo renders again."""
    from ..media.images import resolve_image_path

    found: dict[str, str] = {}
    stack = [data]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            stack.extend(value.values())
        elif isinstance(value, (list, tuple)):
            stack.extend(value)
        elif isinstance(value, str) and value.strip().lower().endswith(_IMAGE_SUFFIXES):
            try:
                path = resolve_image_path(value, roots)
                stat = path.stat()
                found[value] = _file_hash(path, stat.st_size, stat.st_mtime_ns)
            except (InfographicError, OSError):
                found[value] = "missing"  # render reports it; a new file later renders again
    return found


def output_fingerprint(**parts: Any) -> str:
    """sha256 over the named parts, e.g. layout=…, data=…, theme=…, size=…, format=…."""
    return hashlib.sha256(canonical(parts).encode("utf-8")).hexdigest()
