"""The lead screen: the claimed lead, one key per outcome, notes, what comes next.

* :mod:`.screen`: the screen, its keys, and what it does with each result;
* :mod:`.jobs`: what it runs on worker threads, and the messages they post back;
* :mod:`.outcomes`: the outcome keys, and what each outcome asks before logging.

What it shows is :class:`~prospector.tui.widgets.desk_view.DeskView`; the note
box keeps its own drafts (:class:`~prospector.tui.widgets.note_editor.NoteEditor`).
"""

from prospector.tui.screens.lead.screen import LeadScreen

__all__ = ["LeadScreen"]
