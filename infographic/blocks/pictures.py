"""Template blocks ``icon(...)``, ``qr(...)`` and ``image(...)`` (logic in ``infographic/media``).

    {{ icon("mask", x=80, y=400, size=96, color="primary") }}
    {{ qr("https://tokhaiyte.vn", x=820, y=820, size=200) }}
    {{ image("photo", x=0, y=0, width=1080, height=540, fit="cover", focal=(0.5, 0.3)) }}
"""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING, Any

from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup, escape

from ..errors import DataError, FitError, InfographicError, LayoutError
from ..media.icons import get_icon
from ..media.images import prepare_image, resolve_image_path
from ..media.qr import QrCode, colour_problem, module_problem, qr_code, written_module
from ..scene import PlacedImage, PlacedQr
from . import register
from ..svgsyntax import fine_number as _num  # QR modules, icons and photos: 3 decimals

if TYPE_CHECKING:
    from ..layout.context import RenderContext


def _colour(context: "RenderContext", value: str, what: str) -> str:
    try:
        return context.theme.color(str(value))
    except InfographicError as exc:
        raise LayoutError(f"{what}: {exc.message}", layout=context.layout.name) from None


def _warn(context: "RenderContext", message: str) -> None:
    """A QR code that may not scan: a warning in the fit report, an error if strict."""
    if context.strict:
        raise FitError(message, layout=context.layout.name)
    context.report.add("qr", message)


@register("icon")
def icon_block(context: "RenderContext"):
    def icon(name: str, x: float, y: float, size: float, color: str = "primary",
             bg: str | None = None, shape: str = "circle", padding: float = 0.22,
             opacity: float = 1.0, field: str | None = None) -> Markup:
        """A bundled icon in the square box (x, y, size), optionally on a circle/rounded tile.

        ``field`` names the data field the icon name came from, so a misspelt name in the data
        is reported as that field's error."""
        try:
            found = get_icon(name)
        except LayoutError as exc:
            if field:
                raise DataError(exc.message, layout=context.layout.name, field=field) from None
            raise LayoutError(exc.message, layout=context.layout.name) from None
        x, y, size = float(x), float(y), float(size)
        fill = _colour(context, color, f"icon '{name}' color")
        parts = []
        if bg:
            tile = _colour(context, bg, f"icon '{name}' bg")
            if shape == "circle":
                parts.append(f'<circle cx="{_num(x + size / 2)}" cy="{_num(y + size / 2)}" '
                             f'r="{_num(size / 2)}" fill="{tile}"/>')
            elif shape in ("rounded", "square"):
                radius = min(context.theme.radius, size / 4) if shape == "rounded" else 0
                parts.append(f'<rect x="{_num(x)}" y="{_num(y)}" width="{_num(size)}" '
                             f'height="{_num(size)}" rx="{_num(radius)}" fill="{tile}"/>')
            else:
                raise LayoutError(f"icon '{name}': shape must be circle, rounded or square, not "
                                  f"'{shape}'", layout=context.layout.name)
            inset = size * float(padding)
            x, y, size = x + inset, y + inset, size - 2 * inset
        parts.append(str(found.markup(x, y, size, fill, float(opacity))))
        return Markup("".join(parts))
    return icon


@register("qr")
def qr_block(context: "RenderContext"):
    def qr(data: str, x: float, y: float, size: float, color: str = "text",
           background: str = "background", quiet: int = 4, error: str = "m",
           radius: float = 0) -> QrCode:
        """A QR code for ``data`` in the square box (x, y, size), quiet zone included."""
        dark = _colour(context, color, "qr color")
        light = _colour(context, background, "qr background")
        try:
            code = qr_code("" if data is None else str(data), float(x), float(y), float(size),
                           dark, light, quiet, error, float(radius), context.scene.next_qr())
        except DataError as exc:
            raise DataError(exc.message, layout=context.layout.name) from None
        context.scene.place_qr(PlacedQr(code.data, written_module(code), code.modules,
                                        (code.x, code.y, code.size, code.size)))
        for problem in (module_problem(code, context.size), colour_problem(dark, light)):
            if problem:
                _warn(context, f"qr '{code.data[:40]}': {problem}")
        return code
    return qr


@register("image")
def image_block(context: "RenderContext"):
    clip_ids = itertools.count(1)
    roots = list(context.image_roots)

    @pass_context
    def image(jinja: Context, src: str, x: float, y: float, width: float, height: float,
              fit: str = "cover", focal: Any = (0.5, 0.5), radius: float = 0,
              circle: bool = False, outline: str | None = None,
              outline_width: float = 0) -> Markup:
        """A photo or logo in the box; ``src`` is a file path or the name of a data field."""
        field = src if isinstance(src, str) and src in context.layout.fields else None
        value = jinja.resolve(field) if field else src
        if field and not value:
            return Markup("")  # an optional photo left empty: draw nothing
        x, y, width, height = float(x), float(y), float(width), float(height)
        if circle:  # a circle is drawn in the largest centred square of the box
            side = min(width, height)
            x, y, width, height = x + (width - side) / 2, y + (height - side) / 2, side, side
        try:
            path = resolve_image_path(str(value), roots)
            prepared = prepare_image(path, width, height, context.size.scale, str(fit),
                                     tuple(focal))
        except DataError as exc:
            raise DataError(exc.message, layout=context.layout.name, field=field) from None
        except (TypeError, ValueError):
            raise LayoutError(f"image '{value}': focal must be two numbers like (0.5, 0.3)",
                              layout=context.layout.name) from None
        ix, iy = x + prepared.dx, y + prepared.dy
        iw, ih = prepared.width, prepared.height
        clip = outline_shape = ""
        if circle or radius:
            clip_id = f"media-clip-{next(clip_ids)}"
            if circle:
                shape = (f'<circle cx="{_num(x + width / 2)}" cy="{_num(y + height / 2)}" '
                         f'r="{_num(width / 2)}"')
            else:
                shape = (f'<rect x="{_num(ix)}" y="{_num(iy)}" width="{_num(iw)}" '
                         f'height="{_num(ih)}" rx="{_num(float(radius))}"')
            clip = f'<clipPath id="{clip_id}">{shape}/></clipPath>'
            outline_shape = shape
            clip_attr = f' clip-path="url(#{clip_id})"'
        else:
            clip_attr = ""
            outline_shape = (f'<rect x="{_num(ix)}" y="{_num(iy)}" width="{_num(iw)}" '
                             f'height="{_num(ih)}"')
        parts = [f'<g class="image" data-src="{escape(path.name)}">']
        if clip:
            parts.append(f"<defs>{clip}</defs>")
        placed = context.scene.place_image(PlacedImage(
            field or path.name, prepared.uri, (prepared.pixel_width, prepared.pixel_height),
            (ix, iy, iw, ih), prepared.data))
        parts.append(f'<image x="{_num(ix)}" y="{_num(iy)}" width="{_num(iw)}" '
                     f'height="{_num(ih)}" preserveAspectRatio="none"{clip_attr} {placed} '
                     f'xlink:href="{prepared.uri}"/>')
        if outline and float(outline_width) > 0:
            stroke = _colour(context, outline, "image outline")
            parts.append(f'{outline_shape} fill="none" stroke="{stroke}" '
                         f'stroke-width="{_num(float(outline_width))}"/>')
        parts.append("</g>")
        return Markup("".join(parts))
    return image
