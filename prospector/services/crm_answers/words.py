"""The words a CRM's report is read with: the shipped tables and the team's settings.

The lookup itself (which table is asked first) is
:mod:`prospector.foundations.crm_words`; the settings add the team's
``[crm.answers]`` and the stages and statuses the team's exports write.
"""

from __future__ import annotations

from prospector.foundations.crm_words import Words, answer_words
from prospector.services.settings.model import CrmAnswers

__all__ = ["Words", "words_for"]


def words_for(crm: str, settings: CrmAnswers) -> Words:
    """The lookup for a file from ``crm`` (salesforce, hubspot or prospector)."""
    return answer_words(crm, settings.words, settings.by_crm, settings.exported)
