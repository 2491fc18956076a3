"""Reading list files as spreadsheets and CRMs write them.

Encoding: strict UTF-8 (with or without BOM) is checked over the *whole* file;
only when that fails is the file read as Windows-1252, and a byte Windows-1252
does not define is an error, not a guess. Delimiter: comma, semicolon, tab or pipe,
chosen by how consistently each one splits the header and the first lines
(quotes respected, so quoted newlines and delimiters inside quotes do not fool it).
Headers are matched to fields by common names, ignoring case, spaces and
punctuation; ``--map "Header=field"`` overrides.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from prospector.foundations.errors import InputFileError

FIELDS: dict[str, tuple[str, ...]] = {
    "company": ("company", "companyname", "account", "accountname", "organization",
                "organisation", "org", "business", "businessname", "employer"),
    "phone": ("phone", "phonenumber", "workphone", "businessphone", "officephone",
              "telephone", "tel", "phone1", "number"),
    "direct_phone": ("directphone", "directdial", "workdirectphone"),
    "mobile_phone": ("mobilephone", "mobile", "cell", "cellphone"),
    "other_phone": ("otherphone", "homephone"),
    "company_phone": ("companyphone", "corporatephone"),
    "extension": ("extension", "ext"),
    "postal_code": ("postalcode", "zip", "zipcode"),
    "external_id": ("externalid", "recordid"),
    "city": ("city",),
    "first_name": ("firstname", "first", "givenname", "forename"),
    "last_name": ("lastname", "last", "surname", "familyname"),
    "full_name": ("fullname", "name", "contactname", "contact"),
    "title": ("title", "jobtitle", "position", "role"),
    "email": ("email", "emailaddress", "workemail", "businessemail", "mail"),
    "industry": ("industry", "sector", "vertical"),
    "employees": ("employees", "companysize", "numberofemployees", "employeecount",
                  "headcount", "size", "noofemployees"),
    "state": ("state", "province", "region", "stateprovince", "stateorprovince", "county"),
    "country": ("country", "countrycode", "nation"),
    "timezone": ("timezone", "tz", "zone"),
    "source": ("source", "leadsource"),
    "website": ("website", "domain", "companywebsite", "url", "web", "companydomain"),
    "list_name": ("list", "listname"),
}  # fmt: skip
"""Each field and the header names (normalized) that mean it, best first."""

PHONE_FIELDS = frozenset({"phone", "direct_phone", "mobile_phone", "other_phone", "company_phone"})
FIELD_ALIASES = {"list": "list_name", "first": "first_name", "last": "last_name",
                 "name": "full_name", "firstname": "first_name", "lastname": "last_name",
                 "fullname": "full_name", "listname": "list_name"}  # fmt: skip
DELIMITERS = (",", ";", "\t", "|")
SAMPLE_CHARS = 64 * 1024


def normalize_header(text: str) -> str:
    """Lower case, letters and digits only: "Phone_Number " -> "phonenumber"."""
    return re.sub(r"[^0-9a-z]", "", text.casefold())


@dataclass(frozen=True)
class TableFile:
    """A list file, sniffed: how to decode and split it, and its header."""

    path: Path
    encoding: str
    delimiter: str
    header: list[str]

    def rows(self, start: int = 0, lines_before: int = 0) -> Iterator[tuple[int, list[str]]]:
        """``(line number, fields)`` for every non-blank data row.

        The number is the file line the row starts on (the header is line 1), which
        is what a person opening the file in an editor looks for. ``start`` (a byte
        offset where a record starts, after the header) and ``lines_before`` (the
        lines before it) resume reading in the middle of the file.
        """
        with self.path.open("rb") as raw:
            raw.seek(start)
            encoding = "utf-8" if start and self.encoding == "utf-8-sig" else self.encoding
            handle = io.TextIOWrapper(raw, encoding=encoding, newline="")
            reader = csv.reader(handle, delimiter=self.delimiter)
            line = lines_before + 1
            try:
                if not start:
                    next(reader, None)  # the header
                    line = reader.line_num + 1
                for fields in reader:
                    start_line, line = line, lines_before + reader.line_num + 1
                    if not fields or (len(fields) == 1 and not fields[0].strip()):
                        continue
                    yield start_line, fields
            except csv.Error as error:
                raise InputFileError(
                    f"{self.path}: line {line}: not readable as CSV ({error})"
                ) from error


def open_table(path: str | os.PathLike[str]) -> TableFile:
    """Check and sniff a list file.

    Raises:
        InputFileError: missing, unreadable, empty, binary, or an encoding that is
            neither UTF-8 nor Windows-1252.
    """
    file = Path(path)
    if not file.exists():
        raise InputFileError(f"{file}: no such file")
    if file.is_dir():
        raise InputFileError(f"{file}: is a directory, expected a CSV file")
    try:
        head = _read_head(file)
    except OSError as error:
        raise InputFileError(f"{file}: cannot be read ({error.strerror})") from error
    if not head.strip():
        raise InputFileError(f"{file}: the file is empty (expected a header row and data rows)")
    if b"\x00" in head:
        raise InputFileError(f"{file}: a binary file, not a CSV or text file")
    encoding = _detect_encoding(file)
    with file.open("r", encoding=encoding, newline="") as handle:
        sample = handle.read(SAMPLE_CHARS)
    delimiter = sniff_delimiter(sample)
    try:
        header = next(csv.reader(io.StringIO(sample), delimiter=delimiter))
    except (StopIteration, csv.Error) as error:
        raise InputFileError(f"{file}: row 0: the header row cannot be read") from error
    header = [name.strip() for name in header]
    if not any(header):
        raise InputFileError(f"{file}: row 0: the header row is empty")
    return TableFile(file, encoding, delimiter, header)


def _read_head(file: Path) -> bytes:
    with file.open("rb") as handle:
        return handle.read(SAMPLE_CHARS)


def _detect_encoding(file: Path) -> str:
    """``utf-8-sig`` when the whole file is strict UTF-8, else ``cp1252`` (checked too)."""
    for encoding in ("utf-8-sig", "cp1252"):
        decoder = codecs.getincrementaldecoder(encoding)("strict")
        offset = 0
        try:
            with file.open("rb") as handle:
                while block := handle.read(1 << 20):
                    decoder.decode(block)
                    offset += len(block)
                decoder.decode(b"", final=True)
        except UnicodeDecodeError as error:
            if encoding == "cp1252":
                raise InputFileError(
                    f"{file}: byte {offset + error.start}: neither UTF-8 nor Windows-1252 text"
                ) from error
            continue
        return encoding
    raise AssertionError("unreachable")


def sniff_delimiter(sample: str) -> str:
    """The delimiter that splits the header and the sample rows most consistently."""
    lines = sample
    if len(sample) >= SAMPLE_CHARS:
        # Drop the last, probably truncated, record.
        lines = sample[: sample.rfind("\n") + 1] or sample
    best, best_score = ",", (-1.0, 0)
    for delimiter in DELIMITERS:
        try:
            rows = [r for r in csv.reader(io.StringIO(lines), delimiter=delimiter) if r][:50]
        except csv.Error:
            continue
        if not rows or len(rows[0]) < 2:
            continue
        width = len(rows[0])
        consistent = sum(len(row) == width for row in rows) / len(rows)
        score = (consistent, width)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def parse_mappings(items: dict[str, str] | list[str] | tuple[str, ...]) -> dict[str, str]:
    """``["Header=field", ...]`` (or a dict) into ``{normalized header: field}``.

    Raises:
        InputFileError: an item without ``=`` or an unknown field name.
    """
    pairs = list(items.items()) if isinstance(items, dict) else []
    if not isinstance(items, dict):
        for item in items:
            if "=" not in item:
                raise InputFileError(f"--map {item!r}: expected HEADER=FIELD")
            header, _, field = item.rpartition("=")
            pairs.append((header, field))
    mapping = {}
    for header, field in pairs:
        name = field.strip().lower().replace(" ", "_").replace("-", "_")
        name = FIELD_ALIASES.get(name.replace("_", ""), name)
        if name not in FIELDS:
            raise InputFileError(
                f"--map {header}={field}: unknown field {field!r}"
                f" (expected one of: {', '.join(FIELDS)})"
            )
        mapping[normalize_header(header)] = name
    return mapping


def map_header(table: TableFile, overrides: dict[str, str]) -> dict[str, list[int]]:
    """Which column(s) hold each field, best first.

    Raises:
        InputFileError: a ``--map`` header the file does not have, or no phone column.
    """
    normalized = [normalize_header(name) for name in table.header]
    for header in overrides:
        if header not in normalized:
            raise InputFileError(
                f"{table.path}: --map names a column {header!r} the file does not have"
                f" (columns: {', '.join(table.header)})"
            )
    columns: dict[str, list[tuple[int, int]]] = {}
    for index, name in enumerate(normalized):
        if name in overrides:
            columns.setdefault(overrides[name], []).append((-1, index))
            continue
        for field, synonyms in FIELDS.items():
            if name in synonyms:
                columns.setdefault(field, []).append((synonyms.index(name), index))
                break
    result = {field: [index for _rank, index in sorted(found)] for field, found in columns.items()}
    if not result.keys() & PHONE_FIELDS:
        raise InputFileError(
            f"{table.path}: header (row 1): no phone column (expected a header such as Phone,"
            f" Phone Number, Direct Dial or Mobile; or --map 'HEADER=phone')"
        )
    return result
