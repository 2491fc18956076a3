"""Validating ``[crm.answers]`` and ``[crm] slash_dates``: how ``handoffs ack`` reads a CRM."""

from __future__ import annotations

from prospector.foundations.errors import SettingsError
from prospector.services.settings.model import (
    ANSWER_CRMS,
    CRM_ANSWERS,
    SLASH_DATES,
    CrmAnswers,
)
from prospector.services.settings.reader import TableReader


def _answer_words(reader: TableReader) -> dict[str, str]:
    words = {}
    for word in list(reader.table):
        if isinstance(reader.table[word], dict):
            continue  # a CRM's own table: read by parse_crm_answers
        meaning = reader.text(word)
        if meaning not in CRM_ANSWERS or not word.strip():
            raise reader.fail(word, meaning, f"one of: {', '.join(CRM_ANSWERS)}")
        words[word] = meaning
    return words


def parse_crm_answers(crm: TableReader) -> CrmAnswers:
    """``[crm.answers]`` words (``[crm.answers.<crm>]``: one CRM's) and ``crm.slash_dates``."""
    answers = crm.sub("answers", required=False)
    by_crm = {}
    for name, value in list(answers.table.items()):
        if not isinstance(value, dict):
            continue
        if name not in ANSWER_CRMS:
            raise SettingsError(
                f"settings: unknown CRM {answers.key(name)} (expected one of:"
                f" {', '.join(ANSWER_CRMS)}, or a word = one of: {', '.join(CRM_ANSWERS)})"
            )
        own = answers.sub(name)
        by_crm[name] = _answer_words(own)
        own.done()
    words = _answer_words(answers)
    answers.done()
    slash_dates = crm.text("slash_dates", "month-first")
    if slash_dates not in SLASH_DATES:
        raise crm.fail("slash_dates", slash_dates, " or ".join(SLASH_DATES))
    return CrmAnswers(words=words, by_crm=by_crm, slash_dates=slash_dates)
