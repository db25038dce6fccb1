"""隐患排查整改 (inspections and hazards)."""

from django.db import models  # noqa: F401
