"""One kept-alive HTTP/1.1 connection for a webhook batch (the standard library's
``http.client``, the client urllib itself is built on).

A batch's requests all go to one host, one after the other, so one connection is
opened and reused: no TCP (or TLS) handshake per request, and the receiver keeps
one connection. Headers and body leave in one write. A receiver may close an idle
connection at any time; a request that finds its reused connection closed before
any answer is sent again once on a fresh one (safe: every request carries its
webhook id, so a receiver applies it once).

Measured against the same local receiver, this took about 0.25 ms a request where
httpx's transport took 0.5 ms and urllib's one-connection-per-request 0.8 ms.

``https://`` goes through the environment's proxy (``HTTPS_PROXY``, ``NO_PROXY``)
by a CONNECT tunnel, as urllib did; loopback never goes through a proxy. Redirects
are not followed: a 3xx is an answer like any other.
"""

from __future__ import annotations

import base64
import http.client
import ssl
import urllib.parse
import urllib.request
from collections.abc import Mapping
from typing import Protocol

Answer = tuple[int, str | None]
"""An answer's status and its ``Retry-After`` header (None without one)."""

MAX_ANSWER = 65_536  # bytes of an answer's body read; a longer one ends the connection
_CLOSED_UNDER_US = (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError)


class Poster(Protocol):
    """What a sender posts through (tests give their own)."""

    def post(self, body: bytes, headers: Mapping[str, str], timeout: float) -> Answer: ...

    def close(self) -> None: ...


class KeptAlive:
    """POSTs to one URL over a connection kept open between requests.

    ``post`` raises ``TimeoutError`` when the connection or a read of the answer
    waited more than ``timeout``, and ``OSError`` or ``http.client.HTTPException``
    when the network failed.
    """

    def __init__(self, url: str, *, loopback: bool) -> None:
        parts = urllib.parse.urlsplit(url)
        self.https = parts.scheme == "https"
        self.host = parts.hostname or ""
        self.port = parts.port or (443 if self.https else 80)
        self.target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        self.proxy = None if loopback else _https_proxy(self.host) if self.https else None
        self._connection: http.client.HTTPConnection | None = None

    def post(self, body: bytes, headers: Mapping[str, str], timeout: float) -> Answer:
        reused = self._connection is not None and self._connection.sock is not None
        try:
            return self._post(body, headers, timeout)
        except _CLOSED_UNDER_US:
            self.close()
            if not reused:
                raise
        return self._post(body, headers, timeout)  # the receiver had closed it while idle

    def _post(self, body: bytes, headers: Mapping[str, str], timeout: float) -> Answer:
        connection = self._connect(timeout)
        try:
            connection.request("POST", self.target, body=body, headers=dict(headers))
            response = connection.getresponse()
            unread = MAX_ANSWER
            while unread > 0 and (chunk := response.read(unread)):  # to its end, then reuse
                unread -= len(chunk)
            if not response.isclosed():  # an answer too long to bother with
                connection.close()
        except BaseException:
            self.close()  # half a request or answer in it: never reuse it
            raise
        return response.status, response.headers.get("Retry-After")

    def _connect(self, timeout: float) -> http.client.HTTPConnection:
        connection = self._connection
        if connection is None:
            connection = self._connection = self._new(timeout)
        connection.timeout = timeout  # for a (re)connect
        if connection.sock is not None:
            connection.sock.settimeout(timeout)
        return connection

    def _new(self, timeout: float) -> http.client.HTTPConnection:
        if not self.https:
            return http.client.HTTPConnection(self.host, self.port, timeout=timeout)
        context = ssl.create_default_context()
        if self.proxy is None:
            return http.client.HTTPSConnection(
                self.host, self.port, timeout=timeout, context=context
            )
        proxy = urllib.parse.urlsplit(self.proxy)
        connection = http.client.HTTPSConnection(
            proxy.hostname or "", proxy.port or 8080, timeout=timeout, context=context
        )
        tunnel_headers = {}
        if proxy.username is not None:
            login = f"{urllib.parse.unquote(proxy.username)}:"
            login += urllib.parse.unquote(proxy.password or "")
            tunnel_headers["Proxy-Authorization"] = "Basic " + base64.b64encode(
                login.encode()
            ).decode("ascii")
        connection.set_tunnel(self.host, self.port, headers=tunnel_headers)
        return connection

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None


def _https_proxy(host: str) -> str | None:
    if urllib.request.proxy_bypass(host):
        return None
    proxy = urllib.request.getproxies().get("https")
    return proxy if proxy and "://" in proxy else (f"http://{proxy}" if proxy else None)
