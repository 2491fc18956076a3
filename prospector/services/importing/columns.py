"""Which column of a list file holds which field.

The header names come from a table shipped as package data
(``prospector/data/columns.toml``, one section per vendor or language), the
team's ``[import.columns]`` settings and ``--map "Header=field"``, in rising order
of precedence. Names are compared normalized: case, accents, spaces and
punctuation ignored, so ``Téléphone``, ``TELEPHONE`` and ``telephone`` are one name.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from prospector.foundations.errors import InputFileError
from prospector.foundations.shipped import shipped_file, shipped_toml
from prospector.services.importing.phones_in_row import PHONE_FIELDS
from prospector.services.importing.reader import TableFile
from prospector.services.settings.model import IMPORT_FIELDS

COLUMNS_FILE = shipped_file("columns.toml")
IGNORED = "ignored"
PHONE_KINDS = dict(PHONE_FIELDS)
"""The phone fields and the kind of number each gives, in dial order."""
FIELD_ALIASES = {"list": "list_name", "first": "first_name", "last": "last_name",
                 "name": "full_name", "firstname": "first_name", "lastname": "last_name",
                 "fullname": "full_name", "listname": "list_name", "ignore": IGNORED,
                 "mobile": "mobile_phone", "direct": "direct_phone", "zip": "postal_code",
                 "ext": "extension", "id": "external_id"}  # fmt: skip
# Ranks: --map before the team's names before the shipped table's (rank >= 0).
_MAP_RANK = -2_000_000
_SETTINGS_RANK = -1_000_000


def normalize_header(text: str) -> str:
    """Case, accents, spaces and punctuation dropped: "Téléphone (Pro)" -> "telephonepro"."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    return re.sub(r"[^0-9a-z]", "", folded)


@dataclass(frozen=True)
class ColumnNames:
    """Normalized header name -> ``(field or "ignored", rank)``; lower ranks read first."""

    names: Mapping[str, tuple[str, int]]

    def with_names(self, extra: Mapping[str, Sequence[str]], base_rank: int) -> ColumnNames:
        """These names with ``extra`` (field -> header names) taking precedence."""
        names = dict(self.names)
        for field, headers in extra.items():
            for position, header in enumerate(headers):
                names[normalize_header(header)] = (field, base_rank + position)
        return ColumnNames(names)


def read_column_table(text: str, origin: str = str(COLUMNS_FILE)) -> ColumnNames:
    """Parse a column table (the format of ``columns.toml``).

    Raises:
        ValueError: an unknown field, or one normalized name given two fields.
    """
    document: dict[str, Any] = tomllib.loads(text)
    names: dict[str, tuple[str, int]] = {}
    where: dict[str, str] = {}
    for section, fields in document.items():
        for field, headers in fields.items():
            if field not in (*IMPORT_FIELDS, IGNORED):
                raise ValueError(f"{origin}: [{section}] {field}: unknown field")
            for position, header in enumerate(headers):
                key = normalize_header(header)
                if not key:
                    raise ValueError(f"{origin}: [{section}] {field}: {header!r} has no letters")
                known = names.get(key)
                if known is not None and known[0] != field:
                    raise ValueError(
                        f"{origin}: [{section}] {field}: {header!r} is already"
                        f" {known[0]} in {where[key]}"
                    )
                rank = position if known is None else min(known[1], position)
                names[key] = (field, rank)
                where.setdefault(key, f"[{section}]")
    return ColumnNames(names)


@cache
def shipped_names() -> ColumnNames:
    """The table shipped with Prospector."""
    return read_column_table(COLUMNS_FILE.read_text(encoding="utf-8"))


def parse_mappings(items: Mapping[str, str] | Iterable[str]) -> dict[str, str]:
    """``["Header=field", ...]`` (or a dict) into ``{normalized header: field}``.

    Raises:
        InputFileError: an item without ``=`` or an unknown field name.
    """
    if isinstance(items, Mapping):
        pairs = list(items.items())
    else:
        pairs = []
        for item in items:
            if "=" not in item:
                raise InputFileError(f"--map {item!r}: expected HEADER=FIELD")
            header, _, field = item.rpartition("=")
            pairs.append((header, field))
    mapping = {}
    for header, field in pairs:
        name = field.strip().lower().replace(" ", "_").replace("-", "_")
        name = FIELD_ALIASES.get(name.replace("_", ""), name)
        if name not in (*IMPORT_FIELDS, IGNORED):
            raise InputFileError(
                f"--map {header}={field}: unknown field {field!r}"
                f" (expected one of: {', '.join(IMPORT_FIELDS)}, {IGNORED})"
            )
        mapping[normalize_header(header)] = name
    return mapping


@dataclass(frozen=True)
class ColumnUse:
    """What one column of the file became."""

    column: str  # the header as the file spells it
    field: str | None  # None: not read
    known: bool  # a name Prospector knows (for an ignored column: "known, not stored")

    @property
    def kind(self) -> str | None:
        """The kind of number a phone column gives."""
        return PHONE_KINDS.get(self.field or "")

    def describe(self) -> str:
        if self.field is None:
            return "ignored (known, not stored)" if self.known else "ignored (unknown column)"
        kind = self.kind
        return f"{self.field} (phone: {kind})" if kind else self.field

    def as_json(self) -> dict[str, Any]:
        return {"column": self.column, "field": self.field, "kind": self.kind,
                "known": self.known}  # fmt: skip


@dataclass(frozen=True)
class ColumnMap:
    """The file's columns: which hold each field (best first), and each one's use."""

    fields: dict[str, list[int]]
    uses: tuple[ColumnUse, ...]


def plan_columns(
    table: TableFile,
    overrides: Mapping[str, str],
    synonyms: Mapping[str, Sequence[str]] | None = None,
) -> ColumnMap:
    """Map a file's header: ``--map`` first, then the team's names, then the shipped table.

    Args:
        overrides: ``{normalized header: field}`` from :func:`parse_mappings`.
        synonyms: the settings' ``[import.columns]`` (field -> header names).

    Raises:
        InputFileError: a ``--map`` header the file does not have, or no phone column.
    """
    origin, header = table.origin, table.header
    normalized = [normalize_header(name) for name in header]
    for name in overrides:
        if name not in normalized:
            raise InputFileError(
                f"{origin}: --map names a column {name!r} the file does not have"
                f" (columns: {', '.join(header)})"
            )
    names = shipped_names()
    if synonyms:
        names = names.with_names(synonyms, _SETTINGS_RANK)
    found: dict[str, list[tuple[int, int]]] = {}
    uses = []
    for index, (spelled, name) in enumerate(zip(header, normalized, strict=True)):
        field: str | None
        if name in overrides:
            field, rank = overrides[name], _MAP_RANK
        else:
            field, rank = names.names.get(name, (None, 0))
        if field is None or field == IGNORED:
            uses.append(ColumnUse(spelled, None, field == IGNORED))
            continue
        found.setdefault(field, []).append((rank, index))
        uses.append(ColumnUse(spelled, field, True))
    fields = {field: [index for _rank, index in sorted(ranked)] for field, ranked in found.items()}
    if not any(field in fields for field in PHONE_KINDS):
        examples = ", ".join(_phone_examples())
        raise InputFileError(
            f"{origin}: header (row 1): no phone column (expected a header such as"
            f" {examples}; or --map 'HEADER=phone')"
        )
    return ColumnMap(fields, tuple(uses))


def phone_columns(header: Sequence[str]) -> list[int]:
    """The columns the shipped table reads as phones, in dial order."""
    names = shipped_names().names
    ranked = []
    for index, name in enumerate(header):
        field = names.get(normalize_header(name), ("", 0))[0]
        if field in PHONE_KINDS:
            ranked.append((list(PHONE_KINDS).index(field), index))
    return [index for _kind, index in sorted(ranked)]


def _phone_examples() -> list[str]:
    generic = shipped_toml("columns.toml")["generic"]
    return [generic[field][0] for field in PHONE_KINDS] + ["Phone Number", "Téléphone", "Telefon"]
