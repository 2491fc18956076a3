"""Importing messy list files through the CLI: counts, dedupe, idempotency."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from prospector.foundations.db import open_database
from prospector.services import importing
from prospector.services.importing import writer as writer_module
from prospector.services.reports import rebuild_summaries
from prospector.services.settings import load_settings
from tests import backend
from tests.conftest import MONDAY_10_ET
from tests.import_rows import interrupt_on_chunk

AT = ["--at", MONDAY_10_ET.isoformat()]


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def import_json(run, path: Path, *extra: str) -> dict:
    result = run("import", str(path), "--json", *extra)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def rows(db_path: Path, sql: str) -> list[tuple]:
    return backend.rows(db_path, sql)


def test_bom_crlf_quoted_newlines(tmp_path, run, db_path):
    path = write(
        tmp_path / "leads.csv",
        "\ufeffFirst Name,Last Name,Company,Phone Number,Title,Email,Employees,State\r\n"
        'Ada,Lovelace,"Acme, Inc.",(415) 555-2671,"Head of\r\nEngines",ada@acme.example,250,CA\r\n'
        "Bob,Babbage,Acme Inc,+1 415-555-2671,,,,\r\n"
        "Cy,Nophone,Globex,,CEO,,,\r\n"
        "Di,Bad,Globex,12345,CEO,,,\r\n"
        "Ed,Intl,Initech,+44 20 7946 0018,CFO,ed@initech.example,80,\r\n",
    )
    result = import_json(run, path, *AT)
    assert result == {
        "read": 5,
        "inserted": 2,
        "updated": 1,
        "rejected": 2,
        "filtered": 0,
        "dnc": 0,
        "rejects_file": str(tmp_path / "leads.rejects.csv"),
        "toll_free": 0,
        "warnings": [],
    }
    contacts = rows(db_path, "SELECT phone, first_name, title, country FROM contacts ORDER BY id")
    assert contacts == [
        ("+14155552671", "Ada", "Head of\r\nEngines", "US"),
        ("+442079460018", "Ed", "CFO", "GB"),
    ]
    assert rows(db_path, "SELECT name, domain FROM accounts ORDER BY id") == [
        ("Acme, Inc.", "acme.example"),
        ("Initech", "initech.example"),
    ]
    rejects = (tmp_path / "leads.rejects.csv").read_text(encoding="utf-8").splitlines()
    assert rejects[0].endswith(",reject_reason")
    assert rejects[1].startswith("Cy,Nophone") and rejects[1].endswith("no phone number")
    assert "Di,Bad" in rejects[2] and "no valid phone" in rejects[2]
    # Again: nothing inserted, nothing changed.
    before = rows(db_path, "SELECT * FROM contacts ORDER BY id")
    again = import_json(run, path, "--at", "2026-11-24T15:00:00Z")
    assert (again["inserted"], again["updated"], again["rejected"]) == (0, 3, 2)
    assert rows(db_path, "SELECT * FROM contacts ORDER BY id") == before


def test_cp1252_semicolons_and_header_variants(tmp_path, run, db_path):
    path = write(
        tmp_path / "export.csv",
        "Account Name;Direct Dial;Full Name;Job Title;Company Size;Province;Country;Lead Source\r\n"
        "Café Müller GmbH;416 363 0199;Zoë Brontë;Directrice générale;50-200;Ontario;Canada;"
        "Webinar\r\n"
        "Café Müller;(416) 363-0100;Émile Zola;CFO;;ON;CA;\r\n",
        encoding="cp1252",
    )
    result = import_json(run, path, "--source", "list", *AT)
    assert (result["read"], result["inserted"], result["rejected"]) == (2, 2, 0)
    assert rows(
        db_path,
        "SELECT first_name, last_name, title, state, country, source FROM contacts ORDER BY id",
    ) == [
        ("Zoë", "Brontë", "Directrice générale", "ON", "CA", "Webinar"),
        ("Émile", "Zola", "CFO", "ON", "CA", "list"),
    ]
    # "Café Müller GmbH" and "Café Müller" are one account; its size is the range's low bound.
    assert rows(db_path, "SELECT name, employees FROM accounts") == [("Café Müller GmbH", 50)]
    assert rows(
        db_path, "SELECT DISTINCT l.zones FROM contacts c JOIN locales l ON l.id = c.locale_id"
    ) == [("America/Toronto",)]  # a 416 number narrows Ontario to Toronto


def test_messy_cp1252_list_rejects_fixed_and_reimported(tmp_path, run, db_path):
    """An admin's round: a French cp1252 export, its rejects fixed by hand, the list again."""
    path = write(
        tmp_path / "salon.csv",
        "Société;Téléphone;Prénom;Nom;Pays;Province\r\n"
        "Café Müller;416 363 0199;Zoë;Brontë;Canada;Ontario\r\n"
        "Crème Brûlée Ltée;;Émile;Zola;Canada;QC\r\n"
        "Façade Inc;514 555 01;René;Côté;Canada;QC\r\n"
        "Ærø AS;416 363 0100;Søren;Kierkegård;Narnia;\r\n"
        "Naïve Co;416 363 0111;Chloé;Dupré;Canada;ON;extra\r\n"
        "Señor Co;(416) 363-0122;José;Núñez;CA;ON\r\n",
        encoding="cp1252",
    )
    # French headers are known (data/columns.toml); --map still overrides them.
    dry = run("import", str(path), "--dry-run", *AT)
    assert dry.exit_code == 0, dry.output
    assert "Téléphone  phone (phone: work)" in dry.output and "Prénom     first_name" in dry.output
    assert rows(db_path, "SELECT count(*) FROM contacts") == [(0,)]
    maps = ["--map", "Téléphone=phone", "--map", "Prénom=first_name", "--map", "Nom=last_name"]
    maps += ["--map", "Société=company", "--map", "Pays=country"]
    result = import_json(run, path, *maps, *AT)
    assert (result["read"], result["inserted"], result["rejected"]) == (6, 2, 4)
    # The rejects file is written as the list was: cp1252, ";", CRLF.
    rejects = (tmp_path / "salon.rejects.csv").read_text(encoding="cp1252").splitlines()
    assert rejects[0] == "Société;Téléphone;Prénom;Nom;Pays;Province;reject_reason"
    assert [line.split(";")[2] for line in rejects[1:]] == ["Émile", "René", "Søren", "Chloé"]
    assert rejects[1].endswith(";no phone number")
    assert "no valid phone" in rejects[2]
    assert rejects[3].endswith(";unknown country 'Narnia'")
    assert rejects[4].endswith(";broken row: 7 fields, the header has 6")

    # The admin fixes the rejects file in place and imports it (reject_reason is ignored).
    fixed = "\n".join(rejects).replace(";;Émile", ";418 555 0150;Émile")
    fixed = fixed.replace("514 555 01;", "514 555 0100;").replace("Narnia", "Canada")
    fixed_path = write(tmp_path / "salon.fixed.csv", fixed + "\n")
    again = import_json(run, fixed_path, *maps, "--at", "2026-11-24T15:00:00Z")
    assert (again["inserted"], again["rejected"], again["rejects_file"]) == (4, 0, None)
    before = rows(db_path, "SELECT * FROM contacts ORDER BY id")
    assert rows(db_path, "SELECT first_name, last_name FROM contacts ORDER BY last_name") == [
        ("Zoë", "Brontë"), ("René", "Côté"), ("Chloé", "Dupré"),
        ("Søren", "Kierkegård"), ("José", "Núñez"), ("Émile", "Zola"),
    ]  # fmt: skip

    # The original list once more: the same rejects, nothing new, nothing changed.
    third = import_json(run, path, *maps, "--at", "2026-11-25T15:00:00Z")
    assert (third["inserted"], third["updated"], third["rejected"]) == (0, 2, 4)
    assert rows(db_path, "SELECT * FROM contacts ORDER BY id") == before
    assert (tmp_path / "salon.rejects.csv").read_text(encoding="cp1252").splitlines() == rejects
    assert rows(db_path, "SELECT status, inserted, rejected FROM import_batches ORDER BY id") == [
        ("done", 2, 4),
        ("done", 4, 0),
        ("done", 0, 4),
    ]


def test_tabs_map_override_and_region(tmp_path, run, db_path):
    path = write(
        tmp_path / "tabbed.tsv",
        "Tel (work)\tWho\tOrg\n020 7946 0123\tPat Jones\tBrit Co\n",
    )
    bad = run("import", str(path), "--map", "Tel (work)=telephone")
    assert bad.exit_code == 1
    assert "unknown field 'telephone'" in bad.output and "phone" in bad.output
    result = import_json(
        run, path, "--map", "Tel (work)=phone", "--map", "Who=full_name", "--region", "GB", *AT
    )
    assert result["inserted"] == 1
    assert rows(db_path, "SELECT phone, first_name, last_name FROM contacts") == [
        ("+442079460123", "Pat", "Jones")
    ]


def test_new_contact_fields(tmp_path, run, db_path):
    path = write(
        tmp_path / "new.csv",
        "Company,Website,Phone,Employees,Source,Industry,Title\n"
        "Big Co,https://www.bigco.example/about,(212) 555-0100,500,inbound,Software,CEO\n"
        "Shop Co,,(212) 555-0101,40,list,eCommerce,Owner\n",
    )
    run("dnc", "add", "212 555 0101")
    result = import_json(run, path, *AT)
    assert (result["inserted"], result["filtered"], result["dnc"]) == (2, 1, 1)
    got = rows(
        db_path,
        """SELECT c.status, c.next_call_at, c.created_at, c.tier, c.tier_priority, c.filtered_by,
                  c.sla_due_at, c.dnc, a.domain
           FROM contacts c JOIN accounts a ON a.id = c.account_id
           ORDER BY c.id""",
    )
    assert got[0] == (
        "open", "2026-11-23T15:00:00Z", "2026-11-23T15:00:00Z", "A", 1, None,
        "2026-11-23T16:00:00Z", 0, "bigco.example",
    )  # fmt: skip
    assert got[1][5] == "no eCommerce" and got[1][7] == 1


def test_reimport_updates_only_filled_fields_and_keeps_history(tmp_path, run, db_path):
    first = write(
        tmp_path / "a.csv", "Phone,First Name,Title,Email\n(303) 555-0142,Kim,CTO,kim@x.example\n"
    )
    import_json(run, first, *AT)
    with open_database(db_path) as db, db.write():
        db.execute("UPDATE contacts SET status = 'closed', attempts = 3, claimed_by = 'bob'")
    second = write(tmp_path / "b.csv", "Phone,Title,First Name\n+1 303 555 0142,VP Engineering,\n")
    result = import_json(run, second, "--at", "2026-11-25T15:00:00Z")
    assert (result["inserted"], result["updated"]) == (0, 1)
    assert rows(
        db_path,
        "SELECT first_name, title, email, status, attempts, claimed_by, updated_at FROM contacts",
    ) == [("Kim", "VP Engineering", "kim@x.example", "closed", 3, "bob", "2026-11-25T15:00:00Z")]


def test_email_duplicate_with_other_phone_is_the_same_contact(tmp_path, run, db_path):
    path = write(
        tmp_path / "dupe.csv",
        "Phone,Email,Title\n(617) 555-0188,lee@corp.example,\n"
        "(617) 555-0199,LEE@corp.example,COO\n",
    )
    result = import_json(run, path, *AT)
    assert (result["inserted"], result["updated"]) == (1, 1)
    assert rows(db_path, "SELECT phone, title FROM contacts") == [("+16175550188", "COO")]


def test_dry_run_writes_nothing(tmp_path, run, db_path):
    path = write(tmp_path / "d.csv", "Phone\n(415) 555-2671\n(415) 555-2671\n")
    result = run("import", str(path), "--dry-run", *AT)
    assert result.exit_code == 0
    assert "2 rows read, 1 inserted, 1 updated, 0 rejected" in result.output
    assert rows(db_path, "SELECT count(*) FROM contacts") == [(0,)]
    assert rows(db_path, "SELECT count(*) FROM import_batches") == [(0,)]


def test_human_output_names_rejects_file(tmp_path, run):
    path = write(tmp_path / "h.csv", "Phone\nnope\n(415) 555-2671\n")
    result = run("import", str(path), *AT)
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0].startswith(f"imported {path}: 2 rows read, 1 inserted, 0 updated, 1 rejected")
    assert lines[1] == f"rejected rows: {tmp_path / 'h.rejects.csv'}"


def test_resumes_an_interrupted_batch(tmp_path, db_path, monkeypatch):
    """A crash after the first chunk: re-running completes the same batch, counts exact."""
    from prospector.foundations.db import open_database
    from prospector.services import importing

    lines = ["Phone,First Name"] + [f"(415) {200 + i // 100}-{i % 100:04d},P{i}" for i in range(50)]
    path = write(tmp_path / "big.csv", "\n".join(lines) + "\n")
    monkeypatch.setattr(importing, "CHUNK_ROWS", 20)
    interrupt_on_chunk(monkeypatch, 2)
    db = open_database(db_path)
    with pytest.raises(KeyboardInterrupt):
        importing.import_file(db, path, now=MONDAY_10_ET, rep="alice", workers=0)
    assert db.one("SELECT status, rows_committed FROM import_batches")[:] == ("failed", 20)
    assert db.one("SELECT count(*) FROM contacts")[0] == 20
    monkeypatch.undo()  # the writer as it is, and CHUNK_ROWS back: a resume reads from the top
    result = importing.import_file(db, path, now=MONDAY_10_ET, rep="alice", workers=0)
    assert (result.inserted, result.updated, result.batch_id) == (50, 0, 1)
    assert db.one("SELECT status, inserted FROM import_batches")[:] == ("done", 50)
    assert db.one("SELECT count(*) FROM contacts")[0] == 50
    db.close()


def test_parallel_workers_give_the_same_database(tmp_path):
    from prospector.foundations.db import open_database
    from prospector.services.importing import import_file

    lines = ["Phone,Company,State"] + [
        f"({area}) {200 + i % 700}-{i:04d},Co {i % 37},{state}"
        for i, (area, state) in enumerate([(212, "NY"), (208, "ID"), (312, "IL")] * 300)
    ]
    path = write(tmp_path / "p.csv", "\n".join(lines) + "\n")
    dumps = []
    for workers in (0, 2):
        with open_database(tmp_path / f"w{workers}.db") as db:
            import_file(db, path, now=MONDAY_10_ET, rep="x", workers=workers)
            dumps.append([tuple(r) for r in db.query("SELECT * FROM contacts ORDER BY id")])
    assert dumps[0] == dumps[1] and len(dumps[0]) == 900


def test_real_subprocess_import_json(tmp_path):
    path = write(tmp_path / "s.csv", "Phone,Name\n(415) 555-2671,Ada L\n12,Nobody\n")
    from prospector.foundations.db import open_database

    open_database(tmp_path / "s.db").close()
    command = [sys.executable, "-m", "prospector", "--db", str(tmp_path / "s.db"), "import",
               str(path), "--json"]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""  # no progress bar without a terminal
    assert json.loads(done.stdout)["inserted"] == 1


def test_an_import_gives_the_connection_its_checks_back(tmp_path, db_path, monkeypatch):
    """The bulk-load settings last as long as the import, also when it is interrupted."""
    import gc

    from prospector.services.importing import import_file

    path = write(tmp_path / "list.csv", "Phone,First Name\n(415) 555-0100,Ann\n")
    db = open_database(db_path)
    import_file(db, path, now=MONDAY_10_ET, rep="alice")
    interrupt_on_chunk(monkeypatch, 1)
    with pytest.raises(KeyboardInterrupt):
        import_file(db, path, now=MONDAY_10_ET, rep="alice")
    assert gc.isenabled()
    # CHECK constraints and foreign keys hold again (SQLite's import turns them off).
    with pytest.raises(sqlite3.IntegrityError), db.write():
        db.execute("UPDATE contacts SET status = 'lost'")
    with pytest.raises(sqlite3.IntegrityError), db.write():
        db.execute("UPDATE contacts SET locale_id = 999999")
    db.close()


def test_lead_counts_take_an_accounts_values_as_a_later_row_fills_them(tmp_path, db_path):
    """An account's first row names no industry or size, a later row of the same chunk
    does: both leads count under the values the account ends with, as a recount says."""
    path = write(
        tmp_path / "fill.csv",
        "First Name,Phone,Company,Website,Industry,Employees,Source\n"
        "Ann,(212) 555-0101,Acme,acme.example,,,web\n"
        "Ben,(212) 555-0102,Acme,acme.example,Software,250,web\n"
        "Cy,(212) 555-0103,,,,,fair\n",
    )
    with open_database(db_path) as db:
        importing.import_file(db, path, now=MONDAY_10_ET, rep="a", workers=0)

        def counts():
            return [
                sorted(map(tuple, db.query(f"SELECT * FROM {table}")))
                for table in ("lead_segments", "lead_sources")
            ]

        segments, sources = counts()
        assert [row[1:7] for row in segments] == [
            ("", "", "fair", "", 1, 0),
            ("Software", "200-999", "web", "", 2, 0),
        ]
        by_source: dict[str, int] = {}
        for row in sources:  # by source and tier: a tier is decided as its row arrives
            by_source[row[1]] = by_source.get(row[1], 0) + row[3]
        assert by_source == {"fair": 1, "web": 2}
        with db.write():
            rebuild_summaries(db, load_settings(db))
        assert counts() == [segments, sources]


def test_an_import_leaves_no_thread_behind(tmp_path, db_path, monkeypatch):
    """The writer's maps are freed on a thread of their own while the indexes are built;
    the import returns once that thread is done, however long freeing takes."""
    freed = []

    class SlowToFree:
        def __del__(self):
            time.sleep(0.3)
            freed.append(threading.current_thread().name)

    real = writer_module.ContactWriter.release

    def release(self):
        self.known.emails["slow@free.example"] = SlowToFree()
        return real(self)

    monkeypatch.setattr(writer_module.ContactWriter, "release", release)
    path = write(tmp_path / "few.csv", "Phone,First Name\n(212) 555-0101,Ann\n")
    before = threading.active_count()
    with open_database(db_path) as db:
        result = importing.import_file(db, path, now=MONDAY_10_ET, rep="a", workers=0)
    assert result.inserted == 1
    assert freed == ["import-release"]  # freed there, and done before the import returned
    assert threading.active_count() == before
