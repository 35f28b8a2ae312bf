"""Plan a batch: rows → mapped data → one :class:`Job` per row and size, with its output files.

Planning reads the rows as a stream and renders nothing, so it is cheap enough to run over the
whole file in every shard: output names are then the same whichever shard renders a row.
"""

from __future__ import annotations

import dataclasses
import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator, Sequence

from ..version import __version__
from ..errors import InfographicError
from ..layout.data import validate_data
from ..layout.manifest import Layout, bundled_layouts, load_layout
from ..output import FORMATS, OUTPUTS, output_format
from ..paths import resolve_inside
from ..render import resolve_size
from ..resources import bundled_dir
from ..sizes import Size, parse_size
from ..themes import bundled_themes, load_theme
from .fingerprint import (asset_hashes, canonical, folder_hash, fonts_hash, output_fingerprint,
                          theme_hash)
from .mapping import ColumnMapping
from ..limits import MAX_NAME_BYTES
from .naming import NameTemplate, UniqueNames
from .readers import Row

#: Where the contact sheet's thumbnails go, inside the output folder.
THUMBS_DIR = "_review/thumbs"


@dataclass(frozen=True)
class Shard:
    """``--shard I/N``: this process takes the rows whose 0-based index ≡ I-1 (mod N)."""

    index: int = 1
    count: int = 1

    @classmethod
    def parse(cls, text: str | None) -> "Shard":
        if not text:
            return cls()
        try:
            index, count = (int(p) for p in text.split("/"))
        except ValueError:
            raise InfographicError(f"--shard needs I/N (for example 2/8), got '{text}'") from None
        if not 1 <= index <= count:
            raise InfographicError(f"--shard {text}: I must be between 1 and N")
        return cls(index, count)

    def takes(self, row: Row) -> bool:
        return row.index % self.count == self.index - 1

    @property
    def label(self) -> str:
        return "all" if self.count == 1 else f"{self.index}-of-{self.count}"


@dataclass(frozen=True)
class Output:
    format: str
    path: str  # relative to the output folder, with "/" separators
    fingerprint: str


@dataclass(frozen=True)
class Job:
    """Render one row at one size and encode it in every format of ``outputs``."""

    row: int
    index: int
    name: str
    layout: str  # bundled layout name, or layout folder
    layout_name: str
    theme: str | None
    size: str
    data: dict[str, Any]
    outputs: tuple[Output, ...]
    thumbnail: str | None = None  # relative path of the review thumbnail, if wanted
    strict: bool = False
    locale: str | None = None
    assets: tuple[str, ...] = ()  # folders image(...) may read from, besides the layout's
    pixels: int = 0  # output width × height: the worker's memory budget grows with it

    def only(self, outputs: Sequence[Output]) -> "Job":
        return dataclasses.replace(self, outputs=tuple(outputs))


@dataclass(frozen=True)
class RowFailure:
    """A row that cannot be planned (unreadable, bad mapping, bad override, bad data)."""

    row: int
    index: int
    message: str
    reason: str
    field: str | None = None
    layout: str | None = None
    name: str | None = None
    size: str | None = None


@dataclass
class BatchSpec:
    """What to render: the command line of ``infographic batch`` as an object."""

    layout: str
    sizes: tuple[str, ...] = ("square",)
    formats: tuple[str, ...] = ("png",)
    theme: str | None = None
    name_template: str | None = None
    ascii_names: bool = False
    mapping: ColumnMapping = field(default_factory=ColumnMapping)
    shard: Shard = field(default_factory=Shard)
    rows: tuple[int, int] | None = None  # inclusive range of row numbers
    strict: bool = False
    thumbnails: bool = True
    locale: str | None = None
    assets: tuple[str, ...] = ()  # image folders; the batch adds the data file's folder

    def __post_init__(self) -> None:
        formats = []
        for fmt in self.formats:
            key = output_format(fmt).name
            if key not in FORMATS:
                raise InfographicError(f"unknown output format '{fmt}': use {', '.join(FORMATS)}")
            if key not in formats:
                formats.append(key)
        self.formats = tuple(formats)
        if not self.sizes:
            raise InfographicError("give at least one size")


class Planner:
    """Turns rows into jobs and failures; keeps the set of names handed out so far."""

    def __init__(self, spec: BatchSpec, name_bytes: int = MAX_NAME_BYTES,
                 roots: Sequence["str | Path"] | None = None) -> None:
        """``roots``: the folders a row's ``_layout`` and ``_theme`` may name files in (the
        data file's folder and ``--assets``; default ``spec.assets``)."""
        self.spec = spec
        self.roots = tuple(Path(r).resolve() for r in (spec.assets if roots is None else roots))
        #: Every output path the data produces (all rows, every shard), once planned: what is
        #: not among them in the output folder is stale.
        self.expected: set[str] = set()
        #: Rows that failed before their output names were known (unreadable, a bad _layout…):
        #: their earlier outputs look stale, so nothing is pruned while there are any.
        self.unnamed_rows = 0
        self._bundled: dict[str, set[str]] = {}
        self.template = NameTemplate(spec.name_template, ascii_only=spec.ascii_names,
                                     max_bytes=name_bytes)
        self.names = UniqueNames()
        self.ignored_columns: dict[str, str] = {}  # column → hint
        self.default_layout = load_layout(spec.layout)
        self._layouts: dict[str, Layout] = {}
        self._layout_hashes: dict[Path, str] = {}
        self._themes: dict[str | None, tuple[str | None, str]] = {}
        self._version = __version__
        self.columns: list[str] = []  # every column of the file, once :meth:`count` has run

    # -- cached inputs ------------------------------------------------------------------------

    def _layout(self, name: str | None) -> Layout:
        if not name:
            return self.default_layout
        if name not in self._layouts:
            self._layouts[name] = load_layout(name)
        return self._layouts[name]

    def _row_choice(self, value: str, column: str) -> str:
        """A row's ``_layout`` or ``_theme``: a bundled name, or a folder or file inside the
        data file's folder or an ``--assets`` folder (a relative path is read from there).
        Nothing else on the machine: the data's author is not the batch's operator."""
        kind = column.lstrip("_")
        if kind not in self._bundled:
            self._bundled[kind] = set(bundled_layouts() if kind == "layout" else bundled_themes())
        text = str(value).strip()
        if text in self._bundled[kind]:
            return text
        path = Path(text)
        for root in self.roots:
            candidate = resolve_inside(root, path)
            if candidate is not None and candidate.exists():
                return str(candidate)
        shown = text if len(text) <= 80 else f"{text[:77]}…"
        place = "folder" if kind == "layout" else ".yaml file"
        raise InfographicError(f"unknown {kind} '{shown}': use a bundled {kind} "
                               f"({', '.join(sorted(self._bundled[kind]))}) or a {kind} {place} "
                               "inside the data file's folder or an --assets folder", field=column)

    def _layout_hash(self, layout: Layout) -> str:
        """Hashed once per batch: a layout edited while the batch runs counts from the next run."""
        if layout.folder not in self._layout_hashes:
            self._layout_hashes[layout.folder] = folder_hash(layout.folder)
        return self._layout_hashes[layout.folder]

    def _theme(self, theme: str | None, layout: Layout) -> tuple[str | None, str]:
        key = theme if theme is not None else f"\0{layout.theme}"
        if key not in self._themes:
            chosen = theme if theme is not None else layout.theme
            resolved = load_theme(chosen)
            if chosen is not None and Path(chosen).suffix in (".yaml", ".yml"):
                chosen = str(Path(chosen).resolve())
            self._themes[key] = (chosen, theme_hash(resolved))
        return self._themes[key]

    # -- planning -----------------------------------------------------------------------------

    def plan(self, rows: Iterable[Row]) -> Iterator[Job | RowFailure]:
        """Jobs and failures of this shard's rows, in row order; names are unique over all rows."""
        for row in rows:
            if self.spec.rows and not self.spec.rows[0] <= row.number <= self.spec.rows[1]:
                continue
            mine = self.spec.shard.takes(row)
            named = len(self.expected)
            try:
                yield from self._plan_row(row, mine)
            except InfographicError as exc:
                self.unnamed_rows += len(self.expected) == named
                exc.with_row(row.number)
                if mine:
                    yield RowFailure(row.number, row.index, str(exc), exc.message, exc.field,
                                     exc.layout, getattr(exc, "name", None))
            except (ArithmeticError, ValueError, TypeError, RecursionError, MemoryError) as exc:
                # A value no check foresaw: this row fails, the batch goes on.
                self.unnamed_rows += len(self.expected) == named
                if mine:
                    detail = f"{type(exc).__name__}: {str(exc)[:200]}"
                    yield RowFailure(row.number, row.index, f"row {row.number}: this row's data "
                                     f"cannot be used ({detail}); check its values",
                                     f"unusable data ({detail})")

    def count(self, rows: Iterable[Row]) -> int:
        """About how many items :meth:`plan` yields (rows × sizes), without validating: for the
        progress bar's total."""
        total = 0
        columns: dict[str, None] = {}
        for row in rows:
            if not row.problem:
                columns.update(dict.fromkeys(row.values))
            if self.spec.rows and not self.spec.rows[0] <= row.number <= self.spec.rows[1]:
                continue
            if self.spec.shard.takes(row):
                override = None if row.problem else next(
                    (v for c, v in row.values.items() if self.spec.mapping.target(c) == "_size"
                     and v not in (None, "")), None)
                total += len(self._sizes(str(override))) if override else len(self.spec.sizes)
        self.columns = list(columns)
        return total

    def check_start(self, source: str) -> None:
        """Raise, once and before the first row, a problem that would fail every row: an unknown
        --size, a --name over a column the file does not have, a required field no column feeds.
        Also notes the columns no field uses (with "did you mean" hints) in
        :attr:`ignored_columns`. Needs :meth:`count` to have read the columns."""
        layout, mapping = self.default_layout, self.spec.mapping
        for size in self.spec.sizes:
            try:
                parse_size(size)
            except InfographicError as exc:
                raise InfographicError(f"--size {exc.message}") from None
        if not self.columns:
            return
        targets = {column: mapping.target(column) for column in self.columns}
        fed = {t.split(".")[0] for t in targets.values()} | set(mapping.constants)
        unused = [c for c, t in targets.items() if t.split(".")[0] not in layout.fields
                  and not t.startswith("_") and c not in self.template.fields]
        for column in unused:
            close = difflib.get_close_matches(targets[column], list(layout.fields), n=1)
            self.ignored_columns[column] = f"did you mean '{close[0]}'?" if close else ""
        known = {*self.columns, *targets.values(), *layout.fields, *mapping.constants,
                 "row", "layout", "size", "theme"}
        for name in sorted(self.template.fields - known):
            close = difflib.get_close_matches(name, sorted(known), n=1)
            hint = f"did you mean {{{close[0]}}}?" if close else \
                f"its columns are {', '.join(self.columns[:12])}"
            raise InfographicError(f"--name uses {{{name}}}, but {source} has no column and the "
                                   f"layout no field '{name}': {hint}", layout=layout.name)
        if "_layout" in targets.values():
            return  # rows may name other layouts, with other required fields
        missing = [f for f in layout.fields.values()
                   if f.required and f.default is None and f.name not in fed]
        if missing:
            names = {targets[c]: c for c in unused}
            problems = []
            for spec in missing:
                close = difflib.get_close_matches(spec.name, list(names), n=1)
                problems.append(f"'{spec.name}'" + (f" ({spec.label})" if spec.label else "") + (
                    f": column '{names[close[0]]}' looks like it (rename it, or add --map "
                    f"\"{names[close[0]]}={spec.name}\")" if close else ""))
            raise InfographicError(f"{source} has no column for the required field"
                                   f"{'s' * (len(missing) > 1)} {'; '.join(problems)}; "
                                   "nothing was rendered", layout=layout.name)

    def _plan_row(self, row: Row, mine: bool) -> Iterator[Job | RowFailure]:
        if row.problem:
            raise InfographicError(row.problem)
        row_layout = self.spec.mapping.layout_override(row.values)
        layout = self._layout(self._row_choice(row_layout, "_layout") if row_layout else None)
        mapped = self.spec.mapping.apply(row.values, layout.fields)
        for column in mapped.ignored:
            if column not in self.ignored_columns and column not in self.template.fields:
                close = difflib.get_close_matches(self.spec.mapping.target(column),
                                                  list(layout.fields), n=1)
                self.ignored_columns[column] = f"did you mean '{close[0]}'?" if close else ""
        sizes = self._sizes(mapped.overrides.get("size"))
        theme = mapped.overrides.get("theme", self.spec.theme)
        name_values = self._name_values(row, mapped.data, layout, theme)
        resolved_sizes: list[tuple[str, Size | InfographicError]] = []
        for size in sizes:
            try:
                resolved_sizes.append((size, resolve_size(layout, size)))
            except InfographicError as exc:
                resolved_sizes.append((size, exc.with_row(row.number)))
        base = None if self.template.uses_size else self.names.claim(
            self.template.render({**name_values, "size": sizes[0]}))
        stems: list[str | None] = []
        for size, resolved in resolved_sizes:
            if isinstance(resolved, InfographicError):
                stems.append(None)
            elif base is None:
                stems.append(self.names.claim(self.template.render(
                    {**name_values, "size": resolved.name})))
            elif len(sizes) > 1:
                stems.append(self.names.claim(f"{base}-{resolved.name}"))
            else:
                stems.append(base)
        self.expected.update(f"{stem}{OUTPUTS[fmt].suffix}" for stem in stems if stem
                             for fmt in self.spec.formats)
        if not mine:  # the names are claimed, so they do not depend on the shard; render nothing
            return
        try:
            validate_data(layout, mapped.data)  # a bad row fails before anything is rendered
        except InfographicError as exc:
            exc.name = base or next((s for s in stems if s), None)  # type: ignore[attr-defined]
            raise
        row_theme = mapped.overrides.get("theme")
        theme_name, theme_fp = self._theme(
            self._row_choice(row_theme, "_theme") if row_theme is not None else theme, layout)
        locale = mapped.overrides.get("locale", self.spec.locale)
        data_fp = canonical([mapped.data, asset_hashes(mapped.data, self._roots(layout)), locale])
        layout_fp = self._layout_hash(layout)
        for (size, resolved), stem in zip(resolved_sizes, stems):
            if isinstance(resolved, InfographicError) or stem is None:
                failure = resolved if isinstance(resolved, InfographicError) else None
                yield RowFailure(row.number, row.index, str(failure),
                                 failure.message if failure else "", "_size", layout.name,
                                 size=size)
                continue
            outputs = tuple(Output(fmt, f"{stem}{OUTPUTS[fmt].suffix}", output_fingerprint(
                version=self._version, layout=layout_fp, data=data_fp, theme=theme_fp,
                fonts=fonts_hash(), size=[resolved.name, resolved.width_px, resolved.height_px,
                                          resolved.dpi], format=fmt, strict=self.spec.strict))
                for fmt in self.spec.formats)
            thumb = f"{THUMBS_DIR}/{stem}.png" if self.spec.thumbnails else None
            yield Job(row.number, row.index, stem, self._layout_ref(layout), layout.name,
                      theme_name, size, mapped.data, outputs, thumb, self.spec.strict, locale,
                      self.spec.assets, resolved.width_px * resolved.height_px)

    @staticmethod
    def _layout_ref(layout: Layout) -> str:
        """A bundled layout travels by name (a Dask worker finds its own installed copy); a
        layout folder by its absolute path (workers elsewhere need it at the same path)."""
        bundled = bundled_dir("layouts").resolve()
        return layout.folder.name if layout.folder.parent == bundled else str(layout.folder)

    def _roots(self, layout: Layout) -> tuple[Path, ...]:
        return (layout.folder, *(Path(a) for a in self.spec.assets))

    def _sizes(self, override: str | None) -> tuple[str, ...]:
        if override:
            return tuple(s.strip() for s in override.split(",") if s.strip())
        return self.spec.sizes

    def _name_values(self, row: Row, data: dict[str, Any], layout: Layout,
                     theme: str | None) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for column, value in row.values.items():
            values[column] = value
            values.setdefault(self.spec.mapping.target(column), value)
        values.update({k: v for k, v in data.items() if not isinstance(v, (list, dict))})
        values.update(row=row.number, layout=layout.name, theme=theme or layout.theme or "")
        return values

