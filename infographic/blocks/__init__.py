"""Visual building blocks that templates call: charts, icons, QR codes, images…

Each block module registers a factory with :func:`register`. At render time every factory is
called with the :class:`~infographic.layout.context.RenderContext` (theme, fonts, fit report,
layout folder) and returns the function the template sees under that name, e.g.
``{{ qr(url, x=800, y=800, size=200) }}``. Block functions return markup (``markupsafe.Markup``
or an object with ``__html__``) in canvas units.
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import TYPE_CHECKING, Any, Callable

if TYPE_CHECKING:
    from ..layout.context import RenderContext

BlockFactory = Callable[["RenderContext"], Callable[..., Any]]
BLOCKS: dict[str, BlockFactory] = {}


def register(name: str) -> Callable[[BlockFactory], BlockFactory]:
    """Decorator: make ``factory(context)`` available to templates as ``name``."""
    def decorate(factory: BlockFactory) -> BlockFactory:
        BLOCKS[name] = factory
        return factory
    return decorate


_loaded = False


def _load_all() -> None:
    global _loaded
    for module in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{module.name}")
    _loaded = True


def template_globals(context: "RenderContext") -> dict[str, Callable[..., Any]]:
    # A flag, not "BLOCKS is empty": importing one block module directly (e.g. charts from
    # Python) registers its blocks, and the others must still be loaded.
    if not _loaded:
        _load_all()
    return {name: factory(context) for name, factory in BLOCKS.items()}
