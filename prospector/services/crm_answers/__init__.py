"""Reading a CRM's answers about handoffs: report files, status words, amounts and dates.

:mod:`.report_file` reads a Salesforce or HubSpot report (or Prospector's own
CSV) into rows, :mod:`.words` says what a status or stage word means (its tables:
:mod:`prospector.foundations.crm_words`), :mod:`.values` reads amounts and dates
as CRMs write them, and :mod:`.acks` checks and records them (``handoffs ack FILE``).
"""
