"""What is being previewed: the layouts, their data (file or edited in the page) and the theme.

Plain state with no web or async code. Every render input is hashed (layout folder contents, data,
theme file, size) so the preview renders each distinct input once and can answer from its cache.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

from ..datafile import example_data_path, load_data_file
from ..errors import InfographicError
from ..layout.manifest import MANIFEST, Layout, bundled_layouts, load_layout
from ..sizes import PRESETS, parse_size
from ..renderkey import file_hash, render_key
from ..renderkey import folder_hash as folder_digest  # the name the preview used
from ..resources import bundled_dir, themes_dir
from ..themes import bundled_themes, load_theme
from .problems import describe


def _jsonable(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    return value


@dataclass
class PreviewLayout:
    """One layout in the preview, with its last good manifest and the data it renders."""

    slug: str
    folder: Path
    data_path: Path | None = None
    spec: Layout | None = None
    spec_error: dict[str, Any] | None = None
    file_data: dict[str, Any] = field(default_factory=dict)
    data_error: dict[str, Any] | None = None
    form_data: dict[str, Any] | None = None  # edits made in the page, kept in memory only
    data_revision: int = 0  # bumped when the data is replaced from outside the form

    @property
    def data(self) -> dict[str, Any]:
        return self.form_data if self.form_data is not None else self.file_data

    def reload_spec(self) -> bool:
        """Re-read the manifest; on error keep the last good one. True when it loaded."""
        try:
            self.spec = load_layout(self.folder)
            self.spec_error = None
            return True
        except InfographicError as exc:
            self.spec_error = describe(exc, self.folder)
            return False

    def reload_data(self) -> None:
        """Re-read the data file (or the manifest's sample values); page edits are dropped."""
        self.data_revision += 1
        self.form_data = None
        if self.data_path is None:
            self.file_data = self.spec.sample_data() if self.spec else {}
            self.data_error = None
            return
        try:
            self.file_data = load_data_file(self.data_path)
            self.data_error = None
        except InfographicError as exc:
            self.data_error = describe(exc, self.folder)

    @property
    def sizes(self) -> list[str]:
        """The layout's sizes, screen sizes first (they are what a designer checks first)."""
        listed = list(self.spec.sizes) if self.spec else []
        return sorted(listed, key=lambda name: parse_size(name).is_print)

    def input_key(self, size: str, theme_digest: str, folder_hash: str) -> str:
        return render_key(layout=folder_hash, data=self.data, theme=theme_digest, size=size,
                          assets=[str(a) for a in self.assets])[:20]

    @property
    def assets(self) -> list[str]:
        """Folders besides the layout folder that images may come from: the data file's."""
        return [str(self.data_path.parent)] if self.data_path else []


class PreviewProject:
    """The set of layouts and the theme choice shared by every page of one preview server."""

    def __init__(self, layouts: list[PreviewLayout], theme: str | None = None) -> None:
        self.layouts = {entry.slug: entry for entry in layouts}
        self.theme: str | None = None  # None: each layout's own theme
        self.theme_file: Path | None = None  # a theme file given by the user, offered in the page
        self.set_theme(theme)

    def theme_choices(self) -> list[dict[str, str]]:
        choices = [{"value": "", "label": "Layout's own theme"}]
        choices += [{"value": name, "label": name} for name in bundled_themes()]
        if self.theme_file is not None:
            choices.append({"value": str(self.theme_file), "label": self.theme_file.name})
        return choices

    def set_theme(self, theme: str | None) -> None:
        """Choose a theme (checked now, so a typo is an error here, not on every card)."""
        if theme:
            load_theme(theme)
            if Path(theme).suffix in (".yaml", ".yml") and Path(theme).is_file():
                theme = str(Path(theme).resolve())
                self.theme_file = Path(theme)
        self.theme = theme or None

    def theme_path(self, entry: PreviewLayout) -> Path | None:
        """The theme file a layout renders with now (to hash it and to watch it)."""
        name = self.theme or (entry.spec.theme if entry.spec else None) or "health-blue"
        if Path(name).suffix in (".yaml", ".yml") and Path(name).is_file():
            return Path(name).resolve()
        path = themes_dir() / f"{name}.yaml"
        return path if path.is_file() else None

    def theme_digest(self, entry: PreviewLayout) -> str:
        return f"{self.theme or ''}:{file_hash(self.theme_path(entry))}"


def _layout_folders(sources: Sequence[str]) -> list[Path]:
    if not sources:
        return [bundled_dir("layouts") / name for name in bundled_layouts()]
    folders: list[Path] = []
    for source in sources:
        path = Path(source)
        if (path / MANIFEST).is_file():
            folders.append(path.resolve())
        elif path.is_dir() and sorted(path.glob(f"*/{MANIFEST}")):
            folders.extend(p.parent.resolve() for p in sorted(path.glob(f"*/{MANIFEST}")))
        elif (bundled_dir("layouts") / source / MANIFEST).is_file():
            folders.append((bundled_dir("layouts") / source).resolve())
        else:
            raise InfographicError(f"unknown layout '{source}': give a bundled layout name "
                                   f"({', '.join(bundled_layouts())}), a layout folder (with "
                                   f"{MANIFEST}) or a folder of layouts")
    return list(dict.fromkeys(folders))


def _default_data_path(folder: Path) -> Path | None:
    """Bundled layouts preview their example data; others their manifest's sample values."""
    if folder.parent.resolve() == bundled_dir("layouts").resolve():
        return example_data_path(folder.name)
    return None


def _assign_data(folders: list[Path], data_files: Sequence[str]) -> dict[Path, Path]:
    assigned: dict[Path, Path] = {}
    for item in data_files:
        path = Path(item).resolve()
        if not path.is_file():
            raise InfographicError(f"data file {item} does not exist")
        named = [f for f in folders if f.name == path.stem]
        if named:
            assigned[named[0]] = path
        elif len(folders) == 1:
            assigned[folders[0]] = path
        else:
            raise InfographicError(f"cannot tell which layout --data {item} is for: name the file "
                                   "after its layout (e.g. announcement.yaml) or preview one layout")
    return assigned


def build_project(sources: Sequence[str] = (), data_files: Sequence[str] = (),
                  theme: str | None = None) -> PreviewProject:
    """The preview's state for the layouts the user named (all bundled layouts by default)."""
    folders = _layout_folders(sources)
    assigned = _assign_data(folders, data_files)
    entries: list[PreviewLayout] = []
    taken: set[str] = set()
    for folder in folders:
        slug, n = folder.name, 2
        while slug in taken:
            slug, n = f"{folder.name}-{n}", n + 1
        taken.add(slug)
        entry = PreviewLayout(slug=slug, folder=folder,
                              data_path=assigned.get(folder) or _default_data_path(folder))
        entry.reload_spec()
        entry.reload_data()
        entries.append(entry)
    project = PreviewProject(entries)
    project.set_theme(theme)
    return project


def size_label(name: str) -> str:
    size = PRESETS.get(name) or parse_size(name)
    if size.paper_mm:
        return f"{size.paper_mm[0]:g}×{size.paper_mm[1]:g} mm"
    return f"{size.width_px}×{size.height_px}"
