"""From flat spreadsheet columns to a layout's fields.

The rules (also in the README):

* A column whose name is a field name feeds that field (``title``). Header names are matched
  loosely: ``Title``, `` title `` and ``Số văn bản`` → ``--map "Số văn bản=number"``.
* ``--map COLUMN=TARGET`` (or a YAML file of ``columns: {COLUMN: TARGET}``) renames a column.
* Lists are numbered columns: ``body.1``, ``body.2`` … make the list ``body`` (empty cells are
  left out); ``tips.1.heading``, ``tips.1.text`` make a list of records (a table). One cell with
  line breaks also makes a list.
* ``_size``, ``_theme``, ``_layout`` and ``_locale`` columns override the batch's size(s), theme,
  layout and number/date locale for that row (``_size`` may list several: ``square,story``).
* ``--set FIELD=VALUE`` gives every row the same value (a cell in the row wins).
* An empty cell is a missing value: the field takes its default.
* Other columns are not fields: they may be used in the output name template, and are listed
  once as ignored columns (with a hint when one looks like a misspelt field).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping

from ..datafile import set_values
from ..dataparse import StructureError, load_yaml
from ..errors import DataError, InfographicError

OVERRIDES = ("size", "theme", "layout", "locale")
_OVERRIDE_COLUMNS = {f"_{name}": name for name in OVERRIDES}
_PART = re.compile(r"^[a-z][a-z0-9_]*$")


def normalise_header(name: str) -> str:
    """``" Số ca "`` → ``"số_ca"``: trims, lowercases, joins words with ``_`` (dots kept)."""
    text = unicodedata.normalize("NFC", str(name)).strip().lower()
    return re.sub(r"[\s\-]+", "_", text)


@dataclass(frozen=True)
class MappedRow:
    """One row after mapping: layout data, per-row overrides, and the columns no field used."""

    data: dict[str, Any]
    overrides: dict[str, Any]
    ignored: tuple[str, ...] = ()


@dataclass
class ColumnMapping:
    """How the columns of a data file become layout fields (see the module docstring)."""

    columns: dict[str, str] = field(default_factory=dict)
    constants: dict[str, Any] = field(default_factory=dict)
    _targets: dict[str, str] = field(default_factory=dict, init=False, repr=False, compare=False)

    @classmethod
    def from_options(cls, maps: Iterable[str] = (), sets: Iterable[str] = ()) -> "ColumnMapping":
        """``--map COLUMN=TARGET`` / ``--map FILE.yaml`` and ``--set FIELD=VALUE`` options."""
        mapping = cls()
        for item in maps:
            path = Path(item)
            if "=" not in item and path.suffix.lower() in (".yaml", ".yml", ".json"):
                mapping.merge_file(path)
                continue
            if "=" not in item:
                raise InfographicError(f"--map needs COLUMN=FIELD or a .yaml file, got '{item}'")
            column, target = item.rsplit("=", 1)
            mapping.columns[column.strip()] = target.strip()
            mapping._targets.clear()
        mapping.constants.update(set_values(sets))
        return mapping

    def merge_file(self, path: Path) -> None:
        try:
            spec = load_yaml(path.read_text(encoding="utf-8-sig"))
        except (OSError, UnicodeDecodeError, StructureError) as exc:
            raise DataError(f"cannot read mapping file {path}: {exc}") from None
        if not isinstance(spec, dict):
            raise DataError(f"mapping file {path} must be a mapping with 'columns' and/or 'set'")
        columns = spec.get("columns", {}) or {}
        constants = spec.get("set", {}) or {}
        if not isinstance(columns, dict) or not isinstance(constants, dict):
            raise DataError(f"mapping file {path}: 'columns' and 'set' must be mappings")
        self.columns.update({str(k).strip(): str(v).strip() for k, v in columns.items()})
        self._targets.clear()
        self.constants.update({str(k): v for k, v in constants.items()})

    def target(self, column: str) -> str:
        """The field path a column feeds (``body.2``, ``_size``) before checking the layout."""
        found = self._targets.get(column)
        if found is None:
            found = self.columns.get(column) or normalise_header(column)
            self._targets[column] = found
        return found

    def layout_override(self, values: Mapping[str, Any]) -> str | None:
        """The row's ``_layout`` cell, if it has one."""
        for column, value in values.items():
            if self.target(column) == "_layout" and not _is_blank(value):
                return str(value).strip()
        return None

    def apply(self, values: Mapping[str, Any], fields: Iterable[str]) -> MappedRow:
        """Map one row's ``values`` onto the layout ``fields``; raises :class:`DataError`."""
        known = set(fields)
        tree: dict[str, Any] = {}
        overrides: dict[str, Any] = {}
        ignored: list[str] = []
        cells = [(key, value, False) for key, value in self.constants.items()]
        cells += [(column, value, True) for column, value in values.items()]
        for column, value, from_row in cells:
            target = self.target(column) if from_row else column
            if target in _OVERRIDE_COLUMNS:
                if not _is_blank(value):
                    overrides[_OVERRIDE_COLUMNS[target]] = str(value).strip()
                continue
            parts = target.split(".")
            if parts[0] not in known:
                if from_row:
                    ignored.append(column)
                continue
            if _is_blank(value):
                continue
            _put(tree, parts, _clean(value), column)
        return MappedRow(_lists(tree), overrides, tuple(ignored))


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        # Excel writes line breaks in a cell as \r\n or \r; fields want \n.
        return value.replace("\r\n", "\n").replace("\r", "\n").strip()
    return value


def _put(tree: dict[str, Any], parts: list[str], value: Any, column: str) -> None:
    node: Any = tree
    for depth, part in enumerate(parts):
        key: Any = int(part) if part.isdigit() else part
        if isinstance(key, int) and key < 1:
            raise DataError(f"column '{column}': list items are numbered from 1", field=parts[0])
        if not isinstance(key, int) and depth and not _PART.match(part):
            raise DataError(f"column '{column}': '{part}' is not a valid key (use "
                            "lower_snake_case)", field=parts[0])
        last = depth == len(parts) - 1
        if not isinstance(node, dict):
            raise DataError(f"column '{column}' conflicts with another column that sets "
                            f"'{'.'.join(parts[:depth])}' to a single value", field=parts[0])
        if last:
            if key in node and isinstance(node[key], dict):
                raise DataError(f"column '{column}' conflicts with numbered columns for the same "
                                "field", field=parts[0])
            node[key] = value
        else:
            node = node.setdefault(key, {})


def _lists(node: Any) -> Any:
    """Turn dicts keyed by item numbers into lists, in number order (gaps are dropped)."""
    if not isinstance(node, dict):
        return node
    converted = {key: _lists(value) for key, value in node.items()}
    if converted and all(isinstance(key, int) for key in converted):
        return [converted[key] for key in sorted(converted)]
    return {str(key): value for key, value in converted.items()}
