"""Render every bundled layout with its example data into small PNGs under examples/gallery/.

    python examples/make_gallery.py            # same as: infographic gallery

The pictures and examples/gallery/README.md (a page showing them all) are committed, so the
README can show the catalogue; rerun this after changing a layout or its example data.
"""

from infographic.authoring.gallery import build_gallery

if __name__ == "__main__":
    files = build_gallery(progress=lambda line: print(f"wrote {line}"))
    print(f"{len(files) - 1} pictures and {files[-1]}")
