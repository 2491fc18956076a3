"""``/``: find a contact by id, name, company, email or phone, and open it.

The rules are :func:`prospector.services.search.search_contacts`'s, shared with
``prospector search``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, OptionList
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from prospector.services.search import ContactMatch, search_contacts

if TYPE_CHECKING:
    from prospector.tui.app import ProspectorApp

RESULT_LIMIT = 30


class SearchScreen(Screen[int | None]):
    """Dismisses with the chosen contact id, or None."""

    KEY_GROUP = "Search"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Back to the lead", id="search.close"),
        Binding("down", "results", "Results", id="search.results", show=False),
    ]

    @dataclass
    class ContactsFound(Message):
        """The matches for ``text`` (stale answers are dropped)."""

        text: str
        matches: list[ContactMatch]

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="search-box") as box:
            box.border_title = "Search contacts"
            box.border_subtitle = "Enter opens (when it can be claimed) · Esc back"
            yield Input(placeholder="id, name, company, email or phone", id="search-input")
            yield OptionList(id="search-results")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#search-input", Input))

    def on_input_changed(self, event: Input.Changed) -> None:
        self._search(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        results = self.query_one("#search-results", OptionList)
        if results.option_count:
            results.highlighted = results.highlighted or 0
            self._choose(results.get_option_at_index(results.highlighted or 0))
        else:
            self._say_why_nothing_opens(event.value)

    @work(thread=True, exclusive=True, group="search", exit_on_error=False)
    def _search(self, text: str) -> None:
        app: ProspectorApp = self.app  # type: ignore[assignment]
        worker = get_current_worker()
        try:
            # A newer keystroke cancels this worker: its scan then stops at once
            # instead of holding a core while the search that matters runs.
            matches = search_contacts(
                app.database(), text, RESULT_LIMIT, cancelled=lambda: worker.is_cancelled
            )
        except Exception as error:
            self.app.call_from_thread(self.notify, f"search failed: {error}", severity="error")
            return
        if matches is not None:
            self.post_message(self.ContactsFound(text, matches))

    def on_search_screen_contacts_found(self, message: ContactsFound) -> None:
        if message.text != self.query_one("#search-input", Input).value:
            return  # typing went on; a newer search is coming
        results = self.query_one("#search-results", OptionList)
        results.clear_options()
        results.add_options(
            Option(
                Text(  # plain text: names may hold "[" that markup would eat
                    f"#{match.contact_id}  {match.name} · {match.company or '-'} · {match.phone}"
                    f"  ({match.status})"
                ),
                id=str(match.contact_id),
            )
            for match in message.matches
        )
        results.border_title = f"{len(message.matches)} found" if message.text.strip() else ""
        if results.has_focus and results.option_count:
            results.highlighted = 0  # Down came before the answer: Enter still opens one

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self._choose(event.option)

    def _choose(self, option: Option) -> None:
        if option.id is not None:
            self.dismiss(int(option.id))

    def action_results(self) -> None:
        results = self.query_one("#search-results", OptionList)
        searching = any(worker.node is self and not worker.is_finished for worker in self.workers)
        if not results.option_count and not searching:
            self._say_why_nothing_opens(self.query_one("#search-input", Input).value)
            return
        # The first Down lands on the first result (or on the first of the answer still
        # coming), so Enter then opens it.
        if results.highlighted is None and results.option_count:
            results.highlighted = 0
        results.focus()

    def _say_why_nothing_opens(self, text: str) -> None:
        if text.strip():
            self.notify(f"nothing found for {text.strip()!r}", title="Search")
        else:
            self.notify("type an id, name, company, email or phone first", title="Search")

    def action_close(self) -> None:
        self.dismiss(None)
