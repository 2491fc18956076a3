"""Company domains from websites and email addresses, by the public-suffix list.

``shop.acme.co.uk`` -> ``acme.co.uk``: tldextract with the list snapshot it
ships (never the network: no list URLs, no cache directory). It costs some
microseconds a host, so every host's answer is remembered (per process).
Free-mail domains (``data/free_mail.txt``) are no company's.
"""

from __future__ import annotations

import functools
import re

from prospector.foundations.shipped import shipped_lines

_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*://")
_HOST_END = re.compile(r"[/?#:@\s]")


def _lines(name: str) -> frozenset[str]:
    return frozenset(line.casefold() for line in shipped_lines(name))


@functools.cache
def free_mail() -> frozenset[str]:
    """Domains of free-mail providers (gmail.com, web.de…)."""
    return _lines("free_mail.txt")


@functools.cache
def company_suffixes() -> frozenset[str]:
    """Legal-form words (inc, gmbh…) that end company names."""
    return _lines("company_suffixes.txt")


@functools.cache
def _extractor():
    import tldextract  # here: its snapshot loads on first use

    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


@functools.lru_cache(maxsize=1 << 16)
def registered_domain(host: str) -> str | None:
    """The domain a company registered: ``shop.acme.co.uk`` -> ``acme.co.uk``.

    A host under no public suffix (``acme.example``, ``intranet.local``: reserved
    and private names) keeps its last two labels; an IP address or a single
    label gives None.
    """
    host = host.strip(".").casefold()
    if "." not in host or host.replace(".", "").isdigit():
        return None
    parts = _extractor()(host)
    if parts.suffix and parts.domain:
        return f"{parts.domain}.{parts.suffix}"
    if parts.suffix:  # the host is itself a public suffix (co.uk)
        return None
    return ".".join(host.split(".")[-2:])


@functools.lru_cache(maxsize=1 << 16)
def website_domain(text: str | None) -> str | None:
    """``https://www.Example.com/about`` -> ``example.com``."""
    if not text:
        return None
    host = _SCHEME.sub("", text.strip().casefold())
    host = _HOST_END.split(host, maxsplit=1)[0].strip(".")
    return registered_domain(host) if "." in host else None


def email_domain(email: str | None) -> str | None:
    """The company domain of a work email; ``None`` for free-mail addresses."""
    if not email or "@" not in email:
        return None
    host = email.rpartition("@")[2].strip().casefold()
    if "." not in host or host in free_mail():
        return None
    domain = registered_domain(host)
    return None if domain in free_mail() else domain
