"""Modal dialogs, one per file; each dismisses with a plain value (or None: cancelled)."""
