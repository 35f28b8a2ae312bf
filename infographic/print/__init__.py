"""Print production: print-ready PDF (bleed, crop marks, page boxes), preflight, CMYK, guides.

    >>> from infographic.print import save_print_pdf
    >>> arts = [infographic.render("announcement", row, size="a4") for row in rows]
    >>> save_print_pdf(arts, "leaflets.pdf")          # one page per artwork, 3 mm bleed

See ``docs/print.md`` for the design (page boxes, how the bleed is filled, preflight, CMYK).
"""

from .cmyk import cmyk_pdf, cmyk_tiff, default_cmyk_profile
from .guides import guides_svg, preview_with_guides
from .pdf import page_svg, print_pdf, save_print_pdf
from .preflight import PreflightItem, bleed_problems, print_preflight

__all__ = ["PreflightItem", "bleed_problems", "cmyk_pdf", "cmyk_tiff", "default_cmyk_profile", "guides_svg",
           "page_svg", "preview_with_guides", "print_pdf", "print_preflight", "save_print_pdf"]
