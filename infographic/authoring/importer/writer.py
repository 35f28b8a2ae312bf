"""Writing the layout folder: the manifest from the fields and slots of every artboard, and
the template — each artboard's elements as clean SVG, its marked parts as template calls."""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element

import yaml
from markupsafe import escape

from ...errors import LayoutError
from ...layout.design import TYPE_STEPS
from ...layout.manifest import DEFAULT_TEMPLATE, MANIFEST
from ...sizes import PRESETS
from ...svgsyntax import svg_number
from .drawing import SVG, XLINK, format_style, local, parse_style
from .colours import ColourNames, is_colour_property, themed
from .parts import Markup, PagePlan, TextCall, jinja_string

#: Elements the template never needs: editor data, documents' own titles, scripts.
_DROPPED = ("metadata", "title", "desc", "script", "namedview", "style")
#: Style properties only editors read.
_EDITOR_PROPERTIES = ("-inkscape-font-specification", "shape-inside", "shape-padding",
                      "inline-size", "font-variation-settings", "white-space")
_REF = re.compile(r"url\(\s*['\"]?#([^'\")]+)['\"]?\s*\)")


_STEP_NAMES = {size: name for name, size in TYPE_STEPS.items()}


def _size(value: float) -> str:
    """A text size in a template: a type step by its name (``type_scale.lg``), else (sizes kept
    as drawn) the number."""
    name = _step_name(value)
    return f"type_scale.{name}" if name else svg_number(value)


def _step_name(value: Any) -> str | None:
    """The type step's name of a size that is one (``40`` → ``lg``), else None."""
    if isinstance(value, (int, float)) and float(value).is_integer():
        return _STEP_NAMES.get(int(value))
    return None


def _references(root: Element) -> set[str]:
    found: set[str] = set()
    for element in root.iter():
        for name, value in element.attrib.items():
            found.update(_REF.findall(value))
            if local(name) == "href" and value.startswith("#"):
                found.add(value[1:])
    return found


class PageWriter:
    """Serialises one artboard's tree with the plan's replacements."""

    def __init__(self, plan: PagePlan, prefix: str, slots: dict[str, dict[str, Any]],
                 warnings: list[str], names: ColourNames | None = None) -> None:
        self.plan, self.prefix, self.slots, self.warnings = plan, prefix, slots, warnings
        self.names = names
        self.referenced = _references(plan.drawing.root)
        self.warned: set[str] = set()

    def body(self) -> str:
        return "".join(self._element(child, 1) for child in self.plan.drawing.root)

    def _warn_once(self, key: str, message: str) -> None:
        if key not in self.warned:
            self.warned.add(key)
            self.warnings.append(message)

    def _attributes(self, element: Element) -> str:
        parts = []
        for name, value in element.attrib.items():
            if name.startswith("{"):
                if name == f"{{{XLINK}}}href":
                    name = "xlink:href"
                else:
                    continue
            elif name in ("class", "data-name", "version", "style") or name.startswith("data-"):
                continue
            if name == "id":
                if value not in self.referenced:
                    continue
                value = self.prefix + value
            if name in ("href", "xlink:href") and value.startswith("#"):
                value = "#" + self.prefix + value[1:]
            value = _REF.sub(lambda m: f"url(#{self.prefix}{m.group(1)})", value)
            if is_colour_property(name):
                value = themed(value, self.names)
            parts.append(f' {name}="{_safe(value)}"')
        style = parse_style(element.get("style"))
        for prop in _EDITOR_PROPERTIES:
            style.pop(prop, None)
        for prop in style:
            if is_colour_property(prop):
                style[prop] = themed(style[prop], self.names)
        if style:
            text = _REF.sub(lambda m: f"url(#{self.prefix}{m.group(1)})", format_style(style))
            parts.append(f' style="{_safe(text)}"')
        return "".join(parts)

    def _check_effects(self, element: Element) -> None:
        style = parse_style(element.get("style"))
        describe = self.plan.drawing.describe(element)
        if element.get("filter") or style.get("filter", "none") != "none":
            self._warn_once(describe + "filter", f"{describe}: its filter (blur, shadow…) is "
                            "not drawn by the renderer; export that part as a PNG picture in "
                            "the editor, or remove the effect")
        blend = style.get("mix-blend-mode", element.get("mix-blend-mode", "normal"))
        if blend not in ("normal", ""):
            self._warn_once(describe + "blend", f"{describe}: blend mode '{blend}' is not "
                            "drawn by the renderer (it draws 'normal'); flatten it in the editor")

    def _element(self, element: Element, depth: int) -> str:
        plan = self.plan
        tag = local(element.tag)
        if id(element) in plan.skip or not isinstance(element.tag, str):
            return ""
        if not element.tag.startswith(f"{{{SVG}}}") and element.tag.startswith("{"):
            return ""  # inkscape:, sodipodi: and other editors' elements
        if tag in _DROPPED:
            return ""
        if tag == "foreignObject":
            describe = plan.drawing.describe(element)
            self._warn_once(describe, f"{describe}: HTML inside the drawing (foreignObject) is "
                            "not drawn; convert it to shapes or text in the editor")
            return ""
        self._check_effects(element)
        replacement = plan.replace.get(id(element))
        if replacement is None and tag in ("text", "flowRoot"):
            describe = plan.drawing.describe(element)
            self._warn_once(describe, f"{describe}: a text inside <{local(self._holder(element))}>"
                            " is not imported (it would depend on the viewer's fonts); draw it "
                            "on the page, or convert it to a path in the editor")
            return ""
        if isinstance(replacement, TextCall):
            out = self._text_call(replacement)
        elif isinstance(replacement, Markup):
            kept = self._plain(element, depth) if replacement.keep else ""
            out = replacement.text + kept if replacement.first else kept + replacement.text
        else:
            out = self._plain(element, depth)
        guard = plan.guards.get(id(element))
        if guard and out:
            out = f"{{% if {guard} %}}{out}{{% endif %}}"
        return out

    def _holder(self, element: Element) -> str:
        """The tag of the nearest ancestor that keeps a text off the page (defs, symbol…)."""
        for node in self.plan.drawing.ancestors(element):
            if local(node.tag) in ("defs", "symbol", "clipPath", "mask", "pattern", "marker"):
                return node.tag
        return element.tag

    def _plain(self, element: Element, depth: int) -> str:
        tag = local(element.tag)
        inner = "".join(self._element(child, depth + 1) for child in element)
        text = _safe(element.text or "") if tag not in ("g", "defs", "svg") else ""
        if tag in ("g", "a", "switch", "defs") and not inner.strip() \
                and element.get("id") not in self.referenced:
            return ""  # an empty group (layers left behind, a group whose text moved)
        content = text + inner
        attributes = self._attributes(element)
        tail = ""
        if content:
            return f"<{tag}{attributes}>{content}</{tag}>{tail}\n"
        return f"<{tag}{attributes}/>\n"

    def _text_call(self, call: TextCall) -> str:
        slot = self.slots[call.slot]
        overrides = []
        if call.spec.get("size") != slot.get("size"):
            overrides += [f"size={_size(call.spec['size'])}",
                          f"min_size={_size(call.spec['min_size'])}"]
        for key in ("align", "valign", "color", "background", "line_height", "tracking",
                    "weight", "font"):
            if call.spec.get(key) != slot.get(key) and call.spec.get(key) is not None:
                value = call.spec[key]
                written = jinja_string(value) if isinstance(value, str) else svg_number(value)
                overrides.append(f"{key}={written}")
        x, y, w, h = (svg_number(v) for v in call.box)
        args = ", ".join([jinja_string(call.slot), call.value, f"x={x}", f"y={y}",
                          f"width={w}", f"height={h}", *overrides])
        if not call.transform:
            return f"{{{{ text({args}) }}}}\n"
        return f'<g transform="{_safe(call.transform)}">{{{{ text({args}) }}}}</g>\n'


_THEMED = re.compile("\x00(theme\\.[a-z_]+)\x00")


def _safe(value: str) -> str:
    """XML-escaped, with braces written as character references so that Jinja2 never reads
    the drawing's own text as template code; palette colours (see colours.py) become
    ``{{ theme.NAME }}``."""
    text = str(escape(value)).replace("{", "&#123;").replace("}", "&#125;")
    return _THEMED.sub(lambda m: "{{ " + m.group(1) + " }}", text)


# --- the manifest --------------------------------------------------------------------------

def merge_slots(plans: list[PagePlan]) -> dict[str, dict[str, Any]]:
    """One spec per slot: the first artboard's style at the largest size drawn, and the
    smallest ``min_size``; calls at other sizes override ``size``."""
    merged: dict[str, dict[str, Any]] = {}
    for plan in plans:
        for name, spec in plan.slots.items():
            if name not in merged:
                merged[name] = dict(spec)
                continue
            current = merged[name]
            if spec["size"] > current["size"]:
                current["size"] = spec["size"]
            current["min_size"] = min(current["min_size"], spec["min_size"])
    return merged


def merge_fields(plans: list[PagePlan]) -> dict[str, dict[str, Any]]:
    merged: dict[str, dict[str, Any]] = {}
    for plan in plans:
        for name, spec in plan.fields.items():
            if name not in merged:
                merged[name] = {**spec, **({"columns": {c: dict(v) for c, v in
                                                        spec["columns"].items()}}
                                           if "columns" in spec else {})}
                continue
            current = merged[name]
            if "max_length" in spec and "max_length" in current:  # what every size holds
                current["max_length"] = min(current["max_length"], spec["max_length"])
            if spec.get("type") == "table" and current.get("type") == "table":
                current["max_items"] = max(current["max_items"], spec["max_items"])
                for column, column_spec in spec["columns"].items():
                    mine = current["columns"].setdefault(column, dict(column_spec))
                    mine["max_length"] = min(mine.get("max_length", 10**6),
                                             column_spec.get("max_length", 10**6))
                # the sample renders at every size: as many rows as the fewest cards drawn
                if len(spec["sample"]) < len(current["sample"]):
                    current["sample"] = spec["sample"]
                current["min_items"] = min(current["min_items"], len(current["sample"]))
    for spec in merged.values():
        if spec.get("type") == "table":
            columns = list(spec["columns"])
            for column in columns:  # a text drawn on every card: a row needs it (not an icon)
                if column != "icon" and spec["sample"] and \
                        all(str(row.get(column) or "").strip() for row in spec["sample"]):
                    spec["columns"][column] = {"type": "text", "required": True,
                                               **spec["columns"][column]}
            spec["sample"] = [{c: row.get(c, "") for c in columns} for row in spec["sample"]]
    return merged


def _condition(plan: PagePlan, drawn_paper: list[str]) -> str:
    size = PRESETS[plan.page.size]
    exact = f'canvas.name == "{plan.page.size}"'
    if not size.paper_mm:
        return exact
    others = [n for n in drawn_paper if n != plan.page.size
              and PRESETS[n].orientation == size.orientation]
    if drawn_paper.index(plan.page.size) != min(
            drawn_paper.index(n) for n in [plan.page.size, *others]):
        return exact
    rest = f" and canvas.name not in {others!r}".replace("'", '"') if others else ""
    return f'{exact} or (canvas.is_print and canvas.orientation == "{size.orientation}"{rest})'


def _row_limits(plan: PagePlan, fields: dict[str, dict[str, Any]]) -> str:
    """A size drawn with fewer cards than another stops with a clear error for more rows."""
    out = []
    for name, spec in fields.items():
        drawn = plan.fields.get(name, {}).get("max_items")
        if spec.get("type") == "table" and drawn is not None and drawn < spec["max_items"]:
            message = (f"the {plan.page.size} drawing has {drawn} cards for '{name}': give at "
                       f"most {drawn} rows at this size, or draw more cards")
            out.append(f"{{% if {name} | length > {drawn} %}}{{{{ fail({jinja_string(message)}, "
                       f"{jinja_string(name)}) }}}}{{% endif %}}\n")
    return "".join(out)


def template_text(plans: list[PagePlan], slots: dict[str, dict[str, Any]],
                  fields: dict[str, dict[str, Any]], warnings: list[str],
                  names: ColourNames | None = None) -> str:
    sources = ", ".join(dict.fromkeys(p.drawing.path.name for p in plans))
    out = [f"{{#- Imported from {sources} by `infographic import`: each size is the drawing "
           "made for it, with its\n    marked texts, pictures and lists filled from data. "
           "Re-import after editing the drawing. -#}\n"]
    paper = [p.page.size for p in plans if PRESETS[p.page.size].paper_mm]
    for index, plan in enumerate(plans):
        keyword = "if" if index == 0 else "elif"
        m = plan.matrix
        out.append(f"{{% {keyword} {_condition(plan, paper)} %}}\n")
        out.append(_row_limits(plan, fields))
        writer = PageWriter(plan, f"d{index + 1}-", slots, warnings, names)
        a, d, e, f = (svg_number(v) for v in (m.a, m.d, m.e, m.f))
        out.append(f'<g transform="matrix({a} 0 0 {d} {e} {f})">\n{writer.body()}</g>\n')
    drawn = ", ".join(p.page.size for p in plans)
    out.append(f"{{% else %}}{{{{ fail({jinja_string('this layout was drawn for ' + drawn + ': render one of those sizes (or draw the size and import again)')}) }}}}\n"
               "{% endif %}\n")
    return "".join(out)


class _Dumper(yaml.SafeDumper):
    pass


def _flow_dict(dumper: yaml.SafeDumper, data: dict) -> yaml.Node:
    flow = all(not isinstance(v, (dict, list)) for v in data.values()) and len(data) > 1 \
        and "sample" not in data and "label" not in data
    return dumper.represent_mapping("tag:yaml.org,2002:map", data, flow_style=flow)


_Dumper.add_representer(dict, _flow_dict)


def manifest_text(name: str, title: str, sizes: list[str], fields: dict[str, Any],
                  slots: dict[str, Any], sources: list[str], theme: str = "health-blue") -> str:
    head = (f"# {name}: imported from {', '.join(sources)} by `infographic import`.\n"
            "# Fields come from the layers named after them; slots keep the drawing's type\n"
            "# (type steps: xs 20, sm 24, md 30, lg 40, xl 56, xxl 80, hero 112 units).\n"
            "# The format is explained in layouts/README.md.\n")
    slots = {slot: {key: (_step_name(value) or value) if key in ("size", "min_size") else value
                    for key, value in spec.items()} for slot, spec in slots.items()}
    body = {"name": name, "title": title,
            "description": f"Imported from {', '.join(sources)}: the designer's drawing, "
                           "filled from data at each size it was drawn for.",
            "theme": theme, "sizes": sizes, "fields": fields, "slots": slots}
    return head + yaml.dump(body, Dumper=_Dumper, allow_unicode=True, sort_keys=False,
                            width=100)


def write_folder(folder: Path, files: dict[str, bytes], force: bool) -> None:
    """Write every file at once: into a new folder next to the target, then moved in place,
    so a failed import leaves nothing half-written."""
    if folder.exists() and not force:
        raise LayoutError(f"{folder} already exists: choose another -o, or pass --force to "
                          "replace the layout in it")
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}-", dir=folder.parent))
    try:
        for name, data in files.items():
            (staging / name).write_bytes(data)
        if folder.exists():
            for name in (MANIFEST, DEFAULT_TEMPLATE):
                (folder / name).unlink(missing_ok=True)
            for item in staging.iterdir():
                item.replace(folder / item.name)
            staging.rmdir()
        else:
            staging.rename(folder)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise LayoutError(f"cannot write {folder}: {exc.strerror or exc}") from None
