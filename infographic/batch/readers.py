"""Read data rows from CSV, XLSX, JSON, JSONL and YAML files, one row at a time.

Every reader is a generator, so a 10,000-row spreadsheet is never held in memory (JSON and YAML
are parsed whole by their libraries: use CSV, XLSX or JSONL for very large batches). Row numbers
are the ones the user sees: the spreadsheet row (the header is row 1) for CSV and XLSX, the line
for JSONL, the 1-based item for JSON and YAML.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

from ..dataparse import StructureError, load_json, load_yaml
from ..errors import DataError

DATA_FORMATS = ("csv", "tsv", "xlsx", "json", "jsonl", "yaml")
FORMATS = DATA_FORMATS  # deprecated name (infographic.output.FORMATS are the output formats)
_SUFFIXES = {".csv": "csv", ".txt": "csv", ".tsv": "tsv", ".xlsx": "xlsx", ".xlsm": "xlsx",
             ".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl", ".yaml": "yaml",
             ".yml": "yaml"}
_DELIMITERS = ",;\t|"


@dataclass(frozen=True)
class Row:
    """One data row: ``number`` as the user sees it, ``index`` its 0-based position in the file."""

    number: int
    index: int
    values: dict[str, Any] = field(default_factory=dict)
    #: Why the row could not be read at all (e.g. a broken JSONL line); ``values`` is then empty.
    problem: str | None = None


def data_format(path: "str | Path", fmt: str | None = None) -> str:
    if fmt:
        if fmt not in DATA_FORMATS:
            raise DataError(f"unknown data format '{fmt}': use {', '.join(DATA_FORMATS)}")
        return fmt
    suffix = Path(path).suffix.lower()
    if suffix not in _SUFFIXES:
        raise DataError(f"cannot tell the format of data file {path}: name it .csv, .tsv, .xlsx, "
                        ".json, .jsonl or .yaml (or pass --input-format)")
    return _SUFFIXES[suffix]


def read_rows(path: "str | Path", fmt: str | None = None, *, delimiter: str | None = None,
              sheet: str | None = None) -> Iterator[Row]:
    """Yield the rows of ``path``; the format comes from the suffix unless ``fmt`` is given."""
    path = Path(path)
    kind = data_format(path, fmt)
    if not path.is_file():
        raise DataError(f"data file {path} does not exist")
    readers: dict[str, Callable[[], Iterator[Row]]] = {
        "csv": lambda: _read_csv(path, delimiter),
        "tsv": lambda: _read_csv(path, delimiter or "\t"),
        "xlsx": lambda: _read_xlsx(path, sheet),
        "json": lambda: _read_document(path, "JSON"),
        "jsonl": lambda: _read_jsonl(path),
        "yaml": lambda: _read_document(path, "YAML"),
    }
    return readers[kind]()


def count_rows(path: "str | Path", fmt: str | None = None, **options: Any) -> int:
    """How many rows :func:`read_rows` yields (one streaming pass)."""
    return sum(1 for _ in read_rows(path, fmt, **options))


# --- CSV -------------------------------------------------------------------------------------

def _encoding(path: Path) -> str:
    """UTF-8 (with or without Excel's BOM), or UTF-16 as Excel's "Unicode text" writes it."""
    with path.open("rb") as handle:
        head = handle.read(4)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    return "utf-8-sig"


def _sniff_delimiter(sample: str) -> str:
    header = sample.split("\n", 1)[0]
    try:
        return csv.Sniffer().sniff(sample, delimiters=_DELIMITERS).delimiter
    except csv.Error:
        counts = {d: header.count(d) for d in _DELIMITERS}
        best = max(counts, key=lambda d: counts[d])
        return best if counts[best] else ","


def _header(names: list[str], path: Path) -> list[str]:
    header = [str(n).strip() if n is not None else "" for n in names]
    seen: set[str] = set()
    for name in header:
        if name and name in seen:
            raise DataError(f"data file {path}: column '{name}' appears twice in the header row")
        seen.add(name)
    if not any(header):
        raise DataError(f"data file {path}: the first row must name the columns")
    return header


def _read_csv(path: Path, delimiter: str | None) -> Iterator[Row]:
    encoding = _encoding(path)
    try:
        if delimiter is None:
            with path.open("r", encoding=encoding, newline="") as handle:
                delimiter = _sniff_delimiter(handle.read(65536))
        with path.open("r", encoding=encoding, newline="") as handle:
            reader = csv.reader(handle, delimiter=delimiter)
            first = next(reader, None)
            if first is None:
                return
            header = _header(first, path)
            index = 0
            for cells in reader:
                if not any(c.strip() for c in cells):
                    continue  # blank lines between blocks of rows
                index += 1
                # The spreadsheet row a user sees: the header is row 1.
                number = index + 1
                if len(cells) > len(header) and any(c.strip() for c in cells[len(header):]):
                    yield Row(number, index - 1, problem=f"has {len(cells)} cells but the header "
                              f"names {len(header)} columns (check the delimiter and quotes)")
                    continue
                yield Row(number, index - 1, {h: c for h, c in zip(header, cells) if h})
    except UnicodeDecodeError:
        raise DataError(f"data file {path} is not UTF-8 text: in Excel use \"Save as → CSV UTF-8\""
                        ) from None
    except csv.Error as exc:
        raise DataError(f"data file {path} is not valid CSV: {exc}") from None


# --- XLSX ------------------------------------------------------------------------------------

def _cell(value: Any) -> Any:
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        return value.date()
    return value


def _read_xlsx(path: Path, sheet: str | None) -> Iterator[Row]:
    from openpyxl import load_workbook  # imported here: only XLSX batches pay for it
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, OSError, KeyError, ValueError) as exc:
        raise DataError(f"data file {path} is not a readable .xlsx workbook: {exc}") from None
    try:
        if sheet is None:
            ws = book.worksheets[0]
        elif sheet in book.sheetnames:
            ws = book[sheet]
        else:
            raise DataError(f"data file {path} has no sheet '{sheet}' (sheets: "
                            f"{', '.join(book.sheetnames)})")
        header: list[str] | None = None
        index = 0
        for number, cells in enumerate(ws.iter_rows(values_only=True), 1):
            if not any(c is not None and str(c).strip() for c in cells):
                continue
            if header is None:
                header = _header(list(cells), path)
                continue
            yield Row(number, index, {h: _cell(c) for h, c in zip(header, cells)
                                      if h and c is not None})
            index += 1
    finally:
        book.close()


# --- JSON, JSONL, YAML -----------------------------------------------------------------------

def _records(data: Any, path: Path, kind: str) -> list[Any]:
    if isinstance(data, dict) and isinstance(data.get("rows"), list):
        data = data["rows"]
    if not isinstance(data, list):
        raise DataError(f"data file {path} must hold a list of rows (or a mapping with a 'rows' "
                        f"list) in {kind}")
    return data


def _from_items(items: list[Any]) -> Iterator[Row]:
    for index, item in enumerate(items):
        if isinstance(item, dict):
            yield Row(index + 1, index, {str(k): v for k, v in item.items()})
        else:
            yield Row(index + 1, index, problem=f"is a {type(item).__name__}, not a mapping of "
                      "column names to values")


def _read_document(path: Path, kind: str) -> Iterator[Row]:
    """A whole JSON or YAML file holding a list of rows (or a mapping with one)."""
    parse = load_json if kind == "JSON" else load_yaml
    try:
        data = parse(path.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError:
        raise DataError(f"data file {path} is not UTF-8 text: save it as UTF-8") from None
    except StructureError as exc:
        raise DataError(f"data file {path} is not valid {kind}: {exc}") from None
    yield from _from_items(_records(data, path, kind))


def _read_jsonl(path: Path) -> Iterator[Row]:
    index = 0
    try:
        with path.open("r", encoding="utf-8-sig") as handle:
            for number, line in enumerate(handle, 1):
                if not line.strip():
                    continue
                try:
                    item = load_json(line)
                except StructureError as exc:
                    yield Row(number, index, problem=f"is not valid JSON: "
                              f"{str(exc).removeprefix('line 1, ')}")
                else:
                    if isinstance(item, dict):
                        yield Row(number, index, {str(k): v for k, v in item.items()})
                    else:
                        yield Row(number, index, problem=f"is a {type(item).__name__}, not an "
                                  "object of column names to values")
                index += 1
    except UnicodeDecodeError:
        raise DataError(f"data file {path} is not UTF-8 text") from None
