"""Fit profiles reduced to what the rules can tell apart, so one answer serves many rows.

Classifying is pure in the profile, but profiles are nearly all distinct (titles,
head counts); the rules only see a value's membership in their lists, which words
of ``title_contains`` a title holds, and which side of each threshold a head count
falls. :class:`ProfileKeys` maps each profile to such a representative: it keeps
every rule's answer and lets one cached classification serve many rows. It is
plain data, so worker processes get a copy and compute the keys of their rows.
"""

from __future__ import annotations

from prospector.services.settings import Settings

_FIELDS = ("industry", "source", "country", "state", "list")
"""The list-valued fields, in :meth:`ProfileKeys.key`'s order."""
_MEMO_MAX = 1 << 16
OTHER = "\x00"
"""Stands for any value no rule names."""


class ProfileKeys:
    """Canonical profile keys ``(industry, source, country, state, list, title, employees)``."""

    def __init__(self, settings: Settings) -> None:
        rules = [rule.when for rule in settings.fit_rules] + [tier.when for tier in settings.tiers]
        self.options = {
            name: {v.casefold() for when in rules for v in getattr(when, name)} for name in _FIELDS
        }
        self.words = sorted({w.casefold() for when in rules for w in when.title_contains})
        thresholds = {when.employees_below for when in rules} | {
            when.employees_at_least for when in rules
        }
        self.thresholds = sorted(t for t in thresholds if t is not None)
        # Every field's values repeat: remember their keys (per process).
        self._titles: dict[str, str] = {}
        self._sizes: dict[int, int] = {}
        self._known: tuple[dict[str, str], ...] = tuple({} for _ in _FIELDS)

    def value(self, name: str, value: str | None) -> str | None:
        """One list-valued field: its folded form when a rule names it, else OTHER."""
        if value is None:
            return None
        folded = value.strip().casefold()
        return folded if folded in self.options[name] else OTHER

    def title(self, title: str | None) -> str | None:
        """The ``title_contains`` words the title holds, joined by ``|``."""
        if title is None:
            return None
        found = self._titles.get(title)
        if found is None:
            folded = title.casefold()
            found = self._titles[title] = "|".join(w for w in self.words if w in folded)
        return found

    def employees(self, employees: int | None) -> int | None:
        """The largest threshold at or below the head count (or one below the least)."""
        if employees is None or not self.thresholds:
            return employees
        found = self._sizes.get(employees)
        if found is None:
            below = [t for t in self.thresholds if t <= employees]
            found = self._sizes[employees] = below[-1] if below else self.thresholds[0] - 1
        return found

    def key(
        self,
        industry: str | None,
        source: str | None,
        country: str | None,
        state: str | None,
        list_name: str | None,
        title: str | None,
        employees: int | None,
    ) -> tuple:
        """The canonical key of a whole profile."""
        industries, sources, countries, states, lists = self._known
        remember = self._remember
        title_key = self._titles.get(title) if title is not None else None
        if title_key is None and title is not None:
            title_key = self.title(title)
        size = self._sizes.get(employees) if employees is not None else None
        if size is None and employees is not None:
            size = self.employees(employees)
        return (
            None if industry is None else industries.get(industry) or remember(0, industry),
            None if source is None else sources.get(source) or remember(1, source),
            None if country is None else countries.get(country) or remember(2, country),
            None if state is None else states.get(state) or remember(3, state),
            None if list_name is None else lists.get(list_name) or remember(4, list_name),
            title_key,
            size,
        )

    def _remember(self, field: int, value: str) -> str:
        """:meth:`value` of field ``_FIELDS[field]``, remembered for the next rows."""
        known = self._known[field]
        if len(known) >= _MEMO_MAX:
            known.clear()
        found = known[value] = self.value(_FIELDS[field], value) or ""
        return found
