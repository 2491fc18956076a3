"""The Textual workbench. Thin: screens render what the services return."""
