"""``--format salesforce-leads``: Leads only, for orgs whose account executives convert.

One Lead per handoff, upserted on the Lead's External ID field (``Prospector_Id__c``
by default, ``crm.salesforce.external_id_field``) holding the handoff's namespaced
id (``<db>-h42``), the id ``handoffs ack`` reads back from a lead report. Headers
are Lead field API names (Object Reference, Lead): FirstName, LastName, Company,
Title, Phone, Email, LeadSource, Status, Industry, NumberOfEmployees, State and
Country (or StateCode/CountryCode, :mod:`.salesforce_values`), Website,
Description, and ``User:Owner.Username`` for the outside rep (Lead.OwnerId may
name a user or a queue, so the parent's type comes first, as the Bulk API asks
of a polymorphic field; Data Loader's form is ``Owner:User-Username``).

Lead Status is the settings' ``lead_status`` word for the handoff's kind; by
default "Open - Not Contacted" either way: the lead is not yet worked, and a
status Prospector wrote must not read back as the rep's answer. LastName and
Company are required on Lead: blank ones are written "[not provided]", as
Salesforce's own Web-to-Lead does.
"""

from __future__ import annotations

from typing import Any

from prospector.services.export import salesforce_values as values
from prospector.services.export.payloads import Payload
from prospector.services.export.safe_csv import Column, csv_bytes
from prospector.services.settings.model import Settings

SUFFIXES = (".csv", ".sdl")


def columns(settings: Settings) -> list[Column]:
    sf = settings.salesforce
    state, country = values.address_headers(sf, "")
    kinds = {"Phone": "phone", "NumberOfEmployees": "integer"}
    headers = [
        sf.external_id_field, "FirstName", "LastName", "Company", "Title", "Phone", "Email",
        "LeadSource", "Status", "Industry", "NumberOfEmployees", state, country, "Website",
        "Description", values.LEAD_OWNER,
    ]  # fmt: skip
    return [Column(h, h, kinds.get(h, "text")) for h in headers]


def row(payload: Payload, settings: Settings) -> dict[str, Any]:
    sf = settings.salesforce
    state_header, country_header = values.address_headers(sf, "")
    state, country = values.address(sf, payload)
    return {
        sf.external_id_field: payload["external_id"],
        "FirstName": payload["first_name"][:40],
        "LastName": (payload["last_name"] or values.NOT_PROVIDED)[:80],
        "Company": (payload["company"] or values.NOT_PROVIDED)[:255],
        "Title": payload["title"][:128],
        "Phone": payload["phone"],
        "Email": payload["email"],
        "LeadSource": values.lead_source(sf, payload),
        "Status": sf.lead_status[values.handoff_kind(payload)],
        "Industry": values.industry(sf, payload),
        "NumberOfEmployees": payload["employees"],
        state_header: state,
        country_header: country,
        "Website": payload["domain"],
        "Description": values.description(payload),
        values.LEAD_OWNER: values.owner_username(settings, payload),
    }


def render(payloads: list[Payload], settings: Settings) -> list[tuple[str, bytes]]:
    """The Lead file (``.csv``) and its Data Loader mapping (``.sdl``)."""
    cols = columns(settings)
    headers = [column.header for column in cols]
    fields = {values.LEAD_OWNER: values.relationship_field(values.LEAD_OWNER)}
    return [
        (".csv", csv_bytes(cols, (row(p, settings) for p in payloads))),
        (".sdl", values.mapping_file(headers, fields)),
    ]
