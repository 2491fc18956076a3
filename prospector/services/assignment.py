"""Which outside rep receives a handoff (DESIGN §4.9).

Order of trust:

1. ``--owner`` names an outside rep from the settings (by name or email).
2. The territory map: outside reps whose ``regions`` hold the contact's region
   (``US-CA`` for a state, ``GB`` for a whole country) and/or whose ``industries``
   hold its account's industry. A rep that lists both must match both; a rep that
   lists neither has no territory.
3. Otherwise round-robin among all outside reps.

When several reps qualify at a step, the one holding the fewest handoffs so far
wins, ties going to the order of the settings file. The handoffs table is the
round-robin's memory: the choice is stable, persisted, and the same in every
process, with no counter to keep in step.

``team.outside_rep_assignment = "territory"`` makes the territory map strict: a
contact that no territory covers is refused (name an owner with ``--owner``).
The default ``"round_robin"`` falls back to round-robin as above.
"""

from __future__ import annotations

from prospector.foundations.db import Database
from prospector.foundations.errors import ProspectorError
from prospector.services.settings import OutsideRep, Settings


class AssignmentError(ProspectorError):
    """No outside rep can take the handoff, or ``--owner`` names nobody known."""


def region_keys(country: str | None, state: str | None) -> tuple[str, ...]:
    """The territory keys a contact falls in: ``("US-CA", "US")``, or ``("GB",)``."""
    country = (country or "").strip().upper()
    state = (state or "").strip().upper()
    keys = []
    if country and state:
        keys.append(f"{country}-{state}")
    if country:
        keys.append(country)
    return tuple(keys)


def covers(rep: OutsideRep, *, regions: tuple[str, ...], industry: str | None) -> bool:
    """True when the rep's territory holds this region and industry."""
    if not rep.regions and not rep.industries:
        return False
    if rep.regions and not set(regions) & set(rep.regions):
        return False
    if rep.industries:
        wanted = (industry or "").strip().casefold()
        return wanted in {i.casefold() for i in rep.industries}
    return True


def find_outside_rep(settings: Settings, name_or_email: str) -> OutsideRep:
    """The configured outside rep with this name or email (case-insensitive).

    Raises:
        AssignmentError: nobody by that name; the message lists who exists.
    """
    wanted = name_or_email.strip().casefold()
    for rep in settings.outside_reps:
        if wanted in (rep.name.casefold(), rep.email.casefold()):
            return rep
    known = ", ".join(rep.name for rep in settings.outside_reps) or "none configured"
    raise AssignmentError(f"unknown outside rep {name_or_email!r} (outside reps: {known})")


def choose_owner(
    db: Database,
    settings: Settings,
    *,
    country: str | None,
    state: str | None,
    industry: str | None,
    override: str | None = None,
) -> OutsideRep:
    """Pick the outside rep for a new handoff (see the module docstring).

    Raises:
        AssignmentError: no outside reps are configured, ``override`` is unknown,
            or the strict territory mode finds nobody covering the contact.
    """
    if override:
        return find_outside_rep(settings, override)
    if not settings.outside_reps:
        raise AssignmentError(
            "no outside reps in the settings ([[outside_reps]]); add them or use --owner"
        )
    regions = region_keys(country, state)
    territory = [
        rep for rep in settings.outside_reps if covers(rep, regions=regions, industry=industry)
    ]
    if territory:
        return _least_loaded(db, territory)
    if settings.team.outside_rep_assignment == "territory":
        where = regions[0] if regions else "an unknown region"
        raise AssignmentError(
            f"no outside rep's territory covers {where}"
            f"{f' / {industry}' if industry else ''}; use --owner"
        )
    return _least_loaded(db, list(settings.outside_reps))


def _least_loaded(db: Database, reps: list[OutsideRep]) -> OutsideRep:
    counts = {
        row["owner"]: row["n"]
        for row in db.query("SELECT owner, count(*) AS n FROM handoffs GROUP BY owner")
    }
    # min() keeps the first of equals: ties go to the settings order.
    return min(reps, key=lambda rep: counts.get(rep.name, 0))
