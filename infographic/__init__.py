"""infographic: SVG layout templates + health messages and statistics → finished infographics.

    >>> import infographic
    >>> art = infographic.render("announcement", size="portrait")
    >>> art.save("announcement.png")

The names below load on first use (PEP 562), so ``import infographic`` and the CLI's start-up
do not pay for cairo, Jinja2, HarfBuzz and Pillow before a render needs them.
"""

import importlib
import sys
import types
from typing import TYPE_CHECKING, Any

from .errors import (DataError, FitError, FontError, InfographicError, LayoutError, LimitError,
                     OutputError, SizeError, ThemeError)
from .version import __version__

if TYPE_CHECKING:
    from . import datafile
    from .artwork import Artwork
    from .fitreport import FitEntry, FitReport
    from .layout.manifest import Layout, bundled_layouts, load_layout
    from .render import render
    from .sizes import PRESETS, Size, parse_size
    from .themes import Theme, load_theme

_LAZY = {
    "Artwork": ".artwork", "FitEntry": ".fitreport", "FitReport": ".fitreport",
    "Layout": ".layout.manifest", "bundled_layouts": ".layout.manifest",
    "load_layout": ".layout.manifest", "PRESETS": ".sizes", "Size": ".sizes",
    "parse_size": ".sizes", "Theme": ".themes", "load_theme": ".themes",
}

__all__ = [
    "Artwork", "DataError", "FitEntry", "FitError", "FitReport", "FontError", "InfographicError",
    "Layout", "LayoutError", "LimitError", "OutputError", "PRESETS", "Size", "SizeError", "Theme",
    "ThemeError", "bundled_layouts", "load_layout", "load_theme", "parse_size", "render",
    "__version__",
]


def _with_print_pdf(module: str) -> types.ModuleType:
    loaded = importlib.import_module(module, __name__)
    importlib.import_module(".print", __name__)  # registers the print-pdf output format
    return loaded


def __getattr__(name: str) -> Any:
    if name == "datafile":
        return importlib.import_module(".datafile", __name__)
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module = _with_print_pdf(_LAZY[name]) if name == "Artwork" else \
        importlib.import_module(_LAZY[name], __name__)
    globals()[name] = value = getattr(module, name)
    return value


class _Package(types.ModuleType):
    """``infographic.render`` is the function, also after something imported the submodule of
    the same name (the import system then binds the module here; the setter declines)."""

    @property
    def render(self) -> Any:
        return _with_print_pdf(".render").render

    @render.setter
    def render(self, value: Any) -> None:
        pass


sys.modules[__name__].__class__ = _Package
