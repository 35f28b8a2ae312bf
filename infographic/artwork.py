"""The result of a render: the final SVG, its size and fit report, and ways to save it."""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass, field
from pathlib import Path

from .fileio import write_atomic
from .fitreport import FitReport
from .scene import Scene
from .output import format_for_path, write
from .sizes import Size


@dataclass
class Artwork:
    svg: str
    size: Size
    fit_report: FitReport
    layout: str
    background: str = "#ffffff"
    asset_roots: list[Path] = field(default_factory=list)
    alt_text: str = ""  # plain-text description built from the data (infographic/alttext.py)
    #: What the render placed (text runs …), which the drawing stage draws from; None for an
    #: artwork made from SVG alone, which is drawn as written.
    scene: Scene | None = field(default=None, repr=False, compare=False)
    #: Encode in a worker process with a hard deadline and a memory cap (``render(...,
    #: isolated=True)``): drawing can be the long or large part.
    isolated: bool = False

    @property
    def width(self) -> int:
        return self.size.width_px

    @property
    def height(self) -> int:
        return self.size.height_px

    @property
    def dpi(self) -> int:
        return self.size.dpi

    def to_bytes(self, fmt: str = "png", *, max_bytes: int | None = None) -> bytes:
        """Encode as ``png``, ``jpeg``/``jpg``, ``webp``, ``pdf`` or ``svg``. ``max_bytes``
        (PNG/JPEG/WebP) picks the best quality that fits, e.g. 500_000 for Zalo."""
        if self.isolated:
            from .isolation import memory_budget, run_isolated

            return run_isolated(write, dataclasses.replace(self, isolated=False), fmt,
                                max_bytes=max_bytes,
                                memory=memory_budget(self.width * self.height))
        return write(self, fmt, max_bytes=max_bytes)

    def save(self, path: "str | os.PathLike[str]", fmt: str | None = None, *,
             max_bytes: int | None = None) -> Path:
        """Write the file atomically (a reader never sees half a file); format from the suffix.
        ``max_bytes`` as in :meth:`to_bytes`."""
        target = Path(path)
        return write_atomic(target, self.to_bytes(fmt or format_for_path(target),
                                                   max_bytes=max_bytes))

    def save_alt_text(self, path: "str | os.PathLike[str]") -> Path:
        """Write :attr:`alt_text` as UTF-8 to ``path`` (e.g. ``poster.txt`` beside ``poster.png``)."""
        return write_atomic(Path(path), (self.alt_text + "\n").encode("utf-8"))

