from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def jobs_dir(settings, tmp_path) -> Path:
    """Each test's job files in a folder of its own."""
    settings.JOBS_DIR = tmp_path / "jobs"
    settings.UPLOAD_DIR = tmp_path / "uploads"
    return settings.JOBS_DIR


@pytest.fixture
def kind():
    """``kind(name, run, **options)``: register a job kind for one test (as an app registers its own)."""
    from sanling.jobs.registry import KINDS, JobKind, job_kind_register

    added = []

    def register(name: str, run, **options) -> JobKind:
        added.append(name)
        return job_kind_register(JobKind(name=name, label=name, run=run, **options))

    yield register
    for name in added:
        KINDS.pop(name, None)


@pytest.fixture
def export():
    """``export(name, write)``: register an export for one test."""
    from sanling.jobs.exports import EXPORTS, export_register

    added = []

    def register(name: str, write, **options):
        added.append(name)
        return export_register(name, label=name, write=write, **options)

    yield register
    for name in added:
        EXPORTS.pop(name, None)
