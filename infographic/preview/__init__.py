"""Live preview for designers: ``infographic preview [LAYOUT ...]``.

A local web server (127.0.0.1) shows a gallery of layouts and, per layout, every size side by
side. Saving a layout's template, manifest, data or theme re-renders it and updates open pages
(Server-Sent Events); errors appear over the last good render, which stays visible.

The package, in the order a change flows through it:

- ``watcher``  — watchfiles reports saved files;
- ``session``  — the layouts, their data (file or page form) and theme; input hashes;
- ``live``     — what to re-render, the result cache, the state the pages show;
- ``worker``   — render jobs in worker processes (a hung or crashed render costs only a worker);
- ``problems`` — a failure as kind, message, field, file, line and the lines around it;
- ``events``   — Server-Sent Events to every open page;
- ``app``      — the Starlette routes, ``templates/`` and ``static/`` for the pages;
- ``server``   — uvicorn on 127.0.0.1, in the foreground (CLI) or in a thread (tests).

Needs the ``preview`` extra: ``pip install 'infographic[preview]'``.
"""

from __future__ import annotations

from typing import Any

__all__ = ["DEFAULT_PORT", "PreviewServer", "build_project", "serve"]

#: The port on 127.0.0.1 the preview listens on unless told otherwise.
DEFAULT_PORT = 8765


def __getattr__(name: str) -> Any:
    """Import the web stack only when it is used, so ``infographic`` works without the extra."""
    if name in ("PreviewServer", "serve"):
        from . import server
        return getattr(server, name)
    if name == "build_project":
        from .session import build_project
        return build_project
    raise AttributeError(name)
