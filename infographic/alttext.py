"""Alt text: a plain-text description of a render, built from its data.

A layout may declare ``alt_text:`` in ``layout.yaml``, a Jinja template rendered with the
validated data and the same filters as the SVG template (``{{ cases | number }}``). It runs in
the same hardened sandbox as layout templates (:class:`~.layout.sandbox.LayoutSandbox`, time
limit, bounded output); autoescape is off because the result is plain text, not markup. Without one,
the alt text is the title followed by the layout's text fields (and dates) in manifest order.
Either way, blank lines are dropped and runs of white space are collapsed.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from typing import Any, Mapping

from jinja2 import StrictUndefined, Template

from . import limits
from .formatting import FILTERS
from .layout.manifest import MANIFEST, Layout
from .layout.sandbox import LayoutSandbox
from .layout.template import run_sandboxed

#: Field types the default alt text reads out, after the title.
_TEXT_TYPES = ("text", "paragraphs", "list", "date")
_SPACES = re.compile(r"[ \t\u00a0]+")
#: Longest alt text a template may write (Facebook allows far less; this only stops runaways).
MAX_ALT_TEXT_CHARS = limits.MAX_FIELD_CHARS


@lru_cache(maxsize=1)
def _environment() -> LayoutSandbox:
    return LayoutSandbox(autoescape=False, undefined=StrictUndefined, trim_blocks=True,
                         lstrip_blocks=True, filters=FILTERS,
                         max_block=limits.MAX_TEMPLATE_SEQUENCE)


@lru_cache(maxsize=128)
def _compile(source: str) -> Template:
    return _environment().from_string(source)


def _tidy(text: str) -> str:
    lines = (_SPACES.sub(" ", line).strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def _as_text(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return "\n".join(str(v) for v in value)
    if isinstance(value, dt.date):
        return FILTERS["date"](value)
    return str(value)


def default_alt_text(layout: Layout, values: Mapping[str, Any]) -> str:
    """The title, then every text, list, paragraphs and date field that has a value."""
    parts = [str(values.get("title") or layout.title)]
    for name, spec in layout.fields.items():
        value = values.get(name)
        if name != "title" and spec.type in _TEXT_TYPES and value not in (None, "", []):
            parts.append(_as_text(value))
    return _tidy("\n".join(parts))


def build_alt_text(layout: Layout, values: Mapping[str, Any]) -> str:
    """Alt text for ``layout`` rendered with the validated ``values``."""
    if not layout.alt_text:
        return default_alt_text(layout, values)
    text = run_sandboxed(lambda: _compile(layout.alt_text), {**values, "data": values},
                         where=f"{layout.folder / MANIFEST}, alt_text", layout=layout.name,
                         doing="writing the alt text", max_chars=MAX_ALT_TEXT_CHARS,
                         output="alt text")
    return _tidy(text)
