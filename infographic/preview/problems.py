"""Turn a render failure into what the preview shows: kind, message, field, file, line, excerpt.

The core raises :class:`~infographic.errors.InfographicError` with a one-line message for people.
The preview also wants *where*: the template or manifest file and line, and a few lines around
it. Those come from the exception chain (Jinja's syntax error, the template frames Jinja puts in
a runtime traceback, YAML's problem mark), never from guessing in the renderer itself.
"""

from __future__ import annotations

import re
import traceback
from pathlib import Path
from typing import Any

from .. import limits
from ..errors import (DataError, FitError, InfographicError, LayoutError, SizeError, ThemeError)
from ..fileio import read_regular
from ..paths import resolve_inside

EXCERPT_CONTEXT = 3  # lines shown before and after the faulty line
_LOCATED = re.compile(r"(?P<file>/[^,:\n]+?), line (?P<line>\d+)")


def _kind(exc: BaseException) -> str:
    if isinstance(exc, DataError):
        return "data"
    if isinstance(exc, ThemeError):
        return "theme"
    if isinstance(exc, FitError):
        return "fit"
    if isinstance(exc, SizeError):
        return "size"
    if isinstance(exc, LayoutError):
        return "layout"
    if isinstance(exc, InfographicError):
        return "input"
    return "internal"


def _inside(path: str, folder: Path | None) -> bool:
    if folder is None:
        return False
    return resolve_inside(folder, path) is not None


def _chain(exc: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in seen:
        seen.append(current)
        current = current.__cause__ or current.__context__
    return seen


def _location(exc: BaseException, folder: Path | None) -> tuple[str | None, int | None, int | None]:
    """File, line and column of the fault inside the layout folder, if they can be told.

    A place the message names itself comes first: it can be better than the one Jinja recorded
    (an unclosed ``{% if %}`` is named where it was opened, Jinja notices at the end)."""
    match = _LOCATED.search(str(exc))
    if match and _inside(match.group("file"), folder):
        return match.group("file"), int(match.group("line")), None
    for link in _chain(exc):
        filename, lineno = getattr(link, "filename", None), getattr(link, "lineno", None)
        if filename and lineno and _inside(filename, folder):  # jinja2.TemplateSyntaxError
            return str(filename), int(lineno), None
        mark = getattr(link, "problem_mark", None)  # yaml.MarkedYAMLError
        if mark is not None:
            return None, mark.line + 1, mark.column + 1
    for link in _chain(exc):  # runtime errors: Jinja maps template frames to template lines
        frames = [f for f in traceback.extract_tb(link.__traceback__) if _inside(f.filename, folder)]
        if frames:
            return frames[-1].filename, frames[-1].lineno, None
    return None, None, None


def excerpt(path: str, line: int, context: int = EXCERPT_CONTEXT) -> list[dict[str, Any]]:
    """The lines around ``line`` (1-based) of a text file, marking the faulty one."""
    try:
        lines = read_regular(path, limits.PREVIEW_EXCERPT_BYTES).decode("utf-8", "replace").splitlines()
    except OSError:
        return []
    first, last = max(1, line - context), min(len(lines), line + context)
    return [{"n": n, "text": lines[n - 1], "here": n == line} for n in range(first, last + 1)]


def describe(exc: BaseException, folder: Path | None = None) -> dict[str, Any]:
    """A JSON-ready description of ``exc`` for the page (see the module docstring)."""
    kind = _kind(exc)
    message = str(exc) if kind != "internal" else f"{type(exc).__name__}: {exc}"
    file, line, column = _location(exc, folder)
    if file is None and line is not None and kind == "layout" and folder is not None:
        file = str(folder / "layout.yaml")  # a YAML problem mark belongs to the manifest
    if kind == "layout" and file is not None:
        kind = "manifest" if Path(file).name == "layout.yaml" else "template"
    detail = getattr(exc, "message", None) or message
    if file:  # the overlay shows where separately: keep only what is wrong
        for prefix in (f"{file}, line {line}: ", f"{file}: "):
            if detail.startswith(prefix):
                detail = detail[len(prefix):]
    return {
        "kind": kind,
        "message": message,
        "detail": detail,
        "field": getattr(exc, "field", None),
        "file": file,
        "line": line,
        "column": column,
        # only the layout's own files are quoted, never one a symlink leads to elsewhere
        "excerpt": excerpt(file, line) if file and line and _inside(file, folder) else [],
    }
