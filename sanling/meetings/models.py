"""议事会 (510 meetings, 动员会, 推进会)."""

from django.db import models  # noqa: F401
