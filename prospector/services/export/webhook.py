"""Webhook delivery: one HTTP POST of JSON per handoff (DESIGN §4.9, §7).

* The body is the handoff's stored payload as canonical JSON (UTF-8).
* ``Idempotency-Key`` names the handoff and its content (``prospector-handoff-
  <id>-<sha256 of the body, 16 hex>``): a retry, or the same handoff failed in one
  batch and sent in the next, carries the same key, so a receiver that keys on it
  applies each handoff once. A ``--resend`` batch adds ``-resend-<batch>`` so the
  receiver takes it again, on purpose.
* When ``PROSPECTOR_WEBHOOK_SECRET`` is set, ``X-Prospector-Signature:
  sha256=<hex>`` is the HMAC-SHA256 of ``<timestamp>.<body>`` under that secret,
  with the timestamp (Unix seconds) in ``X-Prospector-Timestamp``. The secret is
  read from the environment at send time; it is never stored or printed.
* Every request has a timeout; 5xx, 408, 429 and network errors are retried with
  exponential back-off; other answers are final. Only a 2xx counts as accepted.
  Redirects are not followed (a POST must not turn into a GET elsewhere).
* ``https://`` is required, except to a loopback host (127.0.0.0/8, ::1,
  localhost). The URL's query is never stored or shown; a URL with a user name
  or password in it is refused (the secret above signs requests instead).
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import math
import os
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass

from prospector.foundations.errors import ProspectorError
from prospector.foundations.limits import MAX_WEBHOOK_ATTEMPTS, MAX_WEBHOOK_TIMEOUT

SECRET_ENV = "PROSPECTOR_WEBHOOK_SECRET"
RETRY_STATUSES = {408, 429}
USER_AGENT = "Prospector-webhook/1"


class WebhookURLError(ProspectorError):
    """A webhook URL that Prospector will not send to."""


class WebhookOptionsError(ProspectorError):
    """A timeout, attempt count or back-off out of range."""


@dataclass(frozen=True)
class WebhookOptions:
    """How hard to try: seconds per request, attempts per handoff, first back-off.

    Raises:
        WebhookOptionsError: a timeout not in (0, MAX_WEBHOOK_TIMEOUT] seconds,
            attempts not in 1..MAX_WEBHOOK_ATTEMPTS, or a negative or non-finite
            back-off.
    """

    timeout: float = 10.0
    attempts: int = 4
    backoff: float = 0.5
    max_backoff: float = 8.0

    def __post_init__(self) -> None:
        if not (math.isfinite(self.timeout) and 0 < self.timeout <= MAX_WEBHOOK_TIMEOUT):
            raise WebhookOptionsError(
                f"webhook timeout {self.timeout}: expected seconds, more than 0"
                f" and at most {MAX_WEBHOOK_TIMEOUT:g}"
            )
        if not 1 <= self.attempts <= MAX_WEBHOOK_ATTEMPTS:
            raise WebhookOptionsError(
                f"webhook attempts {self.attempts}: expected 1 to {MAX_WEBHOOK_ATTEMPTS}"
            )
        for name in ("backoff", "max_backoff"):
            value = getattr(self, name)
            if not (math.isfinite(value) and 0 <= value <= MAX_WEBHOOK_TIMEOUT):
                raise WebhookOptionsError(
                    f"webhook {name} {value}: expected seconds, 0 to {MAX_WEBHOOK_TIMEOUT:g}"
                )


@dataclass(frozen=True)
class Delivery:
    """The outcome for one handoff."""

    handoff_id: int
    ok: bool
    attempts: int
    status: int | None
    error: str | None


def is_loopback(host: str) -> bool:
    if host.casefold() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_url(url: str) -> str:
    """Validate a webhook URL; returns it as shown to people (no query, no user info).

    Raises:
        WebhookURLError: not http(s), no host, a port that is not 1..65535,
            credentials in it (``user:pass@``), blanks or control characters, or
            plain http to a non-loopback host.
    """
    text = url.strip()
    shown = shown_url(text)
    if any(ord(char) <= 32 or ord(char) == 127 for char in text):
        raise WebhookURLError(f"webhook URL {shown!r}: contains blanks or control characters")
    try:
        parts = urllib.parse.urlsplit(text)
        host = parts.hostname or ""
    except ValueError:  # an unclosed [IPv6 bracket
        raise WebhookURLError(f"webhook URL {shown!r}: expected https://host/path") from None
    if parts.scheme not in ("http", "https") or not host:
        raise WebhookURLError(f"webhook URL {shown!r}: expected https://host/path")
    if "@" in parts.netloc:
        raise WebhookURLError(
            f"webhook URL {shown!r}: no user name or password in the URL"
            f" (requests are signed with ${SECRET_ENV} instead)"
        )
    _check_port(parts, shown)
    try:
        host.encode("idna")  # as http.client will, where a failure would be a traceback
    except UnicodeError:
        raise WebhookURLError(f"webhook URL {shown!r}: {host!r} is not a host name") from None
    if parts.scheme == "http" and not is_loopback(host):
        raise WebhookURLError(
            f"webhook URL {shown!r}: https:// is required (plain http only to loopback)"
        )
    return shown


def _check_port(parts: urllib.parse.SplitResult, shown: str) -> None:
    after_host = parts.netloc.rpartition("]")[2]  # past an [IPv6] host's colons
    if ":" not in after_host:
        return
    written = after_host.rpartition(":")[2]
    if written and not (re.fullmatch(r"[0-9]{1,5}", written) and 1 <= int(written) <= 65535):
        raise WebhookURLError(
            f"webhook URL {shown!r}: port {written[:20]!r} is not a number from 1 to 65535"
        )


def shown_url(url: str) -> str:
    """The URL without user info, query or fragment: safe to store and print.

    Never raises: a part that cannot be parsed (a bad port, an unclosed bracket)
    is left out.
    """
    text = url.strip()
    try:
        parts = urllib.parse.urlsplit(text)
        netloc = parts.hostname or ""
    except ValueError:  # the same cuts by hand
        scheme, sep, rest = text.partition("://")
        netloc, slash, path = re.split(r"[?#]", rest)[0].partition("/")
        return f"{scheme}{sep}{netloc.rpartition('@')[2]}{slash}{path}"[:200]
    if ":" in netloc:
        netloc = f"[{netloc}]"
    try:
        if parts.port:
            netloc += f":{parts.port}"
    except ValueError:
        pass
    return urllib.parse.urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def idempotency_key(handoff_id: int, body: bytes, resend_batch: int | None = None) -> str:
    digest = hashlib.sha256(body).hexdigest()[:16]
    key = f"prospector-handoff-{handoff_id}-{digest}"
    return f"{key}-resend-{resend_batch}" if resend_batch else key


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """``sha256=<hex>``: HMAC-SHA256 of ``<timestamp>.<body>`` (how receivers verify)."""
    mac = hmac.new(secret.encode("utf-8"), timestamp.encode("ascii") + b"." + body, "sha256")
    return "sha256=" + mac.hexdigest()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None  # urllib then raises HTTPError with the 3xx: a final failure


def opener_for(url: str) -> urllib.request.OpenerDirector:
    handlers: list[urllib.request.BaseHandler] = [_NoRedirect()]
    if is_loopback(urllib.parse.urlsplit(url).hostname or ""):
        handlers.append(urllib.request.ProxyHandler({}))  # never via a proxy to loopback
    return urllib.request.build_opener(*handlers)


def deliver(
    url: str,
    handoff_id: int,
    body: bytes,
    *,
    key: str,
    options: WebhookOptions,
    clock: Callable[[], float] = time.time,
    sleep: Callable[[float], None] = time.sleep,
    opener: urllib.request.OpenerDirector | None = None,
) -> Delivery:
    """POST one handoff, retrying as the module docstring says."""
    opener = opener or opener_for(url)
    secret = os.environ.get(SECRET_ENV) or None
    delay = options.backoff
    status: int | None = None
    error: str | None = None
    attempts = options.attempts
    for attempt in range(1, attempts + 1):
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "Idempotency-Key": key,
            "User-Agent": USER_AGENT,
        }
        if secret:
            stamp = str(int(clock()))
            headers["X-Prospector-Timestamp"] = stamp
            headers["X-Prospector-Signature"] = signature(secret, stamp, body)
        request = urllib.request.Request(url, data=body, headers=headers, method="POST")
        retry = False
        try:
            with opener.open(request, timeout=options.timeout) as response:
                status = response.status
                response.read()
            return Delivery(handoff_id, True, attempt, status, None)
        except urllib.error.HTTPError as failure:
            status = failure.code
            error = f"HTTP {failure.code}"
            failure.close()
            retry = status >= 500 or status in RETRY_STATUSES
        except TimeoutError:
            status, error, retry = None, f"no answer within {options.timeout:g} s", True
        except urllib.error.URLError as failure:
            reason = failure.reason
            if isinstance(reason, TimeoutError):
                error = f"no answer within {options.timeout:g} s"
            else:
                error = f"network error ({reason})"
            status, retry = None, True
        except (ConnectionError, OSError) as failure:
            status, error, retry = None, f"network error ({failure})", True
        if not retry or attempt == attempts:
            break
        sleep(delay)
        delay = min(delay * 2, options.max_backoff)
    return Delivery(handoff_id, False, attempt, status, f"{error} after {attempt} attempt(s)")
