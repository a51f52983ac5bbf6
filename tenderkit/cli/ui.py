"""`tenderkit ui [FOLDER] [--port N] [--host H] [--no-browser]`: the local web interface."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from tenderkit.errors import TenderkitError, system_reason
from tenderkit.i18n import _

if TYPE_CHECKING:
    import socket

LOOPBACK = "127.0.0.1"


def random_loopback(port: int) -> socket.socket:
    """A socket on a random loopback address 127.x.y.z (Linux routes all of 127.0.0.0/8 to this computer): the
    session cookie, scoped by host and not by port, then reaches no other local server. 127.0.0.1 where only
    it exists (macOS) or when the chosen address is taken."""
    import secrets

    for _attempt in range(3):
        address = f"127.{secrets.randbelow(254) + 1}.{secrets.randbelow(256)}.{secrets.randbelow(254) + 1}"
        try:
            return listening_socket(address, port)
        except TenderkitError:
            continue
    return listening_socket(LOOPBACK, port)


def listening_socket(host: str, port: int) -> socket.socket:
    """Bind ``host:port`` (port 0: a free one) before the server starts, so the URL printed is the real one."""
    import socket

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as error:
        sock.close()
        raise TenderkitError(_("cannot listen on {address}: {reason}.")
                             .format(address=f"{host}:{port}", reason=system_reason(error))) from None
    sock.listen(64)
    return sock


def can_open_browser() -> bool:
    """A graphical browser is likely there (never a text browser taking over the terminal)."""
    if sys.platform in ("darwin", "win32"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


@click.command("ui")
@click.argument("folder", type=click.Path(path_type=Path, file_okay=False), default=".")
@click.option("--port", type=click.IntRange(0, 65535), default=0, help="Port to listen on (default: a free one).")
@click.option("--host", default=None, help="Interface to listen on (default: 127.0.0.1, this computer only).")
@click.option("--no-browser", is_flag=True, help="Do not open a browser.")
def ui_command(folder: Path, port: int, host: str | None, no_browser: bool) -> None:
    """Serve the tenders of FOLDER (default: the current folder) in a local web interface."""
    import socket
    import threading
    import webbrowser

    import uvicorn

    from tenderkit.web.app import create_app
    from tenderkit.web.security import new_token

    if not folder.is_dir():
        raise TenderkitError(_("{folder}: no such folder.").format(folder=folder))
    sock = listening_socket(host, port) if host else random_loopback(port)
    bind, port = sock.getsockname()[:2]
    token = new_token()
    app = create_app(folder.resolve(), token, cookie_name=f"tenderkit-{port}", loopback_only=host is None)
    shown = socket.gethostname() if bind in ("0.0.0.0", "::") else bind
    shown = f"[{shown}]" if ":" in shown else shown
    url = f"http://{shown}:{port}/?token={token}"
    click.echo(_("tenderkit ui: serving {folder} at {url}  (Ctrl-C to stop)").format(folder=folder.resolve(), url=url))
    if host is not None:
        click.echo(_("Warning: listening on {host}, reachable from other computers: the token in this URL is the "
                     "only protection; share it with no one.").format(host=host), err=True)
    # access_log off: the first request's URL carries the token.
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off"))
    if not no_browser and can_open_browser():   # its command line is seen by every local user: a one-time token
        once = f"http://{shown}:{port}/?token={app.one_time_token()}"
        threading.Timer(0.5, webbrowser.open, args=(once,)).start()
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:
        pass
    finally:
        sock.close()
    click.echo(_("tenderkit ui: stopped."))


COMMANDS = [ui_command]
