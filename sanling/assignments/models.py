"""Models of assignments (issue 16)."""
