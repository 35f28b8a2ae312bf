"""``infographic import DRAWING.svg … -o DIR/NAME``: a designer's drawing becomes a layout.

The designer draws in Inkscape, Figma or Illustrator and names the layers that data fills
(``title``, ``tips``, ``photo``, ``qr``); the importer writes a layout folder whose template is
the drawing itself, with those parts turned into ``text(...)``, ``image(...)``, ``qr(...)`` and
``icon(...)`` calls, and the bands named ``header`` and ``footer`` into the shared
``page_header(...)`` and ``page_footer(...)``. Text sizes are steps of the type scale (unless
``keep_sizes``) and text is measured through the one text-placement service. The stages, in the
order data flows:

    drawing.py    read the SVG safely, resolve CSS classes, find the artboard and its size
    marks.py      what a layer name means (field, list, cell, box, qr, icon)
    textslots.py  a text's words, style and box → a slot
    chrome.py     a ``header`` / ``footer`` group → the shared header or footer
    plan.py       one artboard → what each element becomes, plus fields and slots
    writer.py     the manifest and template, written all at once
    report.py     what matched what, and the warnings
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from typing import Sequence

from ...errors import LayoutError
from ...layout.manifest import DEFAULT_TEMPLATE, MANIFEST
from ...sizes import PRESETS
from ...text.fonts import FontRegistry, default_registry
from .colours import (band_colour_notes, choose_theme, drawing_colours, largest_fill,
                      name_slot_colours, theme_from_drawing as drawing_theme)
from .drawing import read_drawing
from .plan import PagePlan, Planner
from .report import ImportReport, Match
from .writer import manifest_text, merge_fields, merge_slots, template_text, write_folder

__all__ = ["ImportReport", "Match", "import_drawing"]

_LAYOUT_NAME = re.compile(r"^[a-z][a-z0-9-]*$")


def _unmarked_error(plans: list[PagePlan]) -> LayoutError:
    texts = list(dict.fromkeys(t for p in plans for t in p.unmarked))
    listed = "; ".join(f'"{t[:50]}"' for t in texts[:8]) or "(it has no text)"
    sources = ", ".join(dict.fromkeys(p.drawing.path.name for p in plans))
    return LayoutError(
        f"{sources}: nothing is marked to be filled from data. Its texts: {listed}. Name a "
        "layer after a field — in Inkscape, Object → Layers and Objects, double-click the "
        "text's name and type 'title'; in Figma or Illustrator rename the layer 'title' — or "
        "write {{ title }} in the text itself")


def import_drawing(drawings: "Sequence[str | Path] | str | Path", out: "str | Path", *,
                   force: bool = False, keep_colours: bool = False,
                   theme_from_drawing: bool = False, keep_sizes: bool = False,
                   registry: FontRegistry | None = None) -> ImportReport:
    """Import one drawing per size into the layout folder ``out`` (its name is the layout's).

    Colours equal to a bundled theme's palette become theme names (the layout follows
    ``--theme``) unless ``keep_colours``; ``theme_from_drawing`` also writes ``theme.yaml``, a
    theme made of the drawing's palette, into the folder.

    Returns the :class:`ImportReport` (what matched what, warnings). Raises
    :class:`~infographic.errors.LayoutError` naming the element for a drawing that cannot be
    imported, and never leaves a half-written folder; an existing folder is replaced only with
    ``force``."""
    paths = [Path(drawings)] if isinstance(drawings, (str, Path)) else [Path(d) for d in drawings]
    if not paths:
        raise LayoutError("import needs at least one drawing (an .svg file)")
    folder = Path(out)
    name = folder.name
    if not _LAYOUT_NAME.match(name):
        raise LayoutError(f"layout name '{name}' (the last part of -o) must be lower case "
                          "letters, digits and hyphens, starting with a letter (e.g. "
                          "layouts/ward-poster)")
    if folder.exists() and not force:
        raise LayoutError(f"{folder} already exists: choose another -o, or pass --force to "
                          "replace the layout in it")
    registry = registry or default_registry()
    report = ImportReport(folder)
    plans: list[PagePlan] = []
    for path in paths:
        drawing = read_drawing(path, report.warnings)
        for page in drawing.pages:
            size = PRESETS[page.size]
            canvas = (size.canvas_width, size.canvas_height)
            same = next((p for p in plans if p.page.size == page.size), None)
            if same is not None:
                raise LayoutError(f"{path.name} and {same.drawing.path.name} are both drawn for "
                                  f"size '{page.size}'; give each size one drawing (rename or "
                                  "resize the artboard)")
            plans.append(Planner(drawing, page, canvas, registry, report.warnings,
                                 keep_sizes=keep_sizes).run())
    if not any(p.fields for p in plans):
        raise _unmarked_error(plans)
    _compare_fields(plans, report.warnings)
    colours = drawing_colours(plans)
    names = None if keep_colours else choose_theme(colours)
    if names is not None:
        for plan in plans:
            name_slot_colours(plan.slots, names)
            name_slot_colours({str(i): c.spec for i, c in enumerate(plan.replace.values())
                               if hasattr(c, "spec")}, names)
        report.theme = names.theme
    report.warnings.extend(band_colour_notes(plans, names.theme if names else "health-blue"))
    fields = merge_fields(plans)
    slots = merge_slots(plans)
    files: dict[str, bytes] = {}
    if theme_from_drawing:
        theme = drawing_theme(name, colours, slots, largest_fill(plans))
        files["theme.yaml"] = yaml.safe_dump(theme, allow_unicode=True,
                                             sort_keys=False).encode("utf-8")
        report.theme_file = folder / "theme.yaml"
    for plan in plans:
        files.update(plan.pictures)
    title = str(fields.get("title", {}).get("sample") or name.replace("-", " ").capitalize())
    sources = [p.name for p in paths]
    files[MANIFEST] = manifest_text(name, title[:80], [p.page.size for p in plans], fields,
                                    slots, sources, names.theme if names else "health-blue"
                                    ).encode("utf-8")
    files[DEFAULT_TEMPLATE] = template_text(plans, slots, fields, report.warnings,
                                            names).encode("utf-8")
    write_folder(folder, files, force)
    report.sizes = [p.page.size for p in plans]
    report.samples = {p.page.size: {name: spec["sample"] for name, spec in p.fields.items()
                                    if "sample" in spec} for p in plans}
    report.matches = [m for p in plans for m in p.matches]
    report.fixed_texts = sum(p.fixed for p in plans)
    report.pictures = sorted(n for p in plans for n in p.pictures)
    return report


def _compare_fields(plans: list[PagePlan], warnings: list[str]) -> None:
    """Every size should fill the same fields: say which size lacks which."""
    if len(plans) < 2:
        return
    every = set().union(*(p.fields for p in plans))
    for plan in plans:
        missing = sorted(every - set(plan.fields))
        if missing:
            warnings.append(f"{plan.drawing.path.name} ({plan.page.size}) does not mark "
                            f"{', '.join(missing)}, which other sizes show: at that size those "
                            "fields are not drawn")
