"""Layout templates run in Jinja2's sandbox: autoescape on, undefined names are errors.

Templates are loaded only from their own layout folder and compiled once per process.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

from jinja2 import (FileSystemBytecodeCache, StrictUndefined, Template, TemplateError,
                    TemplateSyntaxError)
from jinja2.exceptions import SecurityError, UndefinedError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from .. import limits
from ..errors import LayoutError, LimitError
from ..formatting import FILTERS
from .manifest import Layout
from .sandbox import SANDBOX_VERSION, FolderLoader, LayoutSandbox, TemplateLimitError


@lru_cache(maxsize=1)
def _bytecode_cache() -> FileSystemBytecodeCache | None:
    """Compiled templates kept between processes (a cold CLI render saves about 0.2 s), in
    Jinja2's private per-user folder (mode 0700, ownership checked), under a name of our own so
    no other Jinja2 environment's unsandboxed code can be loaded into the sandbox."""
    try:
        return FileSystemBytecodeCache(pattern=f"infographic-sandbox{SANDBOX_VERSION}-%s.cache")
    except (OSError, RuntimeError):  # no safe private folder: compile in every process
        return None


@lru_cache(maxsize=64)
def _environment(folder: Path) -> ImmutableSandboxedEnvironment:
    env = LayoutSandbox(
        loader=FolderLoader(folder), autoescape=True, undefined=StrictUndefined,
        trim_blocks=True, lstrip_blocks=True, auto_reload=True, bytecode_cache=_bytecode_cache(),
        filters=FILTERS)
    return env


def render_template(layout: Layout, context: dict[str, Any]) -> str:
    """Render ``layout``'s template with ``context``; template faults become LayoutError."""
    env = _environment(layout.folder)
    return run_sandboxed(lambda: env.get_template(layout.template), context,
                         where=str(layout.folder / layout.template), layout=layout.name,
                         doing="laying out the template", max_chars=limits.MAX_SVG_BYTES)


def run_sandboxed(load: Callable[[], Template], context: dict[str, Any], *, where: str,
                  layout: str, doing: str, max_chars: int, output: str = "SVG") -> str:
    """Compile (``load``) and run a sandboxed template under the time limit, stopping once its
    output passes ``max_chars``. Every fault becomes a :class:`LayoutError` (or
    :class:`LimitError`) naming ``where`` — never a traceback."""
    try:
        with limits.time_limit(limits.LAYOUT_SECONDS, doing, layout):
            parts, total = [], 0
            for chunk in load().generate(context):
                total += len(chunk)
                if total > max_chars:
                    amount = (f"{max_chars // (1024 * 1024)} MB" if max_chars >= 1024 * 1024
                              else f"{max_chars:,} characters")
                    raise LimitError(f"{where}: the template writes more than {amount} of "
                                     f"{output}", layout=layout)
                parts.append(chunk)
            return "".join(parts)
    except RecursionError:
        raise LayoutError(f"{where}: macros or includes call each other without end",
                          layout=layout) from None
    except (OverflowError, MemoryError) as exc:
        raise LimitError(f"{where}: the template asks for too much ({exc})",
                         layout=layout) from None
    except TemplateSyntaxError as exc:
        raise LayoutError(f"{exc.filename or where}, line {exc.lineno}: {exc.message}",
                          layout=layout) from None
    except UndefinedError as exc:
        raise LayoutError(f"{where}: {exc.message} (check the name against layout.yaml fields)",
                          layout=layout) from None
    except TemplateLimitError as exc:
        raise LimitError(f"{where}: {exc}; build less in the template", layout=layout) from None
    except SecurityError as exc:
        raise LayoutError(f"{where}: not allowed in a layout template: {exc}",
                          layout=layout) from None
    except TemplateError as exc:
        raise LayoutError(f"{where}: {exc}", layout=layout) from None
    except (TypeError, ValueError, ArithmeticError, LookupError) as exc:
        raise LayoutError(f"{where}: {exc} — an expression or filter got a value it cannot use "
                          "(guard optional fields with {% if field %})", layout=layout) from None
