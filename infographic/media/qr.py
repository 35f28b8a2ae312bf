"""QR codes (segno) drawn as one vector path, with a check that the modules stay scannable.

A QR code is drawn in a square box that includes its quiet zone (the light margin scanners need,
4 modules by the standard), so a layout reserves one box and never has to know the symbol size.
Whether the result scans depends on the module size at the output resolution: at least
``MIN_MODULE_PX`` pixels on screen, or ``MIN_MODULE_MM`` millimetres on paper.
"""

from __future__ import annotations

from dataclasses import dataclass

import segno
from markupsafe import Markup, escape

from ..errors import DataError
from ..sizes import Size
from ..colour import contrast_ratio, relative_luminance
from ..svgsyntax import fine_number as _num  # QR modules, icons and photos: 3 decimals

#: Smallest module on screen: phone cameras reading a compressed social image need ~4 px.
MIN_MODULE_PX = 4.0
#: Smallest printed module (ISO/IEC 18004 practice for phone scanning at arm's length).
MIN_MODULE_MM = 0.4
#: Lowest dark/light contrast ratio that phone scanners read reliably.
MIN_CONTRAST = 3.0
ERROR_LEVELS = ("l", "m", "q", "h")


@dataclass(frozen=True)
class QrCode:
    """A QR code laid out in a box. Prints as SVG markup."""

    data: str
    x: float
    y: float
    size: float
    modules: int  # modules per side of the symbol, without the quiet zone
    quiet: int
    version: str
    error: str
    markup: str

    @property
    def module(self) -> float:
        """Side of one module in canvas units."""
        return self.size / (self.modules + 2 * self.quiet)

    @property
    def bottom(self) -> float:
        return self.y + self.size

    def __html__(self) -> str:
        return self.markup

    def __str__(self) -> str:
        return self.markup


def encode(data: str, error: str = "m") -> segno.QRCode:
    """The QR symbol for ``data`` (error correction raised when it costs no extra size)."""
    text = str(data)
    if not text.strip():
        raise DataError("a QR code needs some text or a link to encode; it got nothing")
    level = str(error).lower()
    if level not in ERROR_LEVELS:
        raise DataError(f"QR error correction must be one of {', '.join(ERROR_LEVELS)}, "
                        f"not '{error}'")
    try:
        return segno.make(text, error=level, micro=False, boost_error=True)
    except segno.DataOverflowError:
        raise DataError(f"text of {len(text)} characters is too long for a QR code: shorten it "
                        "(e.g. a short link)") from None


def module_path(matrix: "tuple[bytearray, ...] | list[list[int]]") -> str:
    """Path data for the dark modules in module units, one sub-path per horizontal run.

    One path (rather than a rect per module) keeps the SVG small and leaves no hairline seams
    between neighbouring modules when anti-aliased.
    """
    parts = []
    for row, cells in enumerate(matrix):
        col, width = 0, len(cells)
        while col < width:
            if cells[col]:
                start = col
                while col < width and cells[col]:
                    col += 1
                parts.append(f"M{start} {row}h{col - start}v1h{start - col}z")
            else:
                col += 1
    return "".join(parts)


def qr_code(data: str, x: float, y: float, size: float, dark: str = "#000000",
            light: str = "#ffffff", quiet: int = 4, error: str = "m",
            radius: float = 0, attributes: str = "") -> QrCode:
    """A QR code for ``data`` filling the square box (x, y, size), quiet zone included;
    ``attributes`` (e.g. ``data-scene-qr="0"``) go on its group."""
    if size <= 0:
        raise DataError(f"a QR code needs a positive size, got {size:g}")
    quiet = int(quiet)
    if not 0 <= quiet <= 10:
        raise DataError(f"QR quiet zone must be 0–10 modules, got {quiet}")
    symbol = encode(data, error)
    matrix = symbol.matrix
    modules = len(matrix)
    module = size / (modules + 2 * quiet)
    origin_x, origin_y = x + quiet * module, y + quiet * module
    background = (f'<rect x="{_num(x)}" y="{_num(y)}" width="{_num(size)}" '
                  f'height="{_num(size)}" rx="{_num(radius)}" fill="{escape(light)}"/>')
    markup = (f'<g class="qr"{" " + attributes if attributes else ""} '
              f'data-modules="{modules}"><title>{escape(data)}</title>'
              f'{background}<path fill="{escape(dark)}" transform="matrix({_num(module)} 0 0 '
              f'{_num(module)} {_num(origin_x)} {_num(origin_y)})" d="{module_path(matrix)}"/>'
              f'</g>')
    return QrCode(data=str(data), x=x, y=y, size=size, modules=modules, quiet=quiet,
                  version=str(symbol.version), error=str(symbol.error or error).upper(),
                  markup=str(Markup(markup)))


def written_module(code: QrCode) -> float:
    """The module side as the SVG writes it (canvas units)."""
    return float(_num(code.module))


def module_problem(code: QrCode, size: Size) -> str | None:
    """Why ``code`` may not scan at output ``size`` (module too small), or None."""
    pixels = code.module * size.scale
    if size.is_print:
        millimetres = pixels / size.dpi * 25.4
        if millimetres < MIN_MODULE_MM:
            need = code.size * MIN_MODULE_MM / millimetres
            return (f"QR modules are {millimetres:.2f} mm printed, under {MIN_MODULE_MM} mm: "
                    f"make the code at least {need:.0f} units wide or encode shorter text")
        return None
    if pixels < MIN_MODULE_PX:
        need = code.size * MIN_MODULE_PX / pixels
        return (f"QR modules are {pixels:.1f} px, under {MIN_MODULE_PX:g} px: phones may not "
                f"scan it; make the code at least {need:.0f} units wide or encode shorter text")
    return None


def colour_problem(dark: str, light: str) -> str | None:
    """Why dark-on-light colours may not scan (too little contrast, or inverted), or None."""
    if relative_luminance(dark) > relative_luminance(light):
        return (f"QR modules {dark} are lighter than the background {light}: many scanners "
                "read only dark modules on a light background")
    ratio = contrast_ratio(dark, light)
    if ratio < MIN_CONTRAST:
        return (f"QR contrast {dark} on {light} is {ratio:.1f}:1, under {MIN_CONTRAST:g}:1: "
                "use a darker colour for the code")
    return None
