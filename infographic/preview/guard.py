"""The preview's session token: only the person who started the preview may use it.

Any local process (and any web page, through the browser) can reach 127.0.0.1. So, as notebook
servers do, each preview run makes a random token and prints it in its address
(``http://127.0.0.1:8765/?token=…``). Opening that address stores the token in a cookie for this
port (``HttpOnly; SameSite=Strict``) and redirects to the same page without it. Then:

- a change (``PUT``/``DELETE``/``POST``) needs the token in an ``Authorization: Bearer`` header,
  which the page's script sends and another site's page cannot (it cannot read the token, and a
  cross-origin request with that header needs a CORS permission the server never gives);
- a read (pages, renders, downloads, the event stream, the JSON API) needs the header or the
  cookie; with the cookie only, the browser must say the request comes from the preview's own
  pages (``Sec-Fetch-Site: same-origin``) or from the address bar (``none``), so an ``<img>`` or
  a link on another page — even one served from another port of 127.0.0.1 — cannot start a
  render or a download.

Only ``/static/`` (the page's CSS and script, no data) is public.
"""

from __future__ import annotations

import hmac
import secrets
from typing import Any, Awaitable, Callable
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response

TOKEN_PARAM = "token"
PUBLIC_PREFIXES = ("/static/",)
#: ``Sec-Fetch-Site`` values a cookie-only request may carry (absent: a client that is not a
#: browser, which cannot have the cookie without the token anyway).
TRUSTED_FETCH_SITES = (None, "same-origin", "none")
CHANGES = ("PUT", "POST", "DELETE", "PATCH")

ASGIApp = Callable[[dict, Callable[[], Awaitable[dict]], Callable[[dict], Awaitable[None]]],
                   Awaitable[None]]


def new_token() -> str:
    """A fresh session token (256 bits, URL-safe)."""
    return secrets.token_urlsafe(32)


class SessionGuard:
    """ASGI middleware: refuses every request without the session token (see the module doc)."""

    def __init__(self, app: ASGIApp, token: str, port: int) -> None:
        self.app, self.token = app, token
        self.cookie = f"infographic-preview-{port}"  # cookies are per host, not per port

    def _matches(self, value: str | None) -> bool:
        return value is not None and value != "" and \
            hmac.compare_digest(value.encode(), self.token.encode())

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["path"].startswith(PUBLIC_PREFIXES):
            await self.app(scope, receive, send)
            return
        response = self._check(Request(scope))
        if response is None:
            await self.app(scope, receive, send)
        else:
            await response(scope, receive, send)

    def _check(self, request: Request) -> Response | None:
        """None to let the request through, else the response that refuses (or redirects) it."""
        auth = request.headers.get("authorization", "")
        by_header = auth.startswith("Bearer ") and self._matches(auth[len("Bearer "):].strip())
        if request.method in CHANGES:
            origin = request.headers.get("origin")
            if origin and origin != f"{request.url.scheme}://{request.headers.get('host', '')}":
                return _refuse(request, "requests from other sites are not accepted")
            if by_header:
                return None
            return _refuse(request, "changes need the session token in an 'Authorization: "
                           "Bearer' header")
        if by_header:
            return None
        if self._matches(request.query_params.get(TOKEN_PARAM)):
            return self._remember(request)
        site = request.headers.get("sec-fetch-site")
        if self._matches(request.cookies.get(self.cookie)):
            if site in TRUSTED_FETCH_SITES:
                return None
            return _refuse(request, "this address cannot be used from another site's page")
        return _refuse(request, "this preview needs its session token: open the address "
                       "printed by 'infographic preview' (it ends in ?token=…)")

    def _remember(self, request: Request) -> Response:
        """Store the token in a cookie and show the same address without it."""
        rest = [(k, v) for k, v in request.query_params.multi_items() if k != TOKEN_PARAM]
        target = request.url.path + (f"?{urlencode(rest)}" if rest else "")
        response = RedirectResponse(target, status_code=303, headers={"Cache-Control": "no-store"})
        response.set_cookie(self.cookie, self.token, httponly=True, samesite="strict", path="/")
        return response


def _refuse(request: Request, reason: str) -> Response:
    headers = {"Cache-Control": "no-store"}
    if request.url.path.startswith("/api/") or request.method in CHANGES:
        return JSONResponse({"ok": False, "error": reason}, 403, headers=headers)
    return PlainTextResponse(f"Forbidden: {reason}.\n", 403, headers=headers)
