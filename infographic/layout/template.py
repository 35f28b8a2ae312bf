"""Layout templates run in Jinja2's sandbox: autoescape on, undefined names are errors.

Templates are loaded only from their own layout folder and compiled once per process.
"""

from __future__ import annotations

import difflib
import re
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Mapping

from jinja2 import (Environment, FileSystemBytecodeCache, StrictUndefined, Template,
                    TemplateError, TemplateSyntaxError)
from jinja2.exceptions import SecurityError, UndefinedError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from .. import limits
from ..errors import LayoutError, LimitError
from ..formatting import FILTERS
from .manifest import Layout
from .sandbox import (SANDBOX_VERSION, FolderLoader, LayoutSandbox, TemplateLimitError,
                      print_budget)


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


def _template_line(exc: BaseException, where: str) -> int | None:
    """The template line an error was raised on: Jinja2 rewrites the traceback so that frames
    of template code carry the template's file name and line."""
    line = None
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename in (where, "<template>"):
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def _undefined(exc: UndefinedError, where: str, context: dict[str, Any]) -> str:
    """``template.svg.j2, line 14: theme has no 'acent': did you mean theme.accent?`` — the
    file and line, what is missing, and the closest name that exists."""
    line = _template_line(exc, where)
    place = f"{where}, line {line}" if line else where
    message = exc.message or "an undefined name"
    attribute = re.search(r"has no attribute '([^']+)'", message)
    if attribute:
        name = attribute.group(1)
        source = ""
        if line and Path(where).is_file():
            source = Path(where).read_text(encoding="utf-8").splitlines()[line - 1]
        owner = re.search(rf"([A-Za-z_]\w*)\s*\.\s*{re.escape(name)}\b", source)
        value = context.get(owner.group(1)) if owner else None
        if owner and isinstance(value, Mapping):
            close = difflib.get_close_matches(name, [str(k) for k in value], n=1)
            hint = f"did you mean {owner.group(1)}.{close[0]}?" if close else \
                f"it has {', '.join(sorted(map(str, value)))}"
            return f"{place}: {owner.group(1)} has no '{name}': {hint}"
        return f"{place}: {message}"
    undefined = re.search(r"'([^']+)' is undefined", message)
    if undefined:
        close = difflib.get_close_matches(undefined.group(1), [str(k) for k in context], n=1)
        hint = f"did you mean '{close[0]}'?" if close else "declare it as a field in layout.yaml"
        return f"{place}: '{undefined.group(1)}' is undefined (not a field, a theme value or a " \
               f"template function): {hint}"
    return f"{place}: {message}"


#: Tags that open a block closed by ``end<tag>`` (``set`` only without ``=``: ``{% set x %}``).
_BLOCK_TAGS = {"if", "for", "macro", "call", "filter", "block", "with", "autoescape", "set",
               "trans"}
_UNCLOSED = re.compile(r"The innermost block that needs to be closed is '(\w+)'")


def _open_blocks(source: str, until_line: int) -> list[tuple[str, int]]:
    """The blocks still open (tag, line where opened), outermost first, when the template's tags
    are read in order up to ``until_line`` — stopping at an end tag that closes something else
    (where Jinja stops too)."""
    stack: list[tuple[str, int]] = []
    tag: list[tuple[int, str, str]] = []  # the tokens of the tag being read
    try:
        for line, kind, value in Environment().lex(source):
            if line > until_line:
                break
            if kind == "block_begin":
                tag = []
            elif kind == "block_end" and tag:
                first_line, _, name = tag[0]
                if name.startswith("end"):
                    if not stack or stack[-1][0] != name[3:]:
                        break
                    stack.pop()
                elif name in _BLOCK_TAGS and not (name == "set" and any(
                        k == "operator" and v == "=" for _, k, v in tag)):
                    stack.append((name, first_line))
                tag = []
            elif kind not in ("whitespace", "data", "comment", "raw_begin", "raw_end"):
                tag.append((line, kind, value))
    except TemplateSyntaxError:  # a fault the lexer sees: Jinja's own message says it
        return []
    return stack


def _syntax_message(exc: TemplateSyntaxError, where: str) -> str:
    """Jinja's ``file, line: message``; for a block never closed, Jinja notices only at the
    end (or at the end tag of an outer block): name the line that opened it."""
    file = exc.filename or where
    unclosed = _UNCLOSED.search(exc.message or "")
    source = exc.source
    if unclosed and source is None and Path(file).is_file():
        source = Path(file).read_text(encoding="utf-8", errors="replace")
    if unclosed and source is not None:
        open_blocks = _open_blocks(source, exc.lineno)
        if open_blocks and open_blocks[-1][0] == unclosed.group(1):
            tag, opened = open_blocks[-1]
            return (f"{file}, line {opened}: this {{% {tag} %}} is never closed: add "
                    f"{{% end{tag} %}} where it should end (Jinja noticed at line {exc.lineno}: "
                    f"{exc.message})")
    return f"{file}, line {exc.lineno}: {exc.message}"


def run_sandboxed(load: Callable[[], Template], context: dict[str, Any], *, where: str,
                  layout: str, doing: str, max_chars: int, output: str = "SVG") -> str:
    """Compile (``load``) and run a sandboxed template under the time limit, stopping once its
    output passes ``max_chars``. Every fault becomes a :class:`LayoutError` (or
    :class:`LimitError`) naming ``where`` — never a traceback."""
    try:
        with limits.time_limit(limits.LAYOUT_SECONDS, doing, layout), \
                print_budget(limits.TEMPLATE_PRINT_FACTOR * max_chars):
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
        raise LayoutError(_syntax_message(exc, where), layout=layout) from None
    except UndefinedError as exc:
        raise LayoutError(_undefined(exc, where, context), layout=layout) from None
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
