"""The preview's web app (Starlette): pages, a JSON API, renders, downloads and the event stream.

Routes:
    GET  /                               gallery of every layout
    GET  /layout/{slug}                  one layout at every size, data form, fit overlay
    GET  /api/state                      everything the gallery shows (JSON)
    GET  /api/layouts/{slug}             everything a layout page shows (JSON)
    PUT  /api/layouts/{slug}/data        replace the data with the form's (kept in memory)
    DELETE /api/layouts/{slug}/data      back to the data file (or the sample values)
    GET  /api/layouts/{slug}/data.yaml   the current data as a YAML file
    PUT  /api/theme                      {"theme": name or ""}
    GET  /render/{slug}/{size}.svg?k=    the SVG of a render, by input hash (&guides=1: a paper
                                         size's print view with bleed, trim and safe area)
    GET  /render/{slug}/{size}.png?k=    the PNG writer's pixels of that render ("exact" view)
    GET  /download/{slug}/{size}.{ext}   png, jpg, webp, pdf or svg at full resolution; print-pdf:
                                         what ``infographic print`` writes (paper sizes)
    GET  /events                         Server-Sent Events: ``layout`` and ``theme`` updates

Every route but ``/static`` needs the session token (``guard.py``); request bodies are at most
:data:`~infographic.limits.PREVIEW_MAX_BODY_BYTES`; themes come only from the bundled set, the ``--theme`` file, or the
layout and data folders.
"""

from __future__ import annotations

import asyncio
import contextlib
from pathlib import Path
from typing import Any, AsyncIterator

import yaml
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from .. import limits
from ..dataparse import StructureError, load_json
from ..errors import InfographicError
from ..output import OUTPUTS, output_format
from .. import print as print_pdf  # noqa: F401  registers the print-pdf download
from ..paths import resolve_inside
from ..themes import bundled_themes
from .events import TooManyListeners
from .guard import SessionGuard
from .live import LivePreview
from .watcher import watch

HERE = Path(__file__).resolve().parent


def download_names() -> list[str]:
    """What the download buttons and URLs call each output format: its usual file suffix
    (``jpg``), or its name when it has none (``print-pdf``)."""
    return [spec.suffix.lstrip(".") if spec.suffixes else spec.name
            for spec in OUTPUTS.values()]


#: A rendered SVG is shown in <img>; opened on its own it still may not run anything.
SVG_HEADERS = {"Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; "
               "img-src data:", "Cache-Control": "private, max-age=3600"}
NO_STORE = {"Cache-Control": "no-store"}


def create_app(live: LivePreview, *, token: str, port: int, watch_files: bool = True
               ) -> Starlette:
    """The app for ``live``; every request but ``/static`` needs ``token`` (see ``guard.py``)."""
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    templates.env.globals["session_token"] = token
    project = live.project

    def layout_or_404(request: Request) -> str:
        slug = request.path_params["slug"]
        if slug not in project.layouts:
            raise _NotFound(f"no layout '{slug}' in this preview")
        return slug

    async def gallery(request: Request) -> Response:
        return templates.TemplateResponse(request, "gallery.html", {
            "layouts": [live.layout_state(s) for s in project.layouts], "page": "gallery",
            "themes": project.theme_choices(), "theme": project.theme or ""}, headers=NO_STORE)

    async def layout_page(request: Request) -> Response:
        slug = layout_or_404(request)
        return templates.TemplateResponse(request, "layout.html", {
            "layout": live.layout_state(slug), "page": "layout", "formats": download_names(),
            "themes": project.theme_choices(), "theme": project.theme or ""}, headers=NO_STORE)

    async def api_state(request: Request) -> Response:
        return JSONResponse(live.state(), headers=NO_STORE)

    async def api_layout(request: Request) -> Response:
        return JSONResponse(live.layout_state(layout_or_404(request)), headers=NO_STORE)

    async def api_data(request: Request) -> Response:
        slug = layout_or_404(request)
        if request.method == "DELETE":
            live.reset_data(slug)
            return JSONResponse({"ok": True})
        body = await _json_body(request)
        data = body.get("data")
        if not isinstance(data, dict):
            return JSONResponse({"ok": False, "error": "send {\"data\": {field: value}}"}, 400)
        live.set_form_data(slug, data)
        return JSONResponse({"ok": True}, 202)

    async def api_data_yaml(request: Request) -> Response:
        slug = layout_or_404(request)
        text = yaml.safe_dump(project.layouts[slug].data, allow_unicode=True, sort_keys=False,
                              width=100)
        return Response(text, media_type="application/yaml; charset=utf-8", headers={
            "Content-Disposition": f'attachment; filename="{slug}.yaml"', **NO_STORE})

    async def api_theme(request: Request) -> Response:
        body = await _json_body(request)
        theme = str(body.get("theme") or "") or None
        if theme is not None and not _theme_allowed(live, theme):
            return JSONResponse({"ok": False, "error": "choose a bundled theme ("
                                 f"{', '.join(bundled_themes())}) or a theme .yaml file in a "
                                 "layout or data folder of this preview"}, 400)
        try:
            live.set_theme(theme)
        except InfographicError as exc:
            return JSONResponse({"ok": False, "error": str(exc)}, 400)
        return JSONResponse({"ok": True})

    async def render_svg(request: Request) -> Response:
        slug = layout_or_404(request)
        guides = request.query_params.get("guides") == "1"
        svg = live.svg(request.query_params.get("k", ""), guides)
        if svg is None:
            state = live.sizes[slug].get(request.path_params["size"])
            svg = live.svg(state.key, guides) if state and state.key else None
        if svg is None:
            return Response("not rendered (yet)", 404, headers=NO_STORE)
        return Response(svg, media_type="image/svg+xml", headers=SVG_HEADERS)

    async def render_png(request: Request) -> Response:
        slug = layout_or_404(request)
        png = await live.exact_png(slug, request.path_params["size"],
                                   request.query_params.get("k", ""))
        if png is None:
            return Response("this render is outdated or failed", 410, headers=NO_STORE)
        return Response(png, media_type="image/png", headers={"Cache-Control": "private, "
                                                                               "max-age=3600"})

    async def download(request: Request) -> Response:
        slug = layout_or_404(request)
        size, ext = request.path_params["size"], request.path_params["ext"].lower()
        if ext not in download_names():
            return JSONResponse({"error": f"unknown format '{ext}': use "
                                 f"{', '.join(download_names())}"}, 404)
        if size not in live.sizes[slug]:
            return JSONResponse({"error": f"layout '{slug}' has no size '{size}'"}, 404)
        spec = output_format(ext)
        result = await live.export(slug, size, spec.name)
        if not result["ok"]:
            return JSONResponse({"error": result["error"]["message"]}, 422, headers=NO_STORE)
        name = f"{project.layouts[slug].slug}-{size}" + ("-print.pdf" if ext == "print-pdf"
                                                          else f".{ext}")
        return Response(result["bytes"], media_type=spec.media_type, headers={
            "Content-Disposition": f'attachment; filename="{name}"', **NO_STORE})

    async def events(request: Request) -> Response:
        try:
            stream = live.events.stream()
        except TooManyListeners as exc:
            return JSONResponse({"error": f"{exc}: close some preview tabs"}, 503,
                                headers=NO_STORE)
        return StreamingResponse(stream, media_type="text/event-stream",
                                 headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"})

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await live.start()
        stop = asyncio.Event()
        watcher = asyncio.create_task(watch(live, stop)) if watch_files else None
        try:
            yield
        finally:
            stop.set()
            if watcher is not None:
                with contextlib.suppress(asyncio.TimeoutError, asyncio.CancelledError):
                    await asyncio.wait_for(watcher, 2)
            await live.stop()

    routes = [
        Route("/", gallery),
        Route("/layout/{slug}", layout_page),
        Route("/api/state", api_state),
        Route("/api/layouts/{slug}", api_layout),
        Route("/api/layouts/{slug}/data", api_data, methods=["PUT", "DELETE"]),
        Route("/api/layouts/{slug}/data.yaml", api_data_yaml),
        Route("/api/theme", api_theme, methods=["PUT"]),
        Route("/render/{slug}/{size}.svg", render_svg),
        Route("/render/{slug}/{size}.png", render_png),
        Route("/download/{slug}/{size}.{ext}", download),
        Route("/events", events),
        Mount("/static", StaticFiles(directory=str(HERE / "static")), name="static"),
    ]
    middleware = [Middleware(TrustedHostMiddleware,
                             allowed_hosts=["127.0.0.1", "localhost", "[::1]"]),
                  Middleware(SessionGuard, token=token, port=port)]
    return Starlette(routes=routes, middleware=middleware, lifespan=lifespan,
                     exception_handlers={_NotFound: _not_found, _BadBody: _bad_body})


class _NotFound(Exception):
    pass


class _BadBody(Exception):
    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


async def _not_found(request: Request, exc: Exception) -> Response:
    return JSONResponse({"error": str(exc)}, 404)


async def _bad_body(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, _BadBody)
    return JSONResponse({"ok": False, "error": str(exc)}, exc.status, headers=NO_STORE)


async def _json_body(request: Request) -> dict[str, Any]:
    """The request's JSON object, read up to :data:`~infographic.limits.PREVIEW_MAX_BODY_BYTES` (413 past it, 400 if it is
    not a JSON object; depth and integers bounded as in data files)."""
    too_large = _BadBody(f"the request is larger than {limits.PREVIEW_MAX_BODY_BYTES // (1024 * 1024)} MB", 413)
    declared = request.headers.get("content-length", "")
    if declared and (not declared.isdigit() or int(declared) > limits.PREVIEW_MAX_BODY_BYTES):
        raise too_large
    chunks, total = [], 0
    async for chunk in request.stream():
        total += len(chunk)
        if total > limits.PREVIEW_MAX_BODY_BYTES:
            raise too_large
        chunks.append(chunk)
    try:
        body = load_json(b"".join(chunks).decode("utf-8"))
    except (StructureError, UnicodeDecodeError) as exc:
        raise _BadBody(f"the request is not JSON: {exc}", 400) from None
    if not isinstance(body, dict):
        raise _BadBody("send a JSON object", 400)
    return body


def _theme_allowed(live: LivePreview, theme: str) -> bool:
    """A bundled theme name, the ``--theme`` file, or a .yaml file inside a layout or data folder
    of this preview (never any other file on the machine)."""
    if theme in bundled_themes():
        return True
    project = live.project
    if project.theme_file is not None and theme == str(project.theme_file):
        return True
    if not theme.endswith((".yaml", ".yml")):
        return False
    folders = [entry.folder for entry in project.layouts.values()]
    folders += [entry.data_path.parent for entry in project.layouts.values() if entry.data_path]
    return Path(theme).is_absolute() and \
        any(resolve_inside(folder, theme) is not None for folder in folders)
