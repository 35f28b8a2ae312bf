"""Render every bundled layout with its example data into small PNGs under examples/gallery/.

    python examples/make_gallery.py                          # every layout
    python examples/make_gallery.py --layouts a,b --side 320 # some of them

The same as ``infographic gallery --out examples/gallery`` (any of its options work here). The
pictures and examples/gallery/README.md (a page showing them all) are committed, so the README
can show the catalogue; rerun this after changing a layout or its example data.
"""

import sys
from pathlib import Path

from infographic.cli import main

if __name__ == "__main__":
    sys.exit(main(["gallery", "--out", str(Path(__file__).resolve().parent / "gallery"),
                   *sys.argv[1:]]))
