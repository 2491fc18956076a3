"""Schema 5: contacts and accounts keep a folded copy of the text they are found by.

SQLite's ``LIKE`` folds ASCII letters only, so ``Muller`` would never find
``Müller`` and ``müller`` would never find ``MÜLLER``. ``search_key`` holds
:func:`prospector.foundations.folding.contact_key` (name and email) on contacts
and the folded name on accounts; the importer writes it with every name it
writes. A row written by hand without it (NULL) is still searched, by its raw
columns (see ``services.search.search_contacts``).
"""

from __future__ import annotations

import sqlite3

from prospector.foundations.folding import contact_key, fold


def migrate(conn: sqlite3.Connection) -> None:
    conn.execute("ALTER TABLE contacts ADD COLUMN search_key TEXT")
    conn.execute("ALTER TABLE accounts ADD COLUMN search_key TEXT")
    # Registered on this connection only, for the one-time fill: later writers
    # compute keys in Python, so a database edited with other tools never needs it.
    conn.create_function("prospector_contact_key", 3, contact_key, deterministic=True)
    conn.create_function("prospector_fold", 1, fold, deterministic=True)
    conn.execute(
        "UPDATE contacts SET search_key = prospector_contact_key(first_name, last_name, email)"
    )
    conn.execute("UPDATE accounts SET search_key = prospector_fold(name)")
