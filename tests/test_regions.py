"""Countries and states from what people type: ISO codes, names, local names, aliases."""

from __future__ import annotations

import pycountry
import pytest
from hypothesis import given
from hypothesis import strategies as st

from prospector.foundations import regions


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Switzerland", "CH"), ("Schweiz", "CH"), ("Suisse", "CH"), ("Svizzera", "CH"),
        ("Deutschland", "DE"), ("Allemagne", "DE"), ("Alemania", "DE"), ("Niemcy", "DE"),
        ("España", "ES"), ("espana", "ES"), ("Österreich", "AT"),
        ("Nederland", "NL"), ("Holland", "NL"), ("The Netherlands", "NL"),
        ("Sverige", "SE"), ("Danmark", "DK"), ("Norge", "NO"), ("Polska", "PL"),
        ("USA", "US"), ("U.S.", "US"), ("u.s.a.", "US"), ("United States of America", "US"),
        ("United States", "US"), ("UK", "GB"), ("Great Britain", "GB"), ("England", "GB"),
        ("United Kingdom", "GB"), ("DEU", "DE"), ("che", "CH"), ("fr", "FR"),
        ("Korea, Republic of", "KR"), ("South Korea", "KR"), ("Côte d'Ivoire", "CI"),
        ("Cote dIvoire", "CI"), ("Federal Republic of Germany", "DE"), ("Georgia", "GE"),
        ("Narnia", None), ("", None), ("--", None),
    ],
)  # fmt: skip
def test_country_codes(text, code):
    assert regions.country_code(text) == code


def test_every_iso_country_is_found_by_its_codes_and_names():
    for country in pycountry.countries:
        assert regions.country_code(country.alpha_2) == country.alpha_2
        assert regions.country_code(country.alpha_3) == country.alpha_2
        assert regions.country_code(country.name.upper()) == country.alpha_2, country.name


@given(st.sampled_from([c.name for c in pycountry.countries]), st.sampled_from(["", ".", " "]))
def test_case_spaces_and_punctuation_do_not_matter(name, extra):
    assert regions.country_code(f" {name.swapcase()}{extra}") == regions.country_code(name)


@pytest.mark.parametrize(
    ("text", "country", "expected"),
    [
        ("ID", None, ("US", "ID")),
        ("idaho", "US", ("US", "ID")),
        ("US-ID", None, ("US", "ID")),
        ("Ontario", None, ("CA", "ON")),
        ("BC", "CA", ("CA", "BC")),
        ("CA-QC", None, ("CA", "QC")),
        ("Québec", None, ("CA", "QC")),
        ("New South Wales", None, ("AU", "NSW")),
        ("Victoria", "AU", ("AU", "VIC")),
        ("Bayern", "DE", ("DE", "BY")),
        ("Zürich", "CH", ("CH", "ZH")),
        ("District of Columbia", None, ("US", "DC")),
        ("Narnia", "US", None),
        ("Narnia", None, None),
    ],
)
def test_state_codes(text, country, expected):
    assert regions.state_code(text, country) == expected


def test_a_preferred_country_decides_an_ambiguous_state():
    assert regions.state_code("WA", None) == ("US", "WA")
    assert regions.state_code("WA", None, "AU") == ("AU", "WA")
    assert regions.state_code("NT", None, "CA") == ("CA", "NT")


def test_the_state_tables_name_every_us_state_and_canadian_province():
    iso_us = {d.code[3:] for d in pycountry.subdivisions.get(country_code="US")}
    assert set(regions.US_STATES) <= iso_us
    assert len([s for s in iso_us if s in regions.US_STATES]) >= 51  # 50 states and DC
    iso_ca = {d.code[3:] for d in pycountry.subdivisions.get(country_code="CA")}
    assert set(regions.CA_PROVINCES) == iso_ca
    assert regions.US_STATES["FL"] == ("Florida", ("America/New_York", "America/Chicago"))
