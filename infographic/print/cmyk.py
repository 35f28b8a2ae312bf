"""CMYK output for print shops that will not take RGB: a CMYK PDF (Ghostscript) or TIFF (Pillow).

Both convert from sRGB through an ICC profile of the press. By default that is the CMYK profile
Ghostscript ships (``/usr/share/color/icc/ghostscript/default_cmyk.icc``, Artifex "CMYK SWOP",
installed with ``apt-get install ghostscript``); pass ``profile=`` with the shop's own profile
(FOGRA39 / ISO Coated v2, Japan Color 2001…) whenever the shop provides one, or set
``INFOGRAPHIC_CMYK_PROFILE``.

Limits (tell the shop, or ask for their profile):

* colours are converted once, with the relative colorimetric intent; saturated RGB colours
  (bright blues, greens) fall outside the CMYK gamut and print duller;
* black text and lines become rich four-colour black, not pure K: fine at body sizes, but very
  small black text can look fuzzy if the press registration is off;
* the PDF is "PDF/X-like" (DeviceCMYK, OutputIntent with the profile, Trim/BleedBox, no fonts,
  ``/Trapped /False``) but is not validated as PDF/X-1a or X-4;
* the TIFF is a raster of the page with its bleed (no crop marks) at the artwork's dpi.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from PIL import ImageCms
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (ArrayObject, DictionaryObject, NameObject, NumberObject, StreamObject,
                           TextStringObject)

from ..errors import OutputError
from ..sizes import DEFAULT_BLEED_MM
from ..output import raster
from .pdf import PrintPage, page_scene, print_pdf

PROFILE_ENV = "INFOGRAPHIC_CMYK_PROFILE"
KNOWN_PROFILES = ("/usr/share/color/icc/ghostscript/default_cmyk.icc",
                  "/usr/share/ghostscript/iccprofiles/default_cmyk.icc")
GS_TIMEOUT_S = 300


def default_cmyk_profile() -> Path:
    """The CMYK ICC profile to convert to: ``$INFOGRAPHIC_CMYK_PROFILE`` or Ghostscript's."""
    candidates = [os.environ[PROFILE_ENV]] if os.environ.get(PROFILE_ENV) else []
    candidates += list(KNOWN_PROFILES)
    for candidate in candidates:
        if Path(candidate).is_file():
            return Path(candidate)
    raise OutputError("no CMYK ICC profile found: install Ghostscript (apt-get install "
                      f"ghostscript), or pass profile= / set {PROFILE_ENV} to the print shop's "
                      ".icc file")


def _profile(profile: "str | Path | None") -> Path:
    path = Path(profile) if profile else default_cmyk_profile()
    if not path.is_file():
        raise OutputError(f"CMYK profile {path} does not exist")
    try:
        space = ImageCms.getOpenProfile(str(path)).profile.xcolor_space.strip()
    except (OSError, ImageCms.PyCMSError):
        raise OutputError(f"{path} is not an ICC profile") from None
    if space != "CMYK":
        raise OutputError(f"{path} is an {space} profile; a CMYK output profile is needed")
    return path


def _ghostscript() -> str:
    for name in ("gs", "gsc"):
        found = shutil.which(name)
        if found:
            return found
    raise OutputError("CMYK PDF needs Ghostscript: apt-get install ghostscript "
                      "(or use cmyk_tiff for a CMYK raster)")


def _add_output_intent(pdf: bytes, source: bytes, profile: Path) -> bytes:
    """Copy the page boxes of ``source`` onto the converted pages and declare the output
    intent (the press profile), as PDF/X files do."""
    original = PdfReader(io.BytesIO(source))
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    for page, before in zip(writer.pages, original.pages):
        page.mediabox, page.cropbox = before.mediabox, before.cropbox
        page.bleedbox, page.trimbox = before.bleedbox, before.trimbox
    icc = StreamObject()
    icc.set_data(profile.read_bytes())
    icc[NameObject("/N")] = NumberObject(4)
    description = ImageCms.getProfileDescription(ImageCms.getOpenProfile(str(profile))).strip()
    intent = DictionaryObject({
        NameObject("/Type"): NameObject("/OutputIntent"),
        NameObject("/S"): NameObject("/GTS_PDFX"),
        NameObject("/OutputConditionIdentifier"): TextStringObject(description or "Custom"),
        NameObject("/Info"): TextStringObject(description or profile.name),
        NameObject("/DestOutputProfile"): writer._add_object(icc),
    })
    writer._root_object[NameObject("/OutputIntents")] = ArrayObject([writer._add_object(intent)])
    if original.metadata:
        writer.add_metadata({k: v for k, v in original.metadata.items()
                             if k in ("/Title", "/Creator", "/Trapped", "/CreationDate")})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def cmyk_pdf(artworks, bleed_mm: float = DEFAULT_BLEED_MM, marks: bool = True,
             profile: "str | Path | None" = None) -> bytes:
    """The print PDF of ``artworks`` converted to DeviceCMYK through ``profile`` (Ghostscript),
    with the page boxes kept and the profile declared as the output intent."""
    gs = _ghostscript()
    icc = _profile(profile)
    source = print_pdf(artworks, bleed_mm, marks)
    with tempfile.TemporaryDirectory(prefix="infographic-cmyk-") as tmp:
        src, dst = Path(tmp) / "rgb.pdf", Path(tmp) / "cmyk.pdf"
        src.write_bytes(source)
        command = [gs, "-dSAFER", "-dBATCH", "-dNOPAUSE", "-dQUIET", "-sDEVICE=pdfwrite",
                   "-dCompatibilityLevel=1.6", "-sColorConversionStrategy=CMYK",
                   "-sProcessColorModel=DeviceCMYK", f"-sOutputICCProfile={icc}",
                   "-dRenderIntent=1", "-dAutoRotatePages=/None", f"-sOutputFile={dst}", str(src)]
        try:
            result = subprocess.run(command, capture_output=True, text=True, timeout=GS_TIMEOUT_S,
                                    check=False)
        except subprocess.TimeoutExpired:
            raise OutputError(f"Ghostscript took more than {GS_TIMEOUT_S} s converting to "
                              "CMYK") from None
        if result.returncode != 0 or not dst.is_file():
            raise OutputError(f"Ghostscript could not convert the PDF to CMYK: "
                              f"{(result.stderr or result.stdout).strip()[:300]}")
        converted = dst.read_bytes()
    return _add_output_intent(converted, source, icc)


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
    transform = ImageCms.buildTransform(ImageCms.createProfile("sRGB"), str(icc), "RGB", "CMYK",
                                        renderingIntent=ImageCms.Intent.RELATIVE_COLORIMETRIC)
    cmyk = ImageCms.applyTransform(rgb, transform)
    out = io.BytesIO()
    cmyk.save(out, "TIFF", compression="tiff_lzw", dpi=(dpi, dpi),
              icc_profile=icc.read_bytes())
    return out.getvalue()
