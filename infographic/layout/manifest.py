"""A layout: a folder with ``layout.yaml`` (the manifest) and an SVG Jinja2 template.

See ``layouts/README.md`` for the format, written for designers.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from .. import limits
from ..dataparse import StructureError, load_yaml, yaml_line
from ..errors import LayoutError
from ..fileio import read_regular
from ..resources import bundled_dir
from ..sizes import PRESETS
from .design import ROLES, step_size

FIELD_TYPES = ("text", "paragraphs", "list", "number", "integer", "date", "boolean", "choice",
               "color", "url", "table")
#: Types a ``table`` column may have (one value per cell).
COLUMN_TYPES = ("text", "number", "integer", "date", "boolean", "choice", "color", "url")
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
MANIFEST = "layout.yaml"
DEFAULT_SAFE_AREA_MM = 5.0
DEFAULT_TEMPLATE = "template.svg.j2"
#: Every slot key and the kind of value it takes (``size``/``min_size`` also take a type step,
#: checked by :func:`_check_slot_design`).
_SLOT_KEYS = {"font": "text", "family": "text", "weight": "whole number", "style": "text",
              "size": "number", "min_size": "number", "line_height": "number",
              "paragraph_spacing": "number", "tracking": "number", "align": "text",
              "valign": "text", "color": "text", "features": "list of texts",
              "uppercase": "true/false", "max_lines": "whole number", "balance": "true/false",
              "overflow": "text", "background": "text", "role": "text", "emoji": "text",
              "breaks": "text"}
#: A field's keys and their kinds (``type``, ``columns``, ``default`` and ``sample`` are checked
#: elsewhere: the sample against the field itself).
_FIELD_KEYS = {"required": "true/false", "label": "text", "help": "text",
               "max_length": "whole number", "min_items": "whole number",
               "max_items": "whole number", "choices": "list of texts or numbers", "min": "number",
               "max": "number", "minimum": "number", "maximum": "number"}
#: The manifest's own keys (``fields`` and ``slots`` are checked key by key; ``theme`` may be a
#: name, a path or a mapping, checked by load_theme).
_TOP_KEYS = {"name": "text", "title": "text", "description": "text", "template": "text",
             "sizes": "list of texts", "alt_text": "text",
             "safe_area_mm": "number"}
_KIND_EXAMPLES = {"text": "e.g. center", "number": "e.g. 40 or 1.2", "whole number": "e.g. 3",
                  "true/false": "true or false", "list of texts": "e.g. [tnum]",
                  "list of texts or numbers": "e.g. [sáng, chiều]"}


@dataclass(frozen=True)
class FieldSpec:
    name: str
    type: str = "text"
    required: bool = False
    label: str = ""
    help: str = ""
    max_length: int | None = None  # characters, per item for paragraphs and lists
    min_items: int | None = None
    max_items: int | None = None
    choices: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    default: Any = None
    sample: Any = None
    columns: tuple["FieldSpec", ...] = ()  # a table's columns: rows are mappings of these


@dataclass(frozen=True)
class Layout:
    name: str
    folder: Path
    title: str
    description: str
    fields: dict[str, FieldSpec]
    slots: dict[str, dict[str, Any]]
    sizes: tuple[str, ...]
    template: str = DEFAULT_TEMPLATE
    theme: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    alt_text: str | None = None  # Jinja template of the alt text (see infographic/alttext.py)
    #: Print: content (text, photos, QR codes) keeps this far inside the trim edge, in mm.
    safe_area_mm: float = DEFAULT_SAFE_AREA_MM

    def sample_data(self) -> dict[str, Any]:
        return {name: f.sample for name, f in self.fields.items() if f.sample is not None}

    def summary(self) -> dict[str, Any]:
        return {"name": self.name, "title": self.title, "description": self.description,
                "sizes": list(self.sizes), "folder": str(self.folder),
                "fields": {n: _field_summary(f) for n, f in self.fields.items()}}


def _field_summary(spec: FieldSpec) -> dict[str, Any]:
    summary = {"type": spec.type, "required": spec.required, "label": spec.label,
               "max_length": spec.max_length}
    if spec.columns:  # a table: what each row holds
        summary["columns"] = {c.name: _field_summary(c) for c in spec.columns}
    return summary


def _fail(folder: Path, message: str, at: tuple[Any, ...] = ()) -> LayoutError:
    """An error about the manifest; ``at`` is where in it (e.g. ``("slots", "title", "size")``),
    turned into a line number by :func:`load_layout_folder`."""
    error = LayoutError(f"{folder / MANIFEST}: {message}", layout=folder.name)
    error.manifest_problem = (message, at)  # type: ignore[attr-defined]
    return error


def _is_kind(value: Any, kind: str) -> bool:
    if kind == "text":
        return isinstance(value, str)
    if kind == "true/false":
        return isinstance(value, bool)
    if kind == "list of texts":
        return isinstance(value, list) and all(isinstance(v, str) for v in value)
    if kind == "list of texts or numbers":
        return isinstance(value, list) and all(
            isinstance(v, (str, int, float)) and not isinstance(v, bool) for v in value)
    if isinstance(value, bool):  # YAML's true is not a number here
        return False
    if kind == "whole number":
        return isinstance(value, int)
    return isinstance(value, (int, float))  # "number"


def _check_kinds(folder: Path, what: str, spec: dict[str, Any], kinds: dict[str, str],
                 at: tuple[Any, ...]) -> None:
    """Every key of ``spec`` that ``kinds`` knows holds that kind of value (null: not set)."""
    for key, kind in kinds.items():
        value = spec.get(key)
        if value is None or _is_kind(value, kind):
            continue
        if kind.startswith("list") and isinstance(value, list):
            wrong = next(v for v in value if not _is_kind([v], kind))
            kind_found = f"a list with a {_kind_of(wrong)}"
        else:
            kind_found = _kind_of(value)
        owner = f"{what} " if what else ""
        raise _fail(folder, f"{owner}'{key}' must be {_article(kind)} ({_KIND_EXAMPLES[kind]}), "
                    f"not {kind_found} ({str(value)[:40]!r})", at=(*at, key))


#: What a wrong value is, in the words of the messages (bool before int: True is an int).
_KIND_NAMES = ((bool, "true/false"), ((int, float), "number"), (str, "text"), (list, "list"),
               (dict, "mapping"))


def _kind_of(value: Any) -> str:
    return next((name for types, name in _KIND_NAMES if isinstance(value, types)),
                type(value).__name__)


def _article(kind: str) -> str:
    return kind if kind == "true/false" else f"a {kind}"


def _field(folder: Path, name: str, spec: Any, at: tuple[Any, ...] = ()) -> FieldSpec:
    """``at``: where the field is in the manifest, e.g. ``("fields", "title")``."""
    if not isinstance(name, str) or not _NAME.match(name):
        raise _fail(folder, f"field name '{name}' must be lower_snake_case", at=at)
    if not isinstance(spec, dict):
        raise _fail(folder, f"field '{name}' must be a mapping (type, required, sample…)", at=at)
    kind = spec.get("type", "text")
    if not isinstance(kind, str) or kind not in FIELD_TYPES:
        raise _fail(folder, f"field '{name}': unknown type '{kind}' (use {', '.join(FIELD_TYPES)})",
                    at=(*at, "type"))
    known = set(FieldSpec.__dataclass_fields__) - {"name", "type"} | {"min", "max"}
    unknown = set(spec) - known - {"type"}
    if unknown:
        names = ", ".join(sorted(map(str, unknown)))
        raise _fail(folder, f"field '{name}': unknown key(s) {names}",
                    at=(*at, sorted(unknown, key=str)[0]))
    _check_kinds(folder, f"field '{name}':", spec, _FIELD_KEYS, at)
    if kind == "choice" and not spec.get("choices"):
        raise _fail(folder, f"field '{name}': a choice field needs 'choices'", at=at)
    columns: tuple[FieldSpec, ...] = ()
    if kind == "table":
        if not isinstance(spec.get("columns"), dict) or not spec["columns"]:
            raise _fail(folder, f"field '{name}': a table field needs 'columns' (a mapping of "
                        "column name to type, label…)", at=at)
        columns = tuple(_field(folder, str(col), col_spec, (*at, "columns", col))
                        for col, col_spec in spec["columns"].items())
        bad = [c.name for c in columns if c.type not in COLUMN_TYPES]
        if bad:
            raise _fail(folder, f"field '{name}': column(s) {', '.join(bad)} must have one of the "
                        f"types {', '.join(COLUMN_TYPES)}", at=(*at, "columns", bad[0], "type"))
    elif "columns" in spec:
        raise _fail(folder, f"field '{name}': only a table field has 'columns'",
                    at=(*at, "columns"))
    return FieldSpec(name=name, type=kind, required=bool(spec.get("required", False)),
                     label=str(spec.get("label", "")), help=str(spec.get("help", "")),
                     max_length=spec.get("max_length"), min_items=spec.get("min_items"),
                     max_items=spec.get("max_items"),
                     choices=tuple(str(c) for c in spec.get("choices", ())),
                     minimum=spec.get("min", spec.get("minimum")),
                     maximum=spec.get("max", spec.get("maximum")),
                     default=spec.get("default"), sample=spec.get("sample"), columns=columns)


def _check_slot_design(folder: Path, slot: str, style: dict[str, Any]) -> None:
    """A slot's ``role`` is one of :data:`ROLES`; its sizes are numbers or type steps, within
    0 < min_size <= size <= MAX_TEXT_SIZE: fitting tries every 0.5 step between them, so
    ``size: 1000000000`` would build two billion candidates."""
    role = style.get("role")
    if role is not None and role not in ROLES:
        raise _fail(folder, f"slot '{slot}': unknown role '{role}' (roles: {', '.join(ROLES)})",
                    at=("slots", slot, "role"))
    sizes = {}
    for key in ("size", "min_size"):
        try:
            value = step_size(style.get(key), role)
        except ValueError as exc:
            raise _fail(folder, f"slot '{slot}' {key}: {exc}", at=("slots", slot, key)) from None
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, (int, float)) \
                or not 0 < value <= limits.MAX_TEXT_SIZE:
            raise _fail(folder, f"slot '{slot}': '{key}' must be a number above 0 and at most "
                        f"{limits.MAX_TEXT_SIZE:g} (canvas units; the canvas is 1080 wide) or a "
                        f"type step, got {str(value)[:40]}", at=("slots", slot, key))
        sizes[key] = value
    if len(sizes) == 2 and sizes["min_size"] > sizes["size"]:
        raise _fail(folder, f"slot '{slot}': 'min_size' ({sizes['min_size']:g}) must not be "
                    f"above 'size' ({sizes['size']:g})", at=("slots", slot, "min_size"))


def load_layout_folder(folder: Path) -> Layout:
    folder = folder.resolve()
    manifest = folder / MANIFEST
    if not manifest.is_file():
        raise LayoutError(f"{folder} has no {MANIFEST}", layout=folder.name)
    try:
        text = read_regular(manifest, limits.MAX_MANIFEST_BYTES).decode("utf-8")
    except OSError as exc:
        raise _fail(folder, f"cannot be read: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise _fail(folder, "is not UTF-8 text: save it as UTF-8") from None
    try:
        spec = load_yaml(text)
    except StructureError as exc:
        raise _fail(folder, f"not valid YAML: {exc}") from exc
    if not isinstance(spec, dict):
        raise _fail(folder, "must be a mapping with name, title, fields, slots, sizes")
    try:
        return _layout_from_spec(folder, spec)
    except LayoutError as exc:
        message, at = getattr(exc, "manifest_problem", (None, ()))
        line = yaml_line(text, at) if at else None
        if line is None:
            raise
        raise LayoutError(f"{manifest}, line {line}: {message}", layout=folder.name) from None


def _layout_from_spec(folder: Path, spec: dict[str, Any]) -> Layout:
    _check_kinds(folder, "", spec, _TOP_KEYS, ())
    name = str(spec.get("name", folder.name))
    fields = spec.get("fields") or {}
    if not isinstance(fields, dict):
        raise _fail(folder, "'fields' must be a mapping of field name to type, label…",
                    at=("fields",))
    fields = {n: _field(folder, n, s, ("fields", n)) for n, s in fields.items()}
    slots = spec.get("slots") or {}
    if not isinstance(slots, dict):
        raise _fail(folder, "'slots' must be a mapping of slot name to style keys",
                    at=("slots",))
    for slot, style in slots.items():
        if not isinstance(style, dict):
            raise _fail(folder, f"slot '{slot}' must be a mapping of style keys",
                        at=("slots", slot))
        unknown = set(style) - set(_SLOT_KEYS)
        if unknown:
            names = ", ".join(sorted(map(str, unknown)))
            raise _fail(folder, f"slot '{slot}': unknown key(s) {names} "
                        f"(known: {', '.join(sorted(_SLOT_KEYS))})",
                        at=("slots", slot, sorted(unknown, key=str)[0]))
        _check_kinds(folder, f"slot '{slot}':", style,
                     {k: v for k, v in _SLOT_KEYS.items() if k not in ("size", "min_size")},
                     ("slots", slot))
        _check_slot_design(folder, str(slot), style)
        for key in ("size", "min_size"):  # type steps ("md", "floor") as units for every reader
            if isinstance(style.get(key), str):
                style[key] = step_size(style[key], style.get("role"))
    sizes = tuple(spec.get("sizes") or PRESETS)
    bad = [s for s in sizes if s not in PRESETS]
    if bad:
        raise _fail(folder, f"unknown size(s) {', '.join(bad)} (presets: {', '.join(PRESETS)})",
                    at=("sizes",))
    template = str(spec.get("template", DEFAULT_TEMPLATE))
    if not (folder / template).is_file():
        raise _fail(folder, f"template file '{template}' is missing", at=("template",))
    alt_text = spec.get("alt_text")
    if alt_text is not None and not isinstance(alt_text, str):
        raise _fail(folder, "'alt_text' must be a text template, e.g. \"{{ title }}. {{ source }}\"")
    safe_area = spec.get("safe_area_mm", DEFAULT_SAFE_AREA_MM)
    if isinstance(safe_area, bool) or not isinstance(safe_area, (int, float)) \
            or not 0 <= safe_area <= 50:
        raise _fail(folder, "'safe_area_mm' must be a number of mm from 0 to 50, got "
                    f"{safe_area!r}", at=("safe_area_mm",))
    known = {"name", "title", "description", "fields", "slots", "sizes", "template", "theme",
             "alt_text", "safe_area_mm"}
    return Layout(name=name, folder=folder, title=str(spec.get("title", name)),
                  description=str(spec.get("description", "")), fields=fields, slots=slots,
                  sizes=sizes, template=template, theme=spec.get("theme"),
                  extra={k: v for k, v in spec.items() if k not in known}, alt_text=alt_text,
                  safe_area_mm=float(safe_area))


def bundled_layouts() -> list[str]:
    return sorted(p.parent.name for p in bundled_dir("layouts").glob(f"*/{MANIFEST}"))


@lru_cache(maxsize=128)
def _load_cached(folder: Path, stamp: tuple[int, int]) -> Layout:
    """Cached per manifest version: ``stamp`` is (mtime in ns, size), so a saved edit reloads."""
    return load_layout_folder(folder)


def load_layout(layout: "str | Path | Layout") -> Layout:
    """A bundled layout name, or the path of a layout folder."""
    if isinstance(layout, Layout):
        return layout
    path = Path(layout)
    if not (path / MANIFEST).is_file():
        bundled = bundled_dir("layouts") / str(layout)
        if _NAME.match(str(layout).replace("-", "_")) and (bundled / MANIFEST).is_file():
            path = bundled
        elif "/" in str(layout) or "\\" in str(layout):
            raise LayoutError(f"no layout folder '{layout}': check the path (or use a bundled "
                              f"layout: {', '.join(bundled_layouts())})")
        elif path.is_dir():
            raise LayoutError(f"folder '{layout}' has no {MANIFEST}: a layout folder holds "
                              f"{MANIFEST} and its template (infographic new NAME makes one)")
        else:
            close = difflib.get_close_matches(str(layout), bundled_layouts(), n=1)
            hint = f"did you mean '{close[0]}'? " if close else ""
            raise LayoutError(f"unknown layout '{layout}': {hint}bundled layouts are "
                              f"{', '.join(bundled_layouts())}, or give a layout folder path")
    folder = path.resolve()
    stat = (folder / MANIFEST).stat()
    return _load_cached(folder, (stat.st_mtime_ns, stat.st_size))
