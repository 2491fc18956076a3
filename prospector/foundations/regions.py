"""Countries, states and provinces from what people type, and the zones of a state.

Countries come from ISO 3166 (pycountry): alpha-2 and alpha-3 codes, names,
official and common names, the names in the languages of
``data/countries.toml``'s ``locales``, and that file's aliases (``USA``, ``UK``,
``Holland``). States and provinces come from ISO 3166-2: codes (``FL``,
``US-FL``) and names, for every country pycountry knows. Their time zones are
data too (``data/state_zones.toml``: US states, Canadian provinces, Australian
states). Lookups fold case, accents, spaces and punctuation, are built once per
process and remember every text they have answered (imports run them per row).
"""

from __future__ import annotations

import functools
import gettext

from prospector.foundations.folding import compact_key
from prospector.foundations.shipped import shipped_toml

STATE_FIRST = ("US", "CA", "AU")
"""Where a state without a country is looked for, in this order."""


@functools.cache
def _state_zone_table() -> dict[str, dict[str, tuple[str, ...]]]:
    return {
        country: {code: tuple(zones) for code, zones in states.items()}
        for country, states in shipped_toml("state_zones.toml").items()
    }


@functools.cache
def _countries() -> dict[str, str]:
    import pycountry  # here, not at import: most commands never look a country up

    table = shipped_toml("countries.toml")
    names: dict[str, str] = {}

    def add(name: str | None, code: str) -> None:
        key = compact_key(name) if name else ""
        if key and key not in names:  # earlier (more trusted) sources win
            names[key] = code

    for alias, code in table["aliases"].items():
        add(alias, code)
    countries = list(pycountry.countries)
    for country in countries:
        add(country.alpha_2, country.alpha_2)
    for country in countries:
        add(country.alpha_3, country.alpha_2)
    for attribute in _ENGLISH:
        for country in countries:
            add(getattr(country, attribute, None), country.alpha_2)
    return names


_ENGLISH = ("name", "common_name", "official_name")


@functools.cache
def _local_names() -> dict[str, str]:
    # Read only when a name is not English (the translations take most of the
    # table's build time); English names and aliases win over them.
    import pycountry

    names: dict[str, str] = {}
    countries = list(pycountry.countries)
    for locale in shipped_toml("countries.toml")["locales"]:
        translation = gettext.translation(
            "iso3166-1", pycountry.LOCALES_DIR, languages=[locale], fallback=True
        )
        for attribute in _ENGLISH:
            for country in countries:
                name = getattr(country, attribute, None)
                key = compact_key(translation.gettext(name)) if name else ""
                if key and key not in names:
                    names[key] = country.alpha_2
    return names


@functools.lru_cache(maxsize=1 << 16)
def country_code(text: str | None) -> str | None:
    """An ISO 3166 alpha-2 code from a code or a name, in English or a local language."""
    if not text:
        return None
    key = compact_key(text)
    return _countries().get(key) or _local_names().get(key)


@functools.cache
def _table_codes(country: str) -> dict[str, str]:
    """The state table's codes of a country (``fl``, ``usfl``) and the aliases of
    ``data/countries.toml``, without ISO's data."""
    found: dict[str, str] = {}
    for code in _state_zone_table().get(country, {}):
        found[compact_key(code)] = code
        found[compact_key(f"{country}-{code}")] = code
    for name, code in shipped_toml("countries.toml")["state_aliases"].get(country, {}).items():
        found.setdefault(compact_key(name), code)
    return found


def _state_in(country: str, key: str) -> str | None:
    # The state table's codes first: they win over ISO's names and codes.
    return _table_codes(country).get(key) or _subdivisions(country).get(key)


@functools.cache
def _subdivisions(country: str) -> dict[str, str]:
    """Folded code, ``CC-code`` and name -> the code without its country prefix."""
    import pycountry

    found: dict[str, str] = {}
    names: dict[str, str] = {}
    for division in pycountry.subdivisions.get(country_code=country) or ():
        code = division.code.partition("-")[2]
        found.setdefault(compact_key(code), code)
        found.setdefault(compact_key(division.code), code)
        # ISO gives some names with their other spelling: "Lleida [Lérida]".
        for name in division.name.replace("]", "").split(" ["):
            names.setdefault(compact_key(name), code)
    for key, code in names.items():
        found.setdefault(key, code)  # a code wins over a name that folds the same
    return found


@functools.lru_cache(maxsize=1 << 16)
def state_code(
    text: str | None, country: str | None, prefer: str | None = None
) -> tuple[str, str] | None:
    """``(country, CODE)`` for a state/province code or name, or ``None``.

    Without a country, ``US-FL``-style codes name their own; otherwise ``prefer``
    (the team's region) and then :data:`STATE_FIRST` are tried in order.
    """
    if not text:
        return None
    key = compact_key(text)
    if not key:
        return None
    if country:
        code = _state_in(country, key)
        return (country, code) if code else None
    head, dash, _rest = text.strip().partition("-")
    if dash and len(head) == 2 and head.isalpha():
        named = country_code(head)
        if named:
            code = _state_in(named, key)
            if code:
                return named, code
    for candidate in dict.fromkeys((prefer, *STATE_FIRST)):
        if candidate:
            code = _state_in(candidate, key)
            if code:
                return candidate, code
    return None


def state_zones(country: str, state: str) -> tuple[str, ...] | None:
    """The zones of a state/province (main one first), or None when unknown."""
    table = _state_zone_table().get(country)
    return table.get(state) if table else None


def state_name(country: str, state: str) -> str:
    """``("US", "FL")`` -> ``"Florida"`` (the code itself when ISO has no name)."""
    import pycountry

    division = pycountry.subdivisions.get(code=f"{country}-{state}")
    return division.name if division else state


def _named_table(country: str) -> dict[str, tuple[str, tuple[str, ...]]]:
    return {
        code: (state_name(country, code), zones)
        for code, zones in _state_zone_table()[country].items()
    }


_NAMED_TABLES = {"US_STATES": "US", "CA_PROVINCES": "CA", "AU_STATES": "AU"}


def __getattr__(name: str) -> dict[str, tuple[str, tuple[str, ...]]]:
    # ``US_STATES`` etc.: code -> (name, zones), built on first use (not at import:
    # every command imports this module, few need the names).
    if name in _NAMED_TABLES:
        table = globals()[name] = _named_table(_NAMED_TABLES[name])
        return table
    raise AttributeError(name)
