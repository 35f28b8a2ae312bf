"""PDF/X identification and a structural PDF/X check of our own (pikepdf).

``identify(pdf, standard, ...)`` makes a converted print PDF declare what it is:

* the PDF version (1.6 for PDF/X-4, 1.4 for PDF/X-1a:2003 — ISO 15930-7 §6.1, 15930-4 §6.1);
* ``GTS_PDFXVersion`` in the XMP metadata (X-4, 15930-7 §6.7.5) and the Info dictionary (X-1a,
  15930-4 §6.7.5), with the XMP properties X-4 asks for (``xmpMM:DocumentID``, ``VersionID``,
  ``RenditionClass``, dates, ``pdf:Trapped`` — §6.7.2–6.7.4) mirrored in the Info dictionary;
* one ``/OutputIntent`` of subtype ``GTS_PDFX`` with the press profile embedded as
  ``/DestOutputProfile`` and its registered condition (``FOGRA39``) or ``Custom`` (§6.2.2);
* an sRGB output intent for an RGB print PDF (not PDF/X: no ``GTS_PDFXVersion``).

``check_pdfx(data, standard)`` reads a file back and lists which of those requirements hold,
plus the ones the conversion must guarantee: every colour is DeviceCMYK, DeviceGray or a
pattern of them (15930-7 §6.2.3, 15930-4 §6.2.3: no DeviceRGB in images, groups, gradients or
content streams), fonts embedded (§6.3.5), Trim and Bleed boxes nested in the MediaBox (§6.5.1),
no encryption (§6.1.13) and, for X-1a, no transparency (15930-4 §6.3.1). It is structural: it
is not veraPDF or a commercial preflight, and says so.
"""

from __future__ import annotations

import io
import re
import uuid
import zlib
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import lru_cache

import pikepdf
from PIL import ImageCms
from pikepdf import Array, Dictionary, Name, String

X4, X1A = "4", "1a"
VERSIONS = {X4: "PDF/X-4", X1A: "PDF/X-1a:2003"}
PDF_VERSIONS = {X4: "1.6", X1A: "1.4"}
#: Conditions in the ICC's registry of characterisations: their name is the identifier.
REGISTERED = {"FOGRA39", "sRGB IEC61966-2.1"}
REGISTRY = "http://www.color.org"


@dataclass(frozen=True)
class PdfxCheck:
    """One requirement of a PDF/X standard, checked on the file."""

    name: str
    ok: bool
    detail: str

    def format(self) -> str:
        return f"{'pass' if self.ok else 'FAIL'}  {self.name}: {self.detail}"


def _date(moment: datetime) -> str:
    return moment.strftime("D:%Y%m%d%H%M%SZ")


@lru_cache(maxsize=8)
def _deflated(data: bytes) -> bytes:
    return zlib.compress(data, 9)


def output_intent(pdf: pikepdf.Pdf, icc: bytes, condition: str, description: str,
                  channels: int) -> Dictionary:
    """The ``/OutputIntent`` dictionary with ``icc`` embedded."""
    profile = pdf.make_stream(_deflated(icc), Filter=Name.FlateDecode)  # once, not per save
    profile.N = channels
    intent = Dictionary(
        Type=Name.OutputIntent, S=Name.GTS_PDFX,
        OutputConditionIdentifier=String(condition if condition in REGISTERED else "Custom"),
        OutputCondition=String(description), Info=String(description),
        DestOutputProfile=profile)
    if condition in REGISTERED:
        intent.RegistryName = String(REGISTRY)
    return intent


def identify(pdf: pikepdf.Pdf, standard: str | None, title: str, icc: bytes, condition: str,
             description: str, channels: int = 4) -> None:
    """Write the output intent, XMP and Info entries of ``standard`` (``"4"``, ``"1a"``, or
    ``None`` for an RGB print PDF that is not PDF/X) into ``pdf``."""
    now = datetime.now(timezone.utc).replace(microsecond=0)
    pdf.Root.OutputIntents = Array([pdf.make_indirect(
        output_intent(pdf, icc, condition, description, channels))])
    version = VERSIONS.get(standard or "")
    with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
        meta["dc:title"] = title
        meta["xmp:CreatorTool"] = "infographic"
        meta["pdf:Producer"] = "infographic (cairo, pikepdf)"
        meta["xmp:CreateDate"] = meta["xmp:ModifyDate"] = meta["xmp:MetadataDate"] = \
            now.isoformat()
        meta["pdf:Trapped"] = "False"
        meta["xmpMM:DocumentID"] = f"uuid:{uuid.uuid4()}"
        meta["xmpMM:InstanceID"] = f"uuid:{uuid.uuid4()}"
        meta["xmpMM:VersionID"] = "1"
        meta["xmpMM:RenditionClass"] = "default"
        if version:
            meta["pdfxid:GTS_PDFXVersion"] = version
    info = pdf.docinfo
    info.Title = String(title)
    info.Creator = String("infographic")
    info.Producer = String("infographic (cairo, pikepdf)")
    info.CreationDate = info.ModDate = String(_date(now))
    info.Trapped = Name("/False")
    if version:
        info.GTS_PDFXVersion = String(version)
    elif "/GTS_PDFXVersion" in info:
        del info["/GTS_PDFXVersion"]


def profile_description(icc: bytes) -> str:
    profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
    return ImageCms.getProfileDescription(profile).strip() or "Custom"


def save(pdf: pikepdf.Pdf, standard: str | None) -> bytes:
    """The file bytes, with the header version ``standard`` needs (1.6 for X-4)."""
    out = io.BytesIO()
    version = PDF_VERSIONS.get(standard or "", "1.6")
    pdf.save(out, min_version=version, force_version=version,
             stream_decode_level=pikepdf.StreamDecodeLevel.none,  # images, ICC: as they are
             object_stream_mode=pikepdf.ObjectStreamMode.disable if standard == X1A
             else pikepdf.ObjectStreamMode.preserve)
    return out.getvalue()


# -- the check ---------------------------------------------------------------------------

RGB_SPACES = {"/DeviceRGB", "/CalRGB"}
#: An RGB colour operator in a content stream, as a token (``0.1 0.2 0.3 rg``, ``/DeviceRGB cs``).
#: A byte scan, not a parse: 10× faster on text-heavy pages; bytes that only look like one (in
#: a string or inline image) are reported too, never missed.
RGB_OPERATOR = re.compile(rb"(?:(?<=[\s\]\)>])|^)(?:rg|RG|/(?:DeviceRGB|CalRGB)\s+(?:cs|CS))"
                          rb"(?=[\s\[\(/<%]|$)")


def _space_problem(space) -> str | None:
    """Why ``space`` is not allowed in a CMYK PDF/X file, or None."""
    if isinstance(space, Name):
        return f"{space}" if str(space) in RGB_SPACES or str(space) == "/Lab" else None
    if isinstance(space, Array) and len(space):
        family = str(space[0])
        if family == "/ICCBased":
            return None if int(space[1].get("/N", 0)) in (1, 4) else "ICCBased RGB"
        if family in RGB_SPACES or family == "/Lab":
            return family
        if family == "/Indexed":
            return _space_problem(space[1])
        if family in ("/Separation", "/DeviceN"):
            return _space_problem(space[2])
        if family == "/Pattern" and len(space) > 1:
            return _space_problem(space[1])
    return None


def _walk(pdf: pikepdf.Pdf):
    """Every dictionary and stream of the file, once."""
    for obj in pdf.objects:
        if isinstance(obj, (pikepdf.Dictionary, pikepdf.Stream)):
            yield from _direct(obj)


def _direct(obj):
    """``obj`` and the dictionaries written inside it (resources, groups, shadings)."""
    yield obj
    for value in obj.values():
        if isinstance(value, pikepdf.Dictionary) and not value.is_indirect:
            yield from _direct(value)
        elif isinstance(value, pikepdf.Array):
            for item in value:
                if isinstance(item, pikepdf.Dictionary) and not item.is_indirect:
                    yield from _direct(item)


def colour_problems(pdf: pikepdf.Pdf) -> list[str]:
    """Every place an RGB (or Lab) colour is left: objects and content-stream operators."""
    problems = []
    content_owners: list = [page for page in pdf.pages]
    for obj in _walk(pdf):
        space = obj.get("/ColorSpace")
        problem = None if isinstance(space, pikepdf.Dictionary) else _space_problem(space)
        if problem:
            kind = obj.get("/Subtype") or obj.get("/Type") or "shading"
            problems.append(f"{kind} in {problem}")
        if obj.get("/Type") == Name.Group or obj.get("/S") == Name.Transparency:
            problem = _space_problem(obj.get("/CS"))
            if problem:
                problems.append(f"transparency group in {problem}")
        if "/ColorSpace" in obj and isinstance(obj.ColorSpace, pikepdf.Dictionary):
            for name, space in obj.ColorSpace.items():
                problem = _space_problem(space)
                if problem:
                    problems.append(f"colour space {name} is {problem}")
        if isinstance(obj, pikepdf.Stream) and (obj.get("/Subtype") == Name.Form
                                                or int(obj.get("/PatternType", 0)) == 1):
            content_owners.append(obj)
    for owner in content_owners:
        streams = owner.obj.Contents if isinstance(owner, pikepdf.Page) else owner
        for stream in streams if isinstance(streams, pikepdf.Array) else [streams]:
            data = stream.read_bytes()
            if b"rg" not in data and b"RG" not in data:  # most CMYK streams: nothing to scan
                continue
            for match in RGB_OPERATOR.finditer(data):
                problems.append(f"'{match.group().decode('latin-1').strip()}' (RGB colour) in "
                                "a content stream")
    return sorted(set(problems))


def transparency_uses(pdf: pikepdf.Pdf) -> list[str]:
    """What makes a page transparent (forbidden in PDF/X-1a)."""
    found = []
    for obj in _walk(pdf):
        smask = obj.get("/SMask")
        if smask is not None and smask != Name("/None"):
            found.append("soft mask")
        for key in ("/ca", "/CA"):
            if key in obj and float(obj[key]) < 1:
                found.append(f"{key} {float(obj[key]):g}")
        blend = obj.get("/BM")
        if blend is not None and str(blend) not in ("/Normal", "/Compatible"):
            found.append(f"blend mode {blend}")
        group = obj.get("/Group")
        if isinstance(group, pikepdf.Dictionary) and group.get("/S") == Name.Transparency:
            found.append("transparency group")
    return sorted(set(found))


def _inside(inner, outer, tolerance: float = 0.01) -> bool:
    a = [float(v) for v in inner]
    b = [float(v) for v in outer]
    return (min(a[0], a[2]) >= min(b[0], b[2]) - tolerance
            and min(a[1], a[3]) >= min(b[1], b[3]) - tolerance
            and max(a[0], a[2]) <= max(b[0], b[2]) + tolerance
            and max(a[1], a[3]) <= max(b[1], b[3]) + tolerance)


def check_pdfx(data: bytes, standard: str = X4) -> list[PdfxCheck]:
    """The structural PDF/X-4 (``"4"``) or PDF/X-1a:2003 (``"1a"``) requirements, checked on
    the file ``data``."""
    version = VERSIONS[standard]
    checks: list[PdfxCheck] = []

    def check(name: str, ok: bool, detail: str) -> None:
        checks.append(PdfxCheck(name, bool(ok), detail))

    header = data[:16].split(b"\n")[0].decode("latin-1", "replace").strip()
    pdf = pikepdf.open(io.BytesIO(data))
    want = {X4: ("1.6",), X1A: ("1.3", "1.4")}[standard]
    check("version", pdf.pdf_version in want and header.endswith(pdf.pdf_version),
          f"header {header}, PDF {pdf.pdf_version} (needs {' or '.join(want)})")
    check("not encrypted", not pdf.is_encrypted, "no encryption")
    with pdf.open_metadata() as meta:
        xmp_version = meta.get("pdfxid:GTS_PDFXVersion")
        xmp_ids = all(meta.get(key) for key in ("xmpMM:DocumentID", "xmpMM:VersionID",
                                                 "xmpMM:RenditionClass", "xmp:CreateDate"))
        xmp_title = meta.get("dc:title")
    info = pdf.docinfo
    info_version = str(info.get("/GTS_PDFXVersion", ""))
    if standard == X4:
        check("identification", xmp_version == version,
              f"XMP pdfxid:GTS_PDFXVersion = {xmp_version!r}")
        check("XMP metadata", xmp_ids and "/Metadata" in pdf.Root,
              "DocumentID, VersionID, RenditionClass, CreateDate present" if xmp_ids
              else "XMP properties missing")
    else:
        check("identification", info_version == version,
              f"Info /GTS_PDFXVersion = {info_version!r}")
    check("title", bool(info.get("/Title")) and (xmp_title is None
                                                 or str(xmp_title) == str(info.get("/Title"))),
          f"Info /Title {str(info.get('/Title', ''))!r}")
    check("trapped", str(info.get("/Trapped", "")) in ("/True", "/False"),
          f"Info /Trapped {info.get('/Trapped')}")
    intents = [i for i in pdf.Root.get("/OutputIntents", []) if i.get("/S") == Name.GTS_PDFX]
    profile_ok, detail = False, "no GTS_PDFX output intent"
    if len(intents) == 1:
        intent = intents[0]
        dest = intent.get("/DestOutputProfile")
        if dest is None:
            detail = "output intent without an embedded profile"
        else:
            icc = dest.read_bytes()
            space = ImageCms.ImageCmsProfile(io.BytesIO(icc)).profile.xcolor_space.strip()
            profile_ok = space == "CMYK" and int(dest.get("/N", 0)) == 4
            detail = (f"{intent.get('/OutputConditionIdentifier')} — "
                      f"{profile_description(icc)} ({space}, {len(icc)} bytes embedded)")
    elif len(intents) > 1:
        detail = f"{len(intents)} GTS_PDFX output intents (one allowed)"
    check("output intent", profile_ok, detail)
    box_problems = []
    for number, page in enumerate(pdf.pages, 1):
        media = page.obj.get("/MediaBox")
        trim = page.obj.get("/TrimBox") or page.obj.get("/ArtBox")
        bleed = page.obj.get("/BleedBox")
        if trim is None:
            box_problems.append(f"page {number}: no TrimBox")
        elif bleed is not None and not (_inside(trim, bleed) and _inside(bleed, media)):
            box_problems.append(f"page {number}: TrimBox ⊄ BleedBox ⊄ MediaBox")
        elif not _inside(trim, media):
            box_problems.append(f"page {number}: TrimBox outside the MediaBox")
    check("page boxes", not box_problems,
          "; ".join(box_problems) or f"TrimBox ⊆ BleedBox ⊆ MediaBox on {len(pdf.pages)} page(s)")
    colours = colour_problems(pdf)
    check("colour spaces", not colours,
          "; ".join(colours[:5]) or "only DeviceCMYK and DeviceGray (no RGB anywhere)")
    fonts = [obj for obj in _walk(pdf) if obj.get("/Type") == Name.Font
             and obj.get("/Subtype") != Name.Type3 and obj.get("/Subtype") != Name.Type0
             and not any(key in (obj.get("/FontDescriptor") or {})
                         for key in ("/FontFile", "/FontFile2", "/FontFile3"))]
    check("fonts embedded", not fonts,
          f"{len(fonts)} font(s) not embedded" if fonts else "all embedded (text is outlines)")
    if standard == X1A:
        uses = transparency_uses(pdf)
        check("no transparency", not uses, "; ".join(uses) or "flattened: none left")
    return checks
