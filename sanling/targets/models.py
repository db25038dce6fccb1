"""Models of targets (issue 16)."""
