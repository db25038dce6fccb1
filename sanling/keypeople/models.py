"""重点人群 and their visits."""

from django.db import models  # noqa: F401
