"""Hand-offs after a batch: every PDF bound into one file for the print shop, and a zip."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Iterable

from ..errors import OutputError
from ..fileio import atomic_file

_STORED = {".png", ".jpg", ".jpeg", ".webp", ".zip"}  # already compressed


def bind_pdfs(pdfs: Iterable[Path], target: Path) -> int:
    """Append the pages of ``pdfs`` (in order) to one PDF; returns the number of pages."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    for pdf in pdfs:
        writer.append(str(pdf))
    pages = len(writer.pages)
    if not pages:
        raise OutputError("there are no PDF pages to bind: add pdf to --format")
    try:
        with atomic_file(target) as out:
            writer.write(out)
    finally:
        writer.close()
    return pages


def zip_outputs(files: Iterable[tuple[Path, str]], target: Path) -> int:
    """Zip ``(path, name in archive)`` pairs into ``target``; returns the number of files."""
    count = 0
    with atomic_file(target) as out, zipfile.ZipFile(out, "w") as archive:
        for path, arcname in files:
            method = zipfile.ZIP_STORED if path.suffix.lower() in _STORED \
                else zipfile.ZIP_DEFLATED
            archive.write(path, arcname, compress_type=method)
            count += 1
    return count
