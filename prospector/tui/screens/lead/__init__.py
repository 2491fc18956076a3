"""The lead screen: the claimed lead, one key per outcome, notes, what comes next."""

from prospector.tui.screens.lead.screen import LeadScreen

__all__ = ["LeadScreen"]
