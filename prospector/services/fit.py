"""Fit filter and tiers: which contacts reps never see, and how urgent the rest are."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from prospector.foundations.clock import from_db, to_db
from prospector.foundations.db import Database
from prospector.foundations.errors import SettingsError
from prospector.services.settings import (
    DAY_NAMES,
    Conditions,
    Settings,
    Tier,
    load_settings,
    store_settings,
)
from prospector.services.windows import (
    Locale,
    add_calling_time,
    calling_time_between,
    daily_window,
    next_open,
)


@dataclass(frozen=True)
class Profile:
    """What the rules look at for one contact."""

    industry: str | None = None
    source: str | None = None
    country: str | None = None
    state: str | None = None
    list_name: str | None = None
    title: str | None = None
    employees: int | None = None


@dataclass(frozen=True)
class Classification:
    filtered_by: str | None
    tier: str
    tier_rule: str
    tier_priority: int


def _in(value: str | None, options: tuple[str, ...]) -> bool:
    return value is not None and value.strip().casefold() in {o.casefold() for o in options}


def matches(when: Conditions, profile: Profile) -> bool:
    """True when every condition given holds for the profile (unknown values fail)."""
    checks = [
        not when.industry or _in(profile.industry, when.industry),
        not when.source or _in(profile.source, when.source),
        not when.country or _in(profile.country, when.country),
        not when.state or _in(profile.state, when.state),
        not when.list or _in(profile.list_name, when.list),
        not when.title_contains
        or (
            profile.title is not None
            and any(word.casefold() in profile.title.casefold() for word in when.title_contains)
        ),
        when.employees_below is None
        or (profile.employees is not None and profile.employees < when.employees_below),
        when.employees_at_least is None
        or (profile.employees is not None and profile.employees >= when.employees_at_least),
    ]
    return all(checks)


def describe(when: Conditions) -> str:
    """Plain words for a rule's conditions, recorded beside the tier it gave."""
    parts = []
    for label, values in (
        ("industry", when.industry),
        ("source", when.source),
        ("country", when.country),
        ("state", when.state),
        ("list", when.list),
        ("title contains", when.title_contains),
    ):
        if values:
            parts.append(f"{label} in {'/'.join(values)}")
    if when.employees_below is not None:
        parts.append(f"employees < {when.employees_below}")
    if when.employees_at_least is not None:
        parts.append(f"employees >= {when.employees_at_least}")
    return ", ".join(parts) or "everyone else"


def classify(profile: Profile, settings: Settings) -> Classification:
    """Apply the fit rules (first match filters) and the tiers (first match wins)."""
    filtered_by = next(
        (rule.name for rule in settings.fit_rules if matches(rule.when, profile)), None
    )
    tier = next(t for t in settings.tiers if t.when.empty or matches(t.when, profile))
    return Classification(
        filtered_by=filtered_by,
        tier=tier.name,
        tier_rule=f"{tier.name}: {describe(tier.when)}",
        tier_priority=tier.priority,
    )


def sla_deadline(
    received: datetime, tier: Tier, settings: Settings, locale: Locale | None = None
) -> datetime:
    """When the first dial is due under the tier's first-touch SLA.

    With ``team.sla_clock = "working"`` (the default) a duration counts only the
    prospect's calling time (``locale``'s windows, lunch and days off): an hour
    that starts at 21:49 ends at 10:00 on the next calling day. With "wall", or a
    locale that never opens, it is elapsed time. Calendar days ("3d") are always
    elapsed days. Business days ("1bd") are the prospect's calling days (holidays
    skipped) in their zone, or with "wall" the team's calling days in its zone.
    """
    if not tier.first_touch.business_days:
        duration = tier.first_touch.as_timedelta()
        hours = tier.first_touch.unit != "d"
        if settings.team.sla_clock == "working" and locale is not None and hours:
            due = add_calling_time(locale, received, duration, settings)
            if due is not None:
                return due
        return received + duration
    if settings.team.sla_clock == "working" and locale is not None:
        calls_on = daily_window(locale, settings).calls_on
        local = received.astimezone(locale.primary_zone)
    else:
        local = received.astimezone(settings.team.zone)

        def calls_on(day: date) -> bool:
            return DAY_NAMES[day.weekday()] in settings.calling.days

    remaining = tier.first_touch.amount
    for _ in range(remaining * 30 + 366):  # a locale that never calls still ends
        if not remaining:
            break
        local += timedelta(days=1)
        if calls_on(local.date()):
            remaining -= 1
    return local.astimezone(received.tzinfo)


def sla_left(
    due: datetime, now: datetime, settings: Settings, locale: Locale, tier: Tier | None
) -> timedelta:
    """Time left before the first-touch SLA falls due (negative: overdue by that much).

    Counted the way the deadline was set (see :func:`sla_deadline`): in the
    prospect's calling time under ``team.sla_clock = "working"``, so a lead due at
    10:00 reads "1 h left" at 21:00 the evening before and "overdue by 2 h" at
    10:00 the morning after a 16:00 due; in elapsed time for calendar days.
    """
    if settings.team.sla_clock != "working" or tier is None or tier.first_touch.unit == "d":
        return due - now
    start, end = sorted((now, due))
    opened = next_open(locale, start, settings)
    if opened is None:  # never opens: the deadline was wall time
        return due - now
    between = calling_time_between(locale, opened, end, settings)
    return between if due >= now else -between


def reclassify_all(db: Database, settings: Settings, *, now: datetime) -> dict[str, int]:
    """Re-apply fit rules and tiers to every contact (after a settings change).

    Leads not dialed yet get the first-touch deadline of their (possibly new)
    tier, counted from when they arrived. Call inside ``db.write()``. Returns how
    many contacts changed filter or tier.
    """
    rows = db.query(
        """SELECT c.id, c.title, c.source, c.country, c.state, c.list_name,
                  c.filtered_by, c.tier, c.created_at, c.first_dial_at, c.sla_due_at,
                  a.industry, a.employees, c.locale_id, l.zones,
                  l.country AS locale_country, l.state AS locale_state
           FROM contacts c LEFT JOIN accounts a ON a.id = c.account_id
           JOIN locales l ON l.id = c.locale_id"""
    )
    # Reduced profiles (see ProfileKeys) repeat far more than contacts' own, and
    # a list's contacts arrive at one instant: each answer is computed once.
    from prospector.services.importing.profiles import ProfileKeys  # importing imports fit

    keys = ProfileKeys(settings)
    classified: dict[tuple, Classification] = {}
    deadlines: dict[tuple[str, str, int], str] = {}
    tiers = {tier.name: tier for tier in settings.tiers}
    changed_filter = changed_tier = 0
    stamp = to_db(now)
    for row in rows:
        key = keys.key(
            row["industry"],
            row["source"],
            row["country"],
            row["state"],
            row["list_name"],
            row["title"],
            row["employees"],
        )
        result = classified.get(key)
        if result is None:
            result = classified[key] = classify(Profile(*key), settings)
        sla_due = row["sla_due_at"]
        if row["first_dial_at"] is None:
            arrived = (row["created_at"], result.tier, row["locale_id"])
            sla_due = deadlines.get(arrived)
            if sla_due is None:
                received = from_db(row["created_at"])
                locale = Locale(
                    row["locale_id"],
                    tuple(row["zones"].split()),
                    row["locale_country"],
                    row["locale_state"],
                )
                sla_due = deadlines[arrived] = to_db(
                    sla_deadline(received, tiers[result.tier], settings, locale)
                )
        if (
            result.filtered_by != row["filtered_by"]
            or result.tier != row["tier"]
            or sla_due != row["sla_due_at"]
        ):
            changed_filter += result.filtered_by != row["filtered_by"]
            changed_tier += result.tier != row["tier"]
            db.execute(
                """UPDATE contacts SET filtered_by = ?, tier = ?, tier_rule = ?,
                       tier_priority = ?, sla_due_at = ?, updated_at = ? WHERE id = ?""",
                (
                    result.filtered_by,
                    result.tier,
                    result.tier_rule,
                    result.tier_priority,
                    sla_due,
                    stamp,
                    row["id"],
                ),
            )
    return {"contacts": len(rows), "filter_changed": changed_filter, "tier_changed": changed_tier}


def replace_settings(
    db: Database, new: Settings, *, actor: str, now: datetime
) -> dict[str, int] | None:
    """Store new settings; re-filter and re-tier contacts when those rules changed.

    One transaction: the settings and the contacts they classify never disagree.
    Returns the re-classification counts, or None when fit rules and tiers are unchanged.
    """
    with db.write():
        try:
            old: Settings | None = load_settings(db)
        except SettingsError:
            old = None  # stored under older, looser checks: redo everything below
        store_settings(db, new, actor=actor, now=now)
        if old is None or old.team.timezone != new.team.timezone:
            # Reports count by the team's days: a new zone moves calls between days.
            from prospector.services.reports.summary import rebuild_summaries

            rebuild_summaries(db, new)
        if old is not None and old.fit_rules == new.fit_rules and old.tiers == new.tiers:
            return None
        return reclassify_all(db, new, now=now)


def reapply_rules(db: Database, *, now: datetime) -> dict[str, int]:
    """Re-apply the stored fit rules and tiers to every contact."""
    with db.write():
        return reclassify_all(db, load_settings(db), now=now)
