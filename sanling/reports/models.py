"""Models of reports (issue 16)."""
