import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from sanling.subjects.models import Subject

pytestmark = pytest.mark.django_db

CSV = "code,name,kind,category,region_code,department_code,joined_on\nU9,新学校,institution,school,411103001000,JY,2025-01-01\n"


def test_the_import_screen_checks_first_and_writes_only_on_confirmation(client, personas):
    client.force_login(personas["admin_user"])
    response = client.post(
        reverse("exchange:upload"), {"bundle": SimpleUploadedFile("subjects.csv", CSV.encode())}
    )
    assert "检查通过" in response.content.decode()
    assert not Subject.objects.filter(code="U9").exists()
    client.post(reverse("exchange:confirm"), {"token": response.context["token"]})
    assert Subject.objects.filter(code="U9").exists()


def test_a_forged_token_imports_nothing(client, personas):
    client.force_login(personas["admin_user"])
    response = client.post(reverse("exchange:confirm"), {"token": "../../etc/passwd"}, follow=True)
    assert "上传的文件已失效" in response.content.decode()


def test_only_administrators_import(client, personas):
    client.force_login(personas["town_a"])
    assert client.get(reverse("exchange:upload")).status_code == 403
