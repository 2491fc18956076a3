"""Running the intake app with uvicorn on a socket of our own, stopping cleanly on a signal."""

from __future__ import annotations

import contextlib
import signal
import socket
from collections.abc import Callable, Iterator
from typing import Any

import uvicorn

from prospector.foundations.errors import ProspectorError

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


class _Server(uvicorn.Server):
    """uvicorn's server, which on Ctrl-C or SIGTERM finishes the requests under way and
    returns, without raising the signal again as uvicorn's own does (that would end
    the command as interrupted rather than stopped)."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        handlers = {sig: signal.signal(sig, self.handle_exit) for sig in STOP_SIGNALS}
        try:
            yield
        finally:
            for sig, handler in handlers.items():
                signal.signal(sig, handler)


def listen(host: str, port: int) -> socket.socket:
    """A listening socket on ``host:port`` (port 0: any free one).

    Raises:
        ProspectorError: the address cannot be used (taken, not this machine's).
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    listener = socket.socket(family, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        listener.bind((host, port))
    except OSError as error:
        listener.close()
        raise ProspectorError(f"cannot listen on {host}:{port} ({error.strerror})") from None
    listener.listen(2048)
    return listener


def url_of(listener: socket.socket) -> str:
    host, port = listener.getsockname()[:2]
    return (
        f"http://[{host}]:{port}" if listener.family == socket.AF_INET6 else f"http://{host}:{port}"
    )


def run(app: Any, listener: socket.socket, on_listening: Callable[[str], None]) -> None:
    """Serve ``app`` on ``listener`` until a stop signal; ``on_listening(url)`` first
    (connections made meanwhile wait in the socket's backlog)."""
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="on")
    on_listening(url_of(listener))
    _Server(config).run(sockets=[listener])
