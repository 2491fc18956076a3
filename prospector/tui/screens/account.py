"""``a``: the lead's whole account: every contact there, and who holds which.

Enter on a contact dismisses with its id, for the lead screen to claim it next (as
``/`` search's open does); a contact another rep holds says who, and stays. The
list is :func:`prospector.services.accounts.account_view`'s, read on a worker.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from prospector.services.accounts import AccountView, Colleague, account_of, account_view
from prospector.services.queue import humanize
from prospector.tui.widgets.colleagues import STATUS_WORDS

if TYPE_CHECKING:
    from prospector.tui.app import ProspectorApp

# Who holds a contact decides whether it can be called: it comes right after the
# name, and the title last (the first cut at 80 columns; the table scrolls sideways).
COLUMNS = ("#", "Name", "Held by", "Status", "Last call", "By", "Title")


class AccountScreen(Screen[int | None]):
    """Dismisses with the contact to claim next, or None (Esc)."""

    KEY_GROUP = "Account"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Back to the lead", id="account.close"),
    ]

    @dataclass
    class Loaded(Message):
        """The account of the lead, read (``view`` None: the lead has no account)."""

        view: AccountView | None
        error: str | None = None

    def __init__(self, contact_id: int) -> None:
        super().__init__()
        self.contact_id = contact_id
        self.view: AccountView | None = None

    @property
    def workbench(self) -> ProspectorApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="account-box") as box:
            box.border_title = "Account"
            box.border_subtitle = "Enter: call this contact next · Esc back"
            yield Static("Reading the account…", id="account-heading")
            table: DataTable[str | Text] = DataTable(id="account-contacts", cursor_type="row")
            table.add_columns(*COLUMNS)
            yield table
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.set_focus(self.query_one(DataTable))
        self._load()

    @work(thread=True, exclusive=True, group="account", exit_on_error=False)
    def _load(self) -> None:
        db, now = self.workbench.database(), self.workbench.clock()
        try:
            account = account_of(db, self.contact_id)
            view = None if account is None else account_view(db, account, now=now)
        except Exception as error:  # shown, not raised: Esc still goes back
            self.post_message(self.Loaded(None, f"the account could not be read: {error}"))
            return
        self.post_message(self.Loaded(view))

    def on_account_screen_loaded(self, message: Loaded) -> None:
        heading = self.query_one("#account-heading", Static)
        if message.view is None:
            heading.update(message.error or "This lead belongs to no account.")
            return
        self.view = message.view
        account, contacts = message.view.account, message.view.contacts
        self.query_one("#account-box").border_title = f"Account: {account.name}"
        facts = [
            account.name,
            account.industry,
            f"{account.employees:,} staff" if account.employees is not None else None,
            account.domain,
            f"{contacts.total:,} contact{'s' if contacts.total != 1 else ''}",
        ]
        text = " · ".join(fact for fact in facts if fact)
        if contacts.more:
            text += f" (the first {len(contacts.shown):,} shown)"
        heading.update(Text(text))
        table = self.query_one(DataTable)
        now = self.workbench.clock()
        for colleague in contacts.shown:
            table.add_row(*self._cells(colleague, now), key=str(colleague.contact_id))
        lead_row = table.get_row_index(str(self.contact_id)) if self._has(self.contact_id) else 0
        table.move_cursor(row=lead_row)

    def _has(self, contact_id: int) -> bool:
        return self.view is not None and any(
            c.contact_id == contact_id for c in self.view.contacts.shown
        )

    def _cells(self, colleague: Colleague, now: datetime) -> list[str | Text]:
        when = "-"
        if colleague.last_call_at is not None:
            ago = max(now - colleague.last_call_at, timedelta(0))
            when = f"{colleague.last_disposition} {humanize(ago)} ago"
        held = Text(colleague.held_by or "", style="bold yellow")
        if colleague.contact_id == self.contact_id:
            held = Text("this lead")
        elif colleague.held_by == self.workbench.rep:
            held = Text("you")
        return [
            str(colleague.contact_id),
            Text(colleague.name),  # plain text: names may hold "[" that markup would eat
            held,
            STATUS_WORDS.get(colleague.status, colleague.status),
            when,
            colleague.last_rep or "",
            Text(colleague.title or ""),
        ]

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if self.view is None or event.row_key.value is None:
            return
        contact_id = int(event.row_key.value)
        chosen = next(c for c in self.view.contacts.shown if c.contact_id == contact_id)
        holder = chosen.held_by
        if holder is not None and holder != self.workbench.rep:
            self.notify(
                f"{chosen.name} is held by {holder}: not yours to call now",
                severity="warning",
            )
            return
        self.dismiss(contact_id)

    def action_close(self) -> None:
        self.dismiss(None)
