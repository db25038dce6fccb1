"""基层工作: the grid worker's day, fieldwork figures and commands."""
