"""Services: one plain-Python module per capability. No Textual, no click."""
