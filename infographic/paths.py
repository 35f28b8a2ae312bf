"""The one containment check: is a path inside a folder, after symlinks and ``..``?

Every place that reads a file named by a layout, a template or data (images, templates, preview
assets, print preflight) asks :func:`resolve_inside`, so they all refuse the same paths. Comparing
strings is not enough: ``/data/layout-evil`` starts with ``/data/layout``.
"""

from __future__ import annotations

import os
from pathlib import Path


def resolve_inside(root: "str | os.PathLike[str]", path: "str | os.PathLike[str]"
                   ) -> Path | None:
    """The real path of ``path`` if it lies inside ``root``, else None.

    A relative ``path`` is taken from ``root``; symlinks and ``..`` are followed before the
    comparison, on both sides. Whether the file exists is left to the caller.
    """
    real_root = os.path.realpath(root)
    real = os.path.realpath(os.path.join(root, path))
    try:
        inside = os.path.commonpath([real_root, real]) == real_root
    except ValueError:  # different drives (Windows)
        return None
    return Path(real) if inside else None
