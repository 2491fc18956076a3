"""Schema 3: a webhook batch records the process sending it, until it is done.

A webhook export commits each handoff as the receiver takes it, so its batch is
open for as long as the network is slow. While ``sending_pid`` names a live
process, another export leaves that batch's unanswered handoffs alone instead of
sending them a second time; a sender that died holds nothing.
"""

SQL = """
ALTER TABLE export_batches ADD COLUMN sending_pid INTEGER;
CREATE INDEX export_batches_sending ON export_batches (sending_pid)
    WHERE sending_pid IS NOT NULL;
"""
