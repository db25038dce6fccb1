"""Models of scoring (issue 16)."""
