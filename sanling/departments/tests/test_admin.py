"""The Django admin changes departments only through the department services (as a superuser at /admin/)."""

import pytest

from sanling.audit.models import AuditEntry
from sanling.departments.models import Department

pytestmark = pytest.mark.django_db


def test_adding_a_department_in_the_admin_goes_through_department_create(admin_client):
    response = admin_client.post("/admin/departments/department/add/", {"code": "WJ", "name": "区卫健委"})
    assert response.status_code == 302
    assert Department.objects.filter(code="WJ", name="区卫健委").exists()
    assert AuditEntry.objects.filter(object_type="department", object_key="WJ", action="create").exists()


def test_a_duplicate_department_code_shows_the_chinese_message_on_the_admin_form(admin_client, education):
    response = admin_client.post("/admin/departments/department/add/", {"code": "JY", "name": "另一个教育局"})
    assert response.status_code == 200
    assert "已存在" in response.content.decode()
    assert Department.objects.filter(code="JY").count() == 1


def test_renaming_a_department_in_the_admin_goes_through_department_update(admin_client, education):
    response = admin_client.post(
        f"/admin/departments/department/{education.pk}/change/", {"code": "JY", "name": "区教育体育局"}
    )
    assert response.status_code == 302
    education.refresh_from_db()
    assert education.name == "区教育体育局"
    entry = AuditEntry.objects.get(object_type="department", object_key="JY", action="update")
    assert entry.changes["after"] == {"name": "区教育体育局"}


def test_the_admin_cannot_delete_a_department(admin_client, education):
    response = admin_client.post(f"/admin/departments/department/{education.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert Department.objects.filter(pk=education.pk).exists()


def test_the_admins_department_pages_open(admin_client, education):
    assert admin_client.get("/admin/departments/department/").status_code == 200
    assert admin_client.get("/admin/departments/department/add/").status_code == 200
    assert admin_client.get(f"/admin/departments/department/{education.pk}/change/").status_code == 200
