"""Parse YAML and JSON from files we do not trust, with bounded structure.

A data file, a mapping file, a theme or a layout manifest comes from someone else. Three things
in such a file can exhaust the machine after a successful parse, so they are refused here,
while parsing:

* **aliases** (YAML "billion laughs"): ``&a [x, x]``, ``&b [*a, *a]`` … is a few hundred bytes
  that ``str()`` or ``json.dumps`` expands to gigabytes. What aliases add, counted in characters
  of the expanded document, is capped at :data:`~infographic.limits.MAX_YAML_ALIAS_EXPANSION`;
  a recursive alias is refused.
* **nesting**: 100,000 ``[`` crash a recursive parser or any code that walks the result. Depth
  is capped at :data:`~infographic.limits.MAX_DATA_DEPTH`.
* **huge integers**: ``int()`` of thousands of digits is slow (and refused by Python past 4,300
  digits), so an integer written with more than :data:`~infographic.limits.MAX_INTEGER_DIGITS`
  digits is kept as the text it was written as: a number field then reports it as out of range
  (``layout/data.py``), a text field takes it as text.

Errors are :class:`StructureError` (a ``yaml.YAMLError``, so YAML callers catch one type) and
their messages give the line and column but never copy a line of the file: the file may be
something else than what the user thinks (a key file named as a theme), and messages end up in
reports and web pages.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from . import limits, usercache


class StructureError(yaml.YAMLError):
    """A YAML or JSON document that is malformed, or exceeds a bound on its structure.

    ``problem_mark`` (0-based ``line`` and ``column``, as PyYAML's) says where, when known."""

    def __init__(self, message: str, mark: yaml.Mark | None = None) -> None:
        super().__init__(message)
        self.problem_mark = mark


def _mark(line: int, column: int) -> yaml.Mark:
    return yaml.Mark("<data>", 0, line, column, None, None)  # type: ignore[arg-type]  # no buffer


#: A quoted part of a PyYAML message taken from the file (a tag, an anchor): 4+ characters, not a
#: token name such as '<stream end>'.
_QUOTED = re.compile(r"(?<![^\s(])(['\"])(?!<)[^'\"\n]{4,}\1(?![^\s),.;:])")


def _problem_text(text: str | None) -> str:
    """A YAML problem without the file's own text: quoted parts longer than 3 characters (a
    tag, an alias name, a token) are elided; a single quoted character is kept."""
    return _QUOTED.sub("'…'", text or "").strip()


def describe_yaml_error(exc: BaseException) -> str:
    """``line L, column C: problem`` for a YAML error, never quoting a line of the file."""
    if isinstance(exc, StructureError):
        return str(exc)
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = _problem_text(getattr(exc, "problem", None)) or type(exc).__name__
    context = _problem_text(getattr(exc, "context", None))
    where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark is not None else ""
    return where + (f"{problem} ({context})" if context else problem)


def _at(node: Any) -> str:
    mark = getattr(node, "start_mark", None)
    return f"line {mark.line + 1}, column {mark.column + 1}: " if mark is not None else ""


def _error(node: Any, message: str) -> StructureError:
    return StructureError(_at(node) + message, getattr(node, "start_mark", None))


class _BoundedLoader(yaml.SafeLoader):
    """PyYAML's safe loader with depth, alias expansion and integer size checked as nodes are
    composed (before anything is constructed)."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0
        self._sizes: dict[int, int] = {}  # id(node) → characters it expands to
        self._expansion = 0  # characters added through aliases so far

    def compose_node(self, parent: Node | None, index: Any) -> Node:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            node = super().compose_node(parent, index)
            assert node is not None  # PyYAML's stub allows None; an alias is always a node
            size = self._sizes.get(id(node))
            if size is None:  # the anchor's node is still being composed: it contains itself
                raise _error(event, "an alias refers to the collection that contains it; "
                             "write the values out instead")
            self._expansion += size
            if self._expansion > limits.MAX_YAML_ALIAS_EXPANSION:
                raise _error(event, f"aliases (*name) expand the document by more than "
                             f"{limits.MAX_YAML_ALIAS_EXPANSION:,} characters; write the values "
                             "out instead of repeating aliases")
            return node
        self._depth += 1
        if self._depth > limits.MAX_DATA_DEPTH:
            raise _error(self.peek_event(), f"values are nested more than "
                         f"{limits.MAX_DATA_DEPTH} levels deep; flatten the data")
        try:
            node = super().compose_node(parent, index)
        finally:
            self._depth -= 1
        assert node is not None
        self._sizes[id(node)] = self._size(node)
        return node

    def _size(self, node: Node) -> int:
        if isinstance(node, ScalarNode):
            return len(node.value) + 1
        if isinstance(node, SequenceNode):
            return 2 + sum(self._sizes.get(id(child), 1) for child in node.value)
        if isinstance(node, MappingNode):
            return 2 + sum(self._sizes.get(id(k), 1) + self._sizes.get(id(v), 1)
                           for k, v in node.value)
        return 1

    def construct_yaml_int(self, node: ScalarNode) -> Any:
        digits = node.value.replace("_", "").lstrip("+-")
        if len(digits) > limits.MAX_INTEGER_DIGITS:
            return node.value  # kept as written: a number field reports it out of range
        return SafeConstructor.construct_yaml_int(self, node)


_BoundedLoader.add_constructor("tag:yaml.org,2002:int", _BoundedLoader.construct_yaml_int)


_DATE, _DATETIME = "\0date", "\0datetime"  # dates in the kept JSON


class _NotJSON(Exception):
    """A parsed value JSON cannot carry faithfully (a set, bytes, a non-text key…)."""


def _to_json(value: Any) -> Any:
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    if isinstance(value, dt.datetime):
        return {_DATETIME: value.isoformat()}
    if isinstance(value, dt.date):
        return {_DATE: value.isoformat()}
    if type(value) is list:
        return [_to_json(v) for v in value]
    if type(value) is dict and all(isinstance(k, str) and not k.startswith("\0") for k in value):
        return {k: _to_json(v) for k, v in value.items()}
    raise _NotJSON


def _from_json(value: Any) -> Any:
    if isinstance(value, list):
        return [_from_json(v) for v in value]
    if isinstance(value, dict):
        if len(value) == 1 and _DATE in value:
            return dt.date.fromisoformat(value[_DATE])
        if len(value) == 1 and _DATETIME in value:
            return dt.datetime.fromisoformat(value[_DATETIME])
        return {k: _from_json(v) for k, v in value.items()}
    return value


def load_yaml(text: str) -> Any:
    """``yaml.safe_load`` with bounded aliases, depth and integers.

    Raises :class:`StructureError` (a ``yaml.YAMLError``) with a message that names the line
    and column and quotes nothing of the file. A text parsed before (by this user, under the
    same bounds) is read back from the per-user cache instead.
    """
    if len(text) > limits.CACHED_YAML_CHARS:
        return _parse_yaml(text)
    name = usercache.key("yaml-1", repr((limits.MAX_YAML_ALIAS_EXPANSION, limits.MAX_DATA_DEPTH,
                                         limits.MAX_INTEGER_DIGITS)), text)
    kept = usercache.get("yaml", name)
    if kept is not None:
        try:
            return _from_json(json.loads(kept))
        except ValueError:
            pass  # a damaged entry: parse again and replace it
    data = _parse_yaml(text)
    try:
        usercache.put("yaml", name, json.dumps(_to_json(data), ensure_ascii=False).encode())
    except (_NotJSON, ValueError):
        pass
    return data


def _parse_yaml(text: str) -> Any:
    loader = _BoundedLoader(text)
    try:
        return loader.get_single_data()
    except StructureError:
        raise
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        raise StructureError(describe_yaml_error(exc), mark) from None
    except RecursionError:  # a guard: the depth check stops nesting long before this
        raise StructureError(f"values are nested more than {limits.MAX_DATA_DEPTH} levels "
                             "deep; flatten the data") from None
    finally:
        loader.dispose()


def _parse_int(text: str) -> Any:
    return int(text) if len(text.lstrip("-")) <= limits.MAX_INTEGER_DIGITS else text


def check_depth(value: Any, what: str = "values") -> None:
    """Raise :class:`StructureError` when lists and mappings nest deeper than the limit."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, (list, dict)):
            if depth > limits.MAX_DATA_DEPTH:
                raise StructureError(f"{what} are nested more than {limits.MAX_DATA_DEPTH} "
                                     "levels deep; flatten the data")
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children)


def load_json(text: str) -> Any:
    """``json.loads`` with bounded depth and integers; raises :class:`StructureError`."""
    try:
        value = json.loads(text, parse_int=_parse_int)
    except json.JSONDecodeError as exc:
        raise StructureError(f"line {exc.lineno}, column {exc.colno}: {exc.msg}",
                             _mark(exc.lineno - 1, exc.colno - 1)) from None
    except RecursionError:
        raise StructureError(f"values are nested more than {limits.MAX_DATA_DEPTH} levels "
                             "deep; flatten the data") from None
    check_depth(value)
    return value


def yaml_line(text: str, keys: "tuple[Any, ...]") -> int | None:
    """The 1-based line of the value at ``keys`` (mapping keys, from the top) in ``text``, or of
    the deepest key found on the way; None when the text has no such place or does not parse.

    Only called on the error path: parsed values keep no positions (they are read back from the
    per-user cache), so the text is composed again here, under the same bounds."""
    loader = _BoundedLoader(text)
    try:
        node = loader.get_single_node()
    except (yaml.YAMLError, RecursionError):
        return None
    finally:
        loader.dispose()
    line = None
    for key in keys:
        if not isinstance(node, MappingNode):
            break
        for key_node, value_node in node.value:
            if isinstance(key_node, ScalarNode) and key_node.value == str(key):
                line, node = key_node.start_mark.line + 1, value_node
                break
        else:
            break
    return line
