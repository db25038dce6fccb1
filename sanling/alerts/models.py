"""Models of alerts (issue 16)."""
