"""``--format salesforce``: linked Account, Contact, Opportunity and contact-role files.

For orgs where qualified handoffs become opportunities directly. Each object is
upserted (Data Loader *Upsert*, or a Bulk API 2.0 ``upsert`` job) on a custom
External ID text field, ``Prospector_Id__c`` by default
(``crm.salesforce.external_id_field``), holding the payload's namespaced ids:
the account's (``<db>-a3``), the contact's (``<db>-c7``) and the handoff's
(``<db>-h42``) on the Opportunity and on its OpportunityContactRole. Loading a
batch twice, or two batches naming one account, updates rather than duplicates;
two databases never write over each other's records.

Children name their parents through relationship columns, the Bulk API 2.0
header syntax ``RelationshipName.IndexedFieldName``: ``Account.Prospector_Id__c``
on Contact and Opportunity, ``Opportunity.Prospector_Id__c`` and
``Contact.Prospector_Id__c`` on OpportunityContactRole, and ``Owner.Username`` for
the outside rep (see :mod:`.salesforce_values`). Each CSV comes with a Data Loader
mapping file (``.sdl``) that maps these headers to Data Loader's own relationship
form. Load order: accounts, contacts, opportunities, contact roles (a parent
must exist before a child names it).

A contact without a company has no Account: its relationship cells are blank.
Salesforce requires an Account on neither Contact nor Opportunity; such a
contact is a *private contact* (visible to its owner, the outside rep, and to
admins), which is who works it. No placeholder account is invented.

OpportunityContactRole supports upsert and its ``OpportunityId``/``ContactId``
are relationship fields (Object Reference), so it loads the same way; it needs
the External ID field too (custom fields on it exist since Spring '20). Its
``OpportunityId`` cannot be changed after creation, and a handoff's opportunity
never changes, so a second load sends the same value.
"""

from __future__ import annotations

from typing import Any

from prospector.services.export import salesforce_values as values
from prospector.services.export.payloads import Payload, deal_name
from prospector.services.export.safe_csv import Column, csv_bytes
from prospector.services.settings.model import Settings

OBJECTS = ("accounts", "contacts", "opportunities", "opportunity-contact-roles")
SUFFIXES = tuple(f"-{name}{ext}" for name in OBJECTS for ext in (".csv", ".sdl"))
"""The file names this format writes end so (after ``prospector-batch-N-salesforce``)."""


def _next_step(payload: Payload) -> str:
    step = f"Outside rep {payload['owner']}"
    if payload["meeting_local"]:
        step = f"Meeting {payload['meeting_local'][:16].replace('T', ' ')} {payload['timezone']}"
        step += f" with {payload['owner']}"
    return step[:255]  # NextStep is a 255-character string


def _last_by(payloads: list[Payload], key: str) -> list[Payload]:
    """One payload per distinct ``key`` (its newest handoff), in first-seen order."""
    latest: dict[str, Payload] = {}
    for payload in payloads:
        if payload[key]:
            latest[payload[key]] = payload
    return list(latest.values())


def tables(
    payloads: list[Payload], settings: Settings
) -> dict[str, tuple[list[Column], list[dict[str, Any]]]]:
    """Each object's columns and rows, keyed by :data:`OBJECTS` (what :func:`render` writes)."""
    sf = settings.salesforce
    key = sf.external_id_field
    account_ref, contact_ref, opportunity_ref = (
        f"{parent}.{key}" for parent in ("Account", "Contact", "Opportunity")
    )
    billing_state, billing_country = values.address_headers(sf, "Billing")
    mailing_state, mailing_country = values.address_headers(sf, "Mailing")

    accounts: list[dict[str, Any]] = []
    for p in _last_by(payloads, "account_external_id"):
        state, country = values.address(sf, p)
        accounts.append(
            {
                key: p["account_external_id"],
                "Name": (p["company"] or values.NOT_PROVIDED)[:255],
                "Website": p["domain"],
                "Industry": values.industry(sf, p),
                "NumberOfEmployees": p["employees"],
                billing_state: state,
                billing_country: country,
                values.OWNER: values.owner_username(settings, p),
            }
        )
    contacts: list[dict[str, Any]] = []
    for p in _last_by(payloads, "contact_external_id"):
        state, country = values.address(sf, p)
        contacts.append(
            {
                key: p["contact_external_id"],
                account_ref: p["account_external_id"],
                "FirstName": p["first_name"][:40],
                "LastName": (p["last_name"] or values.NOT_PROVIDED)[:80],
                "Title": p["title"][:128],
                "Phone": p["phone"],
                "Email": p["email"],
                "LeadSource": values.lead_source(sf, p),
                mailing_state: state,
                mailing_country: country,
                values.OWNER: values.owner_username(settings, p),
            }
        )
    opportunities = [
        {
            key: p["external_id"],
            account_ref: p["account_external_id"],
            "Name": (deal_name(p) or values.NOT_PROVIDED)[:120],  # Name is 120 characters
            "StageName": sf.stage_name[values.handoff_kind(p)],
            "CloseDate": p["close_date"],
            "Amount": p["amount"],
            "LeadSource": values.lead_source(sf, p),
            "NextStep": _next_step(p),
            "Description": values.description(p),
            values.OWNER: values.owner_username(settings, p),
        }
        for p in payloads
    ]
    roles = [
        {
            key: p["external_id"],
            opportunity_ref: p["external_id"],
            contact_ref: p["contact_external_id"],
            "IsPrimary": "true",
        }
        for p in payloads
    ]
    kinds = {"CloseDate": "date", "Amount": "amount", "NumberOfEmployees": "integer"}
    kinds["Phone"] = "phone"
    headers = {
        "accounts": [
            key, "Name", "Website", "Industry", "NumberOfEmployees", billing_state,
            billing_country, values.OWNER,
        ],
        "contacts": [
            key, account_ref, "FirstName", "LastName", "Title", "Phone", "Email", "LeadSource",
            mailing_state, mailing_country, values.OWNER,
        ],
        "opportunities": [
            key, account_ref, "Name", "StageName", "CloseDate", "Amount", "LeadSource",
            "NextStep", "Description", values.OWNER,
        ],
        "opportunity-contact-roles": [key, opportunity_ref, contact_ref, "IsPrimary"],
    }  # fmt: skip
    rows = {
        "accounts": accounts,
        "contacts": contacts,
        "opportunities": opportunities,
        "opportunity-contact-roles": roles,
    }
    return {
        name: ([Column(h, h, kinds.get(h, "text")) for h in headers[name]], rows[name])
        for name in OBJECTS
    }


def render(payloads: list[Payload], settings: Settings) -> list[tuple[str, bytes]]:
    """Per object, in load order: ``-<object>.csv`` and its ``-<object>.sdl`` mapping."""
    files = []
    for name, (columns, rows) in tables(payloads, settings).items():
        headers = [column.header for column in columns]
        fields = {h: values.relationship_field(h) for h in headers if "." in h}
        files.append((f"-{name}.csv", csv_bytes(columns, rows)))
        files.append((f"-{name}.sdl", values.mapping_file(headers, fields)))
    return files
