"""Importing a bundle: validate every row of every file first, then write all of it in one transaction.

One bad row anywhere means nothing is written; the same bundle twice changes nothing; a changed row
updates the record with the same code in place.

The package reads like the import does: ``bundle`` runs the steps, one module per file (``regions``,
``departments``, ``subjects``, ``records`` for events and disputes), ``cells`` turns a cell's text into
its value, and ``step`` holds what the steps share.
"""

from .bundle import BundleImporter, ImportResult, bundle_import
from .step import FileResult

__all__ = ["BundleImporter", "FileResult", "ImportResult", "bundle_import"]
