"""Images and QR codes: time and output size against a naive baseline, in one run.

    python benchmarks/media.py [--repeats 5] [--photo PATH]

* image, ours: ``image(...)`` prepares the photo (EXIF, sRGB, crop, downscale to the output
  pixels, re-encode): the render alone with an empty cache, then render + PNG with the cache warm;
* image, baseline: the same photo embedded as-is (``<image href="data:…">`` of the original
  file, cropped by ``preserveAspectRatio="xMidYMid slice"``), as a template would do by hand;
* QR: ``qr(...)`` as one vector path vs segno's own SVG writer placed as an image.

Reported: median seconds of ``--repeats`` runs and the PNG / PDF sizes.
"""

from __future__ import annotations

import argparse
import base64
import io
import statistics
import tempfile
import time
from pathlib import Path

import segno

import infographic
from infographic.layout.manifest import load_layout_folder
from infographic.media import images as media_images

ROOT = Path(__file__).resolve().parent.parent
BOX = 'x="0" y="0" width="1080" height="540"'


def _median(action, repeats: int, before=None) -> float:
    times = []
    for _ in range(repeats):
        if before:
            before()
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _layout(folder: Path, body: str):
    (folder / "layout.yaml").write_text("name: bench\nsizes: [square, a4]\nfields: {}\nslots: {}\n",
                                        encoding="utf-8")
    (folder / "template.svg.j2").write_text(body, encoding="utf-8")
    return load_layout_folder(folder)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--photo", default=str(ROOT / "layouts" / "demo-media" / "photo.jpg"))
    args = parser.parse_args()
    photo = Path(args.photo).resolve()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for name in ("ours", "naive", "qr", "qr-naive"):
            (folder / name).mkdir()
        (folder / "ours" / photo.name).write_bytes(photo.read_bytes())
        ours = _layout(folder / "ours",
                       f'{{{{ image("{photo.name}", x=0, y=0, width=1080, height=540) }}}}')
        uri = "data:image/jpeg;base64," + base64.b64encode(photo.read_bytes()).decode()
        naive = _layout(folder / "naive", f'<image {BOX} preserveAspectRatio="xMidYMid slice" '
                                      f'xlink:href="{uri}"/>')
        print(f"photo {photo.name}: {photo.stat().st_size / 1024:.0f} KB")
        print(f"{'case':<38}{'median s':>10}{'PNG KB':>9}{'PDF KB':>9}")
        for size in ("square", "a4"):
            cold = _median(lambda: infographic.render(ours, {}, size=size), args.repeats,
                           before=media_images.CACHE.clear)
            warm = _median(lambda: infographic.render(ours, {}, size=size).to_bytes("png"),
                           args.repeats)
            art = infographic.render(ours, {}, size=size)
            png, pdf = art.to_bytes("png"), art.to_bytes("pdf")
            print(f"{'image ours, prepare cold ' + size:<38}{cold:>10.3f}")
            print(f"{'image ours, cached, to PNG ' + size:<38}{warm:>10.3f}"
                  f"{len(png) / 1024:>9.0f}{len(pdf) / 1024:>9.0f}")
            raster = _median(lambda: infographic.render(naive, {}, size=size).to_bytes("png"),
                             args.repeats)
            art = infographic.render(naive, {}, size=size)
            png, pdf = art.to_bytes("png"), art.to_bytes("pdf")
            print(f"{'image baseline (as-is), to PNG ' + size:<38}{raster:>10.3f}"
                  f"{len(png) / 1024:>9.0f}{len(pdf) / 1024:>9.0f}")
        url = "https://tokhaiyte.vn/?ma=BN-2021-09-13"
        qr_ours = _layout(folder / "qr", f'{{{{ qr("{url}", x=340, y=340, size=400) }}}}')
        t_ours = _median(lambda: infographic.render(qr_ours, {}).to_bytes("png"), args.repeats)
        out = io.BytesIO()
        segno.make(url, error="m").save(out, kind="svg", scale=10, border=4)
        qr_uri = "data:image/svg+xml;base64," + base64.b64encode(out.getvalue()).decode()
        qr_naive = _layout(folder / "qr-naive", f'<image x="340" y="340" width="400" height="400" '
                                         f'xlink:href="{qr_uri}"/>')
        t_naive = _median(lambda: infographic.render(qr_naive, {}).to_bytes("png"), args.repeats)
        print(f"{'qr ours (one path), PNG':<38}{t_ours:>10.3f}")
        print(f"{'qr baseline (segno SVG image), PNG':<38}{t_naive:>10.3f}")


if __name__ == "__main__":
    main()
