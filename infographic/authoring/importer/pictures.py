"""Pictures, QR codes and icons a drawing marks: ``photo``/``logo`` pictures and rectangles
become ``image(...)``, a ``qr`` rectangle ``qr(...)``, ``icon:NAME`` the bundled icon (and a
shape named ``icon`` in a list card the row's icon); embedded pictures are taken out into the
layout folder."""

from __future__ import annotations

import base64
import re
from typing import TYPE_CHECKING
from xml.etree.ElementTree import Element

from markupsafe import escape

from ... import limits
from ...errors import LayoutError
from ...media.icons import get_icon
from ...paths import resolve_inside
from ...svgsyntax import fine_number
from .drawing import XLINK, Drawing, element_name, local
from .lists import add_column
from .marks import PICTURE_NAMES, Mark
from .matrix import length
from .parts import Markup, field_expr, jinja_string
from .report import Match
from .textslots import hex_colour

if TYPE_CHECKING:
    from .plan import Planner

_PICTURE_SUFFIXES = (".png", ".jpg", ".jpeg", ".webp")


def plan_shape(planner: "Planner", element: Element, mark: Mark,
               cell: tuple[Mark, int] | None) -> None:
    """A marked rectangle, circle, picture or ``<use>``."""
    tag = local(element.tag)
    if mark.kind == "icon":
        plan_icon(planner, element, mark)
    elif mark.kind == "qr":
        plan_qr(planner, element, mark)
    elif mark.kind == "field" and cell is not None and re.sub(r"_\d+$", "", mark.field) == "icon":
        plan_icon(planner, element, mark, cell)
    elif mark.kind == "field" and (tag == "image" or mark.field in PICTURE_NAMES):
        plan_picture(planner, element, mark.field)
    elif tag == "image":
        plan_picture(planner, element, None)


def shape_geometry(drawing: Drawing, element: Element
                   ) -> tuple[float, float, float, float] | None:
    """(x, y, width, height) of a shape in its own coordinates; a group's is its first
    rectangle's, circle's or ellipse's."""
    tag = local(element.tag)
    if tag in ("rect", "image", "use"):
        return (length(element.get("x")), length(element.get("y")),
                length(element.get("width")), length(element.get("height")))
    if tag in ("circle", "ellipse"):
        rx = length(element.get("rx", element.get("r")))
        ry = length(element.get("ry", element.get("r")))
        return length(element.get("cx")) - rx, length(element.get("cy")) - ry, 2 * rx, 2 * ry
    if tag == "g":
        shape = next((r for r in element.iter()
                      if local(r.tag) in ("rect", "circle", "ellipse")), None)
        box = shape_geometry(drawing, shape) if shape is not None else None
        if shape is not None and box:
            return (drawing.matrix(element).inverse() @ drawing.matrix(shape)).box(*box)
    return None


def shape_box(planner: "Planner", element: Element, what: str
              ) -> tuple[float, float, float, float]:
    box = shape_geometry(planner.d, element)
    if box is None or box[2] <= 0 or box[3] <= 0:
        raise LayoutError(f"{planner.d.describe(element)}: {what} needs a shape with a size "
                          "(a rectangle, circle or picture)")
    return box


def _in_own_coordinates(element: Element, markup: str) -> str:
    """``markup`` inside a group carrying the element's own transform (escaped: a drawing's
    attribute is never template code)."""
    transform = element.get("transform")
    if not transform:
        return markup
    safe = str(escape(transform)).replace("{", "&#123;").replace("}", "&#125;")
    return f'<g transform="{safe}">{markup}</g>'


def _square(x: float, y: float, w: float, h: float) -> str:
    """The arguments of an icon or QR code: the largest square centred in the box."""
    side = min(w, h)
    return f"x={fine_number(x + (w - side) / 2)}, y={fine_number(y + (h - side) / 2)}, " \
        f"size={fine_number(side)}"


def _match(planner: "Planner", element: Element, layer: str, field: str, what: str) -> None:
    plan = planner.plan
    plan.matches.append(Match(planner.d.path.name, plan.page.size, layer,
                              planner.d.describe(element), field, what))


def plan_icon(planner: "Planner", element: Element, mark: Mark,
              cell: tuple[Mark, int] | None = None) -> None:
    """``icon:NAME`` → that bundled icon in the shape's colour; a shape named ``icon`` in a
    list card → the row's ``icon`` column."""
    x, y, w, h = shape_box(planner, element, "an icon")
    painted = element
    if local(element.tag) == "g":
        painted = next((c for c in element.iter() if local(c.tag) in ("path", "rect", "circle",
                                                                       "ellipse")), element)
    colour = hex_colour(planner.d.computed(painted, "fill")) or "#000000"
    where = f'{_square(x, y, w, h)}, color="{colour}"'
    if cell is not None:
        table, row = cell
        name = f"{field_expr(table.field)}[{row}].icon"
        column = add_column(planner.plan, table.field, "icon", "info", row)
        column["max_length"] = 40
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
    planner.plan.replace[id(element)] = Markup(_in_own_coordinates(element, markup))
    if cell is None or cell[1] == 0:
        _match(planner, element, mark.raw, mark.icon or "icon", what)


def plan_qr(planner: "Planner", element: Element, mark: Mark) -> None:
    """A rectangle ``qr`` (or ``qr:FIELD``) → a QR code of that field, square, centred."""
    x, y, w, h = shape_box(planner, element, "a QR code")
    planner.plan.fields.setdefault(mark.field, {
        "type": "text", "required": True, "max_length": 300, "label": "Mã QR (liên kết)",
        "sample": "https://moh.gov.vn"})
    markup = f"{{{{ qr(data.{mark.field}, {_square(x, y, w, h)}) }}}}"
    planner.plan.replace[id(element)] = Markup(_in_own_coordinates(element, markup))
    _match(planner, element, mark.raw, mark.field, f"QR code of field '{mark.field}'")


def _picture_bytes(planner: "Planner", element: Element, href: str
                   ) -> tuple[bytes | None, str]:
    """An embedded picture, or a file beside the drawing (never one outside its folder)."""
    data, suffix = embedded(href)
    if data is not None or not href or "://" in href or href.startswith("data:"):
        return data, suffix
    path = resolve_inside(planner.d.path.parent, href)
    if path is None or not path.is_file() or path.suffix.lower() not in _PICTURE_SUFFIXES \
            or path.stat().st_size > limits.MAX_RESOURCE_BYTES:
        return None, ""
    return path.read_bytes(), path.suffix.lower()


def plan_picture(planner: "Planner", element: Element, field_name: str | None) -> None:
    """A picture (or a rectangle named ``photo``, ``logo``…) → ``image(...)``: the field's
    picture in cover fit, or the embedded picture saved into the layout folder."""
    tag = local(element.tag)
    x, y, w, h = shape_box(planner, element, "a picture")
    href = element.get(f"{{{XLINK}}}href") or element.get("href") or ""
    data, suffix = _picture_bytes(planner, element, href) if tag == "image" else (None, "")
    if tag == "image" and data is None:
        planner.warnings.append(
            f"{planner.d.describe(element)}: the picture {href[:80] or '(no href)'} is not in "
            "the drawing and is not drawn; embed it (Inkscape: Extensions → Images → Embed; "
            "Illustrator: Images: Embed) or put a PNG/JPEG beside the drawing")
        planner.plan.skip.add(id(element))
        return
    aspect = (element.get("preserveAspectRatio") or "").split()
    fit = "cover" if field_name or (aspect and aspect[-1] == "slice") else "contain"
    file_name = ""
    if data is not None:
        file_name = f"{field_name or f'picture-{len(planner.plan.pictures) + 1}'}{suffix}"
        planner.plan.pictures[file_name] = data
    if field_name:
        planner.plan.fields.setdefault(field_name, {
            "type": "text", "max_length": 200,
            "label": f"Ảnh {field_name} (tệp trong thư mục layout)",
            **({"sample": file_name} if file_name else {})})
    source = jinja_string(field_name or file_name)
    x_, y_, w_, h_ = (fine_number(v) for v in (x, y, w, h))
    markup = f"{{{{ image({source}, x={x_}, y={y_}, width={w_}, height={h_}, " \
        f'fit="{fit}") }}}}'
    # a rectangle stays drawn under the picture, as the placeholder the designer drew
    planner.plan.replace[id(element)] = Markup(_in_own_coordinates(element, markup),
                                               keep=tag == "rect")
    if field_name:
        _match(planner, element, element_name(element), field_name,
               f"picture field '{field_name}' (cover)")


def embedded(href: str) -> tuple[bytes | None, str]:
    """The bytes and file suffix of a ``data:image/png;base64,…`` picture."""
    match = re.match(r"data:image/(png|jpe?g|webp);base64,(.*)$", href.strip(), re.S)
    if not match:
        return None, ""
    try:
        data = base64.b64decode("".join(match.group(2).split()), validate=False)
    except ValueError:
        return None, ""
    return data, ".jpg" if match.group(1).startswith("jp") else f".{match.group(1)}"
