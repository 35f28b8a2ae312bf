"""An allow-list URL fetcher for cairosvg: ``data:`` URIs and files inside given folders only.

Anything else (http, other files, ``../`` escapes, symlinks out of the folder) yields an empty
SVG, which draws nothing: a layout cannot read or fetch what it was not given.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import unquote, urlparse
from urllib.request import urlopen

EMPTY_SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"></svg>'
MAX_RESOURCE_BYTES = 25 * 1024 * 1024


class AllowListFetcher:
    def __init__(self, roots: list[Path], max_bytes: int = MAX_RESOURCE_BYTES) -> None:
        self.roots = [os.path.realpath(r) for r in roots]
        self.max_bytes = max_bytes
        self.refused: list[str] = []

    def allowed_path(self, url: str) -> str | None:
        parsed = urlparse(url)
        if parsed.scheme != "file" or parsed.netloc not in ("", "localhost"):
            return None
        path = os.path.realpath(unquote(parsed.path))
        for root in self.roots:
            if os.path.commonpath([root, path]) == root and os.path.isfile(path):
                return path
        return None

    def __call__(self, url: str, resource_type: str) -> bytes:
        if url.startswith("data:"):
            if len(url) > self.max_bytes * 4 // 3 + 256:
                self.refused.append("data: URI larger than the limit")
                return EMPTY_SVG
            with urlopen(url) as response:  # the data: handler, no network
                return response.read()
        path = self.allowed_path(url)
        if path is None or os.path.getsize(path) > self.max_bytes:
            self.refused.append(url)
            return EMPTY_SVG
        with open(path, "rb") as handle:
            return handle.read()
