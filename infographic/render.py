"""The pipeline: layout + data + theme + size → validated → laid-out SVG → :class:`Artwork`."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any, Mapping, Sequence
from xml.etree.ElementTree import ParseError

from defusedxml.common import DefusedXmlException
from markupsafe import escape

from .alttext import build_alt_text
from .artwork import Artwork
from .errors import DataError, FitError, LayoutError, LimitError, SizeError
from .formatting import DEFAULT_LOCALE, check_locale, use_locale
from .layout.context import RenderContext
from .layout.data import validate_data
from .layout.manifest import Layout, load_layout
from .layout.template import render_template
from .scene import Scene
from .checks.preflight import attach_preflight
from .datafile import default_data
from .sizes import Size, parse_size, size_supported
from .text.fit import STATUSES
from .text.fonts import FontRegistry, default_registry
from .themes import Theme, load_theme

SVG_NS = "http://www.w3.org/2000/svg"


def _document(body: str, size: Size, title: str) -> str:
    if size.paper_mm:
        width, height = f"{size.paper_mm[0]:g}mm", f"{size.paper_mm[1]:g}mm"
    else:
        width, height = str(size.width_px), str(size.height_px)
    label = escape(title)
    return (f'<svg xmlns="{SVG_NS}" xmlns:xlink="http://www.w3.org/1999/xlink" '
            f'width="{width}" height="{height}" '
            f'viewBox="0 0 {size.canvas_width:g} {size.canvas_height:g}" role="img" '
            f'aria-label="{label}"><title>{label}</title>\n{body}\n</svg>\n')


def _check_svg(scene: Scene, layout: Layout) -> None:
    try:
        scene.skeleton_tree()  # kept: the drawing stage checks the limits on the same tree
    except (ParseError, DefusedXmlException) as exc:
        raise LayoutError(f"{layout.folder / layout.template} produced invalid SVG ({exc}); "
                          "check the markup around that place", layout=layout.name) from None


def resolve_size(layout: Layout, size: "str | Size") -> Size:
    resolved = parse_size(size)
    if not size_supported(resolved, layout.sizes):
        raise SizeError(f"size '{resolved.name}' is not supported by this layout (it supports "
                        f"{', '.join(layout.sizes)}, or WxH in pixels)", layout=layout.name)
    return resolved


def _asset_folders(assets: "Sequence[str | Path] | str | Path | None") -> tuple[Path, ...]:
    if assets is None:
        return ()
    if isinstance(assets, (str, Path)):
        assets = [assets]
    if not isinstance(assets, (list, tuple)) or not all(isinstance(a, (str, Path))
                                                         for a in assets):
        raise DataError("assets must be a folder or a list of folders (paths)")
    return tuple(Path(a) for a in assets)


def _theme_folder(theme: Theme) -> tuple[Path, ...]:
    """A theme with a logo lends its folder to ``image(theme.logo, …)``."""
    return (theme.folder,) if theme.logo and theme.folder else ()


def _checked_locale(locale: str | None, layout: Layout) -> str:
    try:
        return check_locale(locale or DEFAULT_LOCALE)
    except ValueError as exc:
        raise LayoutError(str(exc), layout=layout.name) from None


def _render_isolated(layout: "str | Path | Layout", data: Mapping[str, Any] | None,
                     size: "str | Size", theme: Any, *, registry: FontRegistry | None,
                     **options: Any) -> Artwork:
    from .isolation import memory_budget, run_isolated

    if registry is not None:
        raise LayoutError("render(..., isolated=True) uses the default font registry: "
                          "drop registry=")
    resolved = parse_size(size)
    art = run_isolated(render, layout, data, resolved, theme, **options,
                       memory=memory_budget(resolved.width_px * resolved.height_px))
    return dataclasses.replace(art, isolated=True)


def render(layout: "str | Path | Layout", data: Mapping[str, Any] | None = None,
           size: "str | Size" = "square", theme: "str | Path | Mapping[str, Any] | Theme | None"
           = None, *, strict: bool = False, registry: FontRegistry | None = None,
           locale: str | None = None,
           assets: "Sequence[str | Path] | str | Path | None" = None,
           isolated: bool = False) -> Artwork:
    """Render ``layout`` (a bundled name or a layout folder) with ``data`` at ``size``.

    ``data`` defaults to what ``infographic render`` uses: a bundled layout's example data
    (``examples/<name>.yaml``), else the manifest's sample values. ``theme`` defaults to the layout's own
    theme, else ``health-blue``. With ``strict=True`` a truncated or overflowing slot, or a
    character no font has, raises :class:`FitError` instead of being reported. ``locale``
    (default ``vi_VN``) sets how numbers and dates are written (``en`` works too).
    ``assets`` are folders (besides the layout folder) that ``image(...)`` may read
    photos and logos from, e.g. the data file's folder; nothing else is read.
    ``isolated=True`` (for layouts or data you do not trust, e.g. on a server) renders in a
    worker process with a hard deadline and a memory cap, and so does every ``to_bytes`` and
    ``save`` of the result: a render that would hang or exhaust memory raises
    :class:`LimitError` (see :mod:`infographic.isolation`).
    """
    if isolated:
        return _render_isolated(layout, data, size, theme, strict=strict, registry=registry,
                                locale=locale, assets=assets)
    try:
        return _render(layout, data, size, theme, strict=strict, registry=registry,
                       locale=locale, assets=assets)
    except MemoryError:  # whatever asked for it is gone now; the caller gets a typed error
        raise LimitError("the render needed more memory than this machine could give; use "
                         "less data, smaller images or a simpler template",
                         layout=getattr(layout, "name", None) or str(layout)) from None


def _render(layout: "str | Path | Layout", data: Mapping[str, Any] | None, size: "str | Size",
            theme: "str | Path | Mapping[str, Any] | Theme | None", *, strict: bool,
            registry: FontRegistry | None, locale: str | None,
            assets: "Sequence[str | Path] | str | Path | None") -> Artwork:
    spec = load_layout(layout)
    resolved = resolve_size(spec, size)
    values = validate_data(spec, default_data(spec) if data is None else data)
    chosen = load_theme(theme if theme is not None else spec.theme)
    context = RenderContext(spec, resolved, chosen, registry or default_registry(),
                            strict=strict, assets=_asset_folders(assets) + _theme_folder(chosen))
    with use_locale(_checked_locale(locale, spec)):
        body = render_template(spec, {**values, "data": values, **context.template_globals()})
        alt_text = build_alt_text(spec, values)  # figures in the same locale as the image
    scene = context.scene
    scene.skeleton = _document(body, resolved, values.get("title") or spec.title)
    _check_svg(scene, spec)  # the glyph paths the full SVG adds are ours
    svg = scene.write_svg()
    report = context.report
    attach_preflight(report, scene, resolved, spec.safe_area_mm, [spec.folder])
    if strict and not report.ok:
        unfit = next((e.slot for e in report if STATUSES.index(e.status) > 1 or e.missing_chars),
                     None)
        finding = next((f for f in report.findings if f.slot == unfit), None)
        raise FitError("; ".join(report.warnings) or f"worst fit status: {report.worst}",
                       layout=spec.name, field=unfit, finding=finding)
    return Artwork(svg=svg, size=resolved, fit_report=report, layout=spec.name,
                   background=chosen.palette["background"], asset_roots=[spec.folder],
                   alt_text=alt_text, scene=scene)
