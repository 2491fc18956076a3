"""Every phone of a row: each phone column read, in dial order, with its kind.

Dial order is direct > work > mobile > other > company (a switchboard last), and
within a kind the columns' order. A junk cell (``n/a``, ``TBD``, ``k.A.``, ``0``:
``data/junk_cells.toml``) is skipped silently, a number Excel shortened to
``1.41556E+10`` or an invalid number is skipped with a note naming the column,
and the same number twice is kept once, as its best kind. A row is rejected
only when no column gives a valid number, with every cell tried in the reason.
"""

from __future__ import annotations

import functools
import re
from typing import NamedTuple

from prospector.foundations.folding import compact_key
from prospector.foundations.phones import Phone, PhoneBook, PhoneError
from prospector.foundations.shipped import shipped_toml

PHONE_FIELDS = (
    ("direct_phone", "direct"),
    ("phone", "work"),
    ("mobile_phone", "mobile"),
    ("other_phone", "other"),
    ("company_phone", "company"),
)
"""Import fields holding phones and the kind each gives, in dial order."""
EXTENSION_KINDS = frozenset({"direct", "work"})
"""The ``extension`` column belongs to the first phone of these kinds."""

_EXCEL_SHORTENED = re.compile(r"^\d+(?:[.,]\d+)?[eE]\+?\d+$")
_EXTENSION_CELL = re.compile(r"(\d{1,10})")
_INTERNATIONAL = ("+", "00", "011")


_SWITCHBOARDS: dict[tuple[str, str], Phone] = {}
_SWITCHBOARDS_MAX = 1 << 16


class PhoneColumn(NamedTuple):
    kind: str
    column: int
    label: str  # the column's header, for notes and reasons


RowPhones = tuple[list[tuple[Phone, str, str, str]], list[str]]
"""The valid phones of a row in dial order, ``(phone, raw cell, kind, column
label)`` each (``phones[0]`` is dialled), and the row's notes about its cells."""


def phone_columns(
    columns: dict[str, list[int]], headers: tuple[str, ...]
) -> tuple[PhoneColumn, ...]:
    """The phone columns of a file in dial order."""
    found = []
    for field, kind in PHONE_FIELDS:
        for index in columns.get(field, ()):
            label = headers[index] if index < len(headers) and headers[index] else field
            found.append(PhoneColumn(kind, index, label))
    return tuple(found)


@functools.cache
def junk_words() -> frozenset[str]:
    return frozenset(compact_key(word) for word in shipped_toml("junk_cells.toml")["words"])


def is_junk(cell: str) -> bool:
    """A cell that means "no number" (``n/a``, ``-``, ``000-000-0000``, ``k.A.``)."""
    key = compact_key(cell)
    if not key or key in junk_words():
        return True
    digits = [char for char in key if char.isdigit()]
    return bool(digits) and len(digits) == len(key) and set(digits) == {"0"}


def _skip(notes: list[str], tried: list[str], label: str, cell: str, why: str) -> None:
    """A cell that gives no number: a junk one ("n/a") is only named in a reject
    reason; anything else is a warning as well."""
    if is_junk(cell):
        tried.append(f"{label} {cell!r}")
    else:
        notes.append(why)
        tried.append(why)


def read_phones(
    book: PhoneBook,
    columns: tuple[PhoneColumn, ...],
    fields: list[str],
    region: str,
    *,
    international_only: bool = False,
    extension: str | None = None,
) -> RowPhones | str:
    """The row's valid phones and notes, or the reject reason when none is valid.

    ``international_only``: the row's country is unknown, so only numbers written
    with their country code (``+41 …``, ``0041 …``) can be placed.
    """
    width = len(fields)
    phones: list[tuple[Phone, str, str, str]] = []
    notes: list[str] = []
    tried: list[str] = []
    for kind, index, label in columns:
        cell = fields[index].strip() if index < width else ""
        if not cell:
            continue
        # Checked before parsing: what is left of the digits might pass for a number.
        if ("E+" in cell or "e+" in cell) and _EXCEL_SHORTENED.match(cell):
            notes.append(f"{label} {cell!r}: Excel shortened it, digits lost")
            tried.append(notes[-1])
            continue
        if international_only and not cell.startswith(_INTERNATIONAL):
            why = f"{label} {cell!r}: no country code, and the row's country is unknown"
            _skip(notes, tried, label, cell, why)
            continue
        try:
            if kind == "company":
                # A switchboard repeats on every colleague's row: parsed once.
                phone = _SWITCHBOARDS.get((cell, region))
                if phone is None:
                    if len(_SWITCHBOARDS) >= _SWITCHBOARDS_MAX:
                        _SWITCHBOARDS.clear()
                    phone = _SWITCHBOARDS[cell, region] = book.normalize(cell, region)
            else:
                phone = book.normalize(cell, region)
        except PhoneError as error:
            _skip(notes, tried, label, cell, f"{label} {error}")
            continue
        if phones:
            e164 = phone.e164
            for known in phones:
                if known[0].e164 == e164:
                    break  # the same number under a lesser kind
            else:
                phones.append((phone, cell, kind, label))
            continue
        phones.append((phone, cell, kind, label))
    if not phones:
        return "no valid phone: " + ", ".join(tried) if tried else "no phone number"
    if extension:
        _add_extension(phones, extension, notes)
    return phones, notes


def _add_extension(phones: list[tuple[Phone, str, str, str]], text: str, notes: list[str]) -> None:
    # "12", "x12", "ext. 12", and "12.0" (a spreadsheet's number cell).
    found = _EXTENSION_CELL.search(text.removesuffix(".0"))
    if found is None:
        notes.append(f"extension {text!r} has no digits")
        return
    for position, (phone, cell, kind, label) in enumerate(phones):
        if kind in EXTENSION_KINDS:
            if phone.extension is None:
                phones[position] = (phone._replace(extension=found.group(1)), cell, kind, label)
            elif phone.extension != found.group(1):
                notes.append(f"extension {text!r} left out: {label} {cell!r} has its own")
            return
    notes.append(f"extension {text!r} left out: no direct or work phone to dial it on")
