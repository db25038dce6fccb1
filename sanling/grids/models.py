"""网格与岗位 (grids, buildings, posts, households)."""

from django.db import models  # noqa: F401
