"""走访 (household visits) and coverage."""

from django.db import models  # noqa: F401
