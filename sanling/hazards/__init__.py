"""隐患排查整改 (inspections and hazards)."""
