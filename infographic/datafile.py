"""Read one record of layout data from a YAML or JSON file."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable

from .dataparse import StructureError, load_json, load_yaml
from .errors import DataError, InfographicError
from .resources import bundled_dir

if TYPE_CHECKING:
    from .layout.manifest import Layout


def load_data_file(path: "str | Path") -> dict[str, Any]:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise DataError(f"cannot read data file {path}: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise DataError(f"data file {path} is not UTF-8 text: save it as UTF-8") from None
    try:
        data = load_json(text) if path.suffix.lower() == ".json" else load_yaml(text)
    except StructureError as exc:
        raise DataError(f"data file {path} is not valid {path.suffix.lstrip('.').upper() or 'YAML'}:"
                        f" {exc}") from None
    if not isinstance(data, dict):
        raise DataError(f"data file {path} must hold a mapping of field names to values")
    return data


def example_data_path(layout_name: str) -> Path | None:
    """``examples/<layout>.yaml`` if the layout has bundled example data."""
    path = bundled_dir("examples") / f"{layout_name}.yaml"
    return path if path.is_file() else None


def default_data(layout: "Layout") -> dict[str, Any]:
    """What a layout renders when it is given no data, the same for ``infographic render NAME``
    and ``infographic.render(NAME)``: a bundled layout's example data (``examples/<name>.yaml``,
    a real notice), else the sample values of its manifest."""
    bundled = layout.folder.parent == bundled_dir("layouts").resolve()
    example = example_data_path(layout.name) if bundled else None
    return load_data_file(example) if example else layout.sample_data()


def set_values(pairs: "Iterable[str]") -> dict[str, str]:
    """``--set FIELD=VALUE`` options (``render``, ``print``, ``batch``) as a dict; ``\\n`` in a
    value is a line break."""
    values: dict[str, str] = {}
    for pair in pairs:
        if "=" not in pair:
            raise InfographicError(f"--set needs FIELD=VALUE, got '{pair}'")
        key, value = pair.split("=", 1)
        values[key.strip()] = value.replace("\\n", "\n")
    return values
