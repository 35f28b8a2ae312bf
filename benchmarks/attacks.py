"""Issue 18's attacks, replayed as a user would meet them: real CLI processes, capped and timed.

Each attack of items 1–13 is built from the issue's description in a temporary folder (hostile
data files, layouts, SVG logos, batches, a preview server poked over HTTP) and run as
``python -m infographic …`` under a 4 GB address-space cap (``RLIMIT_AS``, inherited by every
process the command starts) and a 120 s timeout per command, as the attack was run. A small
wrapper process runs the attack's commands; its ``RUSAGE_CHILDREN`` peak is the largest resident
set any process of the command's tree reached (batch and preview workers included), and this
script also polls ``/proc`` for the tree's summed resident memory and for any Ghostscript.

    python benchmarks/attacks.py            # every attack, a table, exit 1 unless all are ok
    python benchmarks/attacks.py eps tile   # only attacks whose name contains a word

Verdicts: ok, hang (a command ran past 120 s), traceback, untyped (an "unexpected" error or an
internal error in a report), over 1 GB (one process), no report (a batch without
batch-report.json), ghostscript (gs started), exit N (an exit code the attack should not have),
or what a check of the outputs found (a secret copied, an output rendered twice, …).
"""

from __future__ import annotations

import http.client
import json
import os
import re
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))  # the hostile inputs, as the security tests build them

from hostile import (ADDRESS_SPACE_CAP, EPS_URI, LOOPING_EPS, MILLION, SLOW_PRELUDE,  # noqa: E402
                     SLOW_WARD, attack_layout, laughs, tile_svg, ward_layout, wards_csv)

COMMAND_TIMEOUT_S = 120
PROCESS_LIMIT_MB = 1024
MB = 1024 * 1024
#: What the CLI prints for an error that is not an InfographicError, what a batch report says for
#: one, and a Python exception printed on a line of its own. (A typed error may quote the library
#: exception it wraps, "cannot be drawn (TypeError: …)": that is not an untyped error.)
UNTYPED = re.compile(r"error: unexpected |internal error|^\w*(Error|Exception)\b", re.MULTILINE)


# --- what an attack is ---------------------------------------------------------------------------

@dataclass
class Attack:
    """One attack: its commands (each a list of CLI argument lists run at the same time, or a
    preview scenario), the exit codes each may end with, and a check of what it left behind."""

    name: str
    item: int
    steps: list[dict]
    exits: set[int] = field(default_factory=lambda: {1})
    reports: list[Path] = field(default_factory=list)
    check: Callable[[], str | None] | None = None
    says: str = ""  # what the commands' output must contain (the field or element blamed)


def cli(*args: object) -> dict:
    return {"kind": "cli", "runs": [[str(a) for a in args]]}


def together(*runs: list[object]) -> dict:
    return {"kind": "cli", "runs": [[str(a) for a in run] for run in runs]}


def preview(folder: Path, scenario: str, *extra: object, stop: str = "SIGINT") -> dict:
    return {"kind": "preview", "args": ["preview", str(folder), "--port", "0",
                                        *map(str, extra)], "scenario": scenario, "stop": stop}


# --- hostile inputs, from the descriptions ------------------------------------------------

SVG = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100" width="100" height="100">'
SECRET = "sk-live-4242424242"
WARD = "Trạm Y tế phường Phúc Xá"


def write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def report_of(out: Path, name: str = "batch-report.json") -> dict:
    return json.loads((out / name).read_text(encoding="utf-8"))


def statuses(out: Path, name: str = "batch-report.json") -> dict[int, str]:
    return {o["row"]: o["status"] for o in report_of(out, name)["outcomes"]}


def expect(condition: bool, problem: str) -> str | None:
    return None if condition else problem


def build(root: Path, only: list[str]) -> list[Attack]:
    """Every attack, its files written under ``root``."""
    attacks: list[Attack] = []

    def add(attack: Attack) -> None:
        if not only or any(word in attack.name for word in only):
            attacks.append(attack)

    photo = {"title": "Tiêm vắc xin đủ mũi", "sender": WARD, "photo": ""}

    # 1. PostScript from a data file (an SVG logo holding a looping EPS) and from a layout.
    d = root / "eps-data"
    write(d / "logo.svg", f'{SVG}<image width="100" height="100" href="{EPS_URI}"/></svg>')
    write(d / "card.json", json.dumps({**photo, "logo": "logo.svg"}, ensure_ascii=False))
    add(Attack("eps-logo-in-data", 1, [cli("render", "photo-card", "--data", d / "card.json",
                                           "--assets", d, "-o", d / "card.png")]))
    d = root / "eps-layout"
    attack_layout(d / "evil", '<image href="x.eps" width="100" height="100"/>')
    write(d / "evil" / "x.eps", LOOPING_EPS)
    add(Attack("eps-layout-image", 1, [cli("render", d / "evil", "--size", "a4",
                                           "-o", d / "evil.pdf")]))

    # 2. One row must not hang a --jobs 2 batch: the EPS logo, <circle r="1e40">, a runaway row.
    d = root / "batch-rows"
    ward_layout(d / "card")
    write(d / "eps.svg", f'{SVG}<image width="100" height="100" href="{EPS_URI}"/></svg>')
    write(d / "circle.svg", f'{SVG}<circle cx="50" cy="50" r="1e40" fill="red"/></svg>')
    write(d / "wards.csv", "ward,logo\nPhường Bến Nghé,\nPhường Đa Kao,eps.svg\n"
                           "Phường Tân Định,circle.svg\nPhường Võ Thị Sáu,\n")
    add(Attack("batch-eps-and-huge-circle-logos", 2,
               [cli("batch", d / "card", d / "wards.csv", "-o", d / "out", "--size", "400x400",
                    "--jobs", "2", "--name", "{row}", "-q")], {3}, [d / "out"],
               lambda d=d: expect(statuses(d / "out") == {2: "rendered", 3: "failed",
                                                          4: "failed", 5: "rendered"}
                                  and (d / "out" / "index.html").is_file(),
                                  f"outcomes {statuses(d / 'out')}")))
    d = root / "batch-deadline"
    ward_layout(d / "card", SLOW_PRELUDE)
    write(d / "wards.csv", f"ward\nPhường Bến Nghé\n{SLOW_WARD}\nPhường Đa Kao\n")
    add(Attack("batch-row-past-its-deadline", 2,
               [cli("batch", d / "card", d / "wards.csv", "-o", d / "out", "--size", "400x400",
                    "--jobs", "2", "--timeout", "10", "--name", "{row}", "-q")], {3}, [d / "out"],
               lambda d=d: expect(statuses(d / "out") == {2: "rendered", 3: "failed",
                                                          4: "rendered"},
                                  f"outcomes {statuses(d / 'out')}")))

    # 3. Pattern and mask tiles: a 350-byte logo in the data, 60000² and 30000² in a layout.
    d = root / "tile-data"
    write(d / "logo.svg", tile_svg("pattern", 20_000, 20_000))
    write(d / "card.json", json.dumps({**photo, "logo": "logo.svg"}, ensure_ascii=False))
    add(Attack("tile-20000-logo-in-data", 3, [cli("render", "photo-card", "--data",
                                                  d / "card.json", "--assets", d,
                                                  "-o", d / "card.png")]))
    for kind, side, fmt in (("pattern", 60_000, "png"), ("mask", 30_000, "pdf")):
        d = root / f"tile-{kind}"
        svg = tile_svg(kind, side, 1080)
        attack_layout(d / "tiles", svg[svg.index(">") + 1:-len("</svg>")])
        add(Attack(f"tile-{kind}-{side}-layout", 3, [cli("render", d / "tiles",
                                                         "-o", d / f"tiles.{fmt}")]))

    # 4. YAML billion laughs through a date or number field: render, batch and preview.
    d = root / "laughs"
    ward_layout(d / "card")
    write(d / "one.yaml", f"ward: Phường Bến Nghé\ndate:\n{laughs()}\n")
    write(d / "wards.yaml", "- ward: Phường Bến Nghé\n  date: 2021-09-13\n"
                            f"- ward: Phường Đa Kao\n  cases:\n{laughs(indent='    ')}\n")
    add(Attack("laughs-render", 4, [cli("render", d / "card", "--data", d / "one.yaml",
                                        "--size", "400x400", "-o", d / "one.png")]))
    add(Attack("laughs-batch", 4, [cli("batch", d / "card", d / "wards.yaml", "-o", d / "out",
                                       "--size", "400x400", "--jobs", "2", "-q")],
               {1}, [d / "out"]))
    add(Attack("laughs-preview", 4, [preview(d / "card", "refused", "--data", d / "one.yaml",
                                             stop="SIGTERM")], {0, -15, 143}))

    # 5. One long C call: 10**1000 raised twice, <circle r="1e40"> as PNG and as PDF.
    d = root / "long-call"
    attack_layout(d / "power", f"{SVG}{{% set a = 10**1000 %}}{{% set b = a**1000 %}}"
                               "{% set c = b**1000 %}{{ c }}</svg>")
    add(Attack("power-chain-template", 5, [cli("render", d / "power", "-o", d / "p.png")]))
    attack_layout(d / "circle", '<circle cx="50" cy="50" r="1e40" fill="red"/>')
    for fmt in ("png", "pdf"):
        add(Attack(f"circle-1e40-{fmt}", 5, [cli("render", d / "circle",
                                                 "-o", d / f"circle.{fmt}")]))

    # 6. Template memory: ~ + join replace, a slot of a billion px, an alt_text bomb.
    d = root / "memory"
    bombs = {"tilde": "{% for i in range(12) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s }}",
             "plus": "{% for i in range(12) %}{% set ns.s = ns.s + ns.s %}{% endfor %}{{ ns.s }}",
             "join": "{{ [ns.s, ns.s, ns.s, ns.s] | join(ns.s) }}",
             "replace": "{{ ns.s | replace('x', ns.s) }}"}
    for name, bomb in bombs.items():
        attack_layout(d / name, f"{SVG}{MILLION}<text>{bomb}</text></svg>")
        add(Attack(f"template-{name}-bomb", 6, [cli("render", d / name, "-o", d / f"{name}.png")]))
    attack_layout(d / "slot", f'{SVG}{{{{ text("title", title, 0, 0, 100, 100) }}}}</svg>',
                  slot="{size: 1000000000, min_size: 0.5}")
    add(Attack("slot-size-1e9-step-0.5", 6, [cli("render", d / "slot", "-o", d / "slot.png")]))
    alt = MILLION + "{% for i in range(12) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s }}"
    attack_layout(d / "alt", f"{SVG}</svg>",
                  manifest_extra=f"alt_text: {json.dumps(alt)}\n")
    add(Attack("alt-text-bomb", 6, [cli("render", d / "alt", "--alt-text",
                                        "-o", d / "alt.png")]))

    # 7. One bad row: 400 and 5,000-digit integers, 100,000 nested [, a 270-byte emoji name.
    d = root / "rows"
    ward_layout(d / "card")
    good = [json.dumps({"ward": w, "date": "2021-09-13", "cases": 120}, ensure_ascii=False)
            for w in ("Phường Bến Nghé", "Phường Đa Kao")]
    for digits, suffix in ((400, "json"), (5000, "yaml"), (5000, "jsonl")):
        bad = '{"ward": "Phường Võ Thị Sáu", "cases": ' + "9" * digits + "}"
        rows = [good[0], bad, good[1]]
        text = {"json": "[" + ", ".join(rows) + "]", "jsonl": "".join(r + "\n" for r in rows),
                "yaml": "".join(f"- {r}\n" for r in rows)}[suffix]
        data = write(d / f"int{digits}.{suffix}", text)
        out = d / f"out-int{digits}-{suffix}"
        add(Attack(f"batch-{digits}-digit-int-{suffix}", 7,
                   [cli("batch", d / "card", data, "-o", out, "--size", "400x400", "--jobs", "2",
                        "-q")], {3}, [out],
                   lambda out=out: expect(statuses(out) == {1: "rendered", 2: "failed",
                                                            3: "rendered"},
                                          f"outcomes {statuses(out)}")))
    data = write(d / "nested.jsonl", good[0] + "\n" + '{"ward": ' + "[" * 100_000
                 + "]" * 100_000 + "}\n" + good[1] + "\n")
    add(Attack("batch-100000-nested-jsonl", 7,
               [cli("batch", d / "card", data, "-o", d / "out-nested", "--size", "400x400",
                    "--jobs", "2", "-q")], {3}, [d / "out-nested"]))
    data = write(d / "emoji.csv", f"ward,label\nPhường Bến Nghé,{'🦠' * 68}\n")
    emoji = ("batch", d / "card", data, "-o", d / "out-emoji", "--size", "400x400",
             "--name", "{label}", "--jobs", "1", "-q")
    add(Attack("batch-270-byte-emoji-name-twice", 7, [cli(*emoji), cli(*emoji)], {0},
               [d / "out-emoji"],
               lambda d=d: expect(set(statuses(d / "out-emoji").values()) == {"unchanged"},
                                  f"rerun {statuses(d / 'out-emoji')}")))

    # 8. Special files in a preview layout folder: a FIFO, zero -> /dev/zero, a PNG from urandom.
    d = root / "special" / "notice"
    shutil.copytree(ROOT / "layouts" / "announcement", d)
    os.mkfifo(d / "notes.fifo")
    (d / "zero").symlink_to("/dev/zero")
    (d / "photo.png").symlink_to("/dev/urandom")
    add(Attack("preview-fifo-and-dev-zero", 8, [preview(d, "rendered")], {0}))

    # 9. A hostile local process or web page against the preview API.
    d = root / "api" / "notice"
    shutil.copytree(ROOT / "layouts" / "announcement", d)
    write(root / "api" / "home" / "config.yaml", f"api_key: {SECRET}\n  broken: [\n")
    add(Attack("preview-api-hostile-client", 9, [preview(d, "api", "--theme", "health-blue")],
               {0}))

    # 10. Batch _theme/_layout columns naming files elsewhere; a malformed theme's line.
    d = root / "columns"
    write(d / "home" / "config.yaml", f"primary: '#d32f2f'\napi_key: {SECRET}: x\n")
    ward_layout(d / "home" / "card")
    ward_layout(d / "wards" / "card")
    write(d / "wards" / "ward-theme.yaml", f"name: ward\nprimary: '#c62828'\nsecret: {SECRET}: y\n")
    write(d / "wards" / "rows.csv", "ward,_theme,_layout\n"
          f"Phường 1,{d / 'home' / 'config.yaml'},\nPhường 2,../home/config.yaml,\n"
          f"Phường 3,,{d / 'home' / 'card'}\nPhường 4,/etc/passwd,\nPhường 5,ward-theme.yaml,\n"
          "Phường 6,official-red,\n")
    out = d / "out"
    add(Attack("batch-theme-and-layout-columns", 10,
               [cli("batch", d / "wards" / "card", d / "wards" / "rows.csv", "-o", out,
                    "--size", "400x400", "--jobs", "2", "--name", "{row}", "-q")], {3}, [out],
               lambda out=out: expect(SECRET not in (out / "batch-report.json").read_text("utf-8")
                                      + (out / "index.html").read_text("utf-8")
                                      and list(statuses(out).values()).count("rendered") == 1,
                                      f"secret copied or outcomes {statuses(out)}")))

    # 11. Limit bypasses: <use href=" #id">, paths in fake glyph groups, a 42 MP image().
    d = root / "bypass"
    rects = '<rect width="1" height="1"/>' * 100
    attack_layout(d / "fanout",
                  f'<defs><g id="a">{rects}</g></defs>' + '<use href=" #a"/>' * 300)
    add(Attack("use-href-leading-space", 11, [cli("render", d / "fanout", "-o", d / "f.png")]))
    glyph = '<path transform="matrix(1 0 0 1 0 0)" d="M0 0L1 0L1 1Z"/>'
    attack_layout(d / "glyphs", '{% for i in range(201) %}<g class="text">'
                  '{% for j in range(1000) %}' + glyph + "{% endfor %}</g>{% endfor %}")
    add(Attack("fake-glyph-groups-201000-paths", 11, [cli("render", d / "glyphs",
                                                          "-o", d / "g.png")]))
    from PIL import Image
    Image.new("L", (7000, 6000)).save(d / "poster.png")
    write(d / "card.json", json.dumps({**photo, "photo": "poster.png"}, ensure_ascii=False))
    add(Attack("image-42-megapixels", 11, [cli("render", "photo-card", "--data", d / "card.json",
                                               "--assets", d, "-o", d / "poster-card.png")]))

    # 12. Untyped errors: cairosvg's, data of the wrong kind, huge numbers.
    d = root / "untyped"
    bodies = {"marker-in-other-file": '<path d="M0 0 L100 100" stroke="#000" '
                                      'marker-end="url(x.svg#m)"/>',
              "tref-to-missing-id": '<text x="10" y="50"><tref href="#missing"/></text>',
              "opacity-abc": '<rect width="100" height="100" fill="#f00" opacity="abc"/>',
              "font-size-1e309": '<text x="10" y="50" font-size="1e309">x</text>'}
    for name, body in bodies.items():
        attack_layout(d / name, body)
        add(Attack(f"svg-{name}", 12, [cli("render", d / name, "-o", d / f"{name}.png")]))
    write(d / "list.json", json.dumps(["Tiêm chủng"], ensure_ascii=False))
    add(Attack("data-is-a-list", 12, [cli("render", "announcement", "--data", d / "list.json",
                                          "-o", d / "list.png")]))
    from infographic.datafile import default_data
    from infographic.layout.manifest import load_layout
    example = json.dumps(default_data(load_layout("announcement")), ensure_ascii=False,
                         default=str)
    write(d / "title.json", example[:-1] + ', "title": ' + "9" * 5000 + "}")  # the last wins
    add(Attack("title-5000-digits", 12, [cli("render", "announcement", "--data",
                                             d / "title.json", "-o", d / "title.png")],
               says="field 'title'"))
    add(Attack("cases-1e308", 12, [cli("render", "key-statistics", "--set", "cases=1e308",
                                       "-o", d / "cases.png")], says="field 'cases'"))

    # 13. Batch leftovers: the whole file and --shard 1/2 at once; a deleted row; a thumbnail.
    d = root / "leftovers"
    ward_layout(d / "card")
    data = wards_csv(d / "wards.csv", 24)
    common = ["batch", d / "card", data, "-o", d / "out", "--size", "200x200", "--jobs", "1",
              "--name", "{row}", "-q"]

    def once() -> str | None:
        whole, shard = report_of(d / "out"), report_of(d / "out", "batch-report-1-of-2.json")
        rendered = [o["name"] for r in (whole, shard) for o in r["outcomes"]
                    if o["status"] == "rendered"]
        return expect(sorted(rendered) == sorted(set(rendered)) and len(rendered) == 24,
                      f"{len(rendered)} renders, {len(set(rendered))} distinct (want 24)")
    add(Attack("batch-whole-and-shard-at-once", 13, [together(common, common + ["--shard", "1/2"])],
               {0}, [d / "out"], once))
    e = root / "leftovers-rerun"
    ward_layout(e / "card")
    wards_csv(e / "wards.csv", 3)
    rerun = ["batch", e / "card", e / "wards.csv", "-o", e / "out", "--size", "200x200",
             "--jobs", "1", "--name", "{row}", "-q"]
    shrink = ["-c", f"import pathlib; p = pathlib.Path({str(e / 'wards.csv')!r}); "
                    "p.write_text(''.join(p.read_text('utf-8').splitlines(True)[:3]), 'utf-8'); "
                    f"pathlib.Path({str(e / 'out' / '_review' / 'thumbs' / '2.png')!r}).unlink()"]
    add(Attack("batch-deleted-row-and-thumbnail", 13,
               [cli(*rerun), {"kind": "python", "runs": [shrink]}, cli(*rerun)], {0}, [e / "out"],
               lambda e=e: expect(report_of(e / "out")["stale_outputs"] == ["4.png"]
                                  and (e / "out" / "_review" / "thumbs" / "2.png").is_file(),
                                  f"stale {report_of(e / 'out').get('stale_outputs')}, "
                                  "thumbnail redrawn: "
                                  f"{(e / 'out' / '_review' / 'thumbs' / '2.png').is_file()}")))
    return attacks


# --- the wrapper child: runs one attack's commands, reports exits and the tree's peak -------------

def _cap() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE_CAP, ADDRESS_SPACE_CAP))


def _kill_group(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def _run_cli(runs: list[list[str]], python: bool = False) -> list[dict]:
    started = time.monotonic()
    prefix = [sys.executable] if python else [sys.executable, "-m", "infographic"]
    processes = [subprocess.Popen(prefix + run, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  text=True, start_new_session=True) for run in runs]
    results = []
    for process in processes:
        remaining = max(1.0, COMMAND_TIMEOUT_S - (time.monotonic() - started))
        try:
            out, err = process.communicate(timeout=remaining)
            hung = False
        except subprocess.TimeoutExpired:
            _kill_group(process)
            out, err = process.communicate()
            hung = True
        results.append({"exit": process.returncode, "hung": hung, "output": out + err})
    return results


def _http(port: int, token: str | None, method: str, path: str, body: bytes | None = None,
          headers: dict[str, str] | None = None, timeout: float = 60) -> tuple[int, bytes]:
    sent = {"Authorization": f"Bearer {token}"} if token else {}
    sent.update(headers or {})
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers=sent)
        response = connection.getresponse()
        streaming = response.getheader("content-type", "").startswith("text/event-stream")
        return response.status, b"" if streaming else response.read()
    except (BrokenPipeError, ConnectionResetError):
        return 0, b"connection closed"
    finally:
        connection.close()


def _wait(test: Callable[[], object], seconds: float) -> object:
    ends = time.monotonic() + seconds
    while time.monotonic() < ends:
        value = test()
        if value:
            return value
        time.sleep(0.2)
    return None


def _scenario(name: str, port: int, token: str, slug: str, folder: str) -> list[str]:
    """HTTP steps against a running preview; problems found (an empty list: as it should be)."""
    problems = []

    def state():
        status, body = _http(port, token, "GET", f"/api/layouts/{slug}", timeout=30)
        data = json.loads(body) if status == 200 else {}
        return data if data and not data["pending"] and all(s["key"] for s in data["sizes"]) \
            else None
    if name == "refused":  # the hostile data is refused, and the server still answers
        def settled():
            status, body = _http(port, token, "GET", f"/api/layouts/{slug}", timeout=30)
            data = json.loads(body) if status == 200 else {}
            return data if data and not data["pending"] else None
        data = _wait(settled, 90)
        if not data:
            problems.append("the layout never settled")
        elif not data.get("problem"):
            problems.append("the hostile data was not reported as a problem")
        elif UNTYPED.search(json.dumps(data["problem"], ensure_ascii=False)):
            problems.append(f"untyped problem: {data['problem']}")
        status, body = _http(port, token, "GET", "/api/state", timeout=30)
        if status != 200:
            problems.append(f"/api/state answered {status}")
    elif name == "rendered":
        if not _wait(state, 90):
            problems.append("the layout beside the FIFO never rendered")
    elif name == "api":
        secret = Path(folder).parent / "home" / "config.yaml"
        status, body = _http(port, token, "PUT", "/api/theme",
                             json.dumps({"theme": str(secret)}).encode(),
                             {"Content-Type": "application/json"})
        if status != 400 or SECRET.encode() in body:
            problems.append(f"theme outside: {status} {body[:120]!r}")
        # 200 MB announced, sent in chunks: refused before it is read.
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        try:
            connection.putrequest("PUT", f"/api/layouts/{slug}/data")
            for key, value in (("Authorization", f"Bearer {token}"),
                               ("Content-Type", "application/json"),
                               ("Content-Length", str(200 * MB))):
                connection.putheader(key, value)
            connection.endheaders()
            try:
                for _ in range(200):
                    connection.send(b" " * MB)
            except (BrokenPipeError, ConnectionResetError):
                pass
            status = connection.getresponse().status
        except (BrokenPipeError, ConnectionResetError, http.client.RemoteDisconnected):
            status = 413  # closed on us before we could read the answer: not accepted
        finally:
            connection.close()
        if status != 413:
            problems.append(f"200 MB PUT answered {status}")
        silent = []
        for _ in range(50):  # event streams that never read
            sock = socket.socket()
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
            sock.connect(("127.0.0.1", port))
            sock.sendall(f"GET /events HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                         f"Authorization: Bearer {token}\r\n\r\n".encode())
            silent.append(sock)
        big = json.dumps({"data": {"title": "Thong bao " * 150_000}}).encode()  # 1.5 MB
        answers = [_http(port, token, "PUT", f"/api/layouts/{slug}/data", big,
                         {"Content-Type": "application/json"})[0] for _ in range(30)]
        if set(answers) - {202, 413, 400, 429}:
            problems.append(f"30 PUTs answered {sorted(set(answers))}")
        for sock in silent:
            sock.close()
        for site in ("cross-site", "same-site"):  # an <img> on another page: no token header
            status, _ = _http(port, None, "GET", f"/download/{slug}/square.png",
                              headers={"Sec-Fetch-Site": site})
            if status != 403:
                problems.append(f"{site} download answered {status}")
        if _http(port, token, "GET", "/api/state", timeout=30)[0] != 200:
            problems.append("/api/state no longer answers")
    return problems


def _run_preview(step: dict) -> list[dict]:
    started = time.monotonic()
    child = subprocess.Popen([sys.executable, "-m", "infographic", *step["args"]],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             start_new_session=True)
    problems: list[str] = []
    first = child.stdout.readline()
    match = re.search(r"http://127\.0\.0\.1:(\d+)/\?token=([\w-]+)", first)
    if match:
        folder = step["args"][1]
        problems += _scenario(step["scenario"], int(match.group(1)), match.group(2),
                              Path(folder).name, folder)
    else:
        problems.append(f"no address printed: {first!r}")
    child.send_signal(getattr(signal, step["stop"]))
    try:
        out, err = child.communicate(timeout=max(1.0, COMMAND_TIMEOUT_S
                                                 - (time.monotonic() - started)))
        hung = False
    except subprocess.TimeoutExpired:
        _kill_group(child)
        out, err = child.communicate()
        hung = True
    return [{"exit": child.returncode, "hung": hung, "output": first + out + err,
             "problems": problems}]


def child_main(spec: str) -> None:
    results = []
    for step in json.loads(spec):
        if step["kind"] == "preview":
            results += _run_preview(step)
        else:
            results += _run_cli(step["runs"], python=step["kind"] == "python")
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print("RESULT " + json.dumps({"results": results, "peak_mb": peak_kb / 1024}))


# --- the parent: runs each attack's wrapper, watches /proc, judges --------------------------------

def _tree(root_pid: int) -> list[tuple[int, str, int]]:
    """(pid, command name, resident KB) of ``root_pid``'s descendants."""
    parents, names = {}, {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        name = stat[stat.index("(") + 1:stat.rindex(")")]
        parents[int(entry)] = int(stat[stat.rindex(")") + 2:].split()[1])
        names[int(entry)] = name
    found, frontier = [], [root_pid]
    while frontier:
        pid = frontier.pop()
        for child, parent in parents.items():
            if parent == pid:
                frontier.append(child)
                try:
                    rss = int(Path(f"/proc/{child}/statm").read_text().split()[1])
                except OSError:
                    rss = 0
                found.append((child, names[child], rss * os.sysconf("SC_PAGE_SIZE") // 1024))
    return found


def run(attack: Attack) -> dict:
    started = time.monotonic()
    wrapper = subprocess.Popen([sys.executable, __file__, "--child", json.dumps(attack.steps)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               preexec_fn=_cap, cwd=tempfile.gettempdir())
    tree_peak_kb, one_peak_kb, programs, pids = 0, 0, set(), []
    budget = COMMAND_TIMEOUT_S * len(attack.steps) + 30
    while wrapper.poll() is None and time.monotonic() - started < budget:
        tree = _tree(wrapper.pid)
        tree_peak_kb = max(tree_peak_kb, sum(rss for _, _, rss in tree))
        one_peak_kb = max([one_peak_kb] + [rss for _, _, rss in tree])
        programs |= {name for _, name, _ in tree}
        pids = [pid for pid, _, _ in tree]
        time.sleep(0.25)
    if wrapper.poll() is None:  # the wrapper's own timeouts failed: end what it started
        for pid in [wrapper.pid, *pids]:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
    out, err = wrapper.communicate()
    seconds = time.monotonic() - started
    lines = [line for line in out.splitlines() if line.startswith("RESULT ")]
    if not lines:
        return {"exit": "-", "seconds": seconds, "peak_mb": 0, "tree_mb": tree_peak_kb / 1024,
                "verdict": "hang" if wrapper.returncode in (None, -9) else "wrapper died",
                "detail": err[-500:]}
    result = json.loads(lines[-1][len("RESULT "):])
    steps = result["results"]
    text = "\n".join(s["output"] for s in steps)
    verdict, detail = "ok", ""
    bad_exit = next((s for s in steps if s["exit"] not in attack.exits), None)
    reports = "".join(p.joinpath("batch-report.json").read_text("utf-8")
                      for p in attack.reports if p.joinpath("batch-report.json").is_file())
    if any(s["hung"] for s in steps):
        verdict = "hang"
    elif "Traceback" in text:
        verdict, detail = "traceback", text[text.index("Traceback"):][:600]
    elif UNTYPED.search(text) or UNTYPED.search(reports):
        found = UNTYPED.search(text) or UNTYPED.search(reports)
        source = text if UNTYPED.search(text) else reports
        verdict, detail = "untyped", source[max(0, found.start() - 200):found.end() + 300]
    elif max(result["peak_mb"], one_peak_kb / 1024) > PROCESS_LIMIT_MB:  # polled: processes
        # nobody waited for (a preview's workers ended with it) are not in RUSAGE_CHILDREN
        verdict = "over 1 GB"
    elif any(not p.joinpath("batch-report.json").is_file() for p in attack.reports):
        verdict = "no report"
    elif any(name in ("gs", "gsc") for name in programs):
        verdict = "ghostscript"
    elif bad_exit:
        verdict, detail = f"exit {bad_exit['exit']}", bad_exit["output"][-600:]
    elif attack.says not in text:
        verdict, detail = "check", f"the output does not say {attack.says!r}: {text[-400:]}"
    elif any(s.get("problems") for s in steps):
        verdict, detail = "check", "; ".join(p for s in steps for p in s.get("problems", []))
    elif attack.check and (problem := attack.check()):
        verdict, detail = "check", problem
    if verdict == "ok":  # what the user saw, for the record
        detail = " | ".join(s["output"].strip().splitlines()[-1][:160]
                            for s in steps if s["output"].strip())
    return {"exit": ",".join(str(s["exit"]) for s in steps), "seconds": seconds,
            "peak_mb": result["peak_mb"], "tree_mb": tree_peak_kb / 1024, "verdict": verdict,
            "detail": detail}


def main(argv: list[str]) -> int:
    if argv[:1] == ["--child"]:
        child_main(argv[1])
        return 0
    verbose = "-v" in argv
    only = [a for a in argv if not a.startswith("-")]
    with tempfile.TemporaryDirectory(prefix="infographic-attacks-") as folder:
        attacks = build(Path(folder), only)
        print(f"{len(attacks)} attacks, each command under a {ADDRESS_SPACE_CAP // 1024 ** 2:,} MB "
              f"address-space cap and a {COMMAND_TIMEOUT_S} s timeout\n")
        header = f"{'item':>4}  {'attack':<34} {'exit':>7} {'seconds':>8} {'peak MB':>8} " \
                 f"{'tree MB':>8}  verdict"
        print(header)
        print("-" * len(header))
        failed = 0
        for attack in attacks:
            outcome = run(attack)
            failed += outcome["verdict"] != "ok"
            print(f"{attack.item:>4}  {attack.name:<34} {outcome['exit']:>7} "
                  f"{outcome['seconds']:>8.1f} {outcome['peak_mb']:>8.0f} "
                  f"{outcome['tree_mb']:>8.0f}  {outcome['verdict']}", flush=True)
            if outcome["verdict"] != "ok" or verbose:
                print("      " + " ".join(outcome["detail"].split())[:700], flush=True)
    print(f"\npeak MB: the largest process of the attack (RUSAGE_CHILDREN); tree MB: the "
          f"attack's processes together (polled /proc). {len(attacks) - failed} of "
          f"{len(attacks)} ok.")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
