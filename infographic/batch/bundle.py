"""Hand-offs after a batch: every PDF bound into one file for the print shop, and a zip."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path
from typing import Iterable

from ..errors import OutputError

_STORED = {".png", ".jpg", ".jpeg", ".webp", ".zip"}  # already compressed


def _temporary(target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    return target.with_name(f".{target.name}.{os.getpid()}.part")


def bind_pdfs(pdfs: Iterable[Path], target: Path) -> int:
    """Append the pages of ``pdfs`` (in order) to one PDF; returns the number of pages."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    for pdf in pdfs:
        writer.append(str(pdf))
    pages = len(writer.pages)
    if not pages:
        raise OutputError("there are no PDF pages to bind: add pdf to --format")
    tmp = _temporary(target)
    try:
        with tmp.open("wb") as out:
            writer.write(out)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
        writer.close()
    return pages


def zip_outputs(files: Iterable[tuple[Path, str]], target: Path) -> int:
    """Zip ``(path, name in archive)`` pairs into ``target``; returns the number of files."""
    tmp = _temporary(target)
    count = 0
    try:
        with zipfile.ZipFile(tmp, "w") as archive:
            for path, arcname in files:
                method = zipfile.ZIP_STORED if path.suffix.lower() in _STORED \
                    else zipfile.ZIP_DEFLATED
                archive.write(path, arcname, compress_type=method)
                count += 1
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    return count
