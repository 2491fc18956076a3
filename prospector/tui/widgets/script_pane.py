"""The call script beside the lead (``s``), and the answer to an objection (``o``).

Which script a lead gets is chosen once per lead (:mod:`prospector.services.scripts`)
and kept with it: the pane re-renders only when the lead, or the text the merge
fields make (the prospect's local time moves on), changes; the settings are those
the desk read, never read again here.

The Markdown is drawn by Rich into one Static: Textual's Markdown widget mounts a
widget per block, which costs several frames on every lead, and the next lead must
show at once (``make bench``: disposition key to next lead, pane open).
"""

from __future__ import annotations

from datetime import datetime

from rich.markdown import Markdown
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from prospector.services import scripts
from prospector.services.settings import Settings
from prospector.services.settings.model import Objection, Script
from prospector.tui.desk import Lead

NO_SCRIPT = "*No script applies to this lead.* Scripts are `[[scripts]]` in the settings."


class ScriptPane(VerticalScroll):
    """The lead's script as Markdown, under the last objection's answer (if any)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.border_title = "Script"
        # The lead's contact id, the settings it was chosen from, and its script.
        self._chosen: tuple[int, Settings, Script | None] | None = None
        self._shown = ""  # the Markdown drawn
        self._answer_for: int | None = None  # the contact the answer shown was asked on

    def compose(self) -> ComposeResult:
        yield Static("", id="objection-answer")
        yield Static("", id="script-text")

    def show(self, lead: Lead | None, settings: Settings, *, rep: str, now: datetime) -> None:
        """Render ``lead``'s script at ``now`` (nothing when there is no lead)."""
        if lead is None:
            self._chosen = None
            self._set("", None)
            return
        card = lead.card
        chosen = self._chosen
        if chosen is None or chosen[0] != card.contact_id or chosen[1] is not settings:
            chosen = self._chosen = (card.contact_id, settings, scripts.script_for(settings, card))
            self.scroll_home(animate=False)
        script = chosen[2]
        if script is None:
            self._set(NO_SCRIPT, None)
        else:
            self._set(scripts.render_script(script, card, rep=rep, now=now), script.name)
        if self._answer_for not in (None, card.contact_id):
            self.show_answer(None)  # asked on another lead

    def _set(self, text: str, name: str | None) -> None:
        self.border_title = f"Script · {name}" if name else "Script"
        if text != self._shown:
            self._shown = text
            self.query_one("#script-text", Static).update(Markdown(text))

    def show_answer(self, objection: Objection | None, contact_id: int | None = None) -> None:
        """Show ``objection``'s suggested answer above the script (None: hide it)."""
        answer = self.query_one("#objection-answer", Static)
        self._answer_for = contact_id if objection is not None else None
        answer.set_class(objection is not None, "-shown")
        if objection is None:
            answer.update("")
            return
        label = scripts.escape_markdown(objection.label)
        key = scripts.escape_markdown(objection.key)
        answer.update(Markdown(f"**{label}** (o {key})\n\n{objection.answer}"))
        self.scroll_home(animate=False)
