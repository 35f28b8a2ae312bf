"""Issue 18, items 8 and 9: the live preview against a hostile layout folder and hostile local
processes or web pages.

The tests talk to a real preview server on 127.0.0.1 (a free port, in a thread, or the CLI in a
child process) over HTTP. Special files in a layout folder are hashed in a child Python under the
issue's 4 GB address-space cap (``test_security_render``'s harness): before the fix,
``zero -> /dev/zero`` read 3.8 GB and a FIFO blocked forever.
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
import threading
from pathlib import Path

import pytest

from conftest import ROOT, process_ended, wait_for
from test_security_render import run_attack

pytest.importorskip("starlette")

from infographic.preview import PreviewServer, build_project  # noqa: E402
from infographic.limits import PREVIEW_MAX_LISTENERS as MAX_LISTENERS  # noqa: E402

SLUG = "notice"
SECRET = "api_key: hunter2-do-not-show"
MB = 1024 * 1024


@pytest.fixture()
def layout(tmp_path) -> Path:
    folder = tmp_path / "layouts" / SLUG
    shutil.copytree(ROOT / "layouts" / "announcement", folder)
    return folder


@pytest.fixture()
def server(layout):
    preview = PreviewServer(build_project([str(layout)]), port=0, workers=1, watch_files=False)
    preview.start()
    yield preview
    preview.stop()


def call(server, method: str, path: str, body: bytes | None = None, *, token: bool = True,
         headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    """One request: (status, headers with lower-case names, body). An event stream's body is
    not read (it never ends)."""
    sent = {"Authorization": f"Bearer {server.token}"} if token else {}
    sent.update(headers or {})
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
    try:
        connection.request(method, path, body=body, headers=sent)
        response = connection.getresponse()
        received = {k.lower(): v for k, v in response.getheaders()}
        streaming = received.get("content-type", "").startswith("text/event-stream")
        return response.status, received, b"" if streaming else response.read()
    finally:
        connection.close()


def put_json(server, path: str, value, **options):
    return call(server, "PUT", path, json.dumps(value).encode(),
                headers={"Content-Type": "application/json", **options.pop("headers", {})},
                **options)


# --- item 9: the session token --------------------------------------------------------------------

@pytest.mark.parametrize("method, path", [
    ("GET", "/"), ("GET", f"/layout/{SLUG}"), ("GET", "/api/state"),
    ("GET", f"/api/layouts/{SLUG}"), ("GET", f"/api/layouts/{SLUG}/data.yaml"),
    ("GET", f"/download/{SLUG}/square.png"), ("GET", f"/render/{SLUG}/square.svg"),
    ("GET", "/events"), ("PUT", "/api/theme"), ("PUT", f"/api/layouts/{SLUG}/data"),
    ("DELETE", f"/api/layouts/{SLUG}/data"),
])
def test_every_route_needs_the_session_token(server, method, path):
    status, _, body = call(server, method, path, b"{}" if method == "PUT" else None, token=False)
    assert status == 403, (path, body[:200])
    status, _, _ = call(server, method, path, None, token=False,
                        headers={"Authorization": "Bearer not-the-token"})
    assert status == 403


def test_the_static_script_and_style_are_public(server):
    assert call(server, "GET", "/static/preview.js", token=False)[0] == 200


def test_the_printed_address_logs_the_browser_in_with_a_strict_cookie(server):
    address = server.address(f"layout/{SLUG}")
    assert address.startswith(f"http://127.0.0.1:{server.port}/layout/{SLUG}?token=")
    status, headers, _ = call(server, "GET", address.split(str(server.port), 1)[1], token=False)
    assert status == 303 and headers["location"] == f"/layout/{SLUG}"  # the token leaves the bar
    cookie = headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie.replace("Strict", "strict")
    jar = {"Cookie": cookie.split(";", 1)[0]}
    page = call(server, "GET", f"/layout/{SLUG}", token=False,
                headers={**jar, "Sec-Fetch-Site": "none"})
    assert page[0] == 200 and server.token.encode() in page[2]  # for the page's script
    assert call(server, "GET", "/api/state", token=False,
                headers={**jar, "Sec-Fetch-Site": "same-origin"})[0] == 200
    # The cookie alone never makes a change: the page's script must send the header.
    assert put_json(server, "/api/theme", {"theme": "calm-green"}, token=False,
                    headers={**jar, "Sec-Fetch-Site": "same-origin"})[0] == 403


@pytest.mark.parametrize("site", ["cross-site", "same-site"])
def test_another_page_cannot_trigger_a_render_with_the_cookie(server, site):
    """An <img src="http://127.0.0.1:PORT/download/…"> on any other page (``same-site``: one
    served from another port of 127.0.0.1) carries the cookie but is refused before rendering."""
    jar = {"Cookie": f"infographic-preview-{server.port}={server.token}"}
    for path in (f"/download/{SLUG}/a4.pdf", f"/render/{SLUG}/square.png?k=x", "/api/state"):
        status, _, body = call(server, "GET", path, token=False,
                               headers={**jar, "Sec-Fetch-Site": site})
        assert status == 403 and b"another site" in body, (path, body[:200])


def test_a_change_from_another_origin_is_refused_even_with_the_token(server):
    status, _, _ = put_json(server, "/api/theme", {"theme": "calm-green"},
                            headers={"Origin": "http://evil.example"})
    assert status == 403
    status, _, body = put_json(server, "/api/theme", {"theme": "calm-green"},
                               headers={"Origin": f"http://127.0.0.1:{server.port}"})
    assert status == 200 and json.loads(body)["ok"]


# --- item 9: requests and streams are bounded -------------------------------------------------------

def test_a_large_data_put_is_refused_before_it_is_read(server):
    huge = json.dumps({"data": {"title": "x" * (3 * MB)}}).encode()
    status, _, body = call(server, "PUT", f"/api/layouts/{SLUG}/data", huge,
                           headers={"Content-Type": "application/json"})
    assert status == 413 and b"larger than 2 MB" in body


def test_a_large_chunked_body_without_a_length_is_refused(server):
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
    chunks = (b"x" * 65536 for _ in range(64))  # 4 MB, no Content-Length
    connection.request("PUT", f"/api/layouts/{SLUG}/data", body=chunks, encode_chunked=True,
                       headers={"Authorization": f"Bearer {server.token}"})
    response = connection.getresponse()
    assert response.status == 413
    connection.close()


def test_deeply_nested_json_is_a_clear_400(server):
    status, _, body = call(server, "PUT", f"/api/layouts/{SLUG}/data",
                           b'{"data": ' + b"[" * 200_000 + b"]" * 200_000 + b"}")
    assert status == 400 and b"nested" in body


def _silent_stream(server) -> socket.socket:
    """An event stream whose reader never reads (a tiny receive buffer fills at once)."""
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.connect(("127.0.0.1", server.port))
    sock.sendall(f"GET /events HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                 f"Authorization: Bearer {server.token}\r\n\r\n".encode())
    return sock


@pytest.mark.slow  # 32 connections and 12 MB of updates
def test_streams_that_never_read_are_capped_and_dropped(server):
    """50 event streams that never read plus 30 PUTs of 5 MB grew the server to 2.9 GB."""
    events = server.live.events
    silent = []
    try:
        for _ in range(MAX_LISTENERS):
            silent.append(_silent_stream(server))
        wait_for(lambda: events.listeners == MAX_LISTENERS, "every stream to be registered")
        assert call(server, "GET", "/events")[0] == 503  # one too many
        big = {"data": {"title": "Thong bao " * 150_000}}  # 1.5 MB: under the body limit
        for _ in range(8):
            assert put_json(server, f"/api/layouts/{SLUG}/data", big)[0] == 202
        wait_for(lambda: events.listeners == 0, "the silent streams to be dropped")
    finally:
        for sock in silent:
            sock.close()
    # Their connections end; a page that reads gets its stream again.
    wait_for(lambda: events._open == 0, "the dropped streams to end")
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
    connection.request("GET", "/events", headers={"Authorization": f"Bearer {server.token}"})
    response = connection.getresponse()
    hello = b"retry: 1000\nevent: hello\ndata: {}\n\n"
    assert response.status == 200 and response.read(len(hello)) == hello
    connection.close()
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss < 1024 * 1024  # KB: under 1 GB


# --- item 9: themes and error messages ----------------------------------------------------------

def test_a_theme_path_outside_the_preview_is_refused_without_reading_it(server, tmp_path):
    secret = tmp_path / "elsewhere" / "config.yaml"
    secret.parent.mkdir()
    secret.write_text(f"{SECRET}\n  broken: [\n", encoding="utf-8")
    status, _, body = put_json(server, "/api/theme", {"theme": str(secret)})
    assert status == 400 and b"hunter2" not in body
    assert b"bundled theme" in body and b"layout or data folder" in body
    assert put_json(server, "/api/theme", {"theme": "/etc/passwd"})[0] == 400
    assert put_json(server, "/api/theme", {"theme": "calm-green"})[0] == 200


def test_a_theme_in_the_layout_folder_is_allowed_and_its_errors_quote_nothing(server, layout):
    good = layout / "ours.yaml"
    shutil.copy(ROOT / "infographic" / "themes" / "official-red.yaml", good)
    status, _, body = put_json(server, "/api/theme", {"theme": str(good)})
    assert status == 200, body
    broken = layout / "broken.yaml"
    broken.write_text(f"{SECRET}\n  broken: [\n", encoding="utf-8")
    status, _, body = put_json(server, "/api/theme", {"theme": str(broken)})
    assert status == 400 and b"hunter2" not in body and b"line" in body


def test_a_manifest_symlinked_elsewhere_is_never_quoted(tmp_path):
    secret = tmp_path / "private" / "settings.yaml"
    secret.parent.mkdir()
    secret.write_text(f"name: x\n{SECRET}\nfields: [\n", encoding="utf-8")
    folder = tmp_path / "layouts" / "linked"
    shutil.copytree(ROOT / "layouts" / "announcement", folder)
    (folder / "layout.yaml").unlink()
    (folder / "layout.yaml").symlink_to(secret)
    preview = PreviewServer(build_project([str(folder)]), port=0, workers=1, watch_files=False)
    preview.start()
    try:
        state = wait_for(lambda: (s := json.loads(call(preview, "GET", "/api/layouts/linked")[2]))
                         ["problem"] and s, "the manifest error")
    finally:
        preview.stop()
    assert state["problem"]["excerpt"] == []
    assert "hunter2" not in json.dumps(state)


# --- item 8: special files in a layout folder -------------------------------------------------------

def test_special_files_in_a_layout_folder_are_hashed_by_name_only(tmp_path, layout):
    os.mkfifo(layout / "pipe")
    (layout / "zero").symlink_to("/dev/zero")
    (layout / "photo.png").symlink_to("/dev/urandom")
    result = run_attack(f"""
        from pathlib import Path
        from infographic.preview.session import folder_digest
        folder = Path({str(layout)!r})
        first = folder_digest(folder)
        (folder / "template.svg.j2").write_text("<svg/>")
        assert folder_digest(folder) != first  # regular files still count by content
        """, tmp_path)  # a hang fails after 120 s, 4 GB fails as MemoryError, peak under 1 GB
    assert result["outcome"] == "ok", result


@pytest.mark.slow  # the CLI in a child process, stopped by Ctrl+C
def test_a_fifo_in_the_layout_folder_neither_blocks_the_preview_nor_ctrl_c(layout):
    """The CLI prints its address with the token; a FIFO and ``zero -> /dev/zero`` beside the
    template neither block the layout's render nor keep the process alive after Ctrl+C."""
    os.mkfifo(layout / "notes.fifo")
    (layout / "zero").symlink_to("/dev/zero")
    child = subprocess.Popen([sys.executable, "-m", "infographic", "preview", str(layout),
                              "--port", "0"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True, preexec_fn=lambda: resource.setrlimit(
                                 resource.RLIMIT_AS, (4_000_000 * 1024,) * 2))
    try:
        match = re.search(r"http://127\.0\.0\.1:(\d+)/\?token=([\w-]{40,})",
                          child.stdout.readline())
        assert match
        assert f"/layout/{SLUG}?token={match.group(2)}" in child.stdout.readline()
        preview = type("Address", (), {"port": int(match.group(1)), "token": match.group(2)})

        def rendered():
            state = json.loads(call(preview, "GET", f"/api/layouts/{SLUG}")[2])
            return not state["pending"] and all(s["key"] for s in state["sizes"]) and state
        state = wait_for(rendered, "the layout to render beside the FIFO", 120)
        assert state["problem"] is None
    finally:
        child.send_signal(signal.SIGINT)  # Ctrl+C
        try:
            _, errors = child.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            child.kill()
            pytest.fail("the preview did not stop on Ctrl+C")
    assert "Traceback" not in errors and child.returncode == 0
    assert process_ended(child.pid)


# --- preview renders run under a deadline and a memory cap ------------------------------------------

def _address_space_cap(pid: int) -> int | None:
    """The soft ``RLIMIT_AS`` of process ``pid`` in bytes (None: unlimited)."""
    row = next(line for line in Path(f"/proc/{pid}/limits").read_text().splitlines()
               if line.startswith("Max address space"))
    soft = row.split()[3]
    return None if soft == "unlimited" else int(soft)


def _address_space(pid: int) -> int:
    return int(Path(f"/proc/{pid}/statm").read_text().split()[0]) * os.sysconf("SC_PAGE_SIZE")


@pytest.mark.slow  # runs into the deadline
def test_preview_renders_run_under_a_memory_cap_and_a_deadline(layout, tmp_path):
    """While a preview job runs, its worker's address space is capped at what it holds plus the
    isolated renders' budget, and a job past its deadline is stopped."""
    from infographic.isolation import memory_budget
    from infographic.preview.worker import RenderWorker

    runaway = tmp_path / "runaway"
    shutil.copytree(layout, runaway)
    template = runaway / "template.svg.j2"
    template.write_text("{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}"
                        "{% endfor %}" + template.read_text(encoding="utf-8"), encoding="utf-8")
    worker = RenderWorker()
    outcome: list[dict] = []
    job = {"kind": "preview", "folder": str(runaway), "data": None, "size": "square"}
    thread = threading.Thread(target=lambda: outcome.append(worker.run(job, timeout=5)))
    try:
        assert _address_space_cap(worker.pid) is None
        thread.start()
        cap = wait_for(lambda: _address_space_cap(worker.pid), "the cap on the busy worker")
        assert cap <= _address_space(worker.pid) + memory_budget(0)
        assert cap < 1024 ** 3  # the bound: no render process over 1 GB
        thread.join()
        assert outcome[0]["error"]["kind"] == "timeout"
    finally:
        thread.join()
        worker.close()
