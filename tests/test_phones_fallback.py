"""Phones without phonenumbers' private parts: the public API gives the same answers.

A child interpreter hides every private name the shortcuts import (as a release of
``phonenumbers`` or of Python that moved them would), then normalizes a table of
numbers from every region ``phonenumbers`` knows; this process normalizes the same
table with the shortcuts. Both must agree, number for number.
"""

from __future__ import annotations

import json
import subprocess
import sys

import phonenumbers
import pytest
from phonenumbers import PhoneNumberFormat, PhoneNumberType

from prospector.foundations import phones

# Run by the child with the names to hide as arguments: a module's private name is
# hidden by a stand-in module in sys.modules, a whole module by a finder that
# refuses it, all before the phones module is imported.
CHILD = r"""
import importlib.abc, json, sys, types
import phonenumbers, phonenumbers.phonenumberutil, phonenumbers.timezone, re._parser

class Without(types.ModuleType):
    def __init__(self, real, hidden):
        super().__init__(real.__name__)
        self._real, self._hidden = real, hidden
    def __getattr__(self, name):
        if name == self._hidden:
            raise AttributeError(name)
        return getattr(self._real, name)

class Refuse(importlib.abc.MetaPathFinder):
    def __init__(self, name):
        self.name = name
    def find_spec(self, fullname, path=None, target=None):
        if fullname == self.name:
            raise ImportError(f"{fullname} hidden by the test")
        return None

for hidden in sys.argv[1:]:
    if hidden in ("phonenumbers.tzdata", "re._parser"):
        sys.modules.pop(hidden)
        sys.meta_path.insert(0, Refuse(hidden))
    else:
        module, name = hidden.rsplit(".", 1)
        sys.modules[module] = Without(sys.modules[module], name)

from prospector.foundations import phones

table = json.load(sys.stdin)
book = phones.PhoneBook()
out = []
for text, region in table:
    try:
        out.append(book.normalize(text, region)._asdict())
    except phones.PhoneError as error:
        out.append(str(error))
print(json.dumps({"shortcuts": phones.SHORTCUTS, "results": out}))
"""
PRIVATE = (
    "phonenumbers.phonenumberutil._number_type_helper",
    "phonenumbers.timezone._country_level_time_zones_for_number",
    "phonenumbers.tzdata",
    "re._parser",
)


def in_child(hidden: tuple[str, ...], table: list[tuple[str, str]]) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", CHILD, *hidden],
        input=json.dumps(table),
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def normalized(table: list[tuple[str, str]]) -> list:
    book = phones.PhoneBook()
    results: list = []
    for text, region in table:
        try:
            results.append(book.normalize(text, region)._asdict())
        except phones.PhoneError as error:
            results.append(str(error))
    return json.loads(json.dumps(results))  # zones as lists, as the child's


TYPES = (PhoneNumberType.FIXED_LINE, PhoneNumberType.MOBILE, PhoneNumberType.TOLL_FREE)


def number_table() -> list[tuple[str, str]]:
    """Example numbers of every region (fixed, mobile, toll-free), national and E.164."""
    table = []
    for region in sorted(phonenumbers.SUPPORTED_REGIONS):
        for kind in TYPES:
            example = phonenumbers.example_number_for_type(region, kind)
            if example is None:
                continue
            national = phonenumbers.format_number(example, PhoneNumberFormat.NATIONAL)
            table.append((national, region))
            table.append((phonenumbers.format_number(example, PhoneNumberFormat.E164), "US"))
    # North American numbers of many area codes (cached per prefix with the
    # shortcuts, per number without), and numbers that are not numbers.
    for area in (201, 208, 212, 264, 340, 416, 418, 604, 684, 787, 800, 867, 876, 905):
        table.append((f"({area}) 606-0123", "US"))
        table.append((f"+1 {area} 555 2671", "GB"))
    table += [("12", "US"), ("+44 20", "GB"), ("(123) 456-7890", "US"), ("+999 1234", "US")]
    return table


@pytest.mark.parametrize("hidden", PRIVATE)
def test_any_private_name_missing_means_the_public_way(hidden):
    table = [("(208) 606-0123", "US"), ("+44 20 7946 0018", "US")]
    child = in_child((hidden,), table)
    assert child["shortcuts"] is False
    assert child["results"] == normalized(table)
    assert in_child((), table)["shortcuts"] is True  # nothing hidden: the shortcuts


def test_the_public_api_gives_the_same_answers_as_the_shortcuts():
    table = number_table()
    assert len({region for _, region in table}) > 200
    assert phones.SHORTCUTS is True  # this interpreter takes the shortcuts
    expected = normalized(table)
    child = in_child(PRIVATE, table)
    assert child["shortcuts"] is False  # the child really took the public way
    for row, ours, theirs in zip(table, expected, child["results"], strict=True):
        assert theirs == ours, row
    valid = [result for result in expected if isinstance(result, dict)]
    assert len(valid) > 600 and len(valid) < len(expected)
