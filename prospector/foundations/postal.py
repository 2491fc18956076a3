"""Postal codes to places and time zones: US ZIP codes, Canadian postal codes, and
the outlying regions of a few other countries.

US: the ``zipcodes`` package's table (every ZIP with its state and zone), read
once per process on first use into a ``{zip: (state, zone)}`` dict (cached in
the user's cache folder: see :func:`_zip_table`); ZIP+4 and 4-digit ZIPs whose
leading zero a spreadsheet dropped are read too. Elsewhere a code's first
characters name its province (``data/postal_codes.toml``: Canada's first letter;
the Canaries' 35 and 38 in Spain, the Azores in Portugal), whose zones come from
the state table.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import re
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path
from typing import NamedTuple

from prospector.foundations import regions
from prospector.foundations.shipped import shipped_toml
from prospector.foundations.zones import is_zone

_ZIP = re.compile(r"^(\d{4,5})(?:\s*-\s*\d{4})?$")
_CA_POSTAL = re.compile(r"^([A-Za-z])\d[A-Za-z]\s*-?\s*\d[A-Za-z]\d$")
_DIGITS = re.compile(r"^(\d{4,5})(?:\s*-\s*\d{3})?$")


class PostalPlace(NamedTuple):
    """Where a postal code is: its state/province (when one) and its zones."""

    country: str
    state: str | None
    zones: tuple[str, ...]


@functools.cache
def _zip_table() -> dict[str, tuple[str, str]]:
    """``{zip: (state, zone)}``, from the user's cache when it holds this ``zipcodes``
    release's table (a hundredth of a second, against half a second to read the
    package's own), else from the package, then cached."""
    path = _zip_cache()
    if path is not None:
        with contextlib.suppress(OSError, ValueError):
            return _cached(path)
    import zipcodes  # here: its table costs half a second, only postal codes need it

    table = _usable(
        (entry["zip_code"], entry["state"], entry["timezone"]) for entry in zipcodes.list_all()
    )
    if path is not None:
        with contextlib.suppress(OSError):
            path.parent.mkdir(parents=True, exist_ok=True)
            part = path.with_suffix(f".{os.getpid()}.part")
            part.write_text(json.dumps(table), "utf-8")
            os.replace(part, path)
    return table


def _cached(path: Path) -> dict[str, tuple[str, str]]:
    """The table cached at ``path``; ValueError when it is not one."""
    data = json.loads(path.read_text("utf-8"))
    if not isinstance(data, dict) or not data:
        raise ValueError(f"{path}: not a ZIP table")
    entries = []
    for code, place in data.items():
        if not (isinstance(place, list) and len(place) == 2 and all(map(_is_text, place))):
            raise ValueError(f"{path}: not a ZIP table")
        entries.append((code, *place))
    return _usable(entries)


def _is_text(value: object) -> bool:
    return isinstance(value, str)


def _usable(entries: Iterable[tuple[str, str, str]]) -> dict[str, tuple[str, str]]:
    # An empty or unknown zone (the table has "Napakiak" once) falls through to
    # the next evidence: checked once per distinct name.
    table = {code: (state, zone) for code, state, zone in entries}
    usable = {zone for zone in {zone for _state, zone in table.values()} if is_zone(zone)}
    return {code: place for code, place in table.items() if place[1] in usable}


def _zip_cache() -> Path | None:
    """Where this ``zipcodes`` release's table is cached, if anywhere."""
    import platformdirs

    try:
        release = metadata.version("zipcodes")
    except metadata.PackageNotFoundError:
        return None
    return Path(platformdirs.user_cache_dir("prospector")) / f"zip-zones-{release}.json"


@functools.cache
def _postal_table() -> dict:
    return shipped_toml("postal_codes.toml")


def _prefixes() -> dict[str, dict[str, list[str]]]:
    """Country -> postal code prefix -> the provinces it may be in."""
    return _postal_table()["prefixes"]


def _digits() -> dict[str, int]:
    return _postal_table()["digits"]


def warm_up() -> None:
    """Read the ZIP table now (forked workers then share it)."""
    _zip_table()


@functools.lru_cache(maxsize=1 << 16)
def postal_place(code: str | None, country: str | None) -> PostalPlace | None:
    """The place of a postal code in ``country``, or None when unknown."""
    if not code or not country:
        return None
    text = code.strip()
    if country == "US":
        match = _ZIP.match(text)
        if not match:
            return None
        found = _zip_table().get(match.group(1).zfill(5))
        if found is None:
            return None
        state, zone = found
        return PostalPlace("US", state, (zone,))
    prefixes = _prefixes().get(country)
    if prefixes is None:
        return None
    match = (_CA_POSTAL if country == "CA" else _DIGITS).match(text)
    if not match:
        return None
    digits = match.group(1).upper().zfill(_digits().get(country, 0))
    heads = (digits[:size] for size in range(len(digits), 0, -1))
    provinces = next((prefixes[head] for head in heads if head in prefixes), ())
    zones = {z for code in provinces for z in regions.state_zones(country, code) or ()}
    if not zones:
        return None
    return PostalPlace(country, provinces[0] if len(provinces) == 1 else None, tuple(sorted(zones)))
