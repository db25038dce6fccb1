"""Models of reviews (issue 16)."""
