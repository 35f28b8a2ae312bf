"""Issue 18's hostile inputs, written once: the security tests (tests/test_security_*.py) and the
replay of the attacks as CLI runs (benchmarks/attacks.py) build their files from these.

Only the standard library: ``benchmarks/attacks.py`` imports this module outside pytest.
"""

from __future__ import annotations

import base64
from pathlib import Path

#: ``ulimit -v 4000000``: the address space each attack ran under in the issue.
ADDRESS_SPACE_CAP = 4_000_000 * 1024

#: An EPS that paints its box red, then loops forever (``{ } loop``): Pillow's EPS decoder would
#: hand it to ``gs``, which would never return.
LOOPING_EPS = (b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 100 100\n"
               b"1 0 0 setrgbcolor 0 0 100 100 rectfill\n{ } loop\nshowpage\n%%EOF\n")
EPS_URI = "data:image/x-eps;base64," + base64.b64encode(LOOPING_EPS).decode()

#: A million-character string, and a namespace to grow it in a loop (templates cannot rebind a
#: name inside a loop, but they can rebind a namespace attribute).
MILLION = '{% set ns = namespace(s="x" * 1000000, l=["x" * 1000000]) %}'

#: The ward whose row never finishes in :func:`ward_layout` with :data:`SLOW_PRELUDE`.
SLOW_WARD = "Phường Chậm"
#: 10^10 loop steps for :data:`SLOW_WARD`'s row, nothing for the others.
SLOW_PRELUDE = (f'{{% if ward == "{SLOW_WARD}" %}}{{% for i in range(100000) %}}'
                '{% for j in range(100000) %}{% endfor %}{% endfor %}{% endif %}\n')


def attack_layout(folder: Path, body: str, *, manifest_extra: str = "",
                  slot: str = "{size: 30, min_size: 10, overflow: truncate}") -> Path:
    """A one-field layout (``title``) whose template is ``body``, the hostile part."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "layout.yaml").write_text(
        f"name: {folder.name}\ntitle: Attack\nfields:\n  title: {{type: text, sample: x}}\n"
        f"slots:\n  title: {slot}\n{manifest_extra}", encoding="utf-8")
    (folder / "template.svg.j2").write_text(body, encoding="utf-8")
    return folder


def ward_layout(folder: Path, prelude: str = "") -> Path:
    """A small batch layout: a ward, a date, a number, a label and an optional logo; the
    template starts with ``prelude`` (:data:`SLOW_PRELUDE` makes one row never finish)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "layout.yaml").write_text("""\
name: ward-card
title: Ward card
theme: health-blue
sizes: [square]
fields:
  ward: {type: text, required: true}
  date: {type: date}
  cases: {type: integer}
  logo: {type: text}
  label: {type: text}
slots:
  ward: {font: heading, size: 22, min_size: 10, max_lines: 2, color: primary}
""", encoding="utf-8")
    (folder / "template.svg.j2").write_text(
        prelude + '<rect width="{{ canvas.width }}" height="{{ canvas.height }}" fill="#ffffff"/>\n'
        '{{ text("ward", ward, x=10, y=10, width=canvas.width - 20, height=60) }}\n'
        '{% if logo %}{{ image("logo", x=10, y=80, width=40, height=40) }}{% endif %}\n',
        encoding="utf-8")
    return folder


def tile_svg(kind: str, side: int, canvas: int) -> str:
    """A small SVG whose <pattern> or <mask> tile is side² user units (the issue's attack):
    ``kind`` is ``pattern``, ``bbox-pattern`` (objectBoundingBox units) or ``mask``."""
    if kind == "pattern":
        body = (f'<defs><pattern id="tile" patternUnits="userSpaceOnUse" width="{side}" '
                f'height="{side}"><rect width="{side}" height="{side}" fill="red"/></pattern>'
                f'</defs><rect width="{canvas}" height="{canvas}" fill="url(#tile)"/>')
    elif kind == "bbox-pattern":  # objectBoundingBox: the tile is the size of what it fills
        body = (f'<defs><pattern id="tile" width="1" height="1"><rect width="{side}" '
                f'height="{side}" fill="red"/></pattern></defs>'
                f'<rect width="{side}" height="{side}" fill="url(#tile)"/>')
    else:
        body = (f'<defs><mask id="tile" maskUnits="userSpaceOnUse" width="{side}" '
                f'height="{side}"><rect width="{side}" height="{side}" fill="#fff"/></mask>'
                f'</defs><rect width="{canvas}" height="{canvas}" fill="red" mask="url(#tile)"/>')
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {canvas} {canvas}" '
            f'width="40" height="40">{body}</svg>')


def laughs(levels: int = 9, indent: str = "  ") -> str:
    """YAML "billion laughs": 9 aliases of 9 aliases … of a short string, as a list value."""
    lines = [f'{indent}- &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"{indent}- &a{n} [" + ",".join([f"*a{n - 1}"] * 9) + "]" for n in range(1, levels)]
    return "\n".join(lines)


def wards_csv(path: Path, count: int) -> Path:
    """``count`` wards with a date and a number each, as a CSV file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("ward,date,cases\n" + "".join(
        f"Phường {n},2021-09-{13 + n % 10:02d},{100 + n}\n" for n in range(1, count + 1)),
        encoding="utf-8")
    return path
