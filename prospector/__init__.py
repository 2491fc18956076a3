"""Prospector: a terminal workbench for teleprospecting."""

__version__ = "0.1.0"
