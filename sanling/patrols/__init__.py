"""巡防 (patrol teams, shifts and logs)."""
