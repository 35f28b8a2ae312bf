"""The shared page furniture: ``page_header``, ``page_footer``, ``card`` and ``container``.

Every layout opens with the same header (an optional logo or emblem, the issuing body, the date,
optionally the title; ``variant="notice"`` is the official-notice style) and closes with the same
footer (hotline, source). Each records its box in the fit report as a *container*, and so does a
``card``: the geometry checks (infographic/authoring/geometry.py) then hold every text drawn in it
to its box. ::

    {% set head = page_header(issuer=area, date=updated | date, title=title) %}{{ head }}
    {% set foot = page_footer(hotline=hotline, source=source) %}{{ foot }}
    … content between head.bottom and foot.top …
    {{ card(x, y, w, h, accent="primary") }}
    {% call card(x, y, w, h) %} … texts drawn here belong to this card … {% endcall %}
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, Callable

from markupsafe import Markup, escape

from ..errors import DataError, LayoutError
from ..formatting import format_date
from ..media.icons import get_icon
from ..media.images import prepare_image, resolve_image_path
from ..scene import PlacedImage
from . import register
from ..svgsyntax import svg_number as _num

if TYPE_CHECKING:
    from ..layout.context import RenderContext

VARIANTS = ("band", "notice")
#: Room for the issuing body: three lines of the header_issuer slot (a 60-character name in
#: capitals beside a logo, in half the width on a notice).
ISSUER_BOX = 112.0
FOOTER_VARIANTS = ("light", "band", "notice")


class Chrome:
    """A drawn header, footer or card: prints as SVG; ``.top``/``.bottom`` are where the
    content around it may start or must end, ``.x``, ``.width``, ``.height`` its box."""

    def __init__(self, markup: str, x: float, top: float, width: float, bottom: float,
                 name: str) -> None:
        self._markup = markup
        self.x, self.top, self.width, self.bottom, self.name = x, top, width, bottom, name
        self.y = top
        self.height = bottom - top

    def __html__(self) -> str:
        return self._markup

    def __str__(self) -> str:
        return self._markup


def _geometry(context: "RenderContext", x: Any, width: Any, margin: Any) -> tuple[float, ...]:
    size = context.size
    wide = size.orientation == "landscape"
    W = float(width) if width is not None else size.canvas_width
    m = float(margin) if margin is not None else (48.0 if wide else 64.0)
    safe = size.units_per_mm * context.layout.safe_area_mm + 6 if size.is_print else 0.0
    return float(x), W, max(m, safe), safe


def _logo_markup(context: "RenderContext", logo: str, x: float, y: float, side: float) -> str:
    """The logo or emblem file in a ``side`` square (contained, never cropped)."""
    roots = list(context.image_roots)
    try:
        path = resolve_image_path(str(logo), roots)
        prepared = prepare_image(path, side, side, context.size.scale, "contain", (0.5, 0.5))
    except DataError as exc:
        raise DataError(exc.message, layout=context.layout.name,
                        field="logo") from None
    box = (x + prepared.dx, y + prepared.dy, prepared.width, prepared.height)
    placed = context.scene.place_image(PlacedImage(  # drawn from its prepared bytes
        "logo", prepared.uri, (prepared.pixel_width, prepared.pixel_height), box, prepared.data))
    return (f'<g class="logo" data-src="{escape(path.name)}"><image x="{_num(box[0])}" '
            f'y="{_num(box[1])}" width="{_num(box[2])}" '
            f'height="{_num(box[3])}" preserveAspectRatio="none" {placed} '
            f'xlink:href="{prepared.uri}"/></g>')


def _small(compact: bool, size: float) -> dict[str, float]:
    """Landscape link previews set the furniture a step smaller; elsewhere the slot decides."""
    return {"size": size} if compact else {}


def _as_text(value: Any) -> str:
    if isinstance(value, (dt.date, dt.datetime)):
        return format_date(value, "short")
    return "" if value is None else str(value)


def _measured(context: "RenderContext", draw: Callable[..., Chrome]) -> Callable[..., Chrome]:
    """``draw`` with a ``measure`` argument: ``measure=True`` returns the furniture's geometry
    (``.top``, ``.bottom``) with no markup, and records nothing, so a template can try the
    compact furniture only when the full one leaves its content too little room."""
    def call(*args: Any, measure: bool = False, **kwargs: Any) -> Chrome:
        if not measure:
            return draw(*args, **kwargs)
        with context.trial():
            drawn = draw(*args, **kwargs)
        return Chrome("", drawn.x, drawn.top, drawn.width, drawn.bottom, "")
    return call


@register("page_header")
def header_block(context: "RenderContext") -> Callable[..., Chrome]:
    def header(issuer: Any = None, date: Any = None, title: Any = None, logo: Any = None,
               motto: Any = None, number: Any = None, variant: str = "band", x: float = 0,
               y: float = 0, width: float | None = None, height: float | None = None,
               margin: float | None = None, title_height: float | None = None,
               stripe: bool = True, compact: bool = False) -> Chrome:
        """The page header as a band across ``width`` from ``y``: logo, issuing body and date,
        then the title (``band``); or the official notice (``notice``): issuing body and number
        on the left, motto and date on the right. ``logo`` defaults to the theme's logo;
        ``height`` forces the band's height (a full-height side panel on landscape).
        ``compact`` (band): a lower band for a page full of content: a smaller logo, the date
        beside the issuing body on one row, the title a type step smaller (beside the logo when
        there is no issuing body or date)."""
        if variant not in VARIANTS:
            raise LayoutError(f"page_header variant must be one of {', '.join(VARIANTS)}, not "
                              f"'{variant}'", layout=context.layout.name)
        x, W, m, safe = _geometry(context, x, width, margin)
        y = float(y)
        first = len(context.report.entries)
        one_row = bool(compact) and variant == "band"
        # landscape link previews always set the furniture a step smaller
        landscape = context.size.orientation == "landscape"
        compact = bool(compact) or landscape
        pad = 28.0 if compact else 40.0
        top = y + max(pad, safe)
        theme = context.theme
        logo = logo if logo is not None else (theme.logo or None)
        issuer, date_text = _as_text(issuer), _as_text(date)
        parts: list[str] = []
        side = (72.0 if compact else 96.0) if logo else 0.0
        gap = 24.0 if logo else 0.0
        col_x, col_w = x + m + side + gap, W - 2 * m - side - gap
        # An issuing body too long for its box beside the logo even at its smallest size (a
        # narrow side panel) goes under the logo, across the band, instead of failing.
        text_top = top
        stacked = variant == "band" and not one_row and bool(side and issuer) and \
            context.text_height("header_issuer", issuer, col_w,
                                size=context.slot_style("header_issuer").smallest) > ISSUER_BOX
        if stacked:
            col_x, col_w, text_top = x + m, W - 2 * m, top + side + 12
        if variant == "notice":
            half = (col_w - 32) / 2
            right_x = col_x + col_w - half
            left = [context.text("header_issuer", issuer, x=col_x, y=top, width=half,
                                 height=ISSUER_BOX)] if issuer else []
            if number:
                left.append(context.text("header_date", number, x=col_x,
                                         y=(left[-1].bottom + 6 if left else top), width=half,
                                         height=64, color="secondary", background="primary"))
            right = [context.text("header_issuer", motto, x=right_x, y=top, width=half,
                                  height=ISSUER_BOX, align="right")] if motto else []
            if date_text:
                right.append(context.text("header_date", date_text, x=right_x,
                                          y=(right[-1].bottom + 6 if right else top),
                                          width=half, height=64, align="right", style="italic",
                                          color="secondary", background="primary"))
            blocks = left + right
            if title:
                raise LayoutError("page_header(variant='notice') has no title: set the title on "
                                  "the page below the band", layout=context.layout.name)
        else:
            blocks = []
            # compact: the date at the right end of the issuing body's row
            date_w = min(context.text_width("header_date", date_text, size=20) + 2, col_w / 3) \
                if one_row and issuer and date_text else 0.0
            if issuer:
                blocks.append(context.text("header_issuer", issuer, x=col_x, y=text_top,
                                           width=col_w - (date_w + 24 if date_w else 0),
                                           height=ISSUER_BOX, **_small(compact, 24)))
            if date_text and date_w:
                blocks.append(context.text("header_date", date_text, x=col_x + col_w - date_w,
                                           y=top, width=date_w, height=64, align="right",
                                           size=20))
            elif date_text:
                blocks.append(context.text("header_date", date_text, x=col_x,
                                           y=(blocks[-1].bottom + 6 if blocks else text_top),
                                           width=col_w, height=64, **_small(compact, 20)))
        col_bottom = max((b.bottom for b in blocks), default=top)
        row_h = max(side, col_bottom - top)
        if one_row:  # centre each block of the row on it
            blocks = [b.moved(0, (row_h - (b.bottom - top)) / 2) for b in blocks]
        else:  # centre the text column on the logo
            shift = (row_h - (col_bottom - top)) / 2
            if shift:
                blocks = [b.moved(0, shift) for b in blocks]
        bottom = top + row_h if (blocks or side) else y
        title_block = None
        if title:
            limit = float(title_height) if title_height is not None else \
                context.size.canvas_height * (0.34 if landscape else 0.2)
            if one_row and side and not blocks:  # compact, logo and title only: side by side
                title_block = context.text("header_title", _as_text(title), x=col_x, y=top,
                                           width=col_w, height=limit, **_small(compact, 40))
                row_h = max(side, title_block.bottom - top)
                title_block = title_block.moved(0, (row_h - (title_block.bottom - top)) / 2)
                bottom = top + row_h
            else:
                title_y = bottom + (16.0 if one_row else 24.0) if (blocks or side) else top
                title_block = context.text("header_title", _as_text(title), x=x + m,
                                           y=title_y, width=W - 2 * m, height=limit,
                                           **_small(compact, 40))
                bottom = title_block.bottom
        band_bottom = bottom + pad
        if height is not None:
            band_bottom = y + float(height)
        band_h = band_bottom - y
        parts.append(f'<rect x="{_num(x)}" y="{_num(y)}" width="{_num(W)}" '
                     f'height="{_num(band_h)}" fill="{theme.color("primary")}"/>')
        if side:
            logo_y = top if stacked else top + (row_h - side) / 2
            parts.append(f'<circle cx="{_num(x + m + side / 2)}" cy="{_num(logo_y + side / 2)}" '
                         f'r="{_num(side / 2 + 4)}" fill="{theme.color("background")}"/>')
            parts.append(_logo_markup(context, logo, x + m, logo_y, side))
        parts.extend(str(b) for b in blocks)
        if title_block is not None:
            parts.append(str(title_block))
        stripe_h = 6.0 if stripe else 0.0
        if stripe:
            parts.append(f'<rect x="{_num(x)}" y="{_num(band_bottom)}" width="{_num(W)}" '
                         f'height="{_num(stripe_h)}" fill="{theme.color("accent")}"/>')
        name = context.add_container("header", x, y, W, band_h, since=first)
        return Chrome("".join(parts), x, y, W, band_bottom + stripe_h, name)
    return _measured(context, header)


@register("page_footer")
def footer_block(context: "RenderContext") -> Callable[..., Chrome]:
    def footer(hotline: Any = None, source: Any = None, hotline_label: str = "Đường dây nóng",
               source_label: str = "Nguồn", variant: str = "light", x: float = 0,
               width: float | None = None, bottom: float | None = None,
               margin: float | None = None, icon: str = "hotline", compact: bool = False
               ) -> Chrome:
        """The page footer, its bottom at ``bottom`` (the canvas's): the hotline with a phone
        icon, and the source. Side by side when both fit, else stacked. Draws nothing (height
        0) when both are empty. ``compact``: a lower footer for a page full of content: the
        type a step smaller, and the two side by side in two columns when that is lower than
        stacking them. ``variant="notice"`` (the official notice's closing band): the ``band``
        colours with every line centred and in full ink, stacked, without the phone icon; with
        neither, a plain closing band."""
        if variant not in FOOTER_VARIANTS:
            raise LayoutError(f"page_footer variant must be one of {', '.join(FOOTER_VARIANTS)}, "
                              f"not '{variant}'", layout=context.layout.name)
        x, W, m, safe = _geometry(context, x, width, margin)
        end = float(bottom) if bottom is not None else context.size.canvas_height
        hotline, source = _as_text(hotline).strip(), _as_text(source).strip()
        if not hotline and not source:
            if variant == "notice":  # the notice still closes with a band, as it opens
                h = max(20.0 if compact or context.size.orientation == "landscape" else 28.0,
                        context.size.units_per_mm * context.layout.safe_area_mm
                        if context.size.is_print else 0.0)
                return Chrome(f'<rect x="{_num(x)}" y="{_num(end - h)}" width="{_num(W)}" '
                              f'height="{_num(h)}" fill="{context.theme.color("primary")}"/>',
                              x, end - h, W, end, "")
            return Chrome("", x, end, W, end, "")
        columns_ok = bool(compact)
        # landscape link previews always set the furniture a step smaller
        compact = bool(compact) or context.size.orientation == "landscape"
        first = len(context.report.entries)
        pad = 20.0 if compact else 28.0
        band, notice = variant in ("band", "notice"), variant == "notice"
        theme = context.theme
        ink = {"color": "on_primary", "background": "primary"} if band else {}
        muted = ink if notice else {"color": "secondary", "background": "primary"} if band else {}
        hot_text = f"{hotline_label}: {hotline}" if hotline and hotline_label else hotline
        src_text = source
        if source and source_label and not source.lower().startswith(source_label.lower()):
            src_text = f"{source_label}: {source}"
        icon_side = 44.0 if hotline and icon and not notice else 0.0
        inner_x, inner_w = x + m, W - 2 * m
        hot_size, src_size = _small(compact, 24), _small(compact, 20)
        # measured at the slots' own sizes unless compact (landscape keeps its measure)
        measure_hot, measure_src = (hot_size, src_size) if columns_ok else ({}, {})
        hot_w = (context.text_width("footer_hotline", hot_text, **measure_hot) + icon_side + 14
                 if hotline else 0.0)
        src_w = context.text_width("footer_source", src_text, **measure_src) if source else 0.0
        side_by_side = hotline and source and hot_w + src_w + 40 <= inner_w and not notice
        if columns_ok and hotline and source and not side_by_side and not notice:
            hot_w = _columns(context, hot_text, src_text, icon_side, inner_w, hot_size, src_size)
            side_by_side = hot_w > 0
        # lay out from a provisional top, then move everything up to end at ``end``
        top0 = 0.0
        blocks, icon_at = [], None
        if hotline:
            hx = inner_x + (icon_side + 14 if icon_side else 0)
            hw = (hot_w - icon_side - 14 + 2) if side_by_side else inner_w - (hx - inner_x)
            hot = context.text("footer_hotline", hot_text, x=hx, y=top0 + pad, width=hw,
                               height=90, **({"align": "center"} if notice else {}),
                               **hot_size, **ink)
            blocks.append(hot)
            icon_at = (hot.top + hot.bottom - icon_side) / 2
        if source:
            if side_by_side:
                sx, sw, sy, align = inner_x + hot_w + 40, inner_w - hot_w - 40, top0 + pad, "right"
            else:
                sx, sw, align = inner_x, inner_w, "center" if notice else "left"
                sy = (blocks[-1].bottom + 8) if blocks else top0 + pad
            src = context.text("footer_source", src_text, x=sx, y=sy, width=sw, height=70,
                               align=align, **src_size, **muted)
            if side_by_side and hotline:  # centre the shorter of the two on the other
                hot = blocks[0]
                if src.bottom - src.top > hot.bottom - hot.top:
                    dy = (src.top + src.bottom) / 2 - (hot.top + hot.bottom) / 2
                    blocks[0] = hot.moved(0, dy)
                    icon_at = None if icon_at is None else icon_at + dy
                else:
                    src = src.moved(0, (hot.top + hot.bottom) / 2 - (src.top + src.bottom) / 2)
            blocks.append(src)
        content_bottom = max(b.bottom for b in blocks)
        bottom_pad = max(pad, safe)
        height = content_bottom - top0 + bottom_pad
        shift = end - height - top0
        blocks = [b.moved(0, shift) for b in blocks]
        top = top0 + shift
        fill = theme.color("primary" if band else "surface")
        parts = [f'<rect x="{_num(x)}" y="{_num(top)}" width="{_num(W)}" '
                 f'height="{_num(end - top)}" fill="{fill}"/>']
        if not band:
            parts.append(f'<rect x="{_num(x)}" y="{_num(top)}" width="{_num(W)}" height="4" '
                         f'fill="{theme.color("primary")}"/>')
        if icon_side and icon_at is not None:
            found = get_icon(icon)
            cy = icon_at + shift
            tile = theme.color("on_primary" if band else "primary")
            glyph = theme.color("primary" if band else "on_primary")
            parts.append(f'<circle cx="{_num(inner_x + icon_side / 2)}" '
                         f'cy="{_num(cy + icon_side / 2)}" r="{_num(icon_side / 2)}" '
                         f'fill="{tile}"/>')
            inset = icon_side * 0.24
            parts.append(str(found.markup(inner_x + inset, cy + inset, icon_side - 2 * inset,
                                          glyph, 1.0)))
        parts.extend(str(b) for b in blocks)
        name = context.add_container("footer", x, top, W, end - top, since=first)
        return Chrome("".join(parts), x, top, W, end, name)
    return _measured(context, footer)


def _columns(context: "RenderContext", hot_text: str, src_text: str, icon_side: float,
             inner_w: float, hot_size: dict[str, float], src_size: dict[str, float]) -> float:
    """The width of the hotline's column (its icon included) when the hotline and the source,
    each wrapped in a column of its own, make a lower footer than the two stacked; else 0."""
    def lines(slot: str, text: str, width: float, size: dict[str, float]) -> int:
        line = context.text_height(slot, "Đ", inner_w, **size)  # the line height in effect
        return round(context.text_height(slot, text, width, **size) / line)

    indent = icon_side + 14 if icon_side else 0.0
    stacked = (lines("footer_hotline", hot_text, inner_w - indent, hot_size)
               + lines("footer_source", src_text, inner_w, src_size))
    best, fewest = 0.0, stacked - 0.5
    # the hotline on one line, else a share of the width
    own = context.text_width("footer_hotline", hot_text, **hot_size) + indent + 2
    widths = ([own] if own <= inner_w / 2 else []) + [inner_w * share
                                                      for share in (0.5, 0.45, 0.4, 0.35)]
    for hot_w in widths:
        hot = lines("footer_hotline", hot_text, hot_w - indent, hot_size)
        src = lines("footer_source", src_text, inner_w - hot_w - 40, src_size)
        if hot <= 2 and src <= 2 and max(hot, src) < fewest:
            best, fewest = hot_w, max(hot, src)
    return best


@register("card")
def card_block(context: "RenderContext") -> Callable[..., Any]:
    clip_ids = iter(range(1, 1 << 30))

    def card(x: float, y: float, width: float, height: float, fill: str = "surface",
             accent: str | None = None, radius: float | None = None, name: str | None = None,
             caller: Callable[[], str] | None = None) -> Markup:
        """A card: a rounded rectangle (``accent``: a stripe down its left edge, clipped to the
        corners). Its box is recorded; with ``{% call card(...) %}`` the texts drawn inside the
        call belong to it."""
        x, y, width, height = float(x), float(y), float(width), float(height)
        r = float(radius) if radius is not None else float(context.theme.radius)
        r = max(0.0, min(r, width / 2, height / 2))
        parts = [f'<rect x="{_num(x)}" y="{_num(y)}" width="{_num(width)}" '
                 f'height="{_num(height)}" rx="{_num(r)}" fill="{context.theme.color(fill)}"/>']
        if accent:
            clip = f"card-clip-{next(clip_ids)}"
            parts.append(f'<clipPath id="{clip}"><rect x="{_num(x)}" y="{_num(y)}" '
                         f'width="{_num(width)}" height="{_num(height)}" rx="{_num(r)}"/>'
                         f'</clipPath><rect x="{_num(x)}" y="{_num(y)}" width="8" '
                         f'height="{_num(height)}" fill="{context.theme.color(accent)}" '
                         f'clip-path="url(#{clip})"/>')
        recorded = context.add_container("card", x, y, width, height, name)
        if caller is not None:
            context.open_containers.append(recorded)
            try:
                parts.append(str(caller()))
            finally:
                context.open_containers.pop()
        return Markup("".join(parts))
    return card


@register("container")
def container_block(context: "RenderContext") -> Callable[..., Markup]:
    def container(x: float, y: float, width: float, height: float, name: str | None = None,
                  kind: str = "panel", caller: Callable[[], str] | None = None) -> Markup:
        """Declare a panel drawn by the template itself (a custom shape): records its box and,
        with ``{% call container(...) %}``, holds the texts drawn inside to it. Draws nothing."""
        recorded = context.add_container(str(kind), x, y, width, height, name)
        if caller is None:
            return Markup("")
        context.open_containers.append(recorded)
        try:
            return Markup(str(caller()))
        finally:
            context.open_containers.pop()
    return container
