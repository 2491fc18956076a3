"""Foundations: database, clock, phones and zones, time words. No Textual, no click."""
