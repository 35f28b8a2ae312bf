"""Drawing the final SVG with cairo: limits first, glyph outlines from cache, no PNG round trip.

``draw`` is used by every writer that draws (PNG, JPEG, WebP, PDF). It

1. checks the canvas size and the document's structure against ``infographic/limits.py``;
2. hands cairosvg the artwork's scene skeleton — the SVG with a placeholder for each text run
   (``infographic/scene.py``) — so cairosvg parses a few dozen elements instead of one path per
   glyph, and draws the runs' cached glyph outlines in document order (``glyphs.py``);
3. draws the scene's photos and logos from their prepared bytes (``imagedraw.py``) and fetches
   anything else the SVG names only through the allow-list fetcher, which checks image headers;
4. runs under a time limit.

The pixels match cairosvg drawing ``Artwork.svg`` itself (tests/test_raster.py).
"""

from __future__ import annotations

import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator, NamedTuple, Protocol, Sequence
from xml.etree.ElementTree import ParseError

from ..cairo_ffi import load_cairocffi

load_cairocffi()  # before cairosvg and cairocffi load: see infographic/cairo_ffi.py
import cairocffi as cairo
from cairosvg.colors import color
from cairosvg.parser import Tree
from cairosvg.surface import PDFSurface, PNGSurface
from defusedxml import ElementTree as SafeElementTree
from defusedxml.common import DefusedXmlException
from PIL import Image

from .. import limits
from ..errors import InfographicError, LayoutError, LimitError, OutputError
from . import glyphs, imagedraw, shapes, tiles
from ..scene import PlacedImage, Scene
from .fetcher import AllowListFetcher
from .glyphs import GlyphRun, glyph_runs



class Drawable(Protocol):
    """What drawing needs of an artwork: an :class:`~infographic.artwork.Artwork`, or a print
    page (``infographic.print.pdf.PrintPage``), or an artwork at a thumbnail size."""

    @property
    def svg(self) -> str: ...

    @property
    def layout(self) -> str: ...

    @property
    def background(self) -> str: ...

    @property
    def scene(self) -> Scene | None: ...

    @property
    def asset_roots(self) -> Sequence[Path]: ...

    @property
    def width(self) -> int: ...

    @property
    def height(self) -> int: ...


class _ElementLocator:
    """Notes on an exception the innermost SVG element being drawn when it was raised."""

    def draw(self, node: Any) -> None:
        try:
            super().draw(node)  # type: ignore[misc]
        except Exception as exc:
            if not hasattr(exc, "svg_element"):
                exc.svg_element = node  # type: ignore[attr-defined]
            raise


class _KeptPixels(threading.local):
    """The pixel memory of the last raster drawn in this thread, kept for the next one.

    A fresh cairo surface is fresh memory from the system: at 1080² the first writes to its
    1,100 pages cost more than drawing the background (page faults). The pixels are copied
    out (``Image.frombuffer`` from BGRX to RGB) before the memory is drawn on again, and only
    rasters up to ``limits.RASTER_PIXELS_KEPT_BYTES`` are kept."""

    buffer: bytearray | None = None
    busy: bool = False

    @contextmanager
    def lend(self, width: int, height: int) -> Iterator[bytearray | None]:
        """Memory for one ARGB surface of width × height pixels while the block runs, or None
        (too large, or in use)."""
        size = cairo.ImageSurface.format_stride_for_width(cairo.FORMAT_ARGB32, width) * height
        if self.busy or not 0 < size <= limits.RASTER_PIXELS_KEPT_BYTES:
            yield None
            return
        if self.buffer is None or len(self.buffer) != size:
            self.buffer = None  # let the old one go before the new one is allocated
            self.buffer = bytearray(size)
        self.busy = True
        try:
            yield self.buffer
        finally:
            self.busy = False


_KEPT = _KeptPixels()


class _ScenePNGSurface(_ElementLocator, PNGSurface):
    """A cairosvg PNG surface that also draws the scene: glyph-run placeholders and images."""

    def __init__(self, drawn: "_Drawn", pixels: bytearray | None, *args: Any,
                 **kwargs: Any) -> None:
        # read by glyphs._draw_glyph_run and imagedraw._draw_image during __init__'s draw
        self.glyph_runs, self.scene_images = drawn.runs, drawn.images
        self.pixels = pixels
        # an opaque background is painted over every kept pixel: no need to clear them first
        self.opaque_background = color(kwargs.get("background_color") or "transparent")[3] >= 1
        super().__init__(*args, **kwargs)

    def _create_surface(self, width: float, height: float) -> tuple[Any, int, int]:
        """cairosvg's ARGB surface, drawn into ``pixels`` when they are its size."""
        width, height = int(round(width)), int(round(height))
        stride = cairo.ImageSurface.format_stride_for_width(cairo.FORMAT_ARGB32, width)
        if self.pixels is None or len(self.pixels) != stride * height:
            return cairo.ImageSurface(cairo.FORMAT_ARGB32, width, height), width, height
        surface = cairo.ImageSurface.create_for_data(self.pixels, cairo.FORMAT_ARGB32, width,
                                                     height, stride)
        if not self.opaque_background:
            clear = cairo.Context(surface)  # transparent, as a new surface is
            clear.set_operator(cairo.OPERATOR_CLEAR)
            clear.paint()
        return surface, width, height


class _ScenePDFSurface(_ElementLocator, PDFSurface):
    """A cairosvg PDF surface that also draws the scene (glyphs as vector fills)."""

    def __init__(self, drawn: "_Drawn", *args: Any, **kwargs: Any) -> None:
        self.glyph_runs, self.scene_images = drawn.runs, drawn.images
        super().__init__(*args, **kwargs)


class _Drawn(NamedTuple):
    """What the drawing stage draws: the cairosvg tree of the skeleton (or the SVG), the
    scene's glyph runs and images, and the fetcher that checked every other resource."""

    tree: Tree
    runs: list[GlyphRun]
    images: list[PlacedImage]
    fetcher: AllowListFetcher


_hooks_installed = False


def install_hooks() -> None:
    """Every change we make to cairosvg, in one place, applied when something is first drawn
    (importing the package changes nothing): the glyph-run placeholder tag, scene images
    drawn from their bytes with JPEG pass-through for PDF surfaces (a photo must not grow 6×
    in a PDF), paths from fontTools' parser, and the size check of pattern and mask tiles
    before cairo allocates them; and Pillow keeps a few memory blocks for the next image
    (``limits.PILLOW_BLOCKS_KEPT``)."""
    global _hooks_installed
    if not _hooks_installed:
        if Image.core.get_blocks_max() < limits.PILLOW_BLOCKS_KEPT:  # reuse image memory
            Image.core.set_blocks_max(limits.PILLOW_BLOCKS_KEPT)
        glyphs.install()
        imagedraw.install()
        shapes.install()
        tiles.install()
        _hooks_installed = True


def prepare(art: Drawable) -> _Drawn:
    """Check the artwork against the limits; the cairosvg tree to draw, and the scene's glyph
    runs and images."""
    install_hooks()
    scene: Scene | None = getattr(art, "scene", None)
    if scene is not None and not scene.draws(art.svg):
        scene = None  # an artwork made from SVG alone, or whose SVG was replaced
    fetcher = AllowListFetcher(list(art.asset_roots))
    if scene is not None:
        svg, runs, images = scene.skeleton, glyph_runs(scene.texts), list(scene.images)
        for placed in images:  # prepared by media/images.py; they count towards the total
            width, height = placed.pixels
            fetcher.count_pixels(width, height, placed.source)
    else:  # an artwork made from SVG alone: drawn as written
        svg, runs, images = art.svg, [], []
    data = svg.encode("utf-8")
    if len(data) > limits.MAX_SVG_BYTES:
        raise LimitError(f"the SVG is {len(data) / 1e6:.1f} MB; the limit is "
                         f"{limits.MAX_SVG_BYTES / 1e6:g} MB", layout=art.layout)
    try:  # the render parsed the skeleton already (Scene.skeleton_tree)
        root = scene.skeleton_tree() if scene is not None else SafeElementTree.fromstring(data)
    except (ParseError, DefusedXmlException) as exc:
        raise OutputError(f"the artwork's SVG cannot be parsed ({exc})", layout=art.layout
                          ) from None
    limits.check_svg_tree(root, art.layout, drawn_elsewhere=sum(len(run) for run in runs))
    base = (art.asset_roots[0] / "_.svg").as_uri() if art.asset_roots else None
    try:
        tree = Tree(bytestring=data, url=base, url_fetcher=fetcher)
    except RecursionError:
        raise LimitError("the SVG nests too deeply to draw", layout=art.layout) from None
    except Exception as exc:  # a reference to a missing id, for one (cairosvg's TypeError)
        error = _drawing_error(exc, art)
        if error is exc:
            raise
        raise error from exc
    return _Drawn(tree, runs, images, fetcher)


def _element_text(node: Any) -> str:
    """``<circle id="dot" r="1e40">``: the element as the layout author wrote it, shortened."""
    if node is None:
        return "the SVG"
    element = getattr(getattr(node, "element", None), "etree_element", None)
    own = element.attrib if element is not None else {}  # cairosvg's node also holds inherited
    attributes = "".join(f' {key.rsplit("}", 1)[-1]}="{value[:40]}"'
                         for key, value in list(own.items())[:4])
    return f"<{node.tag}{attributes}>"


def _drawing_error(exc: BaseException, art: Drawable) -> InfographicError:
    """What went wrong while cairo drew the SVG, as a typed error naming the element."""
    where = _element_text(getattr(exc, "svg_element", None))
    if isinstance(exc, InfographicError):
        if exc.layout is None:
            exc.layout = art.layout
            exc.args = (str(exc),)
        return exc
    if isinstance(exc, (MemoryError, RecursionError)):
        return LimitError(f"drawing {where} needed more memory or nesting than the renderer "
                          "has; simplify that element (smaller shapes, fewer levels)",
                          layout=art.layout)
    return LayoutError(f"{where} cannot be drawn ({type(exc).__name__}: {str(exc)[:200]}); fix "
                       "or remove that element in the template or SVG image",
                       layout=art.layout)


def rasterize(art: Drawable) -> Image.Image:
    """Draw the artwork at its pixel size on an opaque background; returns an RGB image."""
    limits.check_canvas(art.width, art.height, art.layout)
    with limits.time_limit(limits.RASTER_SECONDS, "drawing the image", art.layout):
        drawn = prepare(art)
        with _KEPT.lend(art.width, art.height) as pixels:
            try:
                surface = _ScenePNGSurface(drawn, pixels, drawn.tree, None, 96,
                                           output_width=art.width, output_height=art.height,
                                           background_color=art.background)
            except Exception as exc:  # cairosvg raises many kinds on hostile input
                error = _drawing_error(exc, art)
                if error is exc:
                    raise
                raise error from exc
            cairo_surface = surface.cairo
            cairo_surface.flush()
            # a copy (BGRX → RGB), so the kept pixels may be drawn on again
            image = Image.frombuffer("RGB", (art.width, art.height), cairo_surface.get_data(),
                                     "raw", "BGRX", cairo_surface.get_stride(), 1)
            cairo_surface.finish()
    return image


def draw_pdf(art: Drawable, output: Any, **surface_options: Any) -> Any:
    """Draw the artwork into a PDF written to ``output``; returns the cairosvg surface."""
    with limits.time_limit(limits.RASTER_SECONDS, "drawing the PDF", art.layout):
        drawn = prepare(art)
        try:
            surface = _ScenePDFSurface(drawn, drawn.tree, output, 96, **surface_options)
        except Exception as exc:  # cairosvg raises many kinds on hostile input
            error = _drawing_error(exc, art)
            if error is exc:
                raise
            raise error from exc
        return surface
