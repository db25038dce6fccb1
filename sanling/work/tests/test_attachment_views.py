"""Evidence through the pages and the API: uploaded by the case's handlers, served only inside their scope,
with the stored type, never sniffed, and non-images as downloads."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from sanling.work.attachments import attachment_add
from sanling.work.models import Attachment

from .test_attachments import EXE, JPEG, PDF, stored_files

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def store(settings, tmp_path):
    settings.ATTACHMENT_DIR = tmp_path / "attachments"
    return settings.ATTACHMENT_DIR


@pytest.fixture
def case_a(personas):
    """The case of 金牛邻里纠纷 (沙北街道)."""
    return personas["dispute_a"].case


def test_the_grid_worker_attaches_a_photo_from_the_phone(client, personas, case_a):
    client.force_login(personas["grid_a"])
    url = reverse("work:attachment_add", kwargs={"ref": case_a.ref})
    page = client.get(url).content.decode()
    assert 'accept="image/*,application/pdf"' in page and 'capture="environment"' in page
    response = client.post(url, {"file": SimpleUploadedFile("IMG_2041.jpg", JPEG), "next": url})
    assert response.status_code == 302 and response["Location"] == url
    assert case_a.attachments.get().name == "IMG_2041.jpg"
    assert "IMG_2041.jpg" in client.get(url).content.decode()


def test_a_disguised_file_is_refused_on_the_page_with_a_chinese_message(client, personas, case_a, store):
    client.force_login(personas["grid_a"])
    url = reverse("work:attachment_add", kwargs={"ref": case_a.ref})
    response = client.post(url, {"file": SimpleUploadedFile("现场.jpg", EXE), "next": url})
    assert response.status_code == 400  # answered as a refusal, not redirected as if it had worked
    assert "只能上传照片（JPEG、PNG、WebP、HEIC）或 PDF 文件" in response.content.decode()
    assert not Attachment.objects.exists() and stored_files(store) == []


def test_an_htmx_upload_answers_the_partial(client, personas, case_a):
    client.force_login(personas["grid_a"])
    url = reverse("work:attachment_add", kwargs={"ref": case_a.ref})
    response = client.post(url, {"file": SimpleUploadedFile("a.jpg", JPEG)}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response.content.decode().lstrip().startswith("<section")


def test_an_outsider_cannot_attach_to_another_towns_case(client, personas, case_a, store):
    client.force_login(personas["town_b"])
    url = reverse("work:attachment_add", kwargs={"ref": case_a.ref})
    assert client.post(url, {"file": SimpleUploadedFile("a.jpg", JPEG)}).status_code == 404
    assert not Attachment.objects.exists() and stored_files(store) == []


def test_a_reader_cannot_attach(client, personas, case_a):
    client.force_login(personas["viewer"])
    url = reverse("work:attachment_add", kwargs={"ref": case_a.ref})
    assert client.get(url).status_code == 200
    assert client.post(url, {"file": SimpleUploadedFile("a.jpg", JPEG)}).status_code == 403


def test_a_photo_is_shown_inline_with_its_stored_type(client, personas, case_a):
    attachment = attachment_add(item=case_a, upload=SimpleUploadedFile("界桩.jpg", JPEG))
    client.force_login(personas["town_a"])
    response = client.get(reverse("work:attachment", kwargs={"pk": attachment.pk}))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("inline")
    assert b"".join(response.streaming_content) == JPEG


def test_a_pdf_is_sent_as_a_download(client, personas, case_a):
    attachment = attachment_add(item=case_a, upload=SimpleUploadedFile("调解协议书.pdf", PDF))
    client.force_login(personas["town_a"])
    response = client.get(reverse("work:attachment", kwargs={"pk": attachment.pk}))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("outsider", ["town_b", "dept"])
def test_an_outsider_gets_404_for_the_file(client, personas, case_a, outsider):
    attachment = attachment_add(item=case_a, upload=SimpleUploadedFile("界桩.jpg", JPEG))
    client.force_login(personas[outsider])
    assert client.get(reverse("work:attachment", kwargs={"pk": attachment.pk})).status_code == 404


def test_the_api_lists_uploads_and_downloads_evidence(api_as, personas, case_a):
    api = api_as(personas["town_a"])
    url = f"/api/v1/cases/{case_a.ref}/attachments/"
    created = api.post(url, {"file": SimpleUploadedFile("现场.jpg", JPEG)}, format="multipart")
    assert created.status_code == 201
    body = created.json()
    assert (body["item"], body["name"], body["content_type"]) == (case_a.ref, "现场.jpg", "image/jpeg")
    again = api.post(url, {"file": SimpleUploadedFile("现场2.jpg", JPEG)}, format="multipart")
    assert again.status_code == 200 and again.json()["id"] == body["id"]
    listed = api.get(url).json()
    assert listed["count"] == 1 and listed["results"][0]["id"] == body["id"]
    download = api.get(f"/api/v1/attachments/{body['id']}/")
    assert download.status_code == 200 and download["Content-Type"] == "image/jpeg"
    assert b"".join(download.streaming_content) == JPEG


def test_the_api_refuses_a_disguised_file_with_a_chinese_message(api_as, personas, case_a, store):
    response = api_as(personas["town_a"]).post(
        f"/api/v1/cases/{case_a.ref}/attachments/",
        {"file": SimpleUploadedFile("photo.jpg", EXE)},
        format="multipart",
    )
    assert response.status_code == 400
    assert "只能上传照片" in response.json()["errors"]["file"][0]
    assert not Attachment.objects.exists() and stored_files(store) == []


def test_the_api_asks_for_a_file(api_as, personas, case_a):
    response = api_as(personas["town_a"]).post(
        f"/api/v1/cases/{case_a.ref}/attachments/", {}, format="multipart"
    )
    assert response.status_code == 400
    assert response.json()["errors"]["file"] == ["请选择要上传的照片或 PDF 文件。"]


@pytest.mark.parametrize("outsider", ["town_b", "dept"])
def test_the_api_answers_404_to_an_outsider(api_as, personas, case_a, outsider):
    attachment = attachment_add(item=case_a, upload=SimpleUploadedFile("界桩.jpg", JPEG))
    api = api_as(personas[outsider])
    assert api.get(f"/api/v1/cases/{case_a.ref}/attachments/").status_code == 404
    posted = api.post(
        f"/api/v1/cases/{case_a.ref}/attachments/",
        {"file": SimpleUploadedFile("b.jpg", PDF)},
        format="multipart",
    )
    assert posted.status_code == 404
    assert api.get(f"/api/v1/attachments/{attachment.pk}/").status_code == 404
    assert Attachment.objects.count() == 1
