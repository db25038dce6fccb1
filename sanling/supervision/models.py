"""Models of supervision (issue 16)."""
