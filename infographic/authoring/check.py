"""``infographic check LAYOUT``: lint a layout the way a careful reviewer would.

Each check adds :class:`Problem` entries that say what is wrong *and* what to do about it:

1. the manifest loads and the template parses;
2. manifest and template agree: every name the template reads is a field or a template function,
   every field is shown somewhere (template or alt text), every text slot the template uses is
   declared and every declared slot is used;
3. fonts: every slot's font resolves to a bundled face of the asked weight, and that face covers
   the whole Vietnamese alphabet (otherwise letters fall back to another font mid-word);
4. icons named in the template exist;
5. the sample data (and the example data, or ``--data``) renders at every size the layout
   supports with no text truncated or overflowing and no character missing;
6. contrast: the render's own WCAG check (slot ``background:`` keys), plus a measured one —
   each text block's colour against the pixels actually under it (photos, tints, scrims);
7. with ``stress``: the least and the most content the manifest accepts (see stress.py) render
   too, and every render passes the geometry checks (geometry.py): text inside its card and the
   safe area, no overlaps, no text under its role's floor, no large empty band for the least.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping, Sequence

from jinja2 import Environment, TemplateSyntaxError, meta, nodes

from ..datafile import example_data_path, load_data_file
from ..errors import DataError, FontError, InfographicError
from ..findings import TEXT_KINDS
from ..formatting import FILTERS
from ..layout.context import RenderContext, style_from_spec
from ..layout.design import CHROME_SLOTS
from ..layout.manifest import Layout, bundled_layouts, load_layout
from ..render import render
from ..sizes import PRESETS
from ..text.fonts import default_registry
from ..themes import load_theme
from ..colour import contrast_ratio, to_hex
from ..themes.contrast import required_ratio
from .geometry import check_artwork
from .thumbnails import thumbnail
from .stress import stress_data

#: Letters and marks real Vietnamese text uses; a slot font must draw every one itself.
VIETNAMESE = ("aàảãáạăằẳẵắặâầẩẫấậbcdđeèẻẽéẹêềểễếệghiìỉĩíịklmnoòỏõóọôồổỗốộơờởỡớợpqrstu"
              "ùủũúụưừửữứựvxyỳỷỹýỵ")
VIETNAMESE = VIETNAMESE + VIETNAMESE.upper() + "0123456789.,:;!?%/()–-“”‘’…"
#: Functions and names the Jinja sandbox itself provides to every template.
_JINJA_GLOBALS = {"range", "namespace", "dict", "lipsum", "cycler", "joiner", "loop", "none",
                  "true", "false", "True", "False", "None"}
#: Template functions whose first argument is a text slot name.
_SLOT_FUNCTIONS = {"text", "shared_size", "text_height", "text_width"}
#: Side of the raster used for the measured contrast check.
_CONTRAST_SIDE = 720


@dataclass(frozen=True)
class Problem:
    level: str  # "error" or "warning"
    topic: str  # manifest, template, fields, slots, fonts, icons, render, contrast
    message: str
    fix: str = ""

    def format(self) -> str:
        text = f"{self.level:<7} [{self.topic}] {self.message}"
        return text + (f"\n          fix: {self.fix}" if self.fix else "")


@dataclass
class CheckReport:
    layout: str
    folder: str
    problems: list[Problem] = field(default_factory=list)
    renders: list[str] = field(default_factory=list)  # "size (data): worst status"

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.level == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.level == "warning"]

    @property
    def ok(self) -> bool:
        return not self.errors

    def add(self, level: str, topic: str, message: str, fix: str = "") -> None:
        problem = Problem(level, topic, message, fix)
        if problem not in self.problems:
            self.problems.append(problem)

    def format(self) -> str:
        lines = [f"check layout '{self.layout}' ({self.folder})"]
        lines += [f"  rendered {r}" for r in self.renders]
        lines += ["  " + p.format() for p in self.problems]
        verdict = "OK" if self.ok else "FAILED"
        lines.append(f"{verdict}: {len(self.errors)} error(s), {len(self.warnings)} warning(s)")
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        return {"layout": self.layout, "folder": self.folder, "ok": self.ok,
                "renders": list(self.renders),
                "problems": [dataclasses.asdict(p) for p in self.problems]}


# -- manifest and template ------------------------------------------------------------------

def _template_globals(layout: Layout) -> set[str]:
    """Every name a template may read besides the fields (text, canvas, theme, blocks…)."""
    theme = load_theme(layout.theme)
    context = RenderContext(layout, PRESETS[layout.sizes[0]], theme, default_registry())
    return set(context.template_globals()) | {"data"} | _JINJA_GLOBALS


def _parser() -> Environment:
    """A Jinja environment to read (never run) templates, with the project's filters."""
    env = Environment()
    env.filters.update(FILTERS)
    return env


def _first_string_args(tree: nodes.Template, functions: set[str]) -> list[tuple[str, str]]:
    """(function, first argument) of every call like ``text("title", …)`` with a literal name."""
    found = []
    for call in tree.find_all(nodes.Call):
        if isinstance(call.node, nodes.Name) and call.node.name in functions and call.args:
            first = call.args[0]
            if isinstance(first, nodes.Const) and isinstance(first.value, str):
                found.append((call.node.name, first.value))
    return found


def _data_reads(tree: nodes.Template) -> set[str]:
    """Fields read as ``data.name`` or ``data["name"]`` (the way to reach a field whose name a
    template function hides, such as ``qr``)."""
    names = set()
    for node in tree.find_all(nodes.Getattr):
        if isinstance(node.node, nodes.Name) and node.node.name == "data":
            names.add(node.attr)
    for item in tree.find_all(nodes.Getitem):
        if isinstance(item.node, nodes.Name) and item.node.name == "data" and \
                isinstance(item.arg, nodes.Const):
            names.add(str(item.arg.value))
    return names


def _check_template(layout: Layout, report: CheckReport) -> nodes.Template | None:
    path = layout.folder / layout.template
    try:
        tree = _parser().parse(path.read_text(encoding="utf-8"))
    except TemplateSyntaxError as exc:
        report.add("error", "template", f"{path.name}, line {exc.lineno}: {exc.message}",
                   "fix the Jinja syntax at that line ({% … %} and {{ … }} must be closed)")
        return None
    known = _template_globals(layout)
    fields = set(layout.fields)
    # Names the template sets itself, in any branch, are not reads of missing data.
    assigned = {n.name for n in tree.find_all(nodes.Name) if n.ctx in ("store", "param")}
    assigned |= {m.name for m in tree.find_all(nodes.Macro)}
    read = meta.find_undeclared_variables(tree) - (assigned - fields)
    for name in sorted(read - fields - known):
        report.add("error", "template", f"the template reads '{name}', which is neither a field "
                   "nor a template function", f"declare '{name}' under fields in layout.yaml, "
                   "or correct the spelling")
    for name in sorted((fields & known) - _data_reads(tree)):
        report.add("warning", "fields", f"field '{name}' has the same name as the template "
                   f"function {name}(), which hides it in the template",
                   f"read the value as data.{name} (the function keeps its name)")
    used = (read & fields) | _data_reads(tree)
    used |= {c.value for c in tree.find_all(nodes.Const) if isinstance(c.value, str)} & fields
    if layout.alt_text:
        try:
            used |= meta.find_undeclared_variables(_parser().parse(layout.alt_text)) & fields
        except TemplateSyntaxError as exc:
            report.add("error", "manifest", f"alt_text, line {exc.lineno}: {exc.message}",
                       "fix the Jinja syntax of alt_text in layout.yaml")
    for name in sorted(fields - used):
        report.add("warning", "fields", f"field '{name}' is declared but never shown (not in the "
                   "template, not in alt_text)", "show it in the template or remove it from "
                   "layout.yaml")

    slots_used = {arg for _, arg in _first_string_args(tree, _SLOT_FUNCTIONS)}
    # A slot named in any string (e.g. a table of columns and their slots) counts as used.
    literals = {c.value for c in tree.find_all(nodes.Const) if isinstance(c.value, str)}
    # the shared header's and footer's slots have defaults (a template may measure with them)
    for slot in sorted(slots_used - set(layout.slots) - set(CHROME_SLOTS)):
        report.add("error", "slots", f"the template uses text slot '{slot}', which layout.yaml "
                   "does not declare", f"add '{slot}: {{font: body, size: 28}}' under slots")
    # a layout may restyle the shared header's and footer's slots: page_header() sets them
    for slot in sorted(set(layout.slots) - slots_used - literals - set(CHROME_SLOTS)):
        report.add("warning", "slots", f"slot '{slot}' is declared but the template never sets "
                   "text in it", f"use text(\"{slot}\", …) in the template or remove the slot")

    try:
        from ..media.icons import get_icon
    except ImportError:  # the icon set is optional
        get_icon = None  # type: ignore[assignment]
    if get_icon is not None:
        for _, name in _first_string_args(tree, {"icon"}):
            try:
                get_icon(name)
            except InfographicError as exc:
                report.add("error", "icons", f"icon '{name}': {exc.message}",
                           "pick a name from `infographic icons`")
    _check_maps(layout, tree, report)
    return tree


def _check_maps(layout: Layout, tree: nodes.Template, report: CheckReport) -> None:
    """Each ``map(rows, file, …)`` whose file is written in the template, or is a field's
    default or sample, names a GeoJSON/TopoJSON file that exists (layout folder or bundled
    geodata) and reads: polygons, names, longitude/latitude, within the limits."""
    from ..blocks.maps import bundled_geodata, find_map_file, read_areas
    files: set[str] = set()
    for call in tree.find_all(nodes.Call):
        if not (isinstance(call.node, nodes.Name) and call.node.name == "map"):
            continue
        argument = call.args[1] if len(call.args) > 1 else next(
            (k.value for k in call.kwargs if k.key == "file"), None)
        if isinstance(argument, nodes.Const) and isinstance(argument.value, str):
            files.add(argument.value)
        elif isinstance(argument, nodes.Name) and argument.name in layout.fields:
            spec = layout.fields[argument.name]
            files |= {v for v in (spec.default, spec.sample) if isinstance(v, str) and v}
    for name in sorted(files):
        try:
            read_areas(find_map_file(name, [layout.folder, bundled_geodata()]))
        except InfographicError as exc:
            report.add("error", "maps", exc.message, "put a GeoJSON or TopoJSON file of "
                       "polygons in longitude/latitude (WGS 84) beside layout.yaml, or name a "
                       "bundled one (geodata/)")


# -- fonts and glyph coverage ---------------------------------------------------------------

def _check_fonts(layout: Layout, report: CheckReport) -> None:
    theme = load_theme(layout.theme)
    registry = default_registry()
    for slot, spec in layout.slots.items():
        try:
            style = style_from_spec(slot, spec, theme)
            face = registry.match(style.family, style.weight, style.style)
        except (FontError, TypeError, ValueError, InfographicError) as exc:
            report.add("error", "fonts", f"slot '{slot}': {exc}",
                       "use a font role (heading, body, figures, serif) or a bundled family "
                       f"({', '.join(registry.text_families)})")
            continue
        if abs(face.info.weight - style.weight) > 100 or face.info.style != style.style:
            report.add("warning", "fonts", f"slot '{slot}' asks for {style.family} "
                       f"{style.weight} {style.style}; the nearest bundled face is "
                       f"{face.info.weight} {face.info.style}",
                       "use a weight/style the family ships (see fonts/*/font.yaml)")
        missing = [c for c in VIETNAMESE if not face.has(c)]
        if missing:
            report.add("error", "fonts", f"slot '{slot}': {face.info.family} {face.info.weight} "
                       f"lacks {len(missing)} Vietnamese character(s): {''.join(missing[:20])}",
                       "choose a font with full Vietnamese coverage (Noto Sans, Inter, "
                       "Noto Serif)")


# -- rendering, fit and contrast ------------------------------------------------------------

def _percentile(weighted: list[tuple[float, int]], percent: float) -> float:
    """The ``percent`` percentile (linear interpolation between ranks, as numpy's default) of
    values given as (value, how many times) pairs."""
    weighted = sorted(weighted)
    position = percent / 100 * (sum(count for _, count in weighted) - 1)
    below, fraction = int(position), position - int(position)
    picked: list[float] = []
    seen = 0
    for value, count in weighted:
        seen += count
        while len(picked) < 2 and seen > below + len(picked):
            picked.append(value)
        if len(picked) == 2:
            break
    low = picked[0]
    high = picked[1] if len(picked) > 1 else low
    return low + (high - low) * fraction


def _measured_contrast(art, layout: Layout, label: str, report: CheckReport) -> None:
    """Each text block's colour against what is drawn under it: a raster of the artwork without
    its text, sampled over the area the block's lines span. The 10th percentile is used, so a
    block fails when a tenth of its area has too little contrast (a bright patch of a photo).
    Pixels are counted by colour first: a flat design has a handful, a photo a few thousand."""
    no_text = art.scene.without_text()
    bare = thumbnail(dataclasses.replace(art, svg=no_text.svg, scene=no_text), _CONTRAST_SIDE)
    scale = bare.width / art.size.canvas_width
    theme = load_theme(layout.theme)
    entries = {e.slot: e for e in [*art.fit_report, *art.fit_report.labels]}  # chart labels too
    for run in art.scene.texts:
        slot_name, fill, area = run.slot, run.fill, run.glyph_area()
        entry = entries.get(slot_name)
        if entry is None or area is None or not fill.startswith("#"):
            continue
        x0, y0, x1, y1 = area
        size = entry.size
        top, bottom = (y0 - 0.75 * size) * scale, (y1 + 0.15 * size) * scale
        left, right = x0 * scale, (x1 + 0.5 * size) * scale
        box = (max(0, int(left)), max(0, int(top)),
               min(bare.width, max(int(left) + 1, int(right))),
               min(bare.height, max(int(top) + 1, int(bottom))))
        if box[2] <= box[0] or box[3] <= box[1]:
            continue
        colours = bare.crop(box).getcolors(maxcolors=(box[2] - box[0]) * (box[3] - box[1]))
        assert colours is not None  # maxcolors is the crop's pixel count: never exceeded
        ratio = _percentile([(contrast_ratio(fill, to_hex(colour)), count)  # type: ignore[arg-type]
                             for count, colour in colours], 10)
        slot = slot_name.split("#", 1)[0]
        spec = layout.slots.get(slot, {})
        role = spec.get("font", "body")
        weight = int(spec.get("weight") or (theme.fonts.get(role) or {}).get("weight", 400))
        needed = required_ratio(size, weight)
        if ratio + 0.05 < needed:
            report.add("error", "contrast", f"{label}: text '{slot_name}' ({fill}) measures "
                       f"{ratio:.1f}:1 against what is drawn under it; WCAG AA needs "
                       f"{needed:g}:1 at size {size:g}",
                       "darken/lighten the text or what is under it (a scrim, a solid band), "
                       "or change the slot colour")


def _datasets(layout: Layout, data: Mapping[str, Any] | None, data_label: str,
              stress: bool = False) -> list[tuple[str, Mapping[str, Any] | None]]:
    if data is not None:
        return [(data_label, data)]
    sets: list[tuple[str, Mapping[str, Any] | None]] = [("sample data", layout.sample_data())]
    if stress:
        sets += [(f"{which} content", stress_data(layout, which))
                 for which in ("minimum", "maximum")]
    if layout.name in bundled_layouts():
        example = example_data_path(layout.name)
        if example:
            sets.append((f"examples/{example.name}", load_data_file(example)))
    return sets


def _check_renders(layout: Layout, report: CheckReport, data: Mapping[str, Any] | None,
                   data_label: str, sizes: Sequence[str], contrast: bool,
                   assets: Sequence[Path], stress: bool = False) -> None:
    if not layout.sample_data() and data is None:
        report.add("warning", "fields", "no field has a sample value, so the layout cannot "
                   "render without a data file", "add sample: values to the fields")
    for label, values in _datasets(layout, data, data_label, stress):
        failed: dict[str, tuple[InfographicError, list[str]]] = {}  # one problem, every size
        for size in sizes:
            where = f"{size} ({label})"
            try:
                art = render(layout, values, size=size, assets=list(assets))
            except InfographicError as exc:
                failed.setdefault(str(exc), (exc, []))[1].append(size)
                continue
            fit = art.fit_report
            report.renders.append(f"{where}: {fit.worst}")
            for entry in fit:
                if entry.status in ("truncated", "overflow"):
                    report.add("error", "fit", f"{where}: slot '{entry.slot}' is {entry.status} "
                               f"({entry.message})", "give the box more room, lower the slot's "
                               "min_size, or shorten max_length in the manifest")
                if entry.missing_chars:
                    chars = "".join(entry.missing_chars)
                    report.add("error", "glyphs", f"{where}: slot '{entry.slot}': no bundled "
                               f"font has {chars!r}", "remove or replace those characters")
            reported = {e.slot for e in fit if e.status in ("truncated", "overflow")
                        or e.missing_chars}
            for finding in fit.findings:
                if finding.kind in TEXT_KINDS and finding.slot in reported:
                    continue  # reported above, with the fix
                report.add("warning", "render", f"{where}: {finding.message}")
            if contrast:
                try:
                    _measured_contrast(art, layout, where, report)
                except InfographicError as exc:  # drawing found what laying out could not
                    report.add("error", "render", f"{where}: {exc}",
                               "fix the template or SVG image as the message says")
            if stress:
                for finding in check_artwork(art, minimum=label == "minimum content",
                                             safe_mm=layout.safe_area_mm):
                    report.add("error", "geometry", f"{where}: {finding.message}",
                               _GEOMETRY_FIXES[finding.kind])
        for message, (error, failing) in failed.items():
            at = "every size" if len(failing) == len(sizes) > 1 else ", ".join(failing)
            report.add("error", "render", f"{at} ({label}): {message}",
                       f"fix the {'data' if isinstance(error, DataError) else 'template'} as the "
                       "message says")


_GEOMETRY_FIXES = {
    "outside-container": "give the card room for its longest text, or stack the cards",
    "outside-safe-area": "keep text inside the margins (and the print safe margin)",
    "overlap": "lay the blocks out one after another from their .bottom",
    "below-floor": "declare the slot's role, and change the arrangement (fewer columns, drop an "
                   "optional block) before the text shrinks under its floor",
    "empty-band": "with little content, grow type, icons and charts and close with the footer",
}


def check_layout(layout: "str | Path | Layout", data: Mapping[str, Any] | None = None, *,
                 sizes: Sequence[str] | None = None, contrast: bool = True,
                 data_label: str = "data file", assets: Sequence["str | Path"] = (),
                 stress: bool = False) -> CheckReport:
    """Lint ``layout`` (a bundled name or a folder). ``data`` replaces the sample and example
    data; ``sizes`` defaults to every size the layout supports. ``stress`` adds the least and
    the most content the manifest accepts and the geometry checks on every render."""
    try:
        spec = load_layout(layout)
    except InfographicError as exc:
        report = CheckReport(str(layout), str(layout))
        exists = isinstance(layout, Layout) or (Path(layout) / "layout.yaml").is_file()
        report.add("error", "manifest", str(exc), "fix layout.yaml as the message says" if exists
                   else "give a layout folder or a bundled layout name (infographic layouts)")
        return report
    report = CheckReport(spec.name, str(spec.folder))
    tree = _check_template(spec, report)
    _check_fonts(spec, report)
    if tree is not None:
        _check_renders(spec, report, data, data_label, list(sizes or spec.sizes), contrast,
                       [Path(a) for a in assets], stress)
    return report
