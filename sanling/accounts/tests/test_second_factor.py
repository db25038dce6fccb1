"""The second factor (等保 身份鉴别: two kinds of proof for administrators): a TOTP authenticator enrolled
with a QR code, asked for after the password, with recovery codes; required for the county
administrator, the auditor and superusers where the deployment says so."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from sanling.accounts.services import otp_enrol_begin, otp_enrol_confirm
from sanling.audit.models import AuditEntry

pytestmark = pytest.mark.django_db

PASSWORD = "pw-secret-123"


def code_of(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def enrolled(user) -> tuple[TOTPDevice, list[str]]:
    device = otp_enrol_begin(user=user)
    codes = otp_enrol_confirm(user=user, device=device, code=code_of(device))
    device.refresh_from_db()
    device.last_t = -1  # the code used to confirm may be given once more, as the next minute's would
    device.save()
    return device, codes


def log_in(client, username: str, password: str = PASSWORD):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def test_the_enrolment_page_shows_a_qr_code_and_the_key(client, personas):
    client.force_login(personas["town_a"])
    page = client.get(reverse("accounts:otp_enrol")).content.decode()
    device = TOTPDevice.objects.get(user=personas["town_a"], confirmed=False)
    assert "<svg" in page and "<path" in page
    import base64

    assert base64.b32encode(device.bin_key).decode() in page


def test_a_code_from_the_app_confirms_the_enrolment_and_shows_ten_recovery_codes(client, personas):
    client.force_login(personas["town_a"])
    client.get(reverse("accounts:otp_enrol"))
    device = TOTPDevice.objects.get(user=personas["town_a"])
    response = client.post(reverse("accounts:otp_enrol"), {"code": code_of(device)})
    assert response.status_code == 200
    assert len(re.findall(r"<li><code>[a-z2-7]{8}</code></li>", response.content.decode())) == 10
    assert response["Cache-Control"].count("no-store") == 1
    device.refresh_from_db()
    assert device.confirmed


def test_a_wrong_code_does_not_enrol(client, personas):
    client.force_login(personas["town_a"])
    client.get(reverse("accounts:otp_enrol"))
    response = client.post(reverse("accounts:otp_enrol"), {"code": "000000x"})
    assert "验证码" in response.content.decode()
    assert not TOTPDevice.objects.filter(confirmed=True).exists()


def test_enrolment_is_audited(personas):
    enrolled(personas["town_a"])
    assert AuditEntry.objects.filter(verb="otp.enrolled", object_key="town_a").exists()


def test_after_the_password_an_enrolled_user_must_give_the_code(client, personas):
    device, _codes = enrolled(personas["town_a"])
    log_in(client, "town_a")
    refused = client.get(reverse("events:list"))
    assert refused["Location"].startswith(reverse("accounts:otp_verify"))
    assert client.get("/api/v1/events/").status_code == 403
    client.post(reverse("accounts:otp_verify"), {"code": code_of(device)})
    assert client.get(reverse("events:list")).status_code == 200


def test_a_wrong_code_keeps_the_user_out(client, personas):
    enrolled(personas["town_a"])
    log_in(client, "town_a")
    response = client.post(reverse("accounts:otp_verify"), {"code": "123456"})
    assert "验证码" in response.content.decode()
    assert client.get(reverse("events:list")).status_code == 302


def test_a_recovery_code_signs_in_once(client, personas):
    _device, codes = enrolled(personas["town_a"])
    log_in(client, "town_a")
    client.post(reverse("accounts:otp_verify"), {"code": codes[0]})
    assert client.get(reverse("events:list")).status_code == 200
    client.logout()
    log_in(client, "town_a")
    client.post(reverse("accounts:otp_verify"), {"code": codes[0]})
    assert client.get(reverse("events:list")).status_code == 302


def test_removing_the_authenticator_needs_a_code_and_is_audited(client, personas):
    device, _codes = enrolled(personas["town_a"])
    log_in(client, "town_a")
    client.post(reverse("accounts:otp_verify"), {"code": code_of(device)})
    assert client.post(reverse("accounts:otp_remove"), {"code": "999999"}).status_code == 400
    device.refresh_from_db()
    device.throttling_failure_count = 0
    device.last_t = -1
    device.save()
    client.post(reverse("accounts:otp_remove"), {"code": code_of(device)})
    assert not TOTPDevice.objects.exists()
    assert AuditEntry.objects.filter(verb="otp.removed", object_key="town_a").exists()


def test_a_county_administrator_must_enrol_before_anything_else_when_required(client, personas, settings):
    settings.REQUIRE_SECOND_FACTOR = True
    log_in(client, "admin_user")
    response = client.get(reverse("events:list"))
    assert response["Location"].startswith(reverse("accounts:otp_enrol"))


def test_an_auditor_must_enrol_when_required(client, personas, settings):
    settings.REQUIRE_SECOND_FACTOR = True
    log_in(client, "auditor")
    assert client.get(reverse("audit:entries"))["Location"].startswith(reverse("accounts:otp_enrol"))


def test_a_town_operator_may_work_without_a_second_factor_even_when_required(client, personas, settings):
    settings.REQUIRE_SECOND_FACTOR = True
    log_in(client, "town_a")
    assert client.get(reverse("events:list")).status_code == 200


def test_without_the_requirement_an_administrator_signs_in_with_the_password_alone(client, personas):
    log_in(client, "admin_user")
    assert client.get(reverse("events:list")).status_code == 200


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser("root", "", PASSWORD)


def test_the_admin_login_asks_for_the_code(client, superuser):
    device, _codes = enrolled(superuser)
    response = client.post(
        reverse("admin:login"), {"username": "root", "password": PASSWORD, "next": "/admin/"}
    )
    assert response.status_code == 302
    assert client.get("/admin/")["Location"].startswith(reverse("accounts:otp_verify"))
    client.post(reverse("accounts:otp_verify"), {"code": code_of(device)})
    assert client.get("/admin/").status_code == 200


def test_a_superuser_must_enrol_before_using_the_admin_when_required(client, superuser, settings):
    settings.REQUIRE_SECOND_FACTOR = True
    client.post(reverse("admin:login"), {"username": "root", "password": PASSWORD, "next": "/admin/"})
    assert client.get("/admin/")["Location"].startswith(reverse("accounts:otp_enrol"))


def test_a_token_for_a_password_needs_the_code_of_an_enrolled_user(client, personas):
    device, _codes = enrolled(personas["town_a"])
    asked = {"username": "town_a", "password": PASSWORD, "name": "hotline"}
    refused = client.post("/api/v1/auth/token/", asked, content_type="application/json")
    assert refused.status_code in {401, 403}  # as for a wrong password
    granted = client.post(
        "/api/v1/auth/token/", asked | {"otp": code_of(device)}, content_type="application/json"
    )
    assert granted.status_code == 201


def test_the_admin_never_shows_an_authenticators_key_and_removes_it_through_the_audit_trail(
    client, superuser, personas
):
    device, _codes = enrolled(personas["town_a"])
    client.force_login(superuser)
    page = client.get(f"/admin/otp_totp/totpdevice/{device.pk}/change/").content.decode()
    assert "town_a" in page and device.key not in page
    assert client.get(f"/admin/otp_totp/totpdevice/{device.pk}/config/").status_code != 200
    client.post(f"/admin/otp_totp/totpdevice/{device.pk}/delete/", {"post": "yes"})
    assert not TOTPDevice.objects.exists()
    assert AuditEntry.objects.filter(verb="otp.removed", object_key="town_a").exists()


def test_a_token_for_a_password_is_refused_to_an_administrator_who_must_enrol_first(
    client, personas, settings
):
    settings.REQUIRE_SECOND_FACTOR = True
    asked = {"username": "admin_user", "password": PASSWORD, "name": "hotline"}
    assert client.post("/api/v1/auth/token/", asked, content_type="application/json").status_code == 401
