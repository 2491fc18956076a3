"""The lead screen's parts, each rendering plain values from the services."""
