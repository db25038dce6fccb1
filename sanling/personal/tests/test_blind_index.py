from sanling.personal import crypto
from sanling.subjects.services import subject_update

from .conftest import PHONE


def test_the_subject_list_finds_a_subject_by_its_phone_through_the_blind_index(contact, client, personas):
    client.force_login(personas["admin_user"])
    page = client.get("/subjects/", {"phone": "138-1234-5678"}).content.decode()
    assert "实验小学" in page and "东湾食品厂" not in page
    assert PHONE not in page


def test_the_api_finds_a_subject_by_its_phone(contact, api_as, personas):
    found = api_as(personas["admin_user"]).get("/api/v1/subjects/", {"phone": PHONE}).json()["results"]
    assert [subject["code"] for subject in found] == ["U1"]


def test_a_changed_phone_is_found_under_its_new_number_only(contact, api_as, personas):
    subject_update(subject=contact, version=None, contact_phone="13900000000")
    client = api_as(personas["admin_user"])
    assert client.get("/api/v1/subjects/", {"phone": PHONE}).json()["results"] == []
    assert len(client.get("/api/v1/subjects/", {"phone": "13900000000"}).json()["results"]) == 1


def test_a_phone_indexed_under_the_old_key_is_still_found_during_a_rotation(personas, api_as, settings):
    old = crypto.new_key_text()
    settings.SANLING_DATA_KEY = old
    subject_update(subject=personas["school"], version=None, contact_phone=PHONE)
    settings.SANLING_DATA_KEY = f"{crypto.new_key_text()},{old}"
    found = api_as(personas["admin_user"]).get("/api/v1/subjects/", {"phone": PHONE}).json()["results"]
    assert [subject["code"] for subject in found] == ["U1"]
