"""Make the print examples: an A3 poster and a multi-page A4 leaflet batch, print-ready.

    python examples/print/make_print_examples.py [OUT_FOLDER] [--cmyk]

Writes to ``out/print/`` by default (not committed: PDFs are build products):

* ``poster-5k-a3.pdf`` – the 5K prevention poster (``prevention-tips`` layout, its example data)
  on A3 with 3 mm bleed and crop marks, plus ``poster-5k-a3.png`` at 300 dpi (3508×4961);
* ``leaflets-hotline-a4.pdf`` – one A4 hotline leaflet per ward (``hotline-qr`` layout,
  ``leaflets-hotline.yaml`` beside this script), one page each;
* with ``--cmyk``: ``poster-5k-a3-x4.pdf`` and ``leaflets-hotline-a4-x4.pdf`` (CMYK PDF/X-4,
  the bundled FOGRA39 profile unless ``INFOGRAPHIC_CMYK_PROFILE`` names the shop's; the PDF/X
  checks are printed) and ``poster-5k-a3-cmyk.tif``.

The same from the command line::

    infographic print prevention-tips --size a3 -o out/print/poster-5k-a3.pdf
    infographic print hotline-qr --size a4 -d examples/print/leaflets-hotline.yaml \\
        -o out/print/leaflets-hotline-a4.pdf
    infographic print prevention-tips --size a3 --cmyk --report -o out/print/poster-5k-a3-x4.pdf
"""

from __future__ import annotations

import sys
from pathlib import Path

import infographic
from infographic.datafile import example_data_path, load_data_file
from infographic.fileio import write_atomic
from infographic.print import bleed_problems, cmyk_print, cmyk_tiff, save_print_pdf
from infographic.print.pages import page_records, render_pages

HERE = Path(__file__).resolve().parent


def _report(label: str, art: infographic.Artwork) -> None:
    """The preflight worth reading: text size, QR, photos, and any problem (safe area, bleed)."""
    for item in art.fit_report.preflight + bleed_problems(art):
        if item.check != "safe-area" or not item.ok:
            print(f"  {label}: {item.status:<7} {item.message}")


def main(argv: list[str]) -> int:
    cmyk = "--cmyk" in argv
    args = [a for a in argv if not a.startswith("--")]
    out = Path(args[0]) if args else Path("out/print")

    poster = infographic.render("prevention-tips", load_data_file(
        example_data_path("prevention-tips")), size="a3")
    _report("poster", poster)
    print("wrote", save_print_pdf([poster], out / "poster-5k-a3.pdf"))
    print("wrote", poster.save(out / "poster-5k-a3.png"))

    records = page_records(load_data_file(HERE / "leaflets-hotline.yaml"))
    leaflets = render_pages("hotline-qr", records, size="a4")
    for number, art in enumerate(leaflets, 1):
        _report(f"leaflet {number}", art)
    print("wrote", save_print_pdf(leaflets, out / "leaflets-hotline-a4.pdf",
                                  title="Đường dây nóng – tờ rơi theo phường"))

    if cmyk:
        for name, arts, title in (("poster-5k-a3-x4.pdf", [poster], None),
                                  ("leaflets-hotline-a4-x4.pdf", leaflets,
                                   "Đường dây nóng – tờ rơi theo phường")):
            result = cmyk_print(arts, title=title)
            print("wrote", write_atomic(out / name, result.data))
            print("\n".join(f"  {line}" for line in result.format().splitlines()))
        print("wrote", write_atomic(out / "poster-5k-a3-cmyk.tif", cmyk_tiff(poster)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
