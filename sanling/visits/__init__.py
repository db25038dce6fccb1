"""走访 (household visits) and coverage."""
