"""The pages: the list and its filters, the person's page, the person form (identities stay masked on an edit)
and the one-handed visit form, which keeps what was typed when it is refused."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from sanling.keypeople.models import KeyPerson, KeyPersonVisit

from .conftest import ID_NUMBER, NAME, PHONE, png_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def attachments_dir(settings, tmp_path):
    settings.ATTACHMENT_DIR = tmp_path


def test_the_list_shows_the_persons_of_the_area_masked(client, people):
    client.force_login(people["town_a"])
    content = client.get(reverse("keypeople:list")).content.decode()
    assert "欧阳**" in content and "KP-A" in content and "KP-B" not in content and NAME not in content


@pytest.mark.parametrize(
    ("query", "shown"),
    [
        ({"category": "mental_disorder"}, True),
        ({"category": "drug_user"}, False),
        ({"risk_level": "medium"}, True),
        ({"risk_level": "high"}, False),
        ({"region": "411103001001"}, True),
        ({"overdue": "on"}, True),  # registered 2025-01-06, medium risk: due 2025-02-06, never visited
    ],
)
def test_the_list_filters(client, people, query, shown):
    client.force_login(people["admin_user"])
    content = client.get(reverse("keypeople:list"), query).content.decode()
    assert ('data-ref="KP-A"' in content) is shown


def test_a_region_outside_the_area_is_a_filter_error(client, people):
    client.force_login(people["town_a"])
    response = client.get(reverse("keypeople:list"), {"region": people["dongwan"].code})
    assert 'id="filter-errors"' in response.content.decode()


def test_the_person_page_shows_the_next_visit_and_the_record_button(client, people):
    client.force_login(people["grid_a"])
    content = client.get(reverse("keypeople:detail", kwargs={"ref": "KP-A"})).content.decode()
    assert 'id="next-due"' in content and "2025-02-06" in content and 'id="record-visit"' in content
    assert "/unmask/" not in content  # a grid worker may not unmask


def test_registering_a_person_through_the_form(client, people):
    client.force_login(people["town_a"])
    response = client.post(
        reverse("keypeople:create"),
        {
            "region": "411103001001",
            "category": "community_correction",
            "risk_level": "high",
            "name": "新人员",
            "id_number": "11010519590101123x",
            "phone": "",
            "address": "",
        },
    )
    assert response.status_code == 302
    person = KeyPerson.objects.get(category="community_correction", region=people["jinniu"])
    assert person.case.due_on == timezone.localdate() + datetime.timedelta(days=7)


def test_a_person_in_another_town_cannot_be_registered(client, people):
    client.force_login(people["town_a"])
    response = client.post(
        reverse("keypeople:create"),
        {"region": people["dongwan"].code, "category": "drug_user", "risk_level": "low", "name": "外镇"},
    )
    assert (
        response.status_code == 400
        and not KeyPerson.objects.filter(name__isnull=False, region=people["dongwan"])
        .exclude(ref="KP-B")
        .exists()
    )


def test_an_edit_that_leaves_the_masks_keeps_the_identity_and_reschedules(client, people):
    client.force_login(people["grid_a"])
    url = reverse("keypeople:edit", kwargs={"ref": "KP-A"})
    form = client.get(url).context["form"]
    data = {name: form.initial.get(name) or "" for name in form.fields}
    data.update({"region": "411103001001", "risk_level": "high", "handler": people["grid_a"].pk})
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    person = KeyPerson.objects.get(ref="KP-A")
    assert (person.name, person.id_number, person.phone) == (NAME, ID_NUMBER, PHONE)
    assert person.risk_level == "high" and person.case.due_on == datetime.date(2025, 1, 13)


def test_an_edit_of_a_stale_version_changes_nothing(client, people):
    client.force_login(people["town_a"])
    url = reverse("keypeople:edit", kwargs={"ref": "KP-A"})
    form = client.get(url).context["form"]
    data = {name: form.initial.get(name) or "" for name in form.fields}
    data.update({"region": "411103001001", "risk_level": "low", "version": 99})
    assert client.post(url, data).status_code == 409
    assert KeyPerson.objects.get(ref="KP-A").risk_level == "medium"


def test_a_grid_worker_records_a_visit_with_a_photo(client, people):
    client.force_login(people["grid_a"])
    today = timezone.localdate()
    response = client.post(
        reverse("keypeople:visit", kwargs={"ref": "KP-A"}),
        {
            "visited_on": today.isoformat(),
            "face_to_face": "yes",
            "place": "家中",
            "findings": "按时服药",
            "photo": SimpleUploadedFile("p.png", png_bytes(), content_type="image/png"),
        },
    )
    assert response.status_code == 302
    visit = KeyPersonVisit.objects.get()
    assert (
        visit.visitor == people["grid_a"]
        and visit.face_to_face
        and visit.person.case.attachments.count() == 1
    )
    assert visit.person.case.due_on > today


def test_the_visit_form_has_big_buttons_and_the_camera(client, people):
    client.force_login(people["grid_a"])
    content = client.get(reverse("keypeople:visit", kwargs={"ref": "KP-A"})).content.decode()
    assert 'capture="environment"' in content and 'accept="image/*"' in content and 'class="big"' in content
    assert NAME not in content and "欧阳**" in content


def test_a_refused_visit_keeps_what_was_typed(client, people):
    client.force_login(people["grid_a"])
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client.post(
        reverse("keypeople:visit", kwargs={"ref": "KP-A"}),
        {
            "visited_on": tomorrow.isoformat(),
            "face_to_face": "no",
            "place": "村委会",
            "findings": "情绪低落，家属陪同",
        },
    )
    content = response.content.decode()
    assert response.status_code == 400 and "未来" in content
    assert (
        "情绪低落，家属陪同" in content
        and 'value="村委会"' in content
        and 'value="no" checked' in content.replace("  ", " ")
        or 'value="no"' in content
    )
    assert not KeyPersonVisit.objects.exists()


def test_a_pdf_as_the_photo_is_refused_in_chinese(client, people):
    client.force_login(people["grid_a"])
    response = client.post(
        reverse("keypeople:visit", kwargs={"ref": "KP-A"}),
        {
            "visited_on": timezone.localdate().isoformat(),
            "face_to_face": "yes",
            "place": "家中",
            "photo": SimpleUploadedFile("x.jpg", b"%PDF-1.4 x", content_type="image/jpeg"),
        },
    )
    assert response.status_code == 400 and "图片" in response.content.decode()
    assert not KeyPersonVisit.objects.exists()


def test_a_viewer_cannot_record_a_visit(client, people):
    client.force_login(people["viewer"])
    assert client.get(reverse("keypeople:visit", kwargs={"ref": "KP-A"})).status_code == 403


def test_the_visit_is_on_the_work_items_timeline_and_in_my_work(client, people):
    client.force_login(people["grid_a"])
    content = client.get(reverse("work:mine")).content.decode()
    assert "KP-A" in content and NAME not in content
    client.post(
        reverse("keypeople:visit", kwargs={"ref": "KP-A"}),
        {"visited_on": timezone.localdate().isoformat(), "face_to_face": "yes"},
    )
    page = client.get(reverse("keypeople:detail", kwargs={"ref": "KP-A"})).content.decode()
    assert "重点人员回访" in page


def test_the_county_administrator_sets_the_countys_frequency(client, people):
    client.force_login(people["admin_user"])
    response = client.post(
        reverse("keypeople:frequencies"),
        {"category": "mental_disorder", "risk_level": "high", "amount": "3", "unit": "days"},
    )
    assert response.status_code == 302
    content = client.get(reverse("keypeople:frequencies")).content.decode()
    assert 'data-category="mental_disorder" data-risk="high"' in content and "本县区设定" in content
    from sanling.keypeople.models import VisitFrequency

    assert (
        VisitFrequency.objects.get(
            county=people["county"], category="mental_disorder", risk_level="high"
        ).amount
        == 3
    )


def test_a_town_operator_reads_the_frequencies_but_cannot_change_them(client, people):
    client.force_login(people["town_a"])
    assert 'name="amount"' not in client.get(reverse("keypeople:frequencies")).content.decode()
    response = client.post(
        reverse("keypeople:frequencies"),
        {"category": "mental_disorder", "risk_level": "high", "amount": "3", "unit": "days"},
    )
    assert response.status_code == 403


def test_a_person_is_released_with_a_reason(client, people):
    client.force_login(people["town_a"])
    response = client.post(
        reverse("keypeople:release", kwargs={"ref": "KP-A"}),
        {"release-on": timezone.localdate().isoformat(), "release-reason": "矫正期满"},
    )
    assert response.status_code == 302
    person = KeyPerson.objects.get(ref="KP-A")
    assert not person.active and person.case.closed_on == timezone.localdate()


def test_the_list_and_the_ledger_read_a_bounded_number_of_queries(
    client, people, django_assert_max_num_queries
):
    from sanling.keypeople.services import key_person_create

    for number in range(15):
        key_person_create(actor=None, region=people["jinniu"], category="drug_user", name=f"人员{number}")
    client.force_login(people["town_a"])
    with django_assert_max_num_queries(20):
        assert client.get(reverse("keypeople:list")).status_code == 200
    with django_assert_max_num_queries(25):
        assert client.get(reverse("keypeople:export")).status_code == 200


def test_a_department_user_cannot_open_the_registration_form(client, people):
    """Review of issue 15: a key person is placed in a region; the department user got an empty form."""
    client.force_login(people["dept"])
    assert client.get(reverse("keypeople:create")).status_code == 403
    assert reverse("keypeople:create") not in client.get(reverse("keypeople:list")).content.decode()
