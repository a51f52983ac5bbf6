"""Access control of the local server: a random token, then a cookie; cross-site requests refused.

* The first visit carries ``?token=…``: the token is checked, stored in an HttpOnly SameSite=Strict cookie and
  the browser is redirected to the same address without it (it never stays in the address bar or history).
  The token printed in the terminal stays valid; the one given to the browser the command opens (visible to
  every local user on its command line) is a one-time token (:meth:`TokenGate.one_time_token`), worthless once
  exchanged for the cookie.
* The command listens on a random loopback address (127.x.y.z): a cookie is scoped by host, not by port, so
  the session cookie is never sent to another local server.
* Every other request must carry the cookie; without it the answer is 403, static files included.
* Bound to the loopback interface, the ``Host`` header must name a loopback address (no DNS rebinding).
* A POST must come from our own origin (``Origin``, else ``Referer``) and carry the form's CSRF token
  (checked by the routes, see :func:`csrf_token`).
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import secrets
from collections.abc import Awaitable, Callable, MutableMapping
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "[::1]")
SECURITY_HEADERS = [
    (b"content-security-policy", b"default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
                                 b"form-action 'self'; frame-ancestors 'none'; base-uri 'none'"),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
    (b"cache-control", b"no-store"),
]
FORBIDDEN_PAGE = ("<!doctype html><html lang=\"fr\"><head><meta charset=\"utf-8\"><title>Accès refusé</title></head>"
                  "<body><h1>Accès refusé</h1><p>Ouvrez l’adresse complète affichée par <code>tenderkit ui</code> "
                  "(elle contient le jeton d’accès).</p></body></html>").encode()


def new_token() -> str:
    return secrets.token_urlsafe(32)


def csrf_token(token: str) -> str:
    """The hidden field every form carries: derived from the secret token, so it needs no server state."""
    return hmac.new(token.encode(), b"tenderkit-csrf", hashlib.sha256).hexdigest()


def same(a: str | None, b: str) -> bool:
    return a is not None and hmac.compare_digest(a.encode(), b.encode())


class TokenGate:
    """ASGI middleware in front of the whole application."""

    def __init__(self, app: ASGIApp, token: str, cookie_name: str, loopback_only: bool = True):
        self.app, self.token, self.cookie_name, self.loopback_only = app, token, cookie_name, loopback_only
        self.once: set[str] = set()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            if scope["type"] == "lifespan":
                await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        host = headers.get("host", "")
        if self.loopback_only and not loopback_host(host):
            await _forbidden(send)
            return
        query = parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
        given = [v for k, v in query if k == "token"]
        if given:
            if not (same(given[0], self.token) or self._spend(given[0])):
                await _forbidden(send)
                return
            rest = urlencode([(k, v) for k, v in query if k != "token"])
            path = (scope.get("raw_path") or scope.get("path", "/").encode()).decode("latin-1")
            await _redirect(send, path + (f"?{rest}" if rest else ""), self._cookie())
            return
        cookie = SimpleCookie()
        try:
            cookie.load(headers.get("cookie", ""))
        except Exception:  # a malformed Cookie header: treated as no cookie
            cookie = SimpleCookie()
        morsel = cookie.get(self.cookie_name)
        if not same(morsel.value if morsel else None, self.token):
            await _forbidden(send)
            return
        if scope["method"] not in ("GET", "HEAD") and not _same_origin(headers, host):
            await _forbidden(send)
            return

        async def send_with_headers(message: MutableMapping[str, Any]) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *SECURITY_HEADERS]
            await send(message)

        await self.app(scope, receive, send_with_headers)

    def one_time_token(self) -> str:
        """A token valid for one exchange against the cookie (the URL the command gives the browser)."""
        token = new_token()
        self.once.add(token)
        return token

    def _spend(self, given: str) -> bool:
        for token in list(self.once):
            if same(given, token):
                self.once.discard(token)
                return True
        return False

    def _cookie(self) -> str:
        return f"{self.cookie_name}={self.token}; HttpOnly; SameSite=Strict; Path=/"


def loopback_host(host: str) -> bool:
    """A ``Host`` header naming this computer: localhost or a loopback address (127.x.y.z, [::1]), any port."""
    name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
    if name in LOOPBACK_HOSTS:
        return True
    try:
        return ipaddress.ip_address(name.strip("[]")).is_loopback
    except ValueError:
        return False


def _same_origin(headers: dict[str, str], host: str) -> bool:
    """A state-changing request must name our own origin (browsers send Origin on POST; Referer as fallback)."""
    origin = headers.get("origin")
    if origin is not None:
        return origin == f"http://{host}"
    referer = headers.get("referer")
    if referer:
        parts = urlsplit(referer)
        return parts.scheme == "http" and parts.netloc == host
    return False


async def _forbidden(send: Send) -> None:
    await send({"type": "http.response.start", "status": 403,
                "headers": [(b"content-type", b"text/html; charset=utf-8"),
                            (b"content-length", str(len(FORBIDDEN_PAGE)).encode()), *SECURITY_HEADERS]})
    await send({"type": "http.response.body", "body": FORBIDDEN_PAGE})


async def _redirect(send: Send, location: str, cookie: str) -> None:
    await send({"type": "http.response.start", "status": 303,
                "headers": [(b"location", location.encode("latin-1")), (b"set-cookie", cookie.encode()),
                            (b"content-length", b"0"), *SECURITY_HEADERS]})
    await send({"type": "http.response.body", "body": b""})
