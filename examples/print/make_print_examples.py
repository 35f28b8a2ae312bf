"""Make the print examples: an A3 poster and a multi-page A4 leaflet batch, print-ready.

    python examples/print/make_print_examples.py [OUT_FOLDER] [--cmyk]

Writes to ``out/print/`` by default (not committed: PDFs are build products):

* ``poster-5k-a3.pdf`` – the 5K prevention poster (``prevention-tips`` layout, its example data)
  on A3 with 3 mm bleed and crop marks, plus ``poster-5k-a3.png`` at 300 dpi (3508×4961);
* ``leaflets-hotline-a4.pdf`` – one A4 hotline leaflet per ward (``hotline-qr`` layout,
  ``leaflets-hotline.yaml`` beside this script), one page each;
* with ``--cmyk``: ``poster-5k-a3-cmyk.pdf`` and ``poster-5k-a3-cmyk.tif`` (Ghostscript's CMYK
  profile unless ``INFOGRAPHIC_CMYK_PROFILE`` names the shop's).

The same from the command line::

    infographic print prevention-tips --size a3 -o out/print/poster-5k-a3.pdf
    infographic print hotline-qr --size a4 -d examples/print/leaflets-hotline.yaml \\
        -o out/print/leaflets-hotline-a4.pdf
"""

from __future__ import annotations

import sys
from pathlib import Path

import infographic
from infographic.datafile import example_data_path, load_data_file
from infographic.print import bleed_problems, cmyk_pdf, cmyk_tiff, save_print_pdf
from infographic.print.pages import page_records, render_pages
from infographic.print.pdf import write_atomically

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
        print("wrote", write_atomically(out / "poster-5k-a3-cmyk.pdf", cmyk_pdf([poster])))
        print("wrote", write_atomically(out / "poster-5k-a3-cmyk.tif", cmyk_tiff(poster)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
