"""The claimed lead on one card: who, where, when they may be called, and why now."""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo

from rich.console import Group
from rich.text import Text
from textual.events import Resize
from textual.widget import Widget
from textual.widgets import Static

from prospector.services.contact_phones import ContactPhone, with_extension
from prospector.services.contacts import ContactCard, shown_phone
from prospector.services.queue import sla_words
from prospector.tui.desk import Lead
from prospector.tui.widgets.colleagues import colleague_count, colleague_lines

PHONE_TYPES = {"fixed_line_or_mobile": "fixed/mobile", "fixed_line": "fixed line"}
# Narrower than this (an 80-column terminal), the other numbers are cut to one line:
# the card, the history and the note must all fit in 24 rows.
COMPACT_BELOW = 58


def _join(*parts: str | None) -> str:
    return " · ".join(part for part in parts if part)


def _phone_line(lead: Lead) -> Text:
    """The number this call is made on: national form with its extension, E.164, kind.

    One line, cut short rather than wrapped: the card must fit an 80×24 terminal, and
    the number itself comes first.
    """
    card, phone = lead.card, lead.phone
    if phone is None:
        line = Text(with_extension(card.phone_national, card.phone_ext), style="bold")
        line.append(f"  {card.phone}")
        kinds = [PHONE_TYPES.get(card.phone_type or "", card.phone_type or "")]
    else:
        line = Text(shown_phone(phone), style="bold")
        line.append(f"  {phone.e164}")
        number_type = PHONE_TYPES.get(phone.number_type or "", phone.number_type or "")
        # The kind says where the number leads; with one number there is nothing to tell apart.
        kinds = [phone.kind] if len(card.phones) > 1 else []
        kinds += [number_type] if number_type not in kinds else []
    kind = _join(*kinds)
    if kind:
        line.append(f"  {kind}", style="dim")
    line.no_wrap, line.overflow = True, "ellipsis"
    return line


def _others_line(lead: Lead, *, compact: bool) -> Text | None:
    """The contact's other numbers: kind, number, extension; the ones that may be
    dialled first, in dial order, then the bad ones struck through. Wrapped when
    they do not fit one line, cut short instead when ``compact``."""
    shown = lead.phone.e164 if lead.phone else lead.card.phone
    others = [phone for phone in lead.card.phones if phone.e164 != shown]
    if not others:
        return None
    others.sort(key=lambda phone: not phone.offered)  # stable: dial order within each
    line = Text("Also ", style="dim")
    for index, phone in enumerate(others):
        if index:
            line.append(" · ", style="dim")
        line.append_text(_other(phone))
    if compact:
        line.no_wrap, line.overflow = True, "ellipsis"
    return line


def _other(phone: ContactPhone) -> Text:
    number = shown_phone(phone)
    if phone.offered:
        return Text.assemble((f"{phone.kind} ", "dim"), number)
    mark = "bad" if phone.bad else "DNC"
    return Text.assemble((f"{phone.kind} {number}", "dim strike"), (f" {mark}", "red"))


def _window_line(card: ContactCard, now: datetime) -> Text:
    zone = card.local_time.tzinfo
    local = now.astimezone(zone)
    line = Text(f"{local:%a %H:%M %Z}", style="bold")
    line.append(f" {' '.join(card.timezones)} · ", style="dim")
    if card.window_open and (card.window_until is None or now < card.window_until):
        line.append("open", style="bold green")
        if card.window_until is not None:
            line.append(f" until {card.window_until.astimezone(zone):%H:%M}")
    else:
        line.append("window closed — do not dial", style="bold red")
        if card.window_next_open is not None and card.window_next_open > now:
            line.append(f" · opens {card.window_next_open.astimezone(zone):%a %H:%M}")
    return line


def _tier_line(card: ContactCard, now: datetime) -> Text:
    line = Text()
    line.append(f"Tier {card.tier or '-'}", style="bold cyan")
    if card.sla_left is not None:
        # Counted at load in calling time; it runs down at wall pace while the
        # window is open, which is when a lead is worked.
        left = card.sla_left - (now - card.local_time)
        late = left <= -timedelta(minutes=1)
        line.append(f" · {sla_words(left)}", style="bold red" if late else "bold")
    of = f" of {card.max_attempts}" if card.max_attempts else ""
    line.append(f" · attempt {card.next_attempt}{of}")
    return line


class LeadCard(Static):
    """Renders a :class:`Lead` as of a given instant (local time and SLA tick on).

    The prospect's times are in the prospect's zone; the lease's end, a time for the
    rep, is in the rep's (the team's) zone.
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id)
        self.lead: Lead | None = None
        self.rep_zone: tzinfo | None = None
        self._compact = False
        self._now: datetime | None = None
        self._room = 0  # the rows the text could take when last rendered

    def show(
        self, lead: Lead | None, now: datetime, empty_text: str = "", *, rep_zone: tzinfo | None
    ) -> None:
        """Render ``lead`` at ``now`` (None: the empty-queue message).

        Args:
            rep_zone: the rep's (team's) zone, for "yours until" (None before the
                team's settings are read: no lead is shown then).
        """
        self.lead = lead
        self.rep_zone = rep_zone
        self.set_class(lead is None, "-empty")
        self.set_class(bool(lead and lead.recovered), "-recovered")
        if lead is None:
            self.border_title = "No lead"
            self.border_subtitle = ""
            self.update(Text(empty_text, style="dim", justify="center"))
            return
        self.tick(now)

    def tick(self, now: datetime) -> None:
        """Re-render the held lead at ``now`` (no database work)."""
        self._now = now
        if self.lead is None:
            return
        card, item = self.lead.card, self.lead.item
        self.border_title = f"Lead #{card.contact_id}"
        if self.lead.switched_to is not None:
            self.border_title += f" · switched to {self.lead.switched_to.kind}"
        zone = card.local_time.tzinfo
        if item.claim_expires_at is not None and self.rep_zone is not None:
            until = item.claim_expires_at.astimezone(self.rep_zone)
            self.border_subtitle = f"yours until {until:%H:%M %Z}"
        else:
            self.border_subtitle = ""
        name = Text(card.name, style="bold")
        if card.title:
            name.append(f" · {card.title}")
        employees = f"{card.employees:,} staff" if card.employees is not None else None
        company = Text(
            _join(card.company or "(no company)", card.industry, employees, _source(card))
        )
        reason = Text("▸ ", style="bold")
        reason.append(item.reason, style="italic")
        others = _others_line(self.lead, compact=self._compact)
        lines: list[Text] = [
            name,
            company,
            _phone_line(self.lead),
            *([others] if others else []),
            _window_line(card, now),
            _tier_line(card, now),
            reason,
        ]
        if self.lead.tags:
            tagged = Text("Objections ", style="dim")
            tagged.append(" · ".join(self.lead.tags), style="bold yellow")
            if self._compact:  # 80×24: one row, as the other numbers
                tagged.no_wrap, tagged.overflow = True, "ellipsis"
            lines.append(tagged)
        if card.dialed_at is not None:
            # The rep's own act: in the rep's zone, like the lease above.
            at = card.dialed_at.astimezone(self.rep_zone or zone)
            if self._compact and others and not self.lead.recovered:
                # 80×24 has no row to spare once the other numbers are shown.
                self.border_subtitle = f"dialed {at:%H:%M} · {self.border_subtitle}"
            else:
                dialed = Text(f"Dialed at {at:%H:%M %Z}", style="bold")
                if self.lead.recovered:
                    dialed.append(
                        " and never logged: press the outcome key now", style="bold yellow"
                    )
                lines.append(dialed)
        self._room = self._free_rows()
        spare = self._room - self._rows_of(lines)
        colleagues = colleague_lines(
            self.lead.colleagues, card.company, now, rows=spare, compact=self._compact
        )
        if self.lead.colleagues.total and not colleagues:
            self.border_title += f" · {colleague_count(self.lead.colleagues)} (a)"
        self.update(Group(*lines, *colleagues))

    def refit(self) -> None:
        """Render the lead again if the rows it may take changed (the screen or a banner
        moved); the colleagues take what is spare."""
        if self.lead is not None and self._now is not None and self._free_rows() != self._room:
            self.tick(self._now)

    def _free_rows(self) -> int:
        """Rows for the card's text without pushing the note off the screen: its column's
        height, less the other panes' (the history's least) and the card's borders."""
        column = self.parent
        if not isinstance(column, Widget) or not column.size.height:
            return 0
        taken = 2  # the card's borders
        for pane in column.children:
            if pane is not self and pane.display:
                least = pane.styles.min_height
                taken += int(least.value) if least is not None else pane.outer_size.height
        return column.size.height - taken

    def _rows_of(self, lines: list[Text]) -> int:
        width = self.content_size.width
        if not width:
            return len(lines)
        return sum(1 if line.no_wrap else len(line.wrap(self.app.console, width)) for line in lines)

    def on_resize(self, event: Resize) -> None:
        compact = event.size.width < COMPACT_BELOW
        if compact != self._compact:
            self._compact = compact
            if self._now is not None:
                self.tick(self._now)


def _source(card: ContactCard) -> str | None:
    if card.source and card.list_name:
        return f"{card.source} ({card.list_name})"
    return card.source
