"""End-to-end tests of the live preview in a real headless Chromium (Debian's, via Playwright).

The server runs on a free port in a background thread over a copy of a layout in a temporary
folder; the tests edit that copy on disk as a designer would and read back what the page shows:
image sizes, pixels of the page, the error overlay, the fit overlay, downloads.
"""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from conftest import REQUIRE_TOOLS, ROOT, require_tool, wait_for

pytestmark = pytest.mark.slow  # a real browser

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
LAYOUT = "announcement"
SLUG = "notice"
WAIT_MS = 20000  # generous: a cold worker loads fonts first; this is a ceiling, not a benchmark
GREEN = (0, 200, 83)
PROBE = '<rect x="0" y="0" width="300" height="300" fill="#00c853"/>\n'


def _need(module: str, extra: str):
    """Import a Python dependency of these tests: skipped locally, a failure in CI."""
    try:
        return __import__(module, fromlist=["_"])
    except ImportError:
        if REQUIRE_TOOLS:
            pytest.fail(f"{module} is not installed; .ci/run should install the '{extra}' extra")
        pytest.skip(f"{module} is not installed (pip install -e '.[{extra}]')")


@pytest.fixture(scope="module")
def workspace(tmp_path_factory) -> Path:
    """A designer's folder: a copy of a layout, a data file and a theme file (official red)."""
    root = tmp_path_factory.mktemp("designer")
    shutil.copytree(ROOT / "layouts" / LAYOUT, root / "layouts" / SLUG)
    (root / "data").mkdir()
    shutil.copy(ROOT / "examples" / f"{LAYOUT}.yaml", root / "data" / "ward-7.yaml")
    (root / "themes").mkdir()
    shutil.copy(ROOT / "infographic" / "themes" / "official-red.yaml", root / "themes" / "ours.yaml")
    return root


@pytest.fixture(scope="module")
def layout_copy(workspace) -> Path:
    return workspace / "layouts" / SLUG


@pytest.fixture(scope="module")
def server(workspace, layout_copy):
    require_tool("chromium")
    _need("starlette", "preview")
    from infographic.preview import PreviewServer, build_project

    project = build_project([str(layout_copy)], [str(workspace / "data" / "ward-7.yaml")],
                            theme=str(workspace / "themes" / "ours.yaml"))
    preview = PreviewServer(project, port=0)
    preview.start()
    # what the page shows for the files as they are: each test that edits a file restores it,
    # and the next test starts once the preview shows these renders again
    preview.baseline = wait_for(lambda: _render_keys(preview), "the first renders", WAIT_MS / 1000)
    yield preview
    preview.stop()


@pytest.fixture(scope="module")
def browser(server):
    chromium = require_tool("chromium")
    sync_playwright = _need("playwright.sync_api", "test").sync_playwright
    with sync_playwright() as driver:
        instance = driver.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


def _render_keys(server) -> dict[str, str] | None:
    """The input hash of every size's current render, once nothing is pending; else None."""
    state = json.loads(_get(server, f"api/layouts/{SLUG}")[1])
    keys = {s["size"]: s["key"] for s in state["sizes"]}
    return None if state["pending"] or not all(keys.values()) else keys


def _settle(server) -> None:
    """Wait until the server has taken in the files restored by the previous test: every size
    shows the render of the original files again (the watcher hands changes over a moment
    after the last write, so "nothing pending" alone could be seen before it noticed)."""
    wait_for(lambda: _render_keys(server) == server.baseline,
             "the preview to show the restored files", WAIT_MS / 1000)


@pytest.fixture()
def page(browser, server):
    _settle(server)
    context = browser.new_context(viewport={"width": 1500, "height": 1000}, accept_downloads=True)
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    tab.goto(server.address(f"layout/{SLUG}"))  # the printed address, with its token
    _wait_all_images(tab)
    yield tab
    context.close()
    assert not errors, f"JavaScript errors in the page: {errors}"


def _restored(path: Path):
    original = path.read_text(encoding="utf-8")
    yield path
    path.write_text(original, encoding="utf-8")


@pytest.fixture()
def template(layout_copy):
    """The copy's template; restored after the test."""
    yield from _restored(layout_copy / "template.svg.j2")


@pytest.fixture()
def manifest(layout_copy):
    yield from _restored(layout_copy / "layout.yaml")


@pytest.fixture()
def data_file(workspace):
    yield from _restored(workspace / "data" / "ward-7.yaml")


@pytest.fixture()
def theme_file(workspace):
    yield from _restored(workspace / "themes" / "ours.yaml")


def _wait_all_images(tab) -> None:
    tab.wait_for_function("""() => {
        const imgs = [...document.querySelectorAll('.card .frame img')];
        return imgs.length > 0 && imgs.every(i => !i.hidden && i.complete && i.naturalWidth > 0);
    }""", timeout=WAIT_MS)


def _src(tab, size: str) -> str:
    return tab.get_attribute(f'.card[data-size="{size}"] .frame img', "src")


def _wait_src_change(tab, size: str, before: str) -> str:
    tab.wait_for_function("""([size, before]) => {
        const img = document.querySelector(`.card[data-size="${size}"] .frame img`);
        return img && img.getAttribute('src') !== before && img.complete && img.naturalWidth > 0;
    }""", arg=[size, before], timeout=WAIT_MS)
    return _src(tab, size)


def _frame_pixels(tab, size: str) -> np.ndarray:
    shot = tab.locator(f'.card[data-size="{size}"] .frame').screenshot()
    return np.asarray(Image.open(io.BytesIO(shot)).convert("RGB"), dtype=np.int16)


def _share_of(pixels: np.ndarray, color: tuple[int, int, int], tolerance: int = 30) -> float:
    return float((np.abs(pixels - np.array(color)).max(axis=2) <= tolerance).mean())


def _get(server, path: str):
    """(status, body, headers) of GET ``path``, sent with the session token as a program sends
    it; headers are looked up case-insensitively."""
    request = urllib.request.Request(server.url + path,
                                     headers={"Authorization": f"Bearer {server.token}"})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.read(), response.headers
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read(), exc.headers


def test_gallery_lists_the_layout_with_a_rendered_thumbnail(browser, server):
    tab = browser.new_page()
    tab.goto(server.address())
    card = tab.locator(f'.g-card[data-slug="{SLUG}"]')
    assert card.count() == 1
    assert "Thông báo chính thức" in card.inner_text()
    tab.wait_for_function(f"""() => {{
        const img = document.querySelector('.g-card[data-slug="{SLUG}"] img');
        return img && !img.hidden && img.naturalWidth > 0;
    }}""", timeout=WAIT_MS)
    tab.close()


def test_layout_page_shows_every_size_side_by_side(page, server):
    sizes = [s["size"] for s in json.loads(_get(server, f"api/layouts/{SLUG}")[1])["sizes"]]
    assert sizes[:4] == ["square", "portrait", "story", "landscape"]
    assert page.locator(".card").count() == len(sizes)
    natural = page.evaluate("""() => Object.fromEntries([...document.querySelectorAll('.card')].map(
        c => [c.dataset.size, [c.querySelector('img').naturalWidth, c.querySelector('img').naturalHeight]]))""")
    assert natural["square"] == [1080, 1080]
    assert natural["landscape"] == [1200, 630]
    boxes = {s: page.locator(f'.card[data-size="{s}"]').bounding_box() for s in ("square", "portrait")}
    assert abs(boxes["square"]["y"] - boxes["portrait"]["y"]) < 1  # side by side, same row
    assert boxes["portrait"]["x"] > boxes["square"]["x"] + boxes["square"]["width"] - 1
    # The page really shows the artwork: the official-red header band at the top of the square.
    pixels = _frame_pixels(page, "square")
    band = pixels[: pixels.shape[0] // 20]
    assert _share_of(band, (0xA5, 0x12, 0x1B), tolerance=60) > 0.5, band.reshape(-1, 3).mean(0)


def test_saving_the_template_updates_the_open_page(page, template):
    before, landscape = _src(page, "square"), _src(page, "landscape")
    assert _share_of(_frame_pixels(page, "square")[:40, :40], GREEN) < 0.05
    started = time.monotonic()
    template.write_text(template.read_text(encoding="utf-8") + PROBE, encoding="utf-8")
    _wait_src_change(page, "square", before)
    elapsed = time.monotonic() - started
    print(f"template save → page updated in {elapsed:.2f} s")
    corner = _frame_pixels(page, "square")[:40, :40]
    assert _share_of(corner, GREEN) > 0.9  # the probe square drawn by the edited template
    _wait_src_change(page, "landscape", landscape)  # every size re-renders, not only one


def test_broken_template_shows_the_overlay_and_recovers(page, template):
    good = template.read_text(encoding="utf-8")
    last_good = _src(page, "square")
    lines = good.splitlines(keepends=True)
    comment_end = next(n for n, line in enumerate(lines, 1) if "#}" in line) \
        if lines[0].startswith("{#") else 0
    broken_line = comment_end + 3  # code, below the template's leading comment
    lines.insert(broken_line - 1, "{{ canvas.width + }}\n")
    template.write_text("".join(lines), encoding="utf-8")

    page.wait_for_selector("#overlay", state="visible", timeout=WAIT_MS)
    where = page.inner_text("#overlay-where")
    assert where.endswith(f"template.svg.j2:{broken_line}"), where
    assert page.inner_text("#overlay-title") == "Template error"
    assert page.locator("#overlay-code .ln.here").inner_text().strip().endswith("{{ canvas.width + }}")
    assert page.inner_text("#overlay-message").strip()
    # The last good render stays on the page underneath.
    assert _src(page, "square") == last_good
    assert page.evaluate("document.querySelector('.card[data-size=square] img').naturalWidth") == 1080
    assert "error" in page.inner_text('.card[data-size="square"] .chip')

    template.write_text(good, encoding="utf-8")
    page.wait_for_selector("#overlay", state="hidden", timeout=WAIT_MS)
    page.wait_for_function("""() => [...document.querySelectorAll('.card .chip')]
        .every(c => !['error', 'rendering'].includes(c.textContent))""", timeout=WAIT_MS)
    assert _src(page, "square") == last_good  # same input as before: answered from the cache


def test_data_form_edits_rerender_and_a_data_error_names_the_field(page, server):
    before = _src(page, "square")
    title = page.locator("#f-title")
    title.fill("Tiêm vắc-xin đầy đủ, đúng lịch để bảo vệ bản thân và cộng đồng")
    _wait_src_change(page, "square", before)
    assert page.locator("#edited-tag").is_visible()

    shown = _src(page, "square")
    title.fill("Quá dài " * 30)
    page.wait_for_selector("#banner", state="visible", timeout=WAIT_MS)
    assert "title" in page.inner_text("#banner")
    limit = next(f["max_length"] for f in json.loads(_get(server, f"api/layouts/{SLUG}")[1])
                 ["fields"] if f["name"] == "title")
    assert f"maximum is {limit}" in page.inner_text('.field[data-field="title"] .field-error')
    assert _src(page, "square") == shown  # the last good render stays

    page.click("#data-reset")
    page.wait_for_selector("#banner", state="hidden", timeout=WAIT_MS)
    page.wait_for_function("() => document.querySelector('#f-title').value.startsWith('Phát huy')",
                           timeout=WAIT_MS)
    assert page.locator("#edited-tag").is_hidden()


def test_the_fit_report_lists_findings_with_their_kind(page, server):
    """A character no font has is a typed finding: the card's report tags it with its kind and
    slot (the preview reads the fit report's findings, not message strings)."""
    before = _src(page, "square")
    page.locator("#f-title").fill("Tiêm mũi 3 中")
    _wait_src_change(page, "square", before)
    item = page.locator('.card[data-size="square"] .report li[data-kind="missing-glyph"]').first
    item.wait_for(state="attached", timeout=WAIT_MS)
    assert item.get_attribute("data-slot") == "title" and "中" in item.text_content()
    summary = page.locator('.card[data-size="square"] .report summary').text_content()
    assert "missing-glyph" in summary
    page.click("#data-reset")
    page.wait_for_function("() => document.querySelector('#f-title').value.startsWith('Phát huy')",
                           timeout=WAIT_MS)


def test_fit_overlay_outlines_every_text_box_and_marks_shrunk_slots(page, server):
    state = json.loads(_get(server, f"api/layouts/{SLUG}")[1])
    square = next(s for s in state["sizes"] if s["size"] == "square")
    entries = square["fit"]["entries"]
    labels = square["fit"]["labels"]  # the charts' labels are outlined too
    assert page.locator('.card[data-size="square"] .fit-box').count() == len(entries) + len(labels)
    assert page.locator('.card[data-size="square"] .fit-box.chart-label').count() == len(labels)
    assert page.locator('.card[data-size="square"] .fit-layer').is_hidden()
    page.check("#fit-toggle")
    layer = page.locator('.card[data-size="square"] .fit-layer')
    assert layer.is_visible()
    for entry in entries:
        box = layer.locator(f'.fit-box[data-slot="{entry["slot"]}"]')
        assert f"st-{entry['status']}" in box.get_attribute("class")
    # Geometry: the title's outline sits where the fit report says, in page pixels.
    title = next(e for e in entries if e["slot"] == "title")
    frame = page.locator('.card[data-size="square"] .frame').bounding_box()
    outline = layer.locator('.fit-box[data-slot="title"]').bounding_box()
    scale = frame["width"] / square["canvas"][0]
    assert abs(outline["x"] - frame["x"] - title["box"][0] * scale) < 2
    assert abs(outline["width"] - title["box"][2] * scale) < 2
    report = page.locator('.card[data-size="square"] details.report')
    report.locator("summary").click()
    assert report.locator("tbody tr").count() == len(entries)
    page.uncheck("#fit-toggle")


def test_saving_the_data_file_updates_the_page_and_the_form(page, data_file):
    before = _src(page, "square")
    text = data_file.read_text(encoding="utf-8")
    # A colon in a plain YAML value breaks the file: the page says so and keeps the last render.
    data_file.write_text(text.replace("title: Phát huy", "title: Lịch tiêm: tuần này", 1),
                         encoding="utf-8")
    page.wait_for_selector("#banner", state="visible", timeout=WAIT_MS)
    assert "ward-7.yaml is not valid YAML" in page.inner_text("#banner")
    assert _src(page, "square") == before
    title = "Tiêm chủng mở rộng tại phường 7 trong tuần này"
    data_file.write_text(text.replace("title: Phát huy", f"title: {title}\n# was: Phát huy", 1),
                         encoding="utf-8")
    page.wait_for_selector("#banner", state="hidden", timeout=WAIT_MS)
    page.wait_for_function("t => document.querySelector('#f-title').value === t", arg=title,
                           timeout=WAIT_MS)
    _wait_src_change(page, "square", before)


def test_saving_the_manifest_updates_the_title_and_the_form(page, manifest):
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(text.replace("title: Thông báo chính thức", "title: Thông báo (bản thử)", 1)
                        .replace("fields:\n", "fields:\n  note:\n    type: text\n"
                                 "    label: Ghi chú nội bộ\n", 1), encoding="utf-8")
    page.wait_for_function("() => document.querySelector('#layout-title').textContent"
                           " === 'Thông báo (bản thử)'", timeout=WAIT_MS)
    page.wait_for_selector("#f-note", timeout=WAIT_MS)
    assert "Ghi chú nội bộ" in page.inner_text('.field[data-field="note"]')


def test_broken_manifest_shows_the_overlay_with_its_line_and_recovers(page, manifest):
    good = manifest.read_text(encoding="utf-8")
    last_good = _src(page, "square")
    lines = good.splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.startswith("fields:")) + 1
    lines.insert(at, "  broken: [text\n")
    manifest.write_text("".join(lines), encoding="utf-8")
    page.wait_for_selector("#overlay", state="visible", timeout=WAIT_MS)
    assert page.inner_text("#overlay-title") == "Manifest error (layout.yaml)"
    assert "layout.yaml:" in page.inner_text("#overlay-where")
    assert "not valid YAML" in page.inner_text("#overlay-message")
    assert _src(page, "square") == last_good
    manifest.write_text(good, encoding="utf-8")
    page.wait_for_selector("#overlay", state="hidden", timeout=WAIT_MS)
    assert page.evaluate("document.querySelector('.card[data-size=square] img').naturalWidth") == 1080


def test_saving_the_theme_file_rerenders_with_its_colours(page, theme_file):
    before = _src(page, "square")
    text = theme_file.read_text(encoding="utf-8")
    primary = next(line for line in text.splitlines() if line.strip().startswith("primary:"))
    theme_file.write_text(text.replace(primary, '  primary: "#00C853"', 1), encoding="utf-8")
    _wait_src_change(page, "square", before)
    band = _frame_pixels(page, "square")[:10]
    assert _share_of(band, GREEN, tolerance=40) > 0.5, band.reshape(-1, 3).mean(0)


def test_theme_switcher_rerenders_with_the_other_palette(page, server):
    before = _src(page, "square")
    ours = page.eval_on_selector("#theme-select", "s => s.value")
    assert ours.endswith("ours.yaml")
    page.select_option("#theme-select", "health-blue")
    _wait_src_change(page, "square", before)
    band = _frame_pixels(page, "square")[:10]
    assert _share_of(band, (0x0B, 0x53, 0x94), tolerance=40) > 0.5, band.reshape(-1, 3).mean(0)
    page.select_option("#theme-select", ours)
    page.wait_for_function(f"() => document.querySelector('.card[data-size=square] img')"
                           f".getAttribute('src') === {json.dumps(before)}", timeout=WAIT_MS)


def test_exact_pixels_shows_the_raster_writers_png(page):
    page.check("#exact-toggle")
    page.wait_for_function("""() => [...document.querySelectorAll('.card .frame img')].every(
        i => i.getAttribute('src').includes('.png?') && i.complete && i.naturalWidth > 0)""",
                           timeout=60000)
    natural = page.evaluate("""() => Object.fromEntries([...document.querySelectorAll('.card')].map(
        c => [c.dataset.size, [c.querySelector('img').naturalWidth, c.querySelector('img').naturalHeight]]))""")
    assert natural["square"] == [1080, 1080] and natural["story"] == [1080, 1920]
    assert max(natural["a4"]) == 1920  # print sizes at screen resolution, not 2480×3508
    band = _frame_pixels(page, "square")[:10]
    assert _share_of(band, (0xA5, 0x12, 0x1B), tolerance=60) > 0.5
    page.uncheck("#exact-toggle")


def test_download_buttons_give_real_files(page, server):
    with page.expect_download(timeout=60000) as info:
        page.click('.card[data-size="square"] button[data-format="png"]')
    image = Image.open(info.value.path())
    assert image.format == "PNG" and image.size == (1080, 1080)
    for ext, magic in (("pdf", b"%PDF"), ("svg", b"<?xml"), ("jpg", b"\xff\xd8\xff"),
                       ("webp", b"RIFF")):
        status, body, headers = _get(server, f"download/{SLUG}/landscape.{ext}")
        assert status == 200 and body.startswith(magic), (ext, status, body[:80])
        assert f"{SLUG}-landscape.{ext}" in headers.get("Content-Disposition", "")


def test_every_bundled_layout_page_builds_its_form_from_the_manifest(browser):
    from infographic.preview import PreviewServer, build_project

    project = build_project([])
    preview = PreviewServer(project, port=0, workers=1)
    preview.start()
    tab = browser.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        for slug, entry in project.layouts.items():
            tab.goto(preview.address(f"layout/{slug}"))
            fields = tab.eval_on_selector_all("#data-form .field", "els => els.map(e => e.dataset.field)")
            assert fields == list(entry.spec.fields), slug
            assert tab.locator(".card").count() == len(entry.spec.sizes), slug
    finally:
        tab.close()
        preview.stop()
    assert not errors, errors


def test_paper_sizes_show_print_guides_and_download_the_print_pdf(page, workspace, layout_copy,
                                                                  tmp_path):
    from pypdf import PdfReader

    from infographic.print.guides import BLEED_COLOUR, SAFE_COLOUR, TRIM_COLOUR

    def rgb(hex_colour: str) -> tuple[int, int, int]:
        return tuple(int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))  # type: ignore[return-value]

    page.check("#guides-toggle")
    for size in ("a4", "a3"):
        page.wait_for_function("""(size) => {
            const img = document.querySelector(`.card[data-size="${size}"] .frame img`);
            return img.getAttribute('src').includes('guides=1') && img.complete && img.naturalWidth > 0;
        }""", arg=size, timeout=WAIT_MS)
        pixels = _frame_pixels(page, size)
        for colour in (BLEED_COLOUR, TRIM_COLOUR, SAFE_COLOUR):  # all three guides are drawn
            assert _share_of(pixels, rgb(colour), tolerance=40) > 0.002, (size, colour)
        # the trim guide runs along the frame's top edge, one bleed (3 of 303 mm) down
        height = pixels.shape[0]
        row = round(height * 3 / 303)
        band = pixels[max(0, row - 2):row + 3, pixels.shape[1] // 4: 3 * pixels.shape[1] // 4]
        assert _share_of(band, rgb(TRIM_COLOUR), tolerance=60) >= 0.15  # a line 1 px of 5
    page.uncheck("#guides-toggle")
    page.wait_for_function("""() => !document.querySelector('.card[data-size="a4"] .frame img')
        .getAttribute('src').includes('guides=1')""", timeout=WAIT_MS)
    _wait_all_images(page)
    assert _share_of(_frame_pixels(page, "a4"), rgb(TRIM_COLOUR), tolerance=40) < 0.0005
    # screen sizes have no print PDF button; paper sizes download what `infographic print` writes
    assert page.locator('.card[data-size="square"] button[data-format="print-pdf"]').count() == 0
    with page.expect_download(timeout=60000) as info:
        page.click('.card[data-size="a4"] button[data-format="print-pdf"]')
    assert info.value.suggested_filename == f"{SLUG}-a4-print.pdf"
    downloaded = PdfReader(info.value.path())
    cli = tmp_path / "cli.pdf"
    done = subprocess.run(["infographic", "print", str(layout_copy),
                           "--data", str(workspace / "data" / "ward-7.yaml"),
                           "--theme", str(workspace / "themes" / "ours.yaml"), "-o", str(cli)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    expected = PdfReader(cli)
    for box in ("mediabox", "trimbox", "bleedbox"):
        assert [float(v) for v in getattr(downloaded.pages[0], box)] == \
            pytest.approx([float(v) for v in getattr(expected.pages[0], box)], abs=0.01)
    assert downloaded.pages[0].get_contents().get_data() == \
        expected.pages[0].get_contents().get_data()  # the same drawing, operator for operator
