"""The funnel: dials → connects → conversations → qualified → pipeline amount."""

from __future__ import annotations

from prospector.foundations.clock import Clock
from prospector.foundations.db import Database
from prospector.services.reports.common import NONE, TEAM, Row, rate
from prospector.services.reports.periods import Period, ReportError

GROUPINGS = ("rep", "source")


def funnel(
    db: Database, period: Period, clock: Clock, *, by: str = "rep", rep: str | None = None
) -> list[Row]:
    """The funnel over the period, one row per rep (``by="rep"``) or source.

    Row keys: the grouping (``rep`` or ``source``), ``dials, connects,
    conversations, qualified, pipeline_amount, connect_rate, conversation_rate,
    qualified_rate``. Calls count by the rep who logged them; ``qualified`` and
    ``pipeline_amount`` (sum of ``amount_cents`` / 100, handoffs without an
    amount count 0) by the handoff's inside rep, or by the contact's source.
    ``connect_rate`` and ``conversation_rate`` are per dial; ``qualified_rate``
    is qualified per conversation. Contacts without a source are grouped as
    ``"(none)"``. A final row whose key is ``"TEAM"`` totals the rows.
    ``rep`` restricts calls and handoffs to one inside rep.

    Raises:
        ReportError: ``by`` is not ``rep`` or ``source``.
    """
    del clock
    if by not in GROUPINGS:
        raise ReportError(f"--by {by!r}: the funnel is by rep or by source")
    params: dict[str, object] = {
        "first": period.first.isoformat(),
        "last": period.last.isoformat(),
        "start": period.start_utc,
        "end": period.end_utc,
        "rep": rep,
    }
    call_key = "rep" if by == "rep" else "source"
    groups: dict[str, Row] = {}

    def group(key: str | None) -> Row:
        name = key if key else NONE
        return groups.setdefault(
            name,
            {
                by: name,
                "dials": 0,
                "connects": 0,
                "conversations": 0,
                "qualified": 0,
                "amount_cents": 0,
            },
        )

    for row in db.query(
        f"""SELECT {call_key} AS key, sum(dials) AS dials, sum(connects) AS connects,
                   sum(conversations) AS conversations
            FROM call_stats_daily
            WHERE team_day BETWEEN :first AND :last AND (CAST(:rep AS TEXT) IS NULL OR rep = :rep)
            GROUP BY {call_key}""",
        params,
    ):
        entry = group(row["key"])
        for name in ("dials", "connects", "conversations"):
            entry[name] += row[name]
    handoff_key = "h.inside_rep" if by == "rep" else "c.source"
    for row in db.query(
        f"""SELECT {handoff_key} AS key, count(*) AS qualified,
                   coalesce(sum(h.amount_cents), 0) AS amount_cents
            FROM handoffs h JOIN contacts c ON c.id = h.contact_id
            WHERE h.created_at >= :start AND h.created_at < :end
              AND (CAST(:rep AS TEXT) IS NULL OR h.inside_rep = :rep)
            GROUP BY {handoff_key}""",
        params,
    ):
        entry = group(row["key"])
        entry["qualified"] += row["qualified"]
        entry["amount_cents"] += row["amount_cents"]
    total = {by: TEAM, "dials": 0, "connects": 0, "conversations": 0}
    total |= {"qualified": 0, "amount_cents": 0}
    rows = []
    for name in sorted(groups):
        entry = groups[name]
        rows.append(_row(by, entry))
        for count in ("dials", "connects", "conversations", "qualified", "amount_cents"):
            total[count] += entry[count]
    rows.append(_row(by, total))
    return rows


def _row(by: str, entry: Row) -> Row:
    return {
        by: entry[by],
        "dials": entry["dials"],
        "connects": entry["connects"],
        "conversations": entry["conversations"],
        "qualified": entry["qualified"],
        "pipeline_amount": entry["amount_cents"] / 100,
        "connect_rate": rate(entry["connects"], entry["dials"]),
        "conversation_rate": rate(entry["conversations"], entry["dials"]),
        "qualified_rate": rate(entry["qualified"], entry["conversations"]),
    }
