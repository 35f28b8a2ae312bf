"""Print production: print-ready PDF (bleed, crop marks, page boxes), preflight, CMYK, guides.

    >>> from infographic.print import save_print_pdf
    >>> arts = [infographic.render("announcement", row, size="a4") for row in rows]
    >>> save_print_pdf(arts, "leaflets.pdf")          # one page per artwork, 3 mm bleed

See ``docs/print.md`` for the design (page boxes, how the bleed is filled, preflight, CMYK and
PDF/X: ``cmyk_print(arts, pdfx="4")``, ``check_pdfx(data)``).
"""

import importlib
from typing import TYPE_CHECKING, Any

from ..output import register_writer

if TYPE_CHECKING:
    from ..artwork import Artwork

# Imported on first use: the render path needs only ``preflight``, and pypdf costs ~0.1 s cold.
_EXPORTS = {
    "cmyk_pdf": "cmyk", "cmyk_print": "cmyk", "cmyk_tiff": "cmyk", "CmykResult": "cmyk",
    "default_cmyk_profile": "cmyk", "check_pdfx": "pdfx", "PdfxCheck": "pdfx",
    "guides_svg": "guides", "preview_with_guides": "guides",
    "page_svg": "pdf", "print_pdf": "pdf", "save_print_pdf": "pdf",
    "PreflightItem": "preflight", "bleed_problems": "preflight", "print_preflight": "preflight",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f".{_EXPORTS[name]}", __name__), name)


def _write_print_pdf(art: "Artwork") -> bytes:
    """``art.to_bytes("print-pdf")``: one page with 3 mm bleed and crop marks."""
    from .pdf import print_pdf
    return print_pdf([art])


register_writer("print-pdf", _write_print_pdf, "application/pdf")  # print adds its format; output never imports us
