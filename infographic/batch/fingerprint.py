"""Fingerprints of everything an output depends on, so a rerun redoes only what changed.

An output's fingerprint is :func:`infographic.renderkey.render_key` (the preview caches by the
same key) over the layout folder's files, the row's mapped data and the images it names, the
theme, the bundled fonts, the package version, the size, the format and strictness. Layout,
theme and font hashes are computed once per batch and cached.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from ..errors import InfographicError
from ..renderkey import canonical, file_hash, folder_hash, render_key, theme_hash
from ..resources import bundled_dir

#: What an output's fingerprint is: the one render key, over the parts the batch knows.
output_fingerprint = render_key
__all__ = ["asset_hashes", "canonical", "folder_hash", "fonts_hash", "output_fingerprint",
           "theme_hash"]


@lru_cache(maxsize=1)
def fonts_hash() -> str:
    return folder_hash(bundled_dir("fonts"))


_IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".webp", ".gif", ".svg", ".bmp", ".tif", ".tiff")


@lru_cache(maxsize=4096)
def _file_hash(path: Path, size: int, mtime_ns: int) -> str:
    return file_hash(path)  # read again when the size or modification time changes


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
