"""Geometry checks on a finished render: what a reviewer looks for at the edges of the content.

* every text's ink inside the card, band or panel it was drawn in (the containers the
  ``page_header``/``page_footer``/``card``/``container`` helpers record) and inside the canvas's
  safe area;
* no two texts overlapping;
* no text below its role's legible floor (slots without a role: :data:`DEFAULT_FLOOR`);
* for minimum content, no empty horizontal band taller than a quarter of the canvas between the
  header and the footer (measured on pixels).

The ink boxes come from the glyph outlines placed in the render (the fit report's ``ink``), so a
check sees what is drawn. ``infographic check`` runs these on every render it makes.
"""

from __future__ import annotations

from typing import Iterable

from PIL import Image, ImageChops, ImageStat

from ..artwork import Artwork
from ..findings import Finding
from ..fitreport import Container, FitEntry
from ..layout.design import role_floor
from ..layout.manifest import DEFAULT_SAFE_AREA_MM
from .thumbnails import thumbnail

#: Screens: text keeps this far (canvas units) from the edge. Paper: the layout's safe margin.
SCREEN_SAFE = 20.0
#: The floor of a slot that declares no role on a screen (the caption floor; on paper the
#: caption floor in points, :data:`~infographic.layout.design.PAPER_ROLE_FLOORS_PT`).
DEFAULT_FLOOR = 20.0
#: Rounding slack in canvas units.
SLACK = 1.0
#: An empty band taller than this share of the canvas height is reported (minimum content).
EMPTY_BAND_SHARE = 0.25
#: A pixel row is empty when fewer than this share of its pixels differ from its median colour.
_EMPTY_ROW_INK = 0.015
#: Vertical lines at most this share of the width wide are not content (see empty_rows).
_THIN_LINE = 0.03
_RASTER_SIDE = 960

Box = tuple[float, float, float, float]


def _union(boxes: Iterable[Box]) -> Box | None:
    boxes = list(boxes)
    if not boxes:
        return None
    left = min(b[0] for b in boxes)
    top = min(b[1] for b in boxes)
    right = max(b[0] + b[2] for b in boxes)
    bottom = max(b[1] + b[3] for b in boxes)
    return left, top, right - left, bottom - top


def _overlap_area(a: Box, b: Box) -> float:
    w = min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0])
    h = min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1])
    return max(0.0, w) * max(0.0, h)


def _inside(inner: Box, outer: Box, slack: float = SLACK) -> bool:
    return (inner[0] >= outer[0] - slack and inner[1] >= outer[1] - slack
            and inner[0] + inner[2] <= outer[0] + outer[2] + slack
            and inner[1] + inner[3] <= outer[1] + outer[3] + slack)


def _container_of(entry: FitEntry, containers: list[Container]) -> Container | None:
    """The container the text was drawn in: declared (helpers, ``{% call card %}``), else the
    smallest one holding most of its ink, else the one its ink overlaps most."""
    if entry.container:
        for container in containers:
            if container.name == entry.container:
                return container
    ink = _union(entry.ink)
    if ink is None or ink[2] * ink[3] <= 0:
        return None
    area = ink[2] * ink[3]
    overlaps = [(c, _overlap_area(ink, c.box)) for c in containers]
    holding = [c for c, shared in overlaps if shared >= 0.5 * area]
    if holding:
        return min(holding, key=lambda c: c.box[2] * c.box[3])
    touching = [(shared, c) for c, shared in overlaps if shared > 0]
    return max(touching, key=lambda t: t[0])[1] if touching else None


def _safe_box(art: Artwork, safe_mm: float | None) -> Box:
    size = art.size
    if size.is_print:
        margin = size.units_per_mm * (DEFAULT_SAFE_AREA_MM if safe_mm is None else safe_mm)
    else:
        margin = SCREEN_SAFE
    return margin, margin, size.canvas_width - 2 * margin, size.canvas_height - 2 * margin


def geometry_findings(art: Artwork, safe_mm: float | None = None) -> list[Finding]:
    """Containment, safe area, overlaps and floors of every drawn text of ``art``."""
    report = art.fit_report
    drawn = [e for e in report if e.drawn and e.ink]
    safe = _safe_box(art, safe_mm)
    # a slot without a role is held to the caption floor (on paper: in points)
    default_floor = (role_floor("caption", art.size) or DEFAULT_FLOOR) if art.size.is_print \
        else DEFAULT_FLOOR
    findings: list[Finding] = []
    for entry in drawn:
        ink = _union(entry.ink)
        assert ink is not None  # drawn entries have ink
        container = _container_of(entry, report.containers)
        if container is not None and not _inside(ink, container.box):
            findings.append(Finding(
                "outside-container", "error", entry.slot,
                f"text '{entry.slot}' leaves its {container.kind} '{container.name}': ink "
                f"{_fmt(ink)}, {container.kind} {_fmt(container.box)}"))
        if not _inside(ink, safe, 0.5):
            findings.append(Finding(
                "outside-safe-area", "error", entry.slot,
                f"text '{entry.slot}' reaches outside the safe area: ink {_fmt(ink)}, safe area "
                f"{_fmt(safe)}"))
        floor = entry.floor or default_floor
        if entry.size < floor - 1e-6:
            role = f"{entry.role} text" if entry.role else "text without a role"
            findings.append(Finding(
                "below-floor", "error", entry.slot,
                f"text '{entry.slot}' is set at {entry.size:g}, under the {floor:g}-unit floor "
                f"of {role}"))
    for index, first in enumerate(drawn):
        for second in drawn[index + 1:]:
            if _lines_overlap(first.ink, second.ink):
                findings.append(Finding(
                    "overlap", "error", first.slot,
                    f"texts '{first.slot}' and '{second.slot}' overlap"))
    return findings


def _lines_overlap(a: tuple[Box, ...], b: tuple[Box, ...]) -> bool:
    for x in a:
        for y in b:
            w = min(x[0] + x[2], y[0] + y[2]) - max(x[0], y[0])
            h = min(x[1] + x[3], y[1] + y[3]) - max(x[1], y[1])
            if w > SLACK and h > SLACK:
                return True
    return False


def _fmt(box: Box) -> str:
    x, y, w, h = box
    return f"x {x:.0f}–{x + w:.0f}, y {y:.0f}–{y + h:.0f}"


def empty_rows(art: Artwork, top: float = 0.0, bottom: float | None = None
               ) -> tuple[list[bool], float]:
    """Per pixel row of a small render of ``art``: True where the row is empty, and the canvas
    units per pixel row. A pixel is ink when it differs from its row's median colour by more
    than 36 (summed over the channels); a row is empty when under 1.5 % of it is ink, not
    counting thin vertical lines that run through most of the band from ``top`` to ``bottom``
    (a timeline's track, a card's stripe): a line does not fill a page."""
    image = thumbnail(art, _RASTER_SIDE)
    width, height = image.size
    unit = art.size.canvas_height / height
    ink = Image.new("L", (width, height))
    for y in range(height):
        row = image.crop((0, y, width, y + 1))
        median = tuple(ImageStat.Stat(row).median)
        red, green, blue = ImageChops.difference(row, Image.new("RGB", (width, 1), median)).split()
        distance = ImageChops.add(ImageChops.add(red, green), blue)  # clipped at 255
        ink.paste(distance.point(lambda v: 255 if v > 36 else 0), (0, y))
    first = max(0, int(top / unit))
    last = height if bottom is None else max(first + 1, min(height, int(bottom / unit)))
    share = list(ink.crop((0, first, width, last)).resize((width, 1), Image.Resampling.BOX)
                 .tobytes())  # one byte per column: the share of the band's rows inked
    counted = [True] * width
    x = 0
    while x < width:  # runs of columns inked through most of the band, if thin, do not count
        if share[x] > 0.6 * 255:
            start = x
            while x < width and share[x] > 0.6 * 255:
                x += 1
            if x - start <= _THIN_LINE * width:
                counted[start:x] = [False] * (x - start)
        else:
            x += 1
    keep = Image.new("L", (width, 1))
    keep.putdata([255 if c else 0 for c in counted])
    ink = ImageChops.multiply(ink, keep.resize((width, height), Image.Resampling.NEAREST))
    rows = ink.resize((1, height), Image.Resampling.BOX).tobytes()
    return [value < _EMPTY_ROW_INK * 255 for value in rows], unit


def whitespace_findings(art: Artwork) -> list[Finding]:
    """Empty horizontal bands taller than a quarter of the canvas between the header and the
    footer (the ``page_header``/``page_footer`` boxes, else the canvas edges)."""
    height = art.size.canvas_height
    boxes = {c.kind: c.box for c in art.fit_report.containers}
    top = boxes["header"][1] + boxes["header"][3] if "header" in boxes else 0.0
    bottom = boxes["footer"][1] if "footer" in boxes else height
    empty, unit = empty_rows(art, top, bottom)
    first, last = int(top / unit) + 1, min(len(empty), int(bottom / unit) - 1)
    longest, run, start, where = 0, 0, 0, 0
    for row in range(first, last):
        if empty[row]:
            if run == 0:
                start = row
            run += 1
            if run > longest:
                longest, where = run, start
        else:
            run = 0
    band = longest * unit
    if band > EMPTY_BAND_SHARE * height:
        return [Finding("empty-band", "error", "",
                        f"an empty band {band:.0f} units tall (y {where * unit:.0f}–"
                        f"{(where + longest) * unit:.0f}) between the header and the footer: more "
                        f"than a quarter of the {height:.0f}-unit canvas; grow the content or "
                        "close with the footer")]
    return []


def check_artwork(art: Artwork, *, minimum: bool = False,
                  safe_mm: float | None = None) -> list[Finding]:
    """Every geometry check; the whitespace check too when ``minimum`` (the least content)."""
    findings = geometry_findings(art, safe_mm)
    if minimum:
        findings += whitespace_findings(art)
    return findings
