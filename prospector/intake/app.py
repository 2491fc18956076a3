"""The intake endpoint as an ASGI app (Starlette): ``POST /leads`` and ``GET /health``.

``POST /leads`` takes one lead (a JSON object) or a list of them, authenticated by
either scheme the server was given:

* Standard Webhooks (standardwebhooks.com): ``webhook-id``, ``webhook-timestamp`` and
  ``webhook-signature`` (``v1,<base64 HMAC-SHA256 of id.timestamp.body>``) made with the
  shared ``whsec_...`` secret; a timestamp more than five minutes from the server's
  clock is refused (the scheme's tolerance), so a captured request cannot be replayed
  later, and the signed id cannot be changed to slip past de-duplication.
* ``Authorization: Bearer <token>``, for senders that cannot sign; a ``webhook-id``
  (or ``Idempotency-Key``) header then de-duplicates as well.

Answers: 201 with each lead's contact id and outcome; 400 naming the field; 401 for
a missing, bad or stale signature or token; 413 for a body over the limit (told by
``Content-Length`` or counted as it streams, never read past the limit). The database
work runs on one thread of its own, which owns the connection (SQLite connections
belong to their thread; writes are one at a time on either backend anyway), so the
event loop keeps accepting and refusing requests meanwhile.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, TypeVar

from standardwebhooks.webhooks import Webhook
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from prospector.foundations.clock import Clock, system_clock
from prospector.foundations.db import open_database
from prospector.foundations.errors import ProspectorError
from prospector.services import intake

T = TypeVar("T")
DEFAULT_MAX_BYTES = 1 << 20


@dataclass(frozen=True)
class IntakeOptions:
    """What the endpoint needs: the database, the credentials, the body limit, the clock."""

    db_path: str
    secret: Webhook | None = None
    token: str | None = None
    max_bytes: int = DEFAULT_MAX_BYTES
    clock: Clock = system_clock


class DatabaseThread:
    """One thread and the connection it owns; calls run there one at a time."""

    def __init__(self, db_path: str) -> None:
        self.db_path = db_path
        self.intake: intake.Intake | None = None
        self.executor = ThreadPoolExecutor(1, thread_name_prefix="prospector-db")

    async def run(self, work: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """``work(intake, *args, **kwargs)`` on the thread (an :class:`intake.Intake`)."""
        future = self.executor.submit(self._call, work, args, kwargs)
        return await asyncio.wrap_future(future)

    def _call(self, work: Callable[..., T], args: tuple, kwargs: dict) -> T:
        if self.intake is None:
            self.intake = intake.Intake(open_database(self.db_path))
        try:
            return work(self.intake, *args, **kwargs)
        except Exception:
            self._close()  # a connection that failed is not trusted again: the next opens anew
            raise

    def _close(self) -> None:
        if self.intake is not None:
            with contextlib.suppress(Exception):
                self.intake.db.close()
            self.intake = None

    def close(self) -> None:
        self.executor.submit(self._close).result()
        self.executor.shutdown()


def json_answer(status: int, body: dict[str, Any], **headers: str) -> JSONResponse:
    return JSONResponse(body, status_code=status, headers=headers or None)


def create_app(options: IntakeOptions) -> Starlette:
    """The ASGI app; the database thread starts and stops with the app's lifespan."""
    database = DatabaseThread(options.db_path)

    async def leads(request: Request) -> JSONResponse:
        now = options.clock()  # the lead arrived now, however long the queue to the database
        bearer = request.headers.get("authorization")
        if bearer is not None and not _token_ok(options.token, bearer):
            return _unauthorized("bad bearer token")
        body = await _body(request, options.max_bytes)
        if body is None:
            return json_answer(413, {"error": f"body over {options.max_bytes} bytes"})
        if bearer is None:
            refused = _signature_refused(options.secret, body, request.headers)
            if refused:
                return _unauthorized(refused)
            webhook_id: str | None = request.headers["webhook-id"]
        else:
            webhook_id = request.headers.get("webhook-id") or request.headers.get("idempotency-key")
        try:
            answer = await database.run(
                intake.Intake.take_leads, body, now=now, webhook_id=webhook_id
            )
        except ProspectorError as error:
            return json_answer(503, {"error": str(error)}, **{"Retry-After": "5"})
        return json_answer(answer.status, answer.body)

    async def health(_request: Request) -> JSONResponse:
        try:
            return json_answer(200, await database.run(intake.Intake.health))
        except Exception as error:  # whatever the database says, the answer is "not healthy"
            return json_answer(503, {"status": "error", "error": str(error)})

    @contextlib.asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        try:
            yield
        finally:
            await asyncio.to_thread(database.close)

    return Starlette(
        routes=[
            Route("/leads", leads, methods=["POST"]),
            Route("/health", health, methods=["GET"]),
        ],
        lifespan=lifespan,
    )


async def _body(request: Request, limit: int) -> bytes | None:
    """The request's body, or None past ``limit`` bytes (read no further than that)."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        return None
    chunks = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


def _token_ok(token: str | None, header: str) -> bool:
    scheme, _, given = header.partition(" ")
    if token is None or scheme.lower() != "bearer":
        return False
    return hmac.compare_digest(given.strip().encode(), token.encode())


def _signature_refused(secret: Webhook | None, body: bytes, headers: Any) -> str | None:
    """Why a request's Standard Webhooks signature is refused, or None when it holds."""
    if secret is None:
        return "missing bearer token"
    if not (headers.get("webhook-id") and headers.get("webhook-signature")):
        return "missing webhook-id, webhook-timestamp or webhook-signature"
    try:
        secret.verify(body, dict(headers), json_parse=False)
    except Exception as error:  # the library's errors, and what a malformed header raises
        return f"bad signature: {error or type(error).__name__}"
    return None


def _unauthorized(reason: str) -> JSONResponse:
    return json_answer(401, {"error": reason}, **{"WWW-Authenticate": "Bearer"})
