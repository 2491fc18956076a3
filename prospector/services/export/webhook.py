"""Webhook delivery: one signed HTTP POST of JSON per handoff (DESIGN §4.9, §7).

Requests follow the Standard Webhooks spec (standardwebhooks.com), so a receiver
can verify them with an off-the-shelf library:

* The body is the handoff's payload frozen when its first batch was cut
  (canonical JSON, UTF-8): every attempt and every re-send carries the same bytes.
* ``webhook-id`` is the handoff's external id (``<database id>-h<number>``), the
  same for every attempt and every re-send of that handoff, and a new handoff
  (re-qualified after export) has a new one. ``Idempotency-Key`` repeats it, for
  receivers that de-duplicate on that header. ``webhook-timestamp`` is the Unix
  time of the attempt, by the real clock even under ``--at``: the receiver checks
  it against its own.
* With ``PROSPECTOR_WEBHOOK_SECRET`` set, ``webhook-signature: v1,<base64>`` is the
  HMAC-SHA256 of ``<webhook-id>.<webhook-timestamp>.<body>``, made by the
  ``standardwebhooks`` package. The secret must be in the spec's form,
  ``whsec_<base64 of 24 to 64 bytes>``; anything else is refused before a batch
  is cut, because the receiver's library would decode the same text differently
  and reject every request. It is read from the environment at send time, never
  stored or printed. The id is signed, so a captured request cannot be replayed
  under a new id, and the timestamp is signed, so it ages out of the receiver's
  tolerance window.
* Every request has a timeout. Retried, with exponential back-off and jitter
  (each wait drawn from [b/2, b], b doubling from ``backoff`` up to
  ``max_backoff``): network errors, timeouts, 5xx, 408, 409 (a request with this
  key still in progress), 425 and 429. A ``Retry-After`` (seconds or an HTTP date)
  on a 429 or 503 replaces the back-off; one longer than ``max_retry_after`` stops
  the batch instead (the receiver asked for more patience than a batch has). Other
  answers, 3xx included (redirects are not followed: a POST must not turn into a
  GET elsewhere), are final. Only a 2xx counts as accepted.
* ``deadline``: seconds for the whole batch. No request or wait runs past it; once
  it has passed nothing more is sent and the rest stays pending.
* One kept-alive HTTP/1.1 connection serves the whole batch (:mod:`.keepalive`).
* ``https://`` is required, except to a loopback host (127.0.0.0/8, ::1,
  localhost), which is never reached through a proxy. The URL's query is never
  stored or shown; a URL with a user name or password in it is refused (the
  secret above signs requests instead).
"""

from __future__ import annotations

import base64
import binascii
import email.utils
import http.client
import ipaddress
import math
import os
import random
import re
import time
import urllib.parse
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from standardwebhooks.webhooks import Webhook

from prospector.foundations.errors import ProspectorError
from prospector.foundations.limits import MAX_WEBHOOK_ATTEMPTS, MAX_WEBHOOK_TIMEOUT
from prospector.services.export.keepalive import KeptAlive, Poster

SECRET_ENV = "PROSPECTOR_WEBHOOK_SECRET"
SECRET_PREFIX = "whsec_"
SECRET_BYTES = (24, 64)  # the spec's recommended key sizes
RETRY_STATUSES = frozenset({408, 409, 425, 429})
RETRY_AFTER_STATUSES = frozenset({429, 503})
USER_AGENT = "Prospector-webhook/2"
DEFAULT_DEADLINE = 1800.0  # a batch's sending stops after 30 minutes
MAX_DEADLINE = 86_400.0
MAX_RETRY_AFTER = 120.0


class WebhookURLError(ProspectorError):
    """A webhook URL that Prospector will not send to."""


class WebhookOptionsError(ProspectorError):
    """A timeout, attempt count, back-off or deadline out of range."""


class WebhookSecretError(ProspectorError):
    """A signing secret not in the Standard Webhooks form."""


@dataclass(frozen=True)
class WebhookOptions:
    """How hard to try: seconds per request, attempts per handoff, first back-off,
    the longest ``Retry-After`` obeyed and seconds for the whole batch.

    Raises:
        WebhookOptionsError: a timeout not in (0, MAX_WEBHOOK_TIMEOUT] seconds,
            attempts not in 1..MAX_WEBHOOK_ATTEMPTS, a negative or non-finite
            back-off, or a deadline not in (0, MAX_DEADLINE] seconds.
    """

    timeout: float = 10.0
    attempts: int = 4
    backoff: float = 0.5
    max_backoff: float = 8.0
    max_retry_after: float = MAX_RETRY_AFTER
    deadline: float = DEFAULT_DEADLINE

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
        for name in ("backoff", "max_backoff", "max_retry_after"):
            value = getattr(self, name)
            if not (math.isfinite(value) and 0 <= value <= MAX_WEBHOOK_TIMEOUT):
                raise WebhookOptionsError(
                    f"webhook {name} {value}: expected seconds, 0 to {MAX_WEBHOOK_TIMEOUT:g}"
                )
        if not (math.isfinite(self.deadline) and 0 < self.deadline <= MAX_DEADLINE):
            raise WebhookOptionsError(
                f"webhook deadline {self.deadline:g} s: expected more than 0"
                f" and at most {MAX_DEADLINE:g} s (24h)"
            )


@dataclass(frozen=True)
class Delivery:
    """The outcome for one handoff. ``stop``: why the batch must stop sending
    (its deadline, or a ``Retry-After`` past the cap); the handoff was not taken."""

    handoff_id: int
    ok: bool
    attempts: int
    status: int | None
    error: str | None
    stop: str | None = None


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


def load_secret(
    environ: Mapping[str, str] = os.environ, variable: str = SECRET_ENV
) -> Webhook | None:
    """The signer for ``$PROSPECTOR_WEBHOOK_SECRET`` (or ``variable``), or None when it
    is not set.

    Raises:
        WebhookSecretError: not ``whsec_`` followed by the base64 of 24 to 64 bytes
            (the message never shows the secret).
    """
    text = environ.get(variable, "").strip()
    if not text:
        return None
    expected = (
        f"expected {SECRET_PREFIX}<base64 of {SECRET_BYTES[0]} to {SECRET_BYTES[1]} random"
        " bytes> (the Standard Webhooks form)"
    )
    if not text.startswith(SECRET_PREFIX):
        raise WebhookSecretError(f"${variable}: {expected}")
    encoded = text.removeprefix(SECRET_PREFIX)
    try:
        key = base64.b64decode(encoded + "=" * (-len(encoded) % 4), validate=True)
    except binascii.Error:
        raise WebhookSecretError(
            f"${variable}: not base64 after {SECRET_PREFIX}; {expected}"
        ) from None
    if not SECRET_BYTES[0] <= len(key) <= SECRET_BYTES[1]:
        raise WebhookSecretError(f"${variable}: {len(key)} bytes; {expected}")
    return Webhook(key)


def retry_after(value: str | None, now: float) -> float | None:
    """Seconds a ``Retry-After`` header asks to wait (delay-seconds or an HTTP date).

    None when absent or unreadable; never negative (a date in the past means now).
    """
    if value is None:
        return None
    text = value.strip()
    if re.fullmatch(r"[0-9]{1,10}", text):
        return float(int(text))
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:  # an HTTP date is GMT by definition
        when = when.replace(tzinfo=UTC)
    return max(0.0, when.timestamp() - now)


def backoff_bound(options: WebhookOptions, retry: int) -> float:
    """The longest wait before retry number ``retry`` (1, 2, ...): doubling, capped."""
    return min(options.backoff * 2 ** min(retry - 1, 60), options.max_backoff)


def is_retried(status: int) -> bool:
    return status >= 500 or status in RETRY_STATUSES


class Sender:
    """Delivers a batch's handoffs over one kept-alive connection, within its deadline.

    ``clock`` gives the wall time signed into ``webhook-timestamp`` (the receiver
    checks it against its own clock); ``monotonic`` measures the deadline;
    ``sleep`` waits; ``jitter(low, high)`` draws a back-off; ``transport`` carries
    the requests. All injectable for tests.
    """

    def __init__(
        self,
        url: str,
        options: WebhookOptions,
        *,
        signer: Webhook | None,
        clock: Callable[[], float] = time.time,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        jitter: Callable[[float, float], float] = random.uniform,
        transport: Poster | None = None,
    ) -> None:
        self.options = options
        self.signer = signer
        self.clock = clock
        self.monotonic = monotonic
        self.sleep = sleep
        self.jitter = jitter
        self.ends_at = monotonic() + options.deadline
        host = urllib.parse.urlsplit(url).hostname or ""
        self.transport = transport or KeptAlive(url, loopback=is_loopback(host))

    def __enter__(self) -> Sender:
        return self

    def __exit__(self, *exc: object) -> None:
        self.transport.close()

    def left(self) -> float:
        """Seconds until the deadline (0 or less: passed)."""
        return self.ends_at - self.monotonic()

    def deliver(self, handoff_id: int, webhook_id: str, body: bytes) -> Delivery:
        """POST one handoff, retrying as the module docstring says."""
        status: int | None = None
        error = "not sent"
        attempt = 0
        deadline = f"the {self.options.deadline:g} s deadline passed"
        while attempt < self.options.attempts:
            left = self.left()
            if left <= 0:
                return Delivery(handoff_id, False, attempt, status, error, stop=deadline)
            attempt += 1
            timeout = min(self.options.timeout, left)
            status, error, retried, asked = self._attempt(webhook_id, body, timeout)
            if status is not None and 200 <= status < 300:
                return Delivery(handoff_id, True, attempt, status, None)
            if not retried or attempt == self.options.attempts:
                break
            wait = self._backoff(attempt) if asked is None else asked
            if wait > self.options.max_retry_after:
                stop = (
                    f"the receiver asked to retry after {wait:g} s"
                    f" (more than {self.options.max_retry_after:g} s)"
                )
                return Delivery(handoff_id, False, attempt, status, error, stop=stop)
            if wait >= self.left():
                return Delivery(handoff_id, False, attempt, status, error, stop=deadline)
            self.sleep(wait)
        return Delivery(handoff_id, False, attempt, status, f"{error} after {attempt} attempt(s)")

    def _attempt(
        self, webhook_id: str, body: bytes, timeout: float
    ) -> tuple[int | None, str, bool, float | None]:
        """One POST: ``(status, error, whether to retry, seconds a Retry-After asks)``."""
        stamp = self.clock()
        headers = {
            "Content-Type": "application/json",
            "User-Agent": USER_AGENT,
            "webhook-id": webhook_id,
            "webhook-timestamp": str(math.floor(stamp)),
            "Idempotency-Key": webhook_id,
        }
        if self.signer is not None:
            headers["webhook-signature"] = self.signer.sign(
                webhook_id, datetime.fromtimestamp(stamp, UTC), body.decode("utf-8")
            )
        try:
            status, asked_wait = self.transport.post(body, headers, timeout)
        except TimeoutError:
            return None, f"no answer within {timeout:g} s", True, None
        except (OSError, http.client.HTTPException) as failure:
            return None, f"network error ({str(failure) or type(failure).__name__})", True, None
        if 200 <= status < 300:
            return status, "", False, None
        asked = None
        if status in RETRY_AFTER_STATUSES:
            asked = retry_after(asked_wait, self.clock())
        return status, f"HTTP {status}", is_retried(status), asked

    def _backoff(self, attempt: int) -> float:
        bound = backoff_bound(self.options, attempt)
        return self.jitter(bound / 2, bound)


# Any number of digits: a well-formed duration that is too long is "at most 24h".
_DURATION = re.compile(r"(?:([0-9]+)h)?(?:([0-9]+)m)?(?:([0-9]+(?:\.[0-9]+)?)s?)?")


def parse_deadline(text: str) -> float:
    """``10m``, ``90s``, ``1h30m`` or plain seconds (``600``) as seconds.

    Raises:
        WebhookOptionsError: not such a duration, 0, or more than 24h.
    """
    match = _DURATION.fullmatch(text.strip().lower())
    if not text.strip() or match is None:
        raise WebhookOptionsError(
            f"deadline {text[:40]!r}: expected a duration such as 10m, 90s, 1h30m or 600"
        )
    hours, minutes, seconds = (float(part or 0) for part in match.groups())
    total = hours * 3600 + minutes * 60 + seconds
    if not 0 < total <= MAX_DEADLINE:
        raise WebhookOptionsError(f"deadline {text[:40]!r}: expected more than 0 and at most 24h")
    return total
