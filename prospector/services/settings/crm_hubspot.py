"""Validating ``[crm.hubspot]``: the deal pipeline and the team's industry words."""

from __future__ import annotations

import re

from prospector.foundations import crm_hubspot
from prospector.foundations.errors import SettingsError
from prospector.foundations.folding import word_key
from prospector.services.settings.model import HubSpotSettings
from prospector.services.settings.reader import TableReader

# Pipeline and stage ids: "default", "appointmentscheduled", or the numbers
# HubSpot gives a custom pipeline's stages.
_ID = re.compile(r"[A-Za-z0-9_-]{1,100}", re.ASCII)
_ID_EXPECTED = 'a HubSpot id such as "default" or "12345678" (letters, digits, _ and -)'


def parse_hubspot(reader: TableReader) -> HubSpotSettings:
    """``[crm.hubspot]`` (absent: HubSpot's default sales pipeline)."""
    shipped = HubSpotSettings.shipped()
    pipeline = _id(reader, "pipeline", shipped.pipeline)
    if pipeline != shipped.pipeline and not reader.has("stages"):
        raise SettingsError(
            f"settings: {reader.key('stages')} is missing: pipeline {pipeline!r} is not"
            " HubSpot's default pipeline, so list its open stage ids in order"
        )
    stages = reader.texts("stages", shipped.stages, empty=False)
    for stage in stages:
        if not _ID.fullmatch(stage):
            raise reader.fail("stages", list(stages), f"a list of stage ids, each {_ID_EXPECTED}")
    if len(set(stages)) != len(stages):
        raise reader.fail("stages", list(stages), "each stage id once")
    meeting = _stage(reader, "stage_meeting", shipped.stage_meeting, stages)
    qualified = _stage(reader, "stage_qualified", shipped.stage_qualified, stages)
    if stages.index(meeting) <= stages.index(qualified):
        raise SettingsError(
            f"settings: {reader.key('stage_meeting')} ({meeting!r}) must come after"
            f" {reader.key('stage_qualified')} ({qualified!r}) in {reader.key('stages')}:"
            " a handoff with a booked meeting is the stronger one"
        )
    settings = HubSpotSettings(
        pipeline=pipeline,
        stages=tuple(stages),
        stage_meeting=meeting,
        stage_qualified=qualified,
        industry=_industry(reader.sub("industry", required=False)),
    )
    reader.done()
    return settings


def _id(reader: TableReader, name: str, default: str) -> str:
    value = reader.text(name, default)
    if not _ID.fullmatch(value):
        raise reader.fail(name, value, _ID_EXPECTED)
    return value


def _stage(reader: TableReader, name: str, default: str, stages: tuple[str, ...]) -> str:
    value = reader.text(name, default if default in stages else ...)
    if value not in stages:
        raise reader.fail(name, value, f"one of {reader.key('stages')} ({', '.join(stages)})")
    return value


def _industry(reader: TableReader) -> dict[str, str]:
    found: dict[str, str] = {}
    for word in list(reader.table):
        value = reader.text(word)
        key = word_key(word)
        if not key:
            raise reader.fail(word, value, "an industry word as the key, not a blank")
        if value and value not in crm_hubspot.industries():
            raise reader.fail(
                word,
                value,
                'one of HubSpot\'s Industry values such as "COMPUTER_SOFTWARE" (the list is in'
                ' prospector/data/crm_hubspot.toml), or "" to leave the cell empty',
            )
        if key in found:
            raise SettingsError(f"settings: {reader.key(word)}: {word!r} is given twice")
        found[key] = value
    reader.done()
    return found
