"""infographic: SVG layout templates + health messages and statistics → finished infographics.

    >>> import infographic
    >>> art = infographic.render("announcement", size="portrait")
    >>> art.save("announcement.png")
"""

from .artwork import Artwork
from .errors import (DataError, FitError, FontError, InfographicError, LayoutError, LimitError,
                     OutputError, SizeError, ThemeError)
from .fitreport import FitEntry, FitReport
from .layout.manifest import Layout, bundled_layouts, load_layout
from .render import render
from . import datafile
from . import print as _print  # registers the print-pdf format (pypdf loads on first use)
from .sizes import PRESETS, Size, parse_size
from .themes import Theme, load_theme

from .version import __version__

__all__ = [
    "Artwork", "DataError", "FitEntry", "FitError", "FitReport", "FontError", "InfographicError",
    "Layout", "LayoutError", "LimitError", "OutputError", "PRESETS", "Size", "SizeError", "Theme",
    "ThemeError", "bundled_layouts", "load_layout", "load_theme", "parse_size", "render",
    "__version__",
]
