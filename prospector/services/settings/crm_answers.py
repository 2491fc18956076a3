"""Validating ``[crm.answers]`` and ``[crm] slash_dates``: how ``handoffs ack`` reads a CRM.

The CRM settings meet here too: what an export writes into a CRM must read back
as open (a handoff arrives without a verdict), or acking the export's own file
would record verdicts nobody gave.
"""

from __future__ import annotations

from prospector.foundations.crm_words import answer_words
from prospector.foundations.errors import SettingsError
from prospector.foundations.folding import compact_key
from prospector.services.settings.model import (
    ANSWER_CRMS,
    CRM_ANSWERS,
    SLASH_DATES,
    CrmAnswers,
    HubSpotSettings,
    SalesforceSettings,
)
from prospector.services.settings.reader import TableReader


def _answer_words(reader: TableReader) -> dict[str, str]:
    words: dict[str, str] = {}
    seen: dict[str, str] = {}  # compact key -> the word as written first
    for word in list(reader.table):
        if isinstance(reader.table[word], dict):
            continue  # a CRM's own table: read by parse_crm_answers
        key = compact_key(word)
        if not key:
            raise SettingsError(
                f"settings: {reader.key(word)}: {word!r} is not a word (expected a status or"
                " stage as the CRM writes it, with letters or digits)"
            )
        if key in seen:
            raise SettingsError(
                f"settings: {reader.key(word)}: {word!r} is the same word as {seen[key]!r}"
                " (case, spaces and punctuation do not count): give it once"
            )
        meaning = reader.text(word)
        if meaning not in CRM_ANSWERS:
            raise reader.fail(word, meaning, f"one of: {', '.join(CRM_ANSWERS)}")
        seen[key] = word
        words[word] = meaning
    return words


def parse_crm_answers(
    crm: TableReader, salesforce: SalesforceSettings, hubspot: HubSpotSettings
) -> CrmAnswers:
    """``[crm.answers]`` words (``[crm.answers.<crm>]``: one CRM's) and ``crm.slash_dates``,
    with what ``salesforce`` and ``hubspot`` (parsed already) export.

    Raises:
        SettingsError: a bad word or meaning; a status or stage the exports write
            that the words read as a verdict (naming the CRM setting).
    """
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
    _check_exported(words, by_crm, salesforce, hubspot)
    field = salesforce.external_id_field
    return CrmAnswers(
        words=words,
        by_crm=by_crm,
        slash_dates=slash_dates,
        exported={
            "salesforce": tuple(
                dict.fromkeys([*salesforce.lead_status.values(), *salesforce.stage_name.values()])
            ),
            "hubspot": hubspot.stages,
        },
        # A report shows a custom field by its label: the API name without __c,
        # underscores as spaces (Handoff_Key__c -> "Handoff Key").
        id_columns=(field, field.removesuffix("__c").replace("_", " ")),
    )


def _check_exported(
    words: dict[str, str],
    by_crm: dict[str, dict[str, str]],
    salesforce: SalesforceSettings,
    hubspot: HubSpotSettings,
) -> None:
    exported = [
        ("salesforce", f"crm.salesforce.{name}.{kind}", value)
        for name in ("lead_status", "stage_name")
        for kind, value in getattr(salesforce, name).items()
    ]
    exported += [
        ("hubspot", "crm.hubspot.stage_meeting", hubspot.stage_meeting),
        ("hubspot", "crm.hubspot.stage_qualified", hubspot.stage_qualified),
    ]
    for crm, key, value in exported:
        meaning = answer_words(crm, words, by_crm).meaning(value)
        if meaning not in (None, "open"):
            raise SettingsError(
                f"settings: {key} = {value!r}: `handoffs ack` reads it as {meaning}, so every"
                f" handoff exported there would come back {meaning}: expected a status or"
                f" stage that reads as open (or map {value!r} to open under"
                f" [crm.answers.{crm}])"
            )
