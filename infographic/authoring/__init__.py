"""Tools for people who write layouts: scaffold a new one, lint it, build the gallery.

    infographic new NAME [--dir DIR]     → :func:`create_layout`
    infographic import DRAWING.svg -o D  → :func:`import_drawing` (``importer/``)
    infographic check LAYOUT             → :func:`check_layout`
    infographic gallery                  → :func:`build_gallery`

The designer's guide to the layout format is ``layouts/README.md``.
"""

from __future__ import annotations

from .check import CheckReport, Problem, check_layout
from .gallery import build_gallery
from .thumbnails import thumbnail
from .scaffold import create_layout
from .importer import ImportReport, import_drawing

__all__ = ["CheckReport", "ImportReport", "Problem", "build_gallery", "check_layout",
           "create_layout", "import_drawing", "thumbnail"]
