"""Issue 18, render-time attacks: hostile SVG and image content reaching cairo, Pillow, Ghostscript.

Each attack runs in a child Python under a 4 GB address-space cap and a timeout, as the attack
itself was run. The child records every process it is asked to start (an audit hook on
``subprocess.Popen``, ``os.posix_spawn``, ``os.exec``, ``os.spawn``, ``os.system``, ``os.fork``)
and its peak memory, and reports how the render ended: an image, a typed ``InfographicError``, or
something else (an untyped exception is a failure of the library, not of the input).
"""

from __future__ import annotations

import base64
import json
import os
import resource
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

CHILD_TIMEOUT_S = 120
ADDRESS_SPACE_CAP = 4_000_000 * 1024  # ulimit -v 4000000, as in the issue
PEAK_LIMIT_MB = 1024

#: Runs in the child: installs the audit hook after the imports (importing cairocffi runs
#: ``ldconfig -p`` once), runs the attack, prints one JSON line.
_HARNESS = textwrap.dedent('''
    import json, os, resource, sys, traceback
    import infographic, infographic.print.pdf, infographic.print.cmyk
    from infographic.errors import InfographicError

    SPAWNS = ("subprocess.Popen", "os.posix_spawn", "os.exec", "os.spawn", "os.system",
              "os.fork", "os.forkpty", "pty.spawn")
    events = []

    def ours(args):
        """Ghostscript on the RGB PDF we wrote ourselves (CMYK conversion), with -dSAFER."""
        argv = [str(a) for a in (args[1] if len(args) > 1 and args[1] else [])]
        return (bool(argv) and os.path.basename(argv[0]) in ("gs", "gsc") and "-dSAFER" in argv
                and argv[-1].endswith("/rgb.pdf")
                and os.path.basename(os.path.dirname(argv[-1])).startswith("infographic-cmyk-"))

    def hook(event, args):
        if event in SPAWNS:
            allowed = event == "subprocess.Popen" and ours(args)
            events.append({"event": event, "args": repr(args)[:300], "ours": allowed})
            if not allowed:  # stop it here: a looping PostScript would never return
                raise PermissionError("blocked by the test's audit hook: " + event)

    sys.addaudithook(hook)
    result = {}
    try:
        exec(compile(sys.argv[1], "<attack>", "exec"), {"infographic": infographic,
                                                         "out": sys.argv[2]})
        result["outcome"] = "ok"
    except InfographicError as exc:
        result.update(outcome="typed", type=type(exc).__name__, message=str(exc),
                      layout=exc.layout, field=exc.field)
    except BaseException as exc:
        result.update(outcome="untyped", type=type(exc).__name__, message=str(exc)[:500],
                      traceback=traceback.format_exc()[-3000:])
    result["events"] = events
    result["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print("RESULT " + json.dumps(result))
''')


def _cap_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE_CAP, ADDRESS_SPACE_CAP))


def run_attack(code: str, out: Path) -> dict:
    """Run ``code`` (with ``infographic`` and ``out`` bound) in a capped child; its report."""
    try:
        done = subprocess.run([sys.executable, "-c", _HARNESS, textwrap.dedent(code), str(out)],
                              capture_output=True, text=True, timeout=CHILD_TIMEOUT_S,
                              preexec_fn=_cap_memory, cwd=out)
    except subprocess.TimeoutExpired:
        pytest.fail(f"the attack was still running after {CHILD_TIMEOUT_S} s")
    lines = [line for line in done.stdout.splitlines() if line.startswith("RESULT ")]
    assert lines, f"the child died (exit {done.returncode}): {done.stderr[-2000:]}"
    result = json.loads(lines[-1][len("RESULT "):])
    assert result["outcome"] != "untyped", result.get("traceback")
    assert result["peak_mb"] < PEAK_LIMIT_MB, result
    return result


def has_red(path: Path) -> bool:
    pixels = np.asarray(Image.open(path).convert("RGB"), dtype=np.int16)
    return bool(((pixels[..., 0] > 200) & (pixels[..., 1] < 60) & (pixels[..., 2] < 60)).any())


def make_layout(folder: Path, body: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "layout.yaml").write_text(
        f"name: {folder.name}\ntitle: Test\nfields:\n  title: {{type: text, sample: x}}\n"
        "slots:\n  title: {size: 30, min_size: 10, overflow: truncate}\n", encoding="utf-8")
    (folder / "template.svg.j2").write_text(body, encoding="utf-8")
    return folder


# --- item 1: PostScript from a data file or a layout never reaches Ghostscript --------------------

#: An EPS that paints its box red, then loops forever (``{ } loop``): Pillow's EPS decoder would
#: hand it to ``gs``, which would never return.
LOOPING_EPS = (b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 100 100\n"
               b"1 0 0 setrgbcolor 0 0 100 100 rectfill\n{ } loop\nshowpage\n%%EOF\n")
EPS_URI = "data:image/x-eps;base64," + base64.b64encode(LOOPING_EPS).decode()


def test_an_svg_logo_in_the_data_holding_postscript_starts_no_process(tmp_path):
    """The photo-card data file names ``logo.svg``, whose SVG embeds a looping EPS."""
    (tmp_path / "logo.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100" width="100" '
        f'height="100"><image width="100" height="100" href="{EPS_URI}"/></svg>',
        encoding="utf-8")
    result = run_attack("""
        data = {"title": "Tiêm vắc xin đủ mũi", "sender": "Trạm Y tế phường Phúc Xá",
                "logo": "logo.svg", "photo": ""}
        for size in ("square", "a4"):
            art = infographic.render("photo-card", data, size=size, assets=[out])
            art.save(f"{out}/card-{size}.png")
            art.save(f"{out}/card-{size}.pdf")
        infographic.print.pdf.save_print_pdf([art], f"{out}/print.pdf")
        infographic.print.cmyk.cmyk_tiff(art)
        """, tmp_path)
    assert result["outcome"] == "ok"
    assert result["events"] == []
    assert not has_red(tmp_path / "card-square.png")  # the PostScript was never drawn
    assert (tmp_path / "card-a4.pdf").read_bytes().startswith(b"%PDF")


def test_postscript_in_a_layout_starts_no_process(tmp_path):
    """``<image href="x.eps">``, an EPS data: URI, and EPS bytes labelled as JPEG (the PDF
    writer's JPEG pass-through), drawn as PNG, PDF, print PDF and CMYK; ``image()`` of the EPS
    is a typed error naming the layout."""
    folder = make_layout(tmp_path / "evil", (
        '<rect width="200" height="200" fill="#fff"/>'
        '<image href="x.eps" width="100" height="100"/>'
        f'<image x="100" href="{EPS_URI}" width="100" height="100"/>'
        '<image y="100" preserveAspectRatio="none" width="100" height="100" '
        f'href="data:image/jpeg;base64,{base64.b64encode(LOOPING_EPS).decode()}"/>'))
    (folder / "x.eps").write_bytes(LOOPING_EPS)
    make_layout(tmp_path / "evil-image", '{{ image("x.eps", 0, 0, 100, 100) }}')
    (tmp_path / "evil-image" / "x.eps").write_bytes(LOOPING_EPS)
    result = run_attack("""
        art = infographic.render(f"{out}/evil", {"title": "x"}, size="200x200")
        for fmt in ("png", "jpeg", "webp", "pdf"):
            art.save(f"{out}/evil.{fmt}")
        a4 = infographic.render(f"{out}/evil", {"title": "x"}, size="a4")
        infographic.print.pdf.save_print_pdf([a4], f"{out}/print.pdf")
        infographic.print.cmyk.cmyk_tiff(a4)
        infographic.print.cmyk.cmyk_pdf([a4])   # Ghostscript, on the PDF we wrote
        infographic.render(f"{out}/evil-image", {"title": "x"}, size="200x200")
        """, tmp_path)
    assert result["outcome"] == "typed" and result["layout"] == "evil-image", result
    assert "x.eps" in result["message"] and "PNG, JPEG" in result["message"]
    assert [e for e in result["events"] if not e["ours"]] == []
    assert len(result["events"]) == 1  # the CMYK conversion, and only that
    assert not has_red(tmp_path / "evil.png")
