"""Speed and memory of the renderer against the baseline, side by side, in one run.

    python benchmarks/run.py [--layouts a,b] [--sizes square,a3] [--repeats 5] [--rows 24]
                             [--long 0] [--json out.json]

For each bundled layout and size:

* ours: data → PNG bytes in a warm process (``render(...).to_bytes("png")``), median of repeats;
* baseline: cairosvg rasterising the *same picture* with live ``<text>`` instead of outlines —
  the final SVG rebuilt with every fitted line as a ``<text>`` element at the same position,
  family, size, weight and style (the bundled fonts registered with fontconfig), then
  ``cairosvg.svg2png`` (parse, draw, cairo's PNG encoder);
* the ratio ours / baseline (CPU time, which contention on a shared machine affects least, and
  wall time).

Then batch throughput at jobs 1 and 2 (``infographic batch`` when it exists, and a plain process
pool over ``render`` for comparison), our PNG encoder against Pillow's on the same pixels, peak
RSS per worker, and with ``--long N`` the RSS over N renders of different text in one process.
The cold start of the command line is ``benchmarks/cold_start.py``.
"""

from __future__ import annotations

import argparse
import ctypes
import ctypes.util
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any, Callable

import cairocffi as cairo
import cairosvg
from markupsafe import escape

import infographic
from infographic.datafile import example_data_path, load_data_file
from infographic.layout.manifest import bundled_layouts, load_layout
from infographic.resources import bundled_dir
from infographic.output import write_many
from infographic.scene import Scene
from infographic.text.svg import _line_x, block_top

ROOT = Path(__file__).resolve().parent.parent
WORDS = ("phòng chống dịch bệnh Covid tuyên truyền cán bộ đảng viên nhân dân khẩu trang vắc xin "
         "tiêm chủng trạm y tế phường xã quận huyện").split()


# --- the baseline picture: the same layout with live <text> ----------------------------------------

def _text_elements(fitted: Any, x: float, y: float, width: float, height: float,
                   slot: str) -> str:
    """The fitted block as one ``<text>`` per line (what cairosvg draws with its toy font API)."""
    style = fitted.style
    weight = "bold" if style.weight >= 550 else "normal"
    out = [f'<g class="text-baseline" data-slot="{escape(slot)}" fill="{escape(style.fill)}" '
           f'font-family="{escape(style.family)}" font-size="{fitted.size:g}" '
           f'font-weight="{weight}" font-style="{escape(style.style)}">']
    top = block_top(fitted, y, height)
    for index, line in enumerate(fitted.lines):
        pen, _ = _line_x(line, fitted, x, width)
        span = line.span
        text = span.line.text[span.start:span.end] + (line.ellipsis.text if line.ellipsis else "")
        out.append(f'<text x="{pen:.2f}" y="{top + fitted.baseline(index):.2f}">'
                   f'{escape(text)}</text>')
    out.append("</g>")
    return "".join(out)


_PLACE_TEXT = Scene.place_text


def _place_as_text_elements(scene: Scene, fitted: Any, x: float, y: float, width: float,
                            height: float, slot: str) -> str:
    _PLACE_TEXT(scene, fitted, x, y, width, height, slot)  # the run is still recorded
    return _text_elements(fitted, x, y, width, height, slot)


def baseline_svg(layout: str, data: dict | None, size: str) -> str:
    """The render with every placed text (slots and chart labels) as live ``<text>``."""
    Scene.place_text = _place_as_text_elements  # type: ignore[method-assign]
    try:
        return infographic.render(layout, data, size=size).svg
    finally:
        Scene.place_text = _PLACE_TEXT  # type: ignore[method-assign]


def register_fonts_with_fontconfig() -> bool:
    """Let cairo's toy font API find the bundled fonts (a fair baseline draws the same faces)."""
    name = ctypes.util.find_library("fontconfig")
    if not name:
        return False
    fontconfig = ctypes.CDLL(name)
    ok = True
    for folder in sorted(bundled_dir("fonts").iterdir()):
        if folder.is_dir():
            ok &= bool(fontconfig.FcConfigAppFontAddDir(None, str(folder).encode()))
    return ok


# --- timing -------------------------------------------------------------------------------------

def timed(functions: dict[str, Callable[[], Any]], repeats: int) -> dict[str, dict[str, float]]:
    """Median CPU and wall time of each function; the repeats alternate between the functions
    so that a change in the machine's load hits them alike."""
    for function in functions.values():
        function()  # warm-up
    wall: dict[str, list[float]] = {name: [] for name in functions}
    cpu: dict[str, list[float]] = {name: [] for name in functions}
    for _ in range(repeats):
        for name, function in functions.items():
            w0, c0 = time.perf_counter(), time.process_time()
            function()
            wall[name].append(time.perf_counter() - w0)
            cpu[name].append(time.process_time() - c0)
    return {name: {"wall_ms": statistics.median(wall[name]) * 1000,
                   "cpu_ms": statistics.median(cpu[name]) * 1000} for name in functions}


def sample_data(layout: str) -> dict | None:
    example = example_data_path(layout)
    return load_data_file(example) if example else None


def compare(layout: str, size: str, repeats: int) -> dict[str, Any]:
    data = sample_data(layout)
    art = infographic.render(layout, data, size=size)
    text_svg = baseline_svg(layout, data, size).encode("utf-8")

    def ours() -> bytes:
        return infographic.render(layout, data, size=size).to_bytes("png")

    def baseline() -> bytes:
        return cairosvg.svg2png(bytestring=text_svg, output_width=art.width,
                                output_height=art.height, background_color=art.background)

    times = timed({"ours": ours, "baseline": baseline}, repeats)
    ours_t, base = times["ours"], times["baseline"]
    return {"layout": layout, "size": size, "pixels": f"{art.width}×{art.height}",
            "ours": ours_t, "baseline": base,
            "ratio_cpu": ours_t["cpu_ms"] / base["cpu_ms"],
            "ratio_wall": ours_t["wall_ms"] / base["wall_ms"]}


def chromium_times(executable: str, layouts: list[str], sizes: list[str], repeats: int
                   ) -> list[dict[str, Any]]:
    """Warm headless Chromium (through playwright) drawing our final SVG to a PNG screenshot."""
    import re

    from playwright.sync_api import sync_playwright

    rows = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        for layout in layouts:
            for size in sizes:
                if size not in load_layout(layout).sizes:
                    continue
                art = infographic.render(layout, sample_data(layout), size=size)
                svg = re.sub(r'width="[^"]*" height="[^"]*" viewBox',
                             f'width="{art.width}" height="{art.height}" viewBox', art.svg, count=1)
                page = browser.new_page(viewport={"width": art.width, "height": art.height})
                html = f"<html><body style='margin:0'>{svg}</body></html>"

                def shot() -> bytes:
                    page.set_content(html)
                    return page.screenshot(type="png")

                ours = lambda: infographic.render(layout, sample_data(layout),  # noqa: E731
                                                  size=size).to_bytes("png")
                times = timed({"chromium": shot, "ours": ours}, repeats)
                rows.append({"layout": layout, "size": size, **times})
                page.close()
        browser.close()
    return rows


# --- throughput, cold start, memory ---------------------------------------------------------------

def _render_row(args: tuple[str, dict | None, str]) -> int:
    layout, data, size = args
    return len(infographic.render(layout, data, size=size).to_bytes("png"))


def pool_throughput(layout: str, rows: int, jobs: int, size: str) -> float:
    data = sample_data(layout)
    with ProcessPoolExecutor(jobs) as pool:
        list(pool.map(_render_row, [(layout, data, size)] * jobs))  # start and warm the workers
        start = time.perf_counter()
        list(pool.map(_render_row, [(layout, data, size)] * rows))
        return rows / (time.perf_counter() - start)


def batch_cli_throughput(layout: str, rows: int, jobs: int, size: str) -> float | None:
    data = sample_data(layout)
    if data is None:
        return None
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "rows.json"
        source.write_text(json.dumps([_jsonable(data)] * rows, ensure_ascii=False),
                          encoding="utf-8")
        command = [sys.executable, "-m", "infographic", "batch", layout, str(source), "-o",
                   str(Path(tmp) / "out"), "--size", size, "--jobs", str(jobs), "--force",
                   "--quiet", "--no-contact-sheet"]
        start = time.perf_counter()
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            return None
        return rows / (time.perf_counter() - start)


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


def png_encoders(layout: str, size: str, repeats: int) -> dict[str, dict[str, float]]:
    """PNG encoders on the same drawn pixels: CPU ms (median) and KB. Ours (output/encoding.py:
    one filter per image, zlib-ng level 3, the default); the same writer with zlib level 1 (the
    default before zlib-ng) and level 9 (the small-file mode's first try); Pillow (level 1 and 3,
    adaptive filters); cairo's own writer (libpng, ``write_to_png``)."""
    import io

    from infographic.output import encoding, raster

    art = infographic.render(layout, sample_data(layout), size=size)
    image = raster.rasterize(art)
    bgrx = image.convert("RGBX").tobytes("raw", "BGRX")  # cairo's byte order, same pixels
    stride = cairo.ImageSurface.format_stride_for_width(cairo.FORMAT_RGB24, image.width)
    surface = cairo.ImageSurface.create_for_data(bytearray(bgrx), cairo.FORMAT_RGB24,
                                                 image.width, image.height, stride)

    def pillow(level: int) -> Callable[[], bytes]:
        def encode() -> bytes:
            out = io.BytesIO()
            image.save(out, "PNG", compress_level=level)
            return out.getvalue()
        return encode

    def libpng() -> bytes:
        out = io.BytesIO()
        surface.write_to_png(out)
        return out.getvalue()

    encoders: dict[str, Callable[[], bytes]] = {
        "ours (zlib-ng 3)": lambda: encoding.png_bytes(image, art.dpi),
        "ours, zlib 1": lambda: encoding.png_bytes(image, art.dpi, 1),
        "ours, zlib 9": lambda: encoding.png_bytes(image, art.dpi, encoding.PNG_SMALL_LEVEL),
        "Pillow 1": pillow(1), "Pillow 3": pillow(3), "cairo (libpng)": libpng}
    times = timed(encoders, repeats)
    return {name: {"cpu_ms": times[name]["cpu_ms"], "kb": len(encode()) / 1000}
            for name, encode in encoders.items()}


# VmHWM (peak RSS of this process image; ru_maxrss would carry over the parent's across exec).
_PEAK_SCRIPT = """
import sys, infographic
from infographic.datafile import example_data_path, load_data_file
def hwm():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
layout, size, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
example = example_data_path(layout)
data = load_data_file(example) if example else None
base = hwm()
for _ in range(n):
    infographic.render(layout, data, size=size).to_bytes("png")
print(base, hwm())
"""


def peak_rss(layout: str, size: str, renders: int = 3) -> dict[str, float]:
    result = subprocess.run([sys.executable, "-c", _PEAK_SCRIPT, layout, size, str(renders)],
                            capture_output=True, text=True, check=True)
    after_import, peak = (float(v) for v in result.stdout.split())
    return {"after_import_mb": after_import, "peak_mb": peak}


def long_run(renders: int) -> list[tuple[int, float]]:
    rng = random.Random(10)
    sample = load_layout("announcement").sample_data()
    points = []
    for index in range(renders):
        data = dict(sample)
        data["title"] = " ".join(rng.choice(WORDS) for _ in range(9))
        data["body"] = [" ".join(rng.choice(WORDS) for _ in range(90)) for _ in range(3)]
        infographic.render("announcement", data, size="square").to_bytes("png")
        if index % max(1, renders // 10) == 0 or index == renders - 1:
            with open("/proc/self/statm", encoding="ascii") as handle:
                points.append((index + 1, int(handle.read().split()[1]) * 4096 / 1e6))
    return points


# --- report ---------------------------------------------------------------------------------------

def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = ", ".join(f"{v:.1f}" for v in os.getloadavg())
    return (f"{os.cpu_count()} cores, {cpu}, Python {sys.version.split()[0]}, "
            f"cairosvg {cairosvg.__version__}; load average {load}")


def formats_job(layout: str, size: str, repeats: int) -> dict[str, dict[str, float]]:
    """One job that wants PNG, WebP and PDF: three renders each writing one format (three
    single-format jobs); one render written three times, each raster format drawing its own
    pixels (the batch before the scene); one render whose pixels are drawn once and encoded
    twice, plus the PDF (``write_many``, what a batch job does now)."""
    data = sample_data(layout)
    formats = ("png", "webp", "pdf")

    def three_renders() -> None:
        for fmt in formats:
            infographic.render(layout, data, size=size).to_bytes(fmt)

    def one_render() -> None:
        art = infographic.render(layout, data, size=size)
        for fmt in formats:
            art.to_bytes(fmt)

    def drawn_once() -> None:
        write_many(infographic.render(layout, data, size=size), formats)

    return timed({"three renders": three_renders, "one render": one_render,
                  "drawn once": drawn_once}, repeats)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--layouts", default="", help="comma-separated (default: all bundled)")
    parser.add_argument("--sizes", default="square,a3")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--rows", type=int, default=24, help="images per throughput run")
    parser.add_argument("--throughput-layout", default="key-statistics")
    parser.add_argument("--long", type=int, default=0, help="renders in the memory long run")
    parser.add_argument("--json", type=Path, help="also write the results as JSON")
    parser.add_argument("--chromium", metavar="PATH",
                        help="also time headless Chromium (e.g. /usr/bin/chromium; needs playwright)")
    args = parser.parse_args(argv)

    fonts = register_fonts_with_fontconfig()
    layouts = [n for n in (args.layouts.split(",") if args.layouts else bundled_layouts()) if n]
    sizes = [s for s in args.sizes.split(",") if s]
    print(f"Machine: {machine()}")
    print(f"Baseline fonts registered with fontconfig: {fonts}\n")
    results: dict[str, Any] = {"machine": machine(), "per_image": []}
    header = (f"{'layout':<22}{'size':<8}{'pixels':>11} {'ours cpu':>9} {'base cpu':>9} "
              f"{'ratio':>6} {'ours wall':>10} {'base wall':>10} {'ratio':>6}")
    print(header)
    print("-" * len(header))
    for layout in layouts:
        spec = load_layout(layout)
        for size in sizes:
            if size not in spec.sizes:
                continue
            try:
                row = compare(layout, size, args.repeats)
            except infographic.InfographicError as error:
                print(f"{layout:<22}{size:<8} skipped: {error}")
                continue
            results["per_image"].append(row)
            print(f"{layout:<22}{size:<8}{row['pixels']:>11} {row['ours']['cpu_ms']:>7.0f}ms "
                  f"{row['baseline']['cpu_ms']:>7.0f}ms {row['ratio_cpu']:>6.2f} "
                  f"{row['ours']['wall_ms']:>8.0f}ms {row['baseline']['wall_ms']:>8.0f}ms "
                  f"{row['ratio_wall']:>6.2f}", flush=True)

    if args.chromium:
        print("\nHeadless Chromium drawing the same final SVG to PNG (wall ms, warm page):")
        results["chromium"] = chromium_times(args.chromium, layouts[:2] if not args.layouts
                                             else layouts, sizes, args.repeats)
        for row in results["chromium"]:
            print(f"  {row['layout']:<22}{row['size']:<8} chromium {row['chromium']['wall_ms']:.0f} ms"
                  f", ours {row['ours']['wall_ms']:.0f} ms", flush=True)

    layout = args.throughput_layout if args.throughput_layout in bundled_layouts() else layouts[0]
    job = formats_job(layout, "square", args.repeats)
    results["png_webp_pdf_job"] = job
    print(f"\nA PNG + WebP + PDF job, {layout} at square, CPU (wall): " + "; ".join(
        f"{name} {t['cpu_ms']:.0f} ms ({t['wall_ms']:.0f} ms)" for name, t in job.items()),
        flush=True)
    print(f"\nBatch throughput, {layout} at square, {args.rows} images (images per second):")
    results["throughput"] = {}
    for jobs in (1, 2):
        pool = pool_throughput(layout, args.rows, jobs, "square")
        cli = batch_cli_throughput(layout, args.rows, jobs, "square")
        results["throughput"][f"jobs{jobs}"] = {"process_pool": pool, "batch_cli": cli}
        cli_text = f"{cli:.1f}/s (whole command, incl. start-up)" if cli else "n/a"
        print(f"  jobs {jobs}: process pool over render {pool:.1f}/s; "
              f"infographic batch {cli_text}", flush=True)

    print("\nPNG encoders on the same pixels (CPU ms / KB):")
    results["png_encoders"] = {}
    for name, size in (("key-statistics", "square"), ("announcement", "square"),
                       ("photo-card", "square"), ("key-statistics", "a3")):
        encoders = png_encoders(name, size, args.repeats)
        results["png_encoders"][f"{name} {size}"] = encoders
        print(f"  {name} {size}: " + "; ".join(
            f"{label} {e['cpu_ms']:.1f} ms / {e['kb']:.0f} KB" for label, e in encoders.items()),
            flush=True)
    print("(cold start of the command line: python benchmarks/cold_start.py)")
    results["peak_rss"] = {}
    for size in ("square", "a3"):
        peak = peak_rss("announcement", size)
        results["peak_rss"][size] = peak
        print(f"Peak RSS of a worker rendering announcement at {size}: {peak['peak_mb']:.0f} MB "
              f"(after import {peak['after_import_mb']:.0f} MB)")
    if args.long:
        points = long_run(args.long)
        results["long_run"] = points
        print(f"\nRSS over {args.long} renders of different text (square): "
              + ", ".join(f"{n}: {mb:.0f} MB" for n, mb in points))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
