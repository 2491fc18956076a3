"""The intake endpoint (``prospector serve``): leads from web forms and marketing automation.

An interface layer like :mod:`prospector.cli`: HTTP in, :mod:`prospector.services.intake`
does the work.
"""
