"""CMYK output for print shops that take CMYK: a PDF/X-4 (or X-1a) file, or a CMYK TIFF.

``cmyk_pdf`` converts the RGB print PDF object by object (``separate.py``: images once each
with LittleCMS, vector colours by rule — black in black ink, rich black for large areas, the ink
limit), keeps vectors and transparency, and identifies the file as PDF/X-4 (``pdfx.py``). With
``pdfx="1a"`` Ghostscript then flattens the transparency at the output resolution into a PDF/X-1a
file. The press profile is ``profile=`` / ``--profile``, else ``$INFOGRAPHIC_CMYK_PROFILE``,
else the bundled FOGRA39 profile (``profiles/FOGRA39L-300.icc``: ISO 12647-2 coated offset,
300 % total ink; see ``profiles/README.md``).

Limits (tell the shop, or ask for their profile):

* colours are converted once, with the relative colorimetric intent; saturated RGB colours
  (bright blues, greens) fall outside the CMYK gamut and print duller;
* the check of the PDF/X requirements is our own structural one (``check_pdfx``), not a
  certified preflight (veraPDF, Acrobat, PitStop);
* the TIFF is a raster of the page with its bleed (no crop marks) at the artwork's dpi.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from PIL import ImageCms

from .. import limits
from ..errors import OutputError
from ..sizes import DEFAULT_BLEED_MM
from ..output import raster
from .inks import DEFAULT_INK_LIMIT, Inks
from .pdf import PrintPage, page_scene, rgb_print_pdf

PROFILE_ENV = "INFOGRAPHIC_CMYK_PROFILE"
#: The bundled press profile and the registered characterisation it was made from.
BUNDLED_PROFILE = Path(__file__).parent / "profiles" / "FOGRA39L-300.icc"
BUNDLED_CONDITION = "FOGRA39"
PDFX_STANDARDS = ("4", "1a")


def default_cmyk_profile() -> Path:
    """The CMYK ICC profile to convert to: ``$INFOGRAPHIC_CMYK_PROFILE`` or the bundled
    FOGRA39 (ISO coated offset) profile."""
    configured = os.environ.get(PROFILE_ENV)
    return Path(configured) if configured else BUNDLED_PROFILE


def _profile(profile: "str | Path | None") -> Path:
    path = Path(profile) if profile else default_cmyk_profile()
    if not path.is_file():
        raise OutputError(f"CMYK profile {path} does not exist: pass the print shop's .icc "
                          "file, or leave --profile out for the bundled FOGRA39 profile")
    try:
        info = ImageCms.getOpenProfile(str(path)).profile
        space, device_class = info.xcolor_space.strip(), info.device_class.strip()
    except (OSError, ImageCms.PyCMSError):
        raise OutputError(f"{path} is not an ICC profile: ask the print shop for its .icc "
                          "output profile (FOGRA39, Japan Color 2001 Coated…)") from None
    if space != "CMYK":
        raise OutputError(f"{path} is an {space} profile; CMYK output needs the press's CMYK "
                          "output profile (ask the print shop)")
    if device_class != "prtr":
        raise OutputError(f"{path} is a '{device_class}' profile, not an output (printer) "
                          "profile: ask the print shop for its press profile")
    return path


def _ghostscript() -> str:
    for name in ("gs", "gsc"):
        found = shutil.which(name)
        if found:
            return found
    raise OutputError("PDF/X-1a needs Ghostscript to flatten transparency: apt-get install "
                      "ghostscript (or use the default PDF/X-4, which does not need it)")


@dataclass
class CmykResult:
    """A CMYK print PDF and what a shop asks about it."""

    data: bytes
    standard: str  # "4" or "1a"
    profile: str  # description of the output profile
    ink_limit: float
    max_ink: float  # largest total ink (percent) put into the file
    black_paints: int  # black texts, lines, QR codes and marks written as 0/0/0/100
    checks: list = field(default_factory=list)  # PdfxCheck
    knockout_pages: list = field(default_factory=list)  # pages where black does not overprint

    def format(self) -> str:
        from .pdfx import VERSIONS
        passed = sum(check.ok for check in self.checks)
        lines = [f"{VERSIONS[self.standard]}: {passed}/{len(self.checks)} structural checks "
                 "pass (our own check, not a certified preflight)",
                 *(f"  {check.format()}" for check in self.checks),
                 f"profile: {self.profile}",
                 f"total ink: at most {self.max_ink:.0f} % (limit {self.ink_limit:g} %)",
                 f"black text, lines, QR codes and marks in K only: {self.black_paints} paints, "
                 + ("overprinting" if not self.knockout_pages else
                    f"knocking out on page(s) {', '.join(map(str, self.knockout_pages))} "
                    "(overprint there would pass the ink limit)")]
        return "\n".join(lines)


def _flatten(pdf_bytes: bytes, dpi: int, icc: Path) -> bytes:
    """Ghostscript flattens transparency (PDF 1.3 output) at ``dpi``, keeping DeviceCMYK."""
    gs = _ghostscript()
    with tempfile.TemporaryDirectory(prefix="infographic-x1a-") as tmp:
        src, dst = Path(tmp) / "x4.pdf", Path(tmp) / "x1a.pdf"
        src.write_bytes(pdf_bytes)
        command = [gs, "-dSAFER", "-dBATCH", "-dNOPAUSE", "-dQUIET", "-sDEVICE=pdfwrite",
                   "-dCompatibilityLevel=1.3", "-sColorConversionStrategy=CMYK",
                   "-sProcessColorModel=DeviceCMYK", f"-sOutputICCProfile={icc}",
                   "-dOverrideICC=false", f"-r{dpi}", "-dAutoRotatePages=/None",
                   "-dPassThroughJPEGImages=true", f"-sOutputFile={dst}", str(src)]
        try:
            result = subprocess.run(command, capture_output=True, text=True,
                                    timeout=limits.GHOSTSCRIPT_SECONDS, check=False)
        except subprocess.TimeoutExpired:
            raise OutputError(f"Ghostscript took more than {limits.GHOSTSCRIPT_SECONDS} s flattening the "
                              "PDF/X-1a file") from None
        if result.returncode != 0 or not dst.is_file():
            raise OutputError("Ghostscript could not flatten the PDF for PDF/X-1a: "
                              f"{(result.stderr or result.stdout).strip()[:300]}")
        return dst.read_bytes()


def cmyk_print(artworks, bleed_mm: float = DEFAULT_BLEED_MM, marks: bool = True,
               profile: "str | Path | None" = None, pdfx: str = "4",
               ink_limit: float | None = None, title: str | None = None) -> CmykResult:
    """The print PDF of ``artworks`` in DeviceCMYK as PDF/X-4 (``pdfx="4"``) or PDF/X-1a
    (``"1a"``), with the report of what it contains and which PDF/X checks pass."""
    import pikepdf

    from .pdfx import check_pdfx, profile_description
    from .separate import separate

    if pdfx not in PDFX_STANDARDS:
        raise OutputError(f"unknown PDF/X standard '{pdfx}': use 4 (default) or 1a")
    limit = DEFAULT_INK_LIMIT if ink_limit is None else float(ink_limit)
    if not 200 <= limit <= 400:
        raise OutputError(f"ink limit must be between 200 and 400 %, got {limit:g}")
    icc = _profile(profile)
    arts = [artworks] if hasattr(artworks, "svg") else list(artworks)
    source = rgb_print_pdf(arts, bleed_mm, marks, title)
    inks = Inks(icc, limit)
    with pikepdf.open(io.BytesIO(source)) as pdf:
        separation = separate(pdf, inks)
        data = pdf_bytes = _finish(pdf, "4", icc, title or arts[0].fit_report.layout)
    if pdfx == "1a":
        flat = _flatten(pdf_bytes, max(art.dpi for art in arts), icc)
        with pikepdf.open(io.BytesIO(flat)) as pdf, pikepdf.open(io.BytesIO(pdf_bytes)) as x4:
            for page, before in zip(pdf.pages, x4.pages):
                for box in ("/MediaBox", "/CropBox", "/BleedBox", "/TrimBox"):
                    page.obj[box] = pikepdf.Array([float(v) for v in before.obj[box]])
            data = _finish(pdf, "1a", icc, title or arts[0].fit_report.layout)
    description = profile_description(icc.read_bytes())
    return CmykResult(data, pdfx, description, limit, inks.max_ink,
                      separation.k_only_paints, check_pdfx(data, pdfx),
                      separation.knockout_pages)


def _finish(pdf, standard: str, icc: Path, title: str) -> bytes:
    from .pdfx import identify, profile_description, save

    raw = icc.read_bytes()
    condition = BUNDLED_CONDITION if icc.resolve() == BUNDLED_PROFILE.resolve() else "Custom"
    identify(pdf, standard, title, raw, condition, profile_description(raw))
    return save(pdf, standard)


def cmyk_pdf(artworks, bleed_mm: float = DEFAULT_BLEED_MM, marks: bool = True,
             profile: "str | Path | None" = None, pdfx: str = "4",
             ink_limit: float | None = None) -> bytes:
    """The bytes of :func:`cmyk_print` (PDF/X-4 by default)."""
    return cmyk_print(artworks, bleed_mm, marks, profile, pdfx, ink_limit).data


def cmyk_tiff(art, bleed_mm: float = DEFAULT_BLEED_MM, profile: "str | Path | None" = None
              ) -> bytes:
    """A CMYK TIFF (LZW, ICC profile embedded) of the page with its bleed, at the artwork's dpi."""
    icc = _profile(profile)
    paper_w, paper_h = art.size.paper_mm or (0, 0)
    if not paper_w:
        raise OutputError(f"CMYK TIFF needs a paper size, not '{art.size.name}'")
    dpi = art.dpi
    width = round((paper_w + 2 * bleed_mm) / 25.4 * dpi)
    height = round((paper_h + 2 * bleed_mm) / 25.4 * dpi)
    rgb = raster.rasterize(PrintPage(page_scene(art, bleed_mm, marks=False), list(art.asset_roots),
                                     art.layout, width, height))
    cmyk = Inks(icc).image(rgb)  # through the profile, within the ink limit
    out = io.BytesIO()
    cmyk.save(out, "TIFF", compression="tiff_lzw", dpi=(dpi, dpi),
              icc_profile=icc.read_bytes())
    return out.getvalue()
