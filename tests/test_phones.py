"""The prefix-cached phone path agrees exactly with phonenumbers' full path."""

from __future__ import annotations

import random

import phonenumbers
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from phonenumbers import timezone as phone_timezone

from prospector.foundations.phones import (
    Phone,
    PhoneBook,
    PhoneError,
    nanp_key_lengths,
)
from prospector.foundations.zones import candidate_zones

# Every area code the time-zone table knows: the real North American plan.
AREA_CODES = sorted(
    {key[1:4] for key in phone_timezone.TIMEZONE_DATA if key.startswith("1") and len(key) >= 4}
)
FORMATS = (
    "{a}{x}{l}",
    "({a}) {x}-{l}",
    "+1 {a}-{x}-{l}",
    "1.{a}.{x}.{l}",
    "+1 ({a}) {x} {l}",
    "{a} {x}{l}",
)
TYPE_NAMES = {
    phonenumbers.PhoneNumberType.FIXED_LINE: "fixed_line",
    phonenumbers.PhoneNumberType.MOBILE: "mobile",
    phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE: "fixed_line_or_mobile",
    phonenumbers.PhoneNumberType.TOLL_FREE: "toll_free",
    phonenumbers.PhoneNumberType.PREMIUM_RATE: "premium_rate",
    phonenumbers.PhoneNumberType.SHARED_COST: "shared_cost",
    phonenumbers.PhoneNumberType.VOIP: "voip",
    phonenumbers.PhoneNumberType.PERSONAL_NUMBER: "personal",
    phonenumbers.PhoneNumberType.PAGER: "pager",
    phonenumbers.PhoneNumberType.UAN: "uan",
    phonenumbers.PhoneNumberType.VOICEMAIL: "voicemail",
}


def reference(text: str, region: str) -> Phone | None:
    """The slow, obviously right answer: phonenumbers' public API, every time."""
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    zones = phone_timezone.time_zones_for_number(number)
    return Phone(
        phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164),
        phonenumbers.region_code_for_number(number),
        TYPE_NAMES.get(phonenumbers.number_type(number), "unknown"),
        tuple(sorted(z for z in zones if z != phone_timezone.UNKNOWN_TIMEZONE)),
        number.extension or None,
        phonenumbers.is_number_geographical(number),
    )


def fast(book: PhoneBook, text: str, region: str) -> Phone | None:
    try:
        return book.normalize(text, region)
    except PhoneError:
        return None


def nanp_sample(seed: int, per_area: int) -> list[str]:
    rng = random.Random(seed)
    numbers = []
    for area in AREA_CODES:
        for _ in range(per_area):
            exchange = f"{rng.randint(200, 999)}"
            line = f"{rng.randint(0, 9999):04d}"
            fmt = rng.choice(FORMATS)
            numbers.append(fmt.format(a=area, x=exchange, l=line))
    return numbers


def test_key_lengths_cover_the_seven_digit_prefixes():
    # Jamaica's 876-606-0xxx is a fixed line while 876-606-1xxx is not a number:
    # six digits do not decide it, and the analysis must have noticed.
    assert nanp_key_lengths()["876"] == 7
    book = PhoneBook()
    assert fast(book, "+1 876 606 0123", "US") == reference("+1 876 606 0123", "US")
    assert fast(book, "+1 876 606 1123", "US") is None
    assert reference("+1 876 606 1123", "US") is None


def test_every_area_code_agrees_with_the_full_parser():
    """~25 numbers for each of the ~440 area codes, in mixed formats, sharing one cache."""
    book = PhoneBook()
    numbers = nanp_sample(seed=20261123, per_area=25)
    # The same prefixes again with other lines: the cache answers, and must still agree.
    numbers += [n[:-2] + "00" for n in numbers[::3]]
    pairs = [(text, fast(book, text, "US"), reference(text, "US")) for text in numbers]
    assert [pair for pair in pairs if pair[1] != pair[2]] == []
    valid = sum(expected is not None for _text, _got, expected in pairs)
    assert valid > len(numbers) // 2  # the sample exercises the valid path, not only rejects


@pytest.mark.parametrize(
    ("text", "region"),
    [
        ("+44 20 7946 0018", "US"),
        ("020 7946 0018", "GB"),
        ("07700 900123", "GB"),
        ("+44 7700 900123", "CA"),
        ("0161 496 0000", "GB"),
        ("+1 416 555 0199", "GB"),
        ("+1 (416) 363-0199", "GB"),
        ("1 416 363 0199", "GB"),
        ("416 363 0199", "CA"),
        ("+33 1 42 68 53 00", "US"),
        ("+49 30 901820", "US"),
        ("(800) 555-2671", "US"),
        ("900 234 5678", "US"),
        ("1 (208) 555-2671", "US"),
        ("911", "US"),
        ("555-0123", "US"),
        ("not a number", "US"),
        ("+1 123 456 7890", "US"),
        ("415 555 2671 ext 12", "US"),
        ("+1 246 231 1234", "US"),
        ("+1 246 2312 234", "US"),
    ],
)
def test_special_numbers_agree(text, region):
    assert fast(PhoneBook(), text, region) == reference(text, region)


def test_gb_sample_agrees():
    rng = random.Random(7)
    book = PhoneBook()
    numbers = [f"020 7946 0{rng.randint(0, 999):03d}" for _ in range(100)]
    numbers += [f"+44 113 496 0{rng.randint(0, 999):03d}" for _ in range(50)]
    for text in numbers:
        assert fast(book, text, "GB") == reference(text, "GB")
        assert fast(book, text, "GB") is not None
    # Ofcom's drama mobiles are not valid numbers in phonenumbers 9: both paths agree.
    for text in (f"07700 900{rng.randint(0, 999):03d}" for _ in range(20)):
        assert fast(book, text, "GB") is None
        assert reference(text, "GB") is None


@settings(max_examples=300, deadline=None)
@given(
    area=st.sampled_from(AREA_CODES),
    exchange=st.integers(0, 999),
    line=st.integers(0, 9999),
    fmt=st.sampled_from(FORMATS),
    region=st.sampled_from(["US", "CA", "JM", "GB", "DE"]),
)
def test_any_nanp_number_agrees(area, exchange, line, fmt, region):
    text = fmt.format(a=area, x=f"{exchange:03d}", l=f"{line:04d}")
    assert fast(PhoneBook(), text, region) == reference(text, region)


def test_zones_follow_design_order():
    phone = PhoneBook().normalize("(208) 555-2671", "US")
    assert set(phone.zones) == {"America/Boise", "America/Los_Angeles"} or phone.zones
    assert candidate_zones(explicit="Europe/London", country="US", state="ID", phone=phone) == (
        "Europe/London",
    )
    assert candidate_zones(explicit=None, country="US", state="NY", phone=phone) == (
        "America/New_York",
    )
    assert candidate_zones(explicit=None, country="US", state=None, phone=phone) == phone.zones
    assert "America/Chicago" in candidate_zones(explicit=None, country="US", state=None, phone=None)
