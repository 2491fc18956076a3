"""Time zones of US states and Canadian provinces, and names for them.

States that span two zones list both (a contact there is callable only when the
window is open in each). The zones are those of the area's population centres;
tiny exceptions (a few border counties) are covered by the "every zone" rule.
"""

from __future__ import annotations

ET, CT, MT, PT = "America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles"
AZ, AK, HI = "America/Phoenix", "America/Anchorage", "Pacific/Honolulu"

US_STATES: dict[str, tuple[str, tuple[str, ...]]] = {
    "AL": ("Alabama", (CT,)),
    "AK": ("Alaska", (AK, "America/Adak")),
    "AZ": ("Arizona", (AZ,)),
    "AR": ("Arkansas", (CT,)),
    "CA": ("California", (PT,)),
    "CO": ("Colorado", (MT,)),
    "CT": ("Connecticut", (ET,)),
    "DE": ("Delaware", (ET,)),
    "DC": ("District of Columbia", (ET,)),
    "FL": ("Florida", (ET, CT)),
    "GA": ("Georgia", (ET,)),
    "HI": ("Hawaii", (HI,)),
    "ID": ("Idaho", ("America/Boise", PT)),
    "IL": ("Illinois", (CT,)),
    "IN": ("Indiana", ("America/Indiana/Indianapolis", CT)),
    "IA": ("Iowa", (CT,)),
    "KS": ("Kansas", (CT, MT)),
    "KY": ("Kentucky", ("America/Kentucky/Louisville", CT)),
    "LA": ("Louisiana", (CT,)),
    "ME": ("Maine", (ET,)),
    "MD": ("Maryland", (ET,)),
    "MA": ("Massachusetts", (ET,)),
    "MI": ("Michigan", ("America/Detroit", "America/Menominee")),
    "MN": ("Minnesota", (CT,)),
    "MS": ("Mississippi", (CT,)),
    "MO": ("Missouri", (CT,)),
    "MT": ("Montana", (MT,)),
    "NE": ("Nebraska", (CT, MT)),
    "NV": ("Nevada", (PT,)),
    "NH": ("New Hampshire", (ET,)),
    "NJ": ("New Jersey", (ET,)),
    "NM": ("New Mexico", (MT,)),
    "NY": ("New York", (ET,)),
    "NC": ("North Carolina", (ET,)),
    "ND": ("North Dakota", (CT, MT)),
    "OH": ("Ohio", (ET,)),
    "OK": ("Oklahoma", (CT,)),
    "OR": ("Oregon", (PT, "America/Boise")),
    "PA": ("Pennsylvania", (ET,)),
    "RI": ("Rhode Island", (ET,)),
    "SC": ("South Carolina", (ET,)),
    "SD": ("South Dakota", (CT, MT)),
    "TN": ("Tennessee", (CT, ET)),
    "TX": ("Texas", (CT, MT)),
    "UT": ("Utah", (MT,)),
    "VT": ("Vermont", (ET,)),
    "VA": ("Virginia", (ET,)),
    "WA": ("Washington", (PT,)),
    "WV": ("West Virginia", (ET,)),
    "WI": ("Wisconsin", (CT,)),
    "WY": ("Wyoming", (MT,)),
    "PR": ("Puerto Rico", ("America/Puerto_Rico",)),
    "GU": ("Guam", ("Pacific/Guam",)),
    "VI": ("U.S. Virgin Islands", ("America/St_Thomas",)),
}

CA_PROVINCES: dict[str, tuple[str, tuple[str, ...]]] = {
    "AB": ("Alberta", ("America/Edmonton",)),
    "BC": ("British Columbia", ("America/Vancouver", "America/Edmonton")),
    "MB": ("Manitoba", ("America/Winnipeg",)),
    "NB": ("New Brunswick", ("America/Moncton",)),
    "NL": ("Newfoundland and Labrador", ("America/St_Johns", "America/Goose_Bay")),
    "NS": ("Nova Scotia", ("America/Halifax",)),
    "NT": ("Northwest Territories", ("America/Yellowknife",)),
    "NU": ("Nunavut", ("America/Iqaluit", "America/Rankin_Inlet", "America/Cambridge_Bay")),
    "ON": ("Ontario", ("America/Toronto", "America/Winnipeg")),
    "PE": ("Prince Edward Island", ("America/Halifax",)),
    "QC": ("Quebec", ("America/Toronto",)),
    "SK": ("Saskatchewan", ("America/Regina",)),
    "YT": ("Yukon", ("America/Whitehorse",)),
}

_BY_COUNTRY = {"US": US_STATES, "CA": CA_PROVINCES}
_NAME_INDEX = {
    (country, name.casefold()): code
    for country, table in _BY_COUNTRY.items()
    for code, (name, _zones) in table.items()
}

COUNTRY_NAMES = {
    "united states": "US",
    "united states of america": "US",
    "usa": "US",
    "u.s.": "US",
    "u.s.a.": "US",
    "america": "US",
    "canada": "CA",
    "united kingdom": "GB",
    "uk": "GB",
    "great britain": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "northern ireland": "GB",
    "ireland": "IE",
    "australia": "AU",
    "germany": "DE",
    "france": "FR",
    "mexico": "MX",
}


def country_code(text: str | None) -> str | None:
    """An ISO 3166 alpha-2 code from a code or a common country name."""
    if not text:
        return None
    value = text.strip()
    if len(value) == 2 and value.isalpha():
        return "GB" if value.upper() == "UK" else value.upper()
    return COUNTRY_NAMES.get(value.casefold())


def state_code(text: str | None, country: str | None) -> tuple[str, str] | None:
    """``(country, STATE)`` for a US state or Canadian province code or name.

    With no country known, US is tried first, then Canada.
    """
    if not text:
        return None
    value = text.strip()
    countries = [country] if country in _BY_COUNTRY else ["US", "CA"]
    for candidate in countries:
        table = _BY_COUNTRY[candidate]
        if value.upper() in table:
            return candidate, value.upper()
        code = _NAME_INDEX.get((candidate, value.casefold()))
        if code:
            return candidate, code
    return None


def state_zones(country: str, state: str) -> tuple[str, ...] | None:
    """The zones of a state/province, or None when unknown."""
    table = _BY_COUNTRY.get(country)
    entry = table.get(state) if table else None
    return entry[1] if entry else None
