"""Models of reporting (issue 16)."""
