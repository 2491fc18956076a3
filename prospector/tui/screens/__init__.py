"""Full screens: the lead screen, help and search."""
