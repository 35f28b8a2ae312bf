"""Pictures, QR codes and icons a drawing marks: ``photo``/``logo`` pictures and
rectangles become ``image(...)``, a ``qr`` rectangle ``qr(...)``, ``icon:NAME`` the bundled
icon; embedded pictures are taken out into the layout folder."""

from __future__ import annotations

import base64
import re
from typing import TYPE_CHECKING
from xml.etree.ElementTree import Element

from ...errors import LayoutError
from ...media.icons import get_icon
from .drawing import XLINK, element_name, local
from .lists import add_column
from .marks import PICTURE_NAMES, Mark
from .matrix import length
from .parts import Markup, field_expr, jinja_string
from .report import Match
from .textslots import hex_colour

if TYPE_CHECKING:
    from .plan import Planner


def plan_shape(planner: "Planner", element: Element, mark: Mark, group: Mark | None,
           cell: tuple[Mark, int] | None) -> None:
    tag = local(element.tag)
    if mark.kind == "icon":
        return plan_icon(planner, element, mark)
    if mark.kind == "qr":
        return plan_qr(planner, element, mark)
    if mark.kind == "field" and cell is not None and re.sub(r"_\d+$", "", mark.field) == "icon":
        return plan_icon(planner, element, mark, cell)
    if mark.kind == "field" and (tag == "image" or mark.field in PICTURE_NAMES):
        return plan_picture(planner, element, mark.field)
    if tag == "image":
        plan_picture(planner, element, None)

def shape_geometry(planner: "Planner", element: Element) -> tuple[float, float, float, float] | None:
    tag = local(element.tag)
    if tag in ("rect", "image", "use"):
        return (length(element.get("x")), length(element.get("y")),
                length(element.get("width")), length(element.get("height")))
    if tag in ("circle", "ellipse"):
        rx = length(element.get("rx", element.get("r")))
        ry = length(element.get("ry", element.get("r")))
        return (length(element.get("cx")) - rx, length(element.get("cy")) - ry, 2 * rx,
                2 * ry)
    if tag == "g":
        rect = next((r for r in element.iter() if local(r.tag) in ("rect", "circle",
                                                                    "ellipse")), None)
        if rect is not None:
            box = shape_geometry(planner, rect)
            if box:
                inner = planner.d.matrix(element).inverse() @ planner.d.matrix(rect)
                return inner.box(*box)
    return None

def wrapped(planner: "Planner", element: Element, markup: str) -> str:
    transform = element.get("transform")
    return f'<g transform="{transform}">{markup}</g>' if transform else markup

def shape_box(planner: "Planner", element: Element, what: str) -> tuple[float, float, float, float]:
    box = shape_geometry(planner, element)
    if box is None or box[2] <= 0 or box[3] <= 0:
        raise LayoutError(f"{planner.d.describe(element)}: {what} needs a shape with a size "
                          "(a rectangle, circle or picture)")
    return box

def plan_icon(planner: "Planner", element: Element, mark: Mark, cell: tuple[Mark, int] | None = None
          ) -> None:
    x, y, w, h = shape_box(planner, element, "an icon")
    side = min(w, h)
    colour = hex_colour(planner.d.computed(element, "fill")) or "#000000"
    if local(element.tag) == "g":
        first = next((c for c in element.iter() if local(c.tag) in ("path", "rect",
                                                                     "circle")), None)
        colour = hex_colour(planner.d.computed(first, "fill")) if first is not None else colour
        colour = colour or "#000000"
    where = f"x={x + (w - side) / 2:g}, y={y + (h - side) / 2:g}, size={side:g}, " \
        f'color="{colour}"'
    if cell is not None:
        table, row = cell
        name = f"{field_expr(table.field)}[{row}].icon"
        add_column(planner.plan, table.field, "icon", "", row)
        planner.plan.fields[table.field]["columns"]["icon"].update(
            {"type": "text", "max_length": 40, "label": "Biểu tượng"})
        planner.plan.fields[table.field]["sample"][row]["icon"] = "info"
        markup = f'{{% if {name} %}}{{{{ icon({name}, {where}, field="{table.field}") }}}}' \
            "{% endif %}"
        what = f"icon of list '{table.field}', card {row + 1}"
    else:
        try:
            get_icon(mark.icon)
        except LayoutError as exc:
            raise LayoutError(f"{planner.d.describe(element)}: {exc.message}") from None
        markup = f"{{{{ icon({jinja_string(mark.icon)}, {where}) }}}}"
        what = f"bundled icon '{mark.icon}'"
    planner.plan.replace[id(element)] = Markup(wrapped(planner, element, markup))
    planner.plan.matches.append(Match(planner.d.path.name, planner.plan.page.size, mark.raw,
                                   planner.d.describe(element), mark.icon or "icon", what))

def plan_qr(planner: "Planner", element: Element, mark: Mark) -> None:
    x, y, w, h = shape_box(planner, element, "a QR code")
    side = min(w, h)
    planner.plan.fields.setdefault(mark.field, {
        "type": "text", "required": True, "max_length": 300, "label": "Mã QR (liên kết)",
        "sample": "https://moh.gov.vn"})
    markup = f"{{{{ qr(data.{mark.field}, x={x + (w - side) / 2:g}, " \
        f"y={y + (h - side) / 2:g}, size={side:g}) }}}}"
    planner.plan.replace[id(element)] = Markup(wrapped(planner, element, markup))
    planner.plan.matches.append(Match(planner.d.path.name, planner.plan.page.size, mark.raw,
                                   planner.d.describe(element), mark.field,
                                   f"QR code of field '{mark.field}'"))

def plan_picture(planner: "Planner", element: Element, field_name: str | None) -> None:
    tag = local(element.tag)
    x, y, w, h = shape_box(planner, element, "a picture")
    href = element.get(f"{{{XLINK}}}href") or element.get("href") or ""
    data, suffix = embedded(href) if tag == "image" else (None, "")
    if tag == "image" and data is None and href:
        local_file = (planner.d.path.parent / href).resolve() if "://" not in href else None
        if local_file is not None and local_file.is_file() and \
                local_file.suffix.lower() in (".png", ".jpg", ".jpeg", ".webp"):
            data, suffix = local_file.read_bytes(), local_file.suffix.lower()
        else:
            planner.warnings.append(f"{planner.d.describe(element)}: the picture {href[:80]} is "
                                 "outside the drawing and is not drawn; embed it (Inkscape: "
                                 "Extensions → Images → Embed) or put it beside the drawing")
            planner.plan.skip.add(id(element))
            return
    aspect = (element.get("preserveAspectRatio") or "").split()
    fit = "cover" if field_name or (aspect and aspect[-1] == "slice") else "contain"
    if data is not None:
        stem = field_name or f"picture-{len(planner.plan.pictures) + 1}"
        file_name = f"{stem}{suffix}"
        planner.plan.pictures[file_name] = data
    else:
        file_name = ""
    if field_name:
        planner.plan.fields.setdefault(field_name, {
            "type": "text", "max_length": 200,
            "label": f"Ảnh {field_name} (tệp trong thư mục layout)",
            **({"sample": file_name} if file_name else {})})
        source = jinja_string(field_name)
        what = f"picture field '{field_name}' (cover)"
    else:
        source = jinja_string(file_name)
        what = ""
    markup = f"{{{{ image({source}, x={x:g}, y={y:g}, width={w:g}, height={h:g}, " \
        f'fit="{fit}") }}}}'
    # a rectangle stays drawn under the picture, as the placeholder the designer drew
    planner.plan.replace[id(element)] = Markup(wrapped(planner, element, markup),
                                            keep=tag == "rect")
    if what:
        planner.plan.matches.append(Match(planner.d.path.name, planner.plan.page.size,
                                       element_name(element), planner.d.describe(element),
                                       field_name or "", what))



def embedded(href: str) -> tuple[bytes | None, str]:
    match = re.match(r"data:image/(png|jpe?g|webp);base64,(.*)$", href.strip(), re.S)
    if not match:
        return None, ""
    try:
        data = base64.b64decode("".join(match.group(2).split()), validate=False)
    except ValueError:
        return None, ""
    return data, ".jpg" if match.group(1).startswith("jp") else f".{match.group(1)}"


