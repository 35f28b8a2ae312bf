"""Layout templates run in Jinja2's sandbox: autoescape on, undefined names are errors.

Templates are loaded only from their own layout folder and compiled once per process.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import FileSystemLoader, StrictUndefined, TemplateError, TemplateSyntaxError
from jinja2.exceptions import SecurityError, UndefinedError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from ..errors import LayoutError
from ..formatting import FILTERS
from .manifest import Layout


@lru_cache(maxsize=64)
def _environment(folder: Path) -> ImmutableSandboxedEnvironment:
    env = ImmutableSandboxedEnvironment(
        loader=FileSystemLoader(str(folder)), autoescape=True, undefined=StrictUndefined,
        trim_blocks=True, lstrip_blocks=True, auto_reload=True)
    env.filters.update(FILTERS)
    return env


def render_template(layout: Layout, context: dict[str, Any]) -> str:
    """Render ``layout``'s template with ``context``; template faults become LayoutError."""
    env = _environment(layout.folder)
    where = f"{layout.folder / layout.template}"
    try:
        return env.get_template(layout.template).render(context)
    except TemplateSyntaxError as exc:
        raise LayoutError(f"{exc.filename or where}, line {exc.lineno}: {exc.message}",
                          layout=layout.name) from None
    except UndefinedError as exc:
        raise LayoutError(f"{where}: {exc.message} (check the name against layout.yaml fields)",
                          layout=layout.name) from None
    except SecurityError as exc:
        raise LayoutError(f"{where}: not allowed in a layout template: {exc}",
                          layout=layout.name) from None
    except TemplateError as exc:
        raise LayoutError(f"{where}: {exc}", layout=layout.name) from None
