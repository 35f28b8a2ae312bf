"""The gallery: every bundled layout rendered with its example data, as small PNGs.

    infographic gallery [--out gallery] [--layouts a,b] [--side 320]

writes ``<layout>-<size>.png`` for every layout and size, and ``README.md`` beside them, a page
that shows them all in a grid. The pictures are small palette PNGs so they can live in git.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Sequence

from PIL import Image

from ..datafile import example_data_path, load_data_file
from ..fileio import atomic_file, write_atomic
from ..layout.manifest import bundled_layouts, load_layout
from ..render import render
from .thumbnails import thumbnail

DEFAULT_SIDE = 320
DEFAULT_OUT = "gallery"


def gallery_png(image: Image.Image, path: Path) -> None:
    """Save a small picture as a 256-colour PNG (a fifth of the bytes of a truecolour one)."""
    with atomic_file(path) as out:
        image.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE) \
            .save(out, "PNG", optimize=True)


def _index(entries: list[tuple[str, str, list[tuple[str, str]]]]) -> str:
    lines = ["# Layout gallery", "",
             "Every bundled layout with its example data (`examples/<layout>.yaml`), at every "
             "size. Regenerate with `python examples/make_gallery.py` (`--layouts a,b` for some).",
             ""]
    for name, title, pictures in entries:
        lines += [f"## `{name}` — {title}", ""]
        lines.append(" ".join(f'<img src="{file}" alt="{name}, {size}" height="200">'
                              for size, file in pictures))
        lines.append("")
    return "\n".join(lines)


def build_gallery(out_dir: "str | Path | None" = None, layouts: Sequence[str] | None = None,
                  *, side: int = DEFAULT_SIDE,
                  progress: Callable[[str], None] | None = None) -> list[Path]:
    """Render ``layouts`` (default: all bundled) at each size they support into ``out_dir``
    (default ``gallery`` in the current folder; the installed package is never written to);
    returns the files written, the index page last."""
    out = Path(out_dir) if out_dir is not None else Path(DEFAULT_OUT)
    written: list[Path] = []
    entries = []
    for name in layouts or bundled_layouts():
        layout = load_layout(name)
        example = example_data_path(layout.name)
        data = load_data_file(example) if example else None
        pictures = []
        for size in layout.sizes:
            art = render(layout, data, size=size,
                         assets=[example.parent] if example else None)
            target = out / f"{layout.name}-{size}.png"
            gallery_png(thumbnail(art, side), target)
            written.append(target)
            pictures.append((size, target.name))
            if progress:
                progress(f"{target} ({art.fit_report.worst})")
        entries.append((layout.name, layout.title, pictures))
    # The index lists every bundled layout, also those not re-rendered this time.
    done = {name for name, _, _ in entries}
    for name in bundled_layouts():
        if name not in done:
            layout = load_layout(name)
            pictures = [(size, f"{name}-{size}.png") for size in layout.sizes
                        if (out / f"{name}-{size}.png").is_file()]
            if pictures:
                entries.append((name, layout.title, pictures))
    entries.sort()
    index = out / "README.md"
    write_atomic(index, _index(entries).encode("utf-8"))
    written.append(index)
    return written
