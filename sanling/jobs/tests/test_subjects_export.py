"""The subject list's export runs as a job too: the list's filters, the owner's scope, masked contacts,
audited like the synchronous export (the export registry's queryset → workbook case)."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from sanling.audit.models import AuditEntry
from sanling.jobs.models import JobStatus
from sanling.jobs.services import job_file

pytestmark = pytest.mark.django_db


def cells(job) -> str:
    workbook = load_workbook(io.BytesIO(job_file(job).read_bytes()), read_only=True)
    return " ".join(str(cell) for row in workbook["创建主体"].iter_rows(values_only=True) for cell in row)


def test_the_list_exports_its_filtered_rows_in_the_background(client, personas):
    client.force_login(personas["admin_user"])
    response = client.post(
        reverse("subjects:export_job"), {"query": "kind=institution&period=2025"}, follow=True
    )
    job = response.context["job"]
    assert (job.status, job.report["rows"]) == (JobStatus.SUCCEEDED, {"创建主体": 1})
    assert (job.done, job.total) == (1, 1)
    text = cells(job)
    assert "U1 实验小学" in text and "V1" not in text
    entry = AuditEntry.objects.get(verb="export.subjects")
    assert "kind=institution&period=2025" in str(entry.changes)
    assert entry.actor_name == "admin_user"


def test_the_background_export_holds_only_the_users_scope(client, personas):
    client.force_login(personas["town_a"])
    job = client.post(reverse("subjects:export_job"), {"query": ""}, follow=True).context["job"]
    text = cells(job)
    assert "V1 金牛社区" in text and "V2" not in text and "东湾" not in text


def test_a_filter_that_cannot_be_applied_fails_the_job_in_chinese(client, personas):
    client.force_login(personas["admin_user"])
    job = client.post(reverse("subjects:export_job"), {"query": "period=1990"}, follow=True).context["job"]
    assert job.status == JobStatus.FAILED and "期间" in job.message
    assert job_file(job) is None
