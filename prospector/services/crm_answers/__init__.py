"""Reading a CRM's answers about handoffs: report files, status words, amounts and dates.

:mod:`.report_file` reads a Salesforce or HubSpot report (or Prospector's own
CSV) into rows, :mod:`.words` says what a status or stage word means (its tables:
:mod:`prospector.foundations.crm_words`), and :mod:`.values` reads amounts and
dates as CRMs write them. ``prospector.services.handoff_acks`` checks and records
them.
"""
