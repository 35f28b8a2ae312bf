"""The stress gallery: every bundled layout with the least and the most content its manifest
accepts (infographic/authoring/stress.py), at square and story, into examples/gallery/stress/.

    python examples/make_stress_gallery.py [--sizes square,story] [--layouts ranking,schedule]

Each picture has the geometry checks' findings drawn on it (red: the ink box of a text that
leaves its card or the safe area, overlaps another or is under its floor; a red bar: an empty
band), and README.md lists them, so a reviewer sees at a glance where a layout breaks. A size
that refuses the content shows the error instead of a picture.
"""

from __future__ import annotations

import argparse
import textwrap
from pathlib import Path

from PIL import Image, ImageDraw

from infographic.authoring.gallery import gallery_png
from infographic.authoring.geometry import check_artwork
from infographic.authoring.thumbnails import thumbnail
from infographic.authoring.stress import stress_data
from infographic.errors import InfographicError
from infographic.layout.manifest import bundled_layouts, load_layout
from infographic.render import render

OUT = Path(__file__).resolve().parent / "gallery" / "stress"
SIDE = 540
RED = (214, 33, 61)


def _marked(art, findings) -> Image.Image:
    """The render with each finding's text box outlined in red."""
    image = thumbnail(art, SIDE)
    scale = image.width / art.size.canvas_width
    draw = ImageDraw.Draw(image)
    entries = {e.slot: e for e in art.fit_report}
    for finding in findings:
        entry = entries.get(finding.slot)
        if finding.kind == "empty-band":
            top, bottom = (float(v) for v in finding.message.split("(y ")[1].split(")")[0]
                           .split("–"))
            draw.rectangle([0, top * scale, 6, bottom * scale], fill=RED)
        elif entry is not None and entry.ink:
            left = min(x for x, _, _, _ in entry.ink) * scale
            top = min(y for _, y, _, _ in entry.ink) * scale
            right = max(x + w for x, _, w, _ in entry.ink) * scale
            bottom = max(y + h for _, y, _, h in entry.ink) * scale
            draw.rectangle([left - 2, top - 2, right + 2, bottom + 2], outline=RED, width=2)
    return image


def _refusal(size: tuple[int, int], message: str) -> Image.Image:
    image = Image.new("RGB", size, (253, 232, 230))
    draw = ImageDraw.Draw(image)
    lines = ["does not render:"] + textwrap.wrap(message, max(20, size[0] // 8))
    for number, line in enumerate(lines[:24]):
        draw.text((12, 12 + 16 * number), line, fill=(60, 0, 0))
    return image


def _sections(readme: Path) -> dict[str, list[str]]:
    """The per-layout sections of an existing README (so a re-render of some layouts keeps the
    others' entries)."""
    sections: dict[str, list[str]] = {}
    if not readme.is_file():
        return sections
    current = None
    for line in readme.read_text(encoding="utf-8").split("\n"):
        if line.startswith("## `"):
            current = line[4:line.index("`", 4)]
            sections[current] = []
        if current is not None:
            sections[current].append(line)
    return sections


def _section_counts(section: list[str]) -> tuple[int, int]:
    """(passed, total) of a section: its pictures, less each size/content pair with findings."""
    total = sum(line.count("<img ") for line in section)
    failed = {tuple(line[2:].split(":")[0].split(", ")) for line in section if line.startswith("- ")}
    return total - len(failed), total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="square,story")
    parser.add_argument("--layouts", help="comma separated (default: all bundled)")
    args = parser.parse_args()
    sizes = args.sizes.split(",")
    names = args.layouts.split(",") if args.layouts else bundled_layouts()
    lines = ["# Stress gallery", "",
             "Every bundled layout with the least and the most content its manifest accepts "
             "(`tests/stress/`), at " + " and ".join(sizes) + ". Red outlines: texts that fail a "
             "geometry check (outside their card or the safe area, overlapping, under their "
             "role's floor); a red bar on the left edge: an empty band. Regenerate with "
             "`python examples/make_stress_gallery.py`.", ""]
    passed = total = 0
    kept = _sections(OUT / "README.md") if args.layouts else {}
    for name in bundled_layouts():
        if name not in names:  # not re-rendered this time: keep its entry
            if name in kept:
                lines += kept[name]
                done, count = _section_counts(kept[name])
                passed, total = passed + done, total + count
            continue
        layout = load_layout(name)
        lines += [f"## `{name}`", ""]
        notes = []
        pictures = []
        for which in ("minimum", "maximum"):
            data = stress_data(layout, which)
            for size in sizes:
                target = OUT / f"{name}-{size}-{which}.png"
                total += 1
                try:
                    art = render(layout, data, size=size)
                except InfographicError as exc:
                    shape = (SIDE, SIDE) if size == "square" else (SIDE * 9 // 16, SIDE)
                    gallery_png(_refusal(shape, str(exc)), target)
                    notes.append(f"- {size}, {which}: does not render — {exc}")
                else:
                    findings = check_artwork(art, minimum=which == "minimum",
                                             safe_mm=layout.safe_area_mm)
                    gallery_png(_marked(art, findings), target)
                    passed += not findings
                    notes += [f"- {size}, {which}: {f.message}" for f in findings[:6]]
                    if len(findings) > 6:
                        notes.append(f"- {size}, {which}: … {len(findings) - 6} more")
                pictures.append(f'<img src="{target.name}" alt="{name}, {size}, {which} content" '
                                'height="270">')
                print(f"wrote {target}")
        lines += [" ".join(pictures), ""] + (notes or ["All checks pass."]) + [""]
    lines.insert(4, f"**{passed} of {total} renders pass every check.**\n")
    (OUT / "README.md").write_text("\n".join(lines), encoding="utf-8")
    print(f"{passed} of {total} pass; wrote {OUT / 'README.md'}")


if __name__ == "__main__":
    main()
