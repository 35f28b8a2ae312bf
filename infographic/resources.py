"""Where the bundled fonts, layouts, examples and themes live.

In an installed wheel they sit in ``infographic/_bundled/``; in a source checkout (and an editable
install) they are the top-level folders next to the package.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def bundled_dir(name: str) -> Path:
    """Folder of bundled resources ``name`` (``fonts``, ``layouts``, ``examples``)."""
    packaged = _PACKAGE / "_bundled" / name
    if packaged.is_dir():
        return packaged
    return _PACKAGE.parent / name


def themes_dir() -> Path:
    return _PACKAGE / "themes"
