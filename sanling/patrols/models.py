"""巡防 (patrol teams, shifts and logs)."""

from django.db import models  # noqa: F401
