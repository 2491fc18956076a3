"""The export queue: handoffs into numbered batches, written as CRM files or sent.

``runner`` holds the rules; ``batches`` the stored snapshots; ``payloads`` what a
handoff carries; ``left_out`` which handoffs an export leaves out (DNC) and why;
``safe_csv`` formula-safe cells and the output folder;
``batchfiles`` a batch's files (owner-only, all or none, no leftovers); one module
per format (``salesforce_linked``, ``salesforce_leads`` with ``salesforce_values``,
``hubspot``, ``csvfile``, ``jsonl``), ``webhook`` for signed HTTP delivery and
``keepalive`` for its connection.
"""

from prospector.services.export.batches import Batch, get_batch
from prospector.services.export.runner import (
    FORMATS,
    ExportError,
    ExportResult,
    export_pending,
    rewrite_batch,
)
from prospector.services.export.safe_csv import ExportWriteError
from prospector.services.export.webhook import WebhookOptions, WebhookURLError

__all__ = [
    "FORMATS",
    "Batch",
    "ExportError",
    "ExportResult",
    "ExportWriteError",
    "WebhookOptions",
    "WebhookURLError",
    "export_pending",
    "get_batch",
    "rewrite_batch",
]
