"""``[[scripts]]`` and ``[[objections]]``: call scripts, objection answers, script files.

A script's Markdown is inline (``text``) or in a file next to the settings file
(``file``). Settings live in the database, so ``settings load`` reads each file
then and appends its text to the stored TOML, in a ``[script_files]`` table after
:data:`FILES_MARKER`: a rep on another machine gets the same script, and the
stored text still reads back alone (``settings show`` prints it, and loading that
output again works, the files being taken from the table when absent).
"""

from __future__ import annotations

import re
from pathlib import Path

from prospector.foundations.errors import SettingsError
from prospector.services.settings.model import ATTEMPT_KINDS, Objection, Script, Tier
from prospector.services.settings.reader import TableReader

MERGE_FIELDS = ("first", "last", "company", "title", "rep", "local_time", "source")
"""The fields a script may name as ``{first}``; anything else in braces is kept as written."""
MERGE_FIELD = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
MAX_SCRIPT_CHARS = 100_000  # a script is read on a phone call, not a book
MAX_LABEL = 60
FILES_TABLE = "script_files"
FILES_MARKER = (
    "# --- Script files as `prospector settings load` read them"
    " (written by load: edit the files and load again) ---"
)


class ScriptFiles:
    """Finds a script's ``file``: next to the settings file when read from one,
    else in the stored ``[script_files]`` table; remembers what it read."""

    def __init__(self, base: Path | None, stored: dict[str, str]) -> None:
        self.base = base
        self.stored = stored
        self.read: dict[str, str] = {}

    def text(self, reader: TableReader, name: str) -> str:
        path = self.base / name if self.base is not None else None
        if path is not None and path.is_file():
            try:
                text = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as error:
                raise reader.fail("file", name, f"a readable UTF-8 file ({error})") from None
        elif name in self.stored:
            text = self.stored[name]
        else:
            where = f"next to the settings file ({self.base})" if self.base else "stored"
            raise reader.fail("file", name, f"a Markdown file {where}; there is none")
        self.read[name] = text
        return text


def stored_files(reader: TableReader) -> dict[str, str]:
    """The ``[script_files]`` table: file name -> text."""
    files = {}
    for name in list(reader.table):
        files[name] = reader.text(name)
    reader.done()
    return files


def parse_scripts(
    readers: list[TableReader], tiers: tuple[Tier, ...], files: ScriptFiles
) -> tuple[Script, ...]:
    """``[[scripts]]``: unique names, inline text or a file, known tiers and attempts."""
    scripts: list[Script] = []
    tier_names = tuple(tier.name for tier in tiers)
    for reader in readers:
        name = reader.text("name", blank=False)
        if any(other.name.casefold() == name.casefold() for other in scripts):
            raise reader.fail("name", name, "a name no other [[scripts]] entry has")
        if reader.has("text") == reader.has("file"):
            raise SettingsError(
                f"settings: {reader.path}: give either text (Markdown) or file (a Markdown"
                " file next to the settings file), not both nor neither"
            )
        if reader.has("text"):
            key, text = "text", reader.text("text", blank=False)
        else:
            key, text = "file", files.text(reader, reader.text("file", blank=False))
        _check_text(reader, key, text)
        chosen_tiers = reader.texts("tiers", ())
        unknown = [tier for tier in chosen_tiers if tier not in tier_names]
        if unknown:
            raise reader.fail(
                "tiers", list(chosen_tiers), f"tier names among {', '.join(tier_names)}"
            )
        scripts.append(
            Script(
                name=name,
                text=text,
                tiers=chosen_tiers,
                sources=reader.texts("sources", ()),
                attempts=_attempts(reader),
            )
        )
        reader.done()
    return tuple(scripts)


def _attempts(reader: TableReader) -> tuple[str, ...]:
    value = reader.raw("attempt", [])
    words = [value] if isinstance(value, str) else value
    expected = " or ".join(f'"{kind}"' for kind in ATTEMPT_KINDS) + " (or a list of them)"
    if not isinstance(words, list) or not all(word in ATTEMPT_KINDS for word in words):
        raise reader.fail("attempt", value, expected)
    return tuple(dict.fromkeys(words))


def _check_text(reader: TableReader, key: str, text: str) -> None:
    if len(text) > MAX_SCRIPT_CHARS:
        raise SettingsError(
            f"settings: {reader.key(key)}: {len(text):,} characters; at most"
            f" {MAX_SCRIPT_CHARS:,} are read"
        )
    for match in MERGE_FIELD.finditer(text):
        if match.group(1) not in MERGE_FIELDS:
            fields = ", ".join(f"{{{field}}}" for field in MERGE_FIELDS)
            raise SettingsError(
                f"settings: {reader.key(key)}: unknown merge field {match.group(0)}"
                f" (expected one of: {fields})"
            )


def parse_objections(readers: list[TableReader]) -> tuple[Objection, ...]:
    """``[[objections]]``: one printable character each as key, unique keys and labels."""
    found: list[Objection] = []
    for reader in readers:
        key = reader.text("key")
        if len(key) != 1 or not key.isprintable() or key.isspace():
            raise reader.fail("key", key, "one character, such as a letter or a digit")
        label = reader.text("label", blank=False).strip()
        if len(label) > MAX_LABEL or not label.isprintable():
            raise reader.fail("label", label, f"one line of at most {MAX_LABEL} characters")
        objection = Objection(key=key, label=label, answer=reader.text("answer", blank=False))
        for other in found:
            if other.key == key:
                raise reader.fail("key", key, "a key no other objection has")
            if other.label.casefold() == label.casefold():
                raise reader.fail("label", label, "a label no other objection has")
        reader.done()
        found.append(objection)
    return tuple(found)


def with_files(text: str, files: dict[str, str]) -> str:
    """``text`` with the script files' text appended as ``[script_files]`` (replacing
    the table a previous load appended, when the text is a stored one shown again)."""
    head, marker, _ = text.partition(FILES_MARKER)
    if not marker and re.search(rf"^\s*\[\s*{FILES_TABLE}\s*\]", text, re.MULTILINE):
        raise SettingsError(
            f"settings: {FILES_TABLE} is written by `settings load` from the scripts' files;"
            " remove it from the file"
        )
    if not files:
        return head
    lines = [head.rstrip("\n"), "", FILES_MARKER, f"[{FILES_TABLE}]"]
    for name, content in sorted(files.items()):
        lines.append(f'{_basic(name)} = """\n{_escape(content)}"""')
    return "\n".join(lines) + "\n"


def _basic(text: str) -> str:
    return '"' + _escape(text).replace("\n", "\\n") + '"'


def _escape(text: str) -> str:
    """Text for a TOML basic string: backslashes, quotes and control characters escaped."""
    out = []
    for char in text:
        if char == "\\":
            out.append("\\\\")
        elif char == '"':
            out.append('\\"')
        elif char in "\n\t":
            out.append(char)
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    return "".join(out)
