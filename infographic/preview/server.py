"""Run the preview: bind 127.0.0.1, serve the app with uvicorn, in the foreground or a thread."""

from __future__ import annotations

import errno
import socket
import sys
import threading
import time
import webbrowser
from typing import Sequence

import uvicorn

from ..errors import InfographicError
from . import DEFAULT_PORT
from .app import create_app
from .guard import TOKEN_PARAM, new_token
from .live import LivePreview
from .session import PreviewProject, build_project

HOST = "127.0.0.1"


def _bind(port: int) -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((HOST, port))
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise InfographicError(f"port {port} is already in use on {HOST}: pass --port N, or "
                                   "--port 0 for any free port") from None
        raise InfographicError(f"cannot listen on {HOST}:{port}: {exc.strerror or exc}") from None
    sock.listen(64)
    sock.set_inheritable(True)
    return sock


class PreviewServer:
    """A preview server on 127.0.0.1. ``port=0`` picks a free port; :attr:`url` tells which.

    Requests need :attr:`token` (``guard.py``): a browser opens :meth:`address` once (the token
    goes into a cookie), a program sends ``Authorization: Bearer <token>``."""

    def __init__(self, project: PreviewProject, port: int = DEFAULT_PORT, workers: int = 2,
                 watch_files: bool = True) -> None:
        self.live = LivePreview(project, workers=workers)
        self._socket = _bind(port)
        self.port = self._socket.getsockname()[1]
        self.url = f"http://{HOST}:{self.port}/"
        self.token = new_token()
        app = create_app(self.live, token=self.token, port=self.port, watch_files=watch_files)
        config = uvicorn.Config(app, log_level="warning",
                                timeout_graceful_shutdown=1, lifespan="on")
        self._server = uvicorn.Server(config)
        self._thread: threading.Thread | None = None

    def run(self) -> None:
        """Serve in this thread until interrupted (Ctrl+C)."""
        try:
            self._server.run(sockets=[self._socket])
        finally:
            self._socket.close()

    def start(self, timeout: float = 30.0) -> str:
        """Serve in a background thread; returns the URL once the server is up."""
        self._thread = threading.Thread(target=self.run, name="infographic-preview", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the preview server did not start")
            time.sleep(0.05)
        return self.url

    def address(self, path: str = "") -> str:
        """The address of ``path`` with the session token, for a browser (or to print)."""
        return f"{self.url}{path}?{TOKEN_PARAM}={self.token}"

    def stop(self, timeout: float = 10.0) -> None:
        self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout)


def serve(layouts: Sequence[str] = (), data: Sequence[str] = (), theme: str | None = None,
          port: int = DEFAULT_PORT, open_browser: bool = False) -> int:
    """``infographic preview``: build the project, print the address, serve until Ctrl+C."""
    project = build_project(layouts, data, theme)
    server = PreviewServer(project, port=port)
    count = len(project.layouts)
    print(f"Live preview of {count} layout{'s' if count != 1 else ''} at {server.address()}",
          flush=True)
    for entry in project.layouts.values():
        print(f"  {server.address(f'layout/{entry.slug}')}  ({entry.folder})", flush=True)
    print("The token in the address keeps other programs and web pages out: share it with "
          "no one.\nEdit and save a layout, its data or theme: open pages update. Ctrl+C stops.",
          flush=True)
    if open_browser:
        webbrowser.open(server.address())
    server.run()
    print("preview stopped", file=sys.stderr)
    return 0
