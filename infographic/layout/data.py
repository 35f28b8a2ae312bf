"""Validate and convert data against a layout's fields before anything is rendered."""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import math
import re
from collections.abc import Collection
from typing import Any, Mapping

from ..colour import is_hex
from ..errors import DataError
from ..limits import MAX_DATA_NUMBER, MAX_FIELD_CHARS, MAX_SCALAR_TEXT_CHARS
from ..text.normalize import clean_text
from .manifest import FieldSpec, Layout

_DATE_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_TRUE = {"true", "yes", "1", "có", "x"}
_FALSE = {"false", "no", "0", "không", ""}
#: Longest text accepted in any field, whatever the manifest says: a guard, not a layout rule.
HARD_MAX_CHARS = MAX_FIELD_CHARS


class _Problem(Exception):
    """A message for DataError, raised inside a converter."""


def _quote(value: Any) -> str:
    """``value`` for a message: quoted, and cut short (a value may be 20,000 characters)."""
    if isinstance(value, int) and value.bit_length() > 128:  # str() of a huge int is slow
        return f"a number of about {int(value.bit_length() * math.log10(2)):,} digits"
    text = str(value)
    return f"'{text}'" if len(text) <= 40 else f"'{text[:30]}…' ({len(text):,} characters)"


#: Types that are one value: checked by identity first, as a table has thousands of cells and
#: the abstract-class test below is slow.
_PLAIN_TYPES = frozenset({str, int, float, bool, type(None), dt.date, dt.datetime})


def _scalar(value: Any, expected: str) -> Any:
    """Refuse a list or mapping where one value belongs: ``str()`` of a structure can expand
    it (YAML aliases) to gigabytes."""
    if type(value) in _PLAIN_TYPES:
        return value
    if isinstance(value, (Mapping, Collection)) and not isinstance(value, (str, bytes)):
        raise _Problem(f"expected {expected}, got a {type(value).__name__}")
    return value


def _scalar_text(value: Any, expected: str) -> str:
    """``value`` as stripped text, refused when it is a structure or too long to be a
    {number, date, boolean, choice, colour}."""
    text = str(_scalar(value, expected)).strip()
    if len(text) > MAX_SCALAR_TEXT_CHARS:
        raise _Problem(f"expected {expected}, got a text of {len(text):,} characters")
    return text


def _is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or \
        (isinstance(value, (list, tuple)) and not value)


#: Longest text whose cleaned form is remembered: the short cells of a table (ward names,
#: levels) repeat from render to render of the same data.
_CLEAN_CACHED_CHARS = 200


@functools.lru_cache(maxsize=4096)
def _clean_short(raw: str) -> str:
    return clean_text(raw)


def _text(spec: FieldSpec, value: Any) -> str:
    _scalar(value, "text")
    if isinstance(value, int) and value.bit_length() > 14_000:  # str() refuses 4,300 digits
        raise _Problem(f"{_quote(value)} is too long for a text field")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    raw = str(value)
    if len(raw) > HARD_MAX_CHARS:
        raise _Problem(f"text is {len(raw):,} characters; the hard limit is {HARD_MAX_CHARS:,}: "
                       "shorten it")
    text = _clean_short(raw) if len(raw) <= _CLEAN_CACHED_CHARS else clean_text(raw)
    if spec.max_length is not None and len(text) > spec.max_length:
        raise _Problem(f"text is {len(text)} characters, the maximum is {spec.max_length}: "
                       f"shorten it by {len(text) - spec.max_length}")
    return text


def _items(spec: FieldSpec, value: Any) -> list[str]:
    if isinstance(value, str):
        parts = re.split(r"\n\s*\n", clean_text(value)) if spec.type == "paragraphs" \
            else clean_text(value).split("\n")
        value = [p for p in parts if p.strip()]
    if not isinstance(value, (list, tuple)):
        raise _Problem(f"expected a list of texts, got a {type(value).__name__}")
    items = []
    for index, item in enumerate(value, 1):
        try:
            text = _text(spec, item)
        except _Problem as problem:
            raise _Problem(f"item {index}: {problem}") from None
        if text:
            items.append(text)
    if spec.min_items is not None and len(items) < spec.min_items:
        raise _Problem(f"has {len(items)} items, at least {spec.min_items} are needed")
    if spec.max_items is not None and len(items) > spec.max_items:
        raise _Problem(f"has {len(items)} items, the maximum is {spec.max_items}")
    return items


def _number(spec: FieldSpec, value: Any) -> float | int:
    if isinstance(value, bool):
        raise _Problem("expected a number, got true/false")
    if isinstance(value, (int, float)):
        number = value
    else:
        text = str(_scalar(value, "a number")).strip().replace("\u00a0", "").replace(" ", "")
        if len(text) > MAX_SCALAR_TEXT_CHARS:
            if re.fullmatch(r"[-+]?\d+", text):
                raise _Problem(f"{_quote(text)} is out of range: numbers in data must be between "
                               f"-{MAX_DATA_NUMBER:,} and {MAX_DATA_NUMBER:,}")
            raise _Problem(f"{_quote(text)} is not a number")
        if re.fullmatch(r"-?\d{1,3}(\.\d{3})+(,\d+)?", text):  # vi-VN: 7.605.092,5
            text = text.replace(".", "").replace(",", ".")
        elif text.count(",") == 1 and "." not in text:  # 98,5
            text = text.replace(",", ".")
        try:
            number = float(text)
        except ValueError:
            raise _Problem(f"{_quote(value)} is not a number (write it as 1234.5, 1234,5 or "
                           "1.234.567)") from None
    if isinstance(number, float) and math.isnan(number):
        raise _Problem("expected a finite number")
    if not -MAX_DATA_NUMBER <= number <= MAX_DATA_NUMBER:  # also ±inf and NaN (never equal)
        raise _Problem(f"{_quote(value)} is out of range: numbers in data must be between "
                       f"-{MAX_DATA_NUMBER:,} and {MAX_DATA_NUMBER:,}")
    if spec.type == "integer":
        if float(number) != int(number):
            raise _Problem(f"expected a whole number, got {value}")
        number = int(number)
    if spec.minimum is not None and number < spec.minimum:
        raise _Problem(f"{number} is below the minimum {spec.minimum}")
    if spec.maximum is not None and number > spec.maximum:
        raise _Problem(f"{number} is above the maximum {spec.maximum}")
    return number


def _date(spec: FieldSpec, value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _scalar_text(value, "a date")
    try:
        match = _DATE_DMY.match(text)
        if match:
            day, month, year = (int(g) for g in match.groups())
            return dt.date(year, month, day)
        return dt.date.fromisoformat(text)
    except ValueError:
        raise _Problem(f"{_quote(text)} is not a date (write 2021-09-13 or 13/9/2021)") from None


def _boolean(spec: FieldSpec, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = _scalar_text(value, "true/false").lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise _Problem(f"{_quote(value)} is not true/false")


def _choice(spec: FieldSpec, value: Any) -> str:
    text = str(_scalar(value, "one of the choices")).strip()
    if text not in spec.choices:
        raise _Problem(f"{_quote(text)} is not one of {', '.join(spec.choices)}")
    return text


def _color(spec: FieldSpec, value: Any) -> str:
    text = _scalar_text(value, "a colour")
    if not is_hex(text):
        raise _Problem(f"{_quote(text)} is not a colour: write #rrggbb")
    return text


def _table(spec: FieldSpec, value: Any) -> list[dict[str, Any]]:
    """Rows of a table field: each a mapping of column name → value, converted per column."""
    if isinstance(value, Mapping) or not isinstance(value, (list, tuple)):
        raise _Problem(f"expected a list of rows (each a mapping of "
                       f"{', '.join(c.name for c in spec.columns)}), got a {type(value).__name__}")
    columns = {c.name: c for c in spec.columns}
    # each column's converter looked up once (a table has thousands of cells); a cell that is
    # a number or a non-blank text is not empty, so it goes straight to its converter
    plan = [(name, column, _CONVERTERS.get(column.type)) for name, column in columns.items()]
    rows = []
    for index, row in enumerate(value, 1):
        if type(row) is not dict and not isinstance(row, Mapping):  # dict: the quick test
            raise _Problem(f"item {index}: expected a mapping of {', '.join(columns)}, got "
                           f"a {type(row).__name__}")
        if not columns.keys() >= row.keys():
            unknown = [str(k) for k in row if k not in columns]
            raise _Problem(f"item {index}: unknown column(s) {', '.join(unknown)} "
                           f"(columns: {', '.join(columns)})")
        converted: dict[str, Any] = {}
        for name, column, converter in plan:
            cell = row.get(name)
            kind = type(cell)
            try:
                if converter is not None and (kind is int or kind is float
                                              or (isinstance(cell, str) and kind is str
                                                  and cell.strip())):
                    converted[name] = converter(column, cell)
                else:
                    converted[name] = _convert(column, cell)
            except _Problem as problem:
                raise _Problem(f"item {index}, column '{name}': {problem}") from None
        rows.append(converted)
    if spec.min_items is not None and len(rows) < spec.min_items:
        raise _Problem(f"has {len(rows)} rows, at least {spec.min_items} are needed")
    if spec.max_items is not None and len(rows) > spec.max_items:
        raise _Problem(f"has {len(rows)} rows, the maximum is {spec.max_items}")
    return rows


_CONVERTERS = {"text": _text, "url": _text, "paragraphs": _items, "list": _items,
               "number": _number, "integer": _number, "date": _date, "boolean": _boolean,
               "choice": _choice, "color": _color, "table": _table}
_EMPTY = {"text": "", "url": "", "paragraphs": [], "list": [], "boolean": False, "table": []}


def _convert(spec: FieldSpec, value: Any) -> Any:
    """Convert one field (or table column) value; empty values take the default."""
    if _is_empty(value):
        if spec.required:
            label = f" ({spec.label})" if spec.label else ""
            raise _Problem(f"is required{label} but is missing or empty")
        value = spec.default
        if _is_empty(value):
            return _EMPTY.get(spec.type)
    return _CONVERTERS[spec.type](spec, value)


def validate_data(layout: Layout, data: Mapping[str, Any] | None) -> dict[str, Any]:
    """Return the data converted to the field types, or raise :class:`DataError`.

    Unknown keys are errors (a misspelt field would otherwise vanish silently); missing optional
    fields take their default. Every problem of the record is reported at once, so one fix-up
    pass is enough.
    """
    if data is not None and not isinstance(data, Mapping):
        raise DataError(f"data must be a mapping of field names to values (a dict), not a "
                        f"{type(data).__name__}", layout=layout.name)
    data = dict(data or {})
    problems: list[tuple[str, str]] = []  # (field, message)
    for key in data:
        if key not in layout.fields:
            close = difflib.get_close_matches(str(key), layout.fields, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else \
                f" (fields: {', '.join(layout.fields)})"
            problems.append((str(key), f"unknown field{hint}"))
    values: dict[str, Any] = {}
    for name, spec in layout.fields.items():
        try:
            values[name] = _convert(spec, data.get(name))
        except _Problem as problem:
            problems.append((name, str(problem)))
    if len(problems) == 1:
        raise DataError(problems[0][1], layout=layout.name, field=problems[0][0])
    if problems:
        raise DataError(f"{len(problems)} problems: " + "; ".join(
            f"field '{name}': {message}" for name, message in problems), layout=layout.name)
    return values
