"""What runs in a worker (a pool process or a Dask worker): render one job, encode its formats.

The worker writes nothing: it returns the encoded bytes, and the process that owns the output
folder records and writes them (see :mod:`.state`). So a worker on another machine needs no
shared file system, and a killed worker never leaves a half-written file.
"""

from __future__ import annotations

import dataclasses
import io
import traceback
from dataclasses import dataclass, field

from PIL import Image

from .. import limits
from ..errors import InfographicError
from ..findings import Finding
from ..output import OUTPUTS, write_many
from ..render import render
from ..sizes import Size
from .plan import Job

THUMB_SIDE = 320


@dataclass
class JobResult:
    job: Job
    files: dict[str, bytes] = field(default_factory=dict)  # relative path → bytes
    thumbnail: bytes | None = None
    fit: str = "fit"
    findings: tuple[Finding, ...] = ()  # the fit report's, typed (kind, severity, slot, message)
    error: str | None = None  # the whole message, with row, layout and field
    reason: str | None = None
    field: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def warnings(self) -> tuple[str, ...]:
        return tuple(f.message for f in self.findings)


def _thumbnail(art, files: dict[str, bytes], job: Job) -> bytes:
    """A small PNG for the contact sheet: scaled from a raster output, else drawn small."""
    raster = next((files[o.path] for o in job.outputs if OUTPUTS[o.format].raster), None)
    if raster is not None:
        opened = Image.open(io.BytesIO(raster), formats=limits.IMAGE_FORMATS)
        if opened.format == "PNG" and max(opened.size) <= THUMB_SIDE:
            return raster  # already small enough
        opened.draft("RGB", (THUMB_SIDE, THUMB_SIDE))  # JPEG decodes at a reduced scale
        image = opened.convert("RGB")
        image.thumbnail((THUMB_SIDE, THUMB_SIDE), Image.Resampling.LANCZOS)
    else:
        scale = min(1.0, THUMB_SIDE / max(art.width, art.height))  # never larger than the art
        small = Size("thumbnail", max(1, round(art.width * scale)),
                     max(1, round(art.height * scale)))
        image = Image.open(io.BytesIO(dataclasses.replace(art, size=small).to_bytes("png")),
                           formats=("PNG",))
    out = io.BytesIO()
    image.save(out, "PNG", compress_level=3)
    return out.getvalue()


def render_job(job: Job) -> JobResult:
    """Render ``job``; every failure comes back as a result with row, field and reason."""
    try:
        art = render(job.layout, job.data, size=job.size, theme=job.theme, strict=job.strict,
                     locale=job.locale, assets=job.assets)
        encoded = write_many(art, {o.format for o in job.outputs})  # pixels drawn once
        files = {o.path: encoded[o.format] for o in job.outputs}
        thumbnail = _thumbnail(art, files, job) if job.thumbnail else None
        report = art.fit_report
        return JobResult(job, files, thumbnail, report.worst, tuple(report.findings))
    except InfographicError as exc:
        exc.with_row(job.row)
        return JobResult(job, error=str(exc), reason=exc.message, field=exc.field)
    except MemoryError:
        raise  # the isolated worker reports it as a LimitError with its memory budget
    except Exception as exc:  # a bug or a resource problem: report it, keep the batch going
        detail = traceback.format_exception_only(type(exc), exc)[-1].strip()
        return JobResult(job, error=f"row {job.row}: internal error while rendering: {detail}",
                         reason=f"internal error: {detail}")
