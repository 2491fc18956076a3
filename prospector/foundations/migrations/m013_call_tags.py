"""Schema 13: the objections a call met, as tags.

The rep presses ``o`` and an objection's key during the call (or gives ``log
--tag``); the call keeps each objection's label, once, written with the call in
the transaction that logs it. ``report objections`` counts them by what the call
ended as. The label, not the key, is kept: a team may move keys about without
muddling last quarter's report.
"""

from __future__ import annotations

SQL = """
CREATE TABLE call_tags (
    call_id {integer} NOT NULL REFERENCES calls (id),
    tag {text} NOT NULL,
    PRIMARY KEY (call_id, tag)
);
CREATE INDEX call_tags_tag ON call_tags (tag, call_id);
"""
