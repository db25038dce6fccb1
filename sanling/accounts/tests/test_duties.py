"""Separation of duties (三权分立): the system administrator manages accounts, the security administrator
grants roles and scopes, the auditor reads the trail; none does another's work, none changes business data,
no one grants themselves anything or anyone a scope beyond their own, and the superuser is a break-glass
account whose every login is audited."""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from sanling.accounts.models import Profile, Role
from sanling.accounts.policy import requires_second_factor
from sanling.accounts.scope import EVERYTHING, Scope, scope_for
from sanling.accounts.services import AccountRefused, account_grant
from sanling.audit.models import AuditEntry
from sanling.regions.models import Level
from sanling.regions.services import region_create

pytestmark = pytest.mark.django_db

NEW_ACCOUNT = {"username": "new_op", "full_name": "新操作员", "phone": "", "is_active": "on"}


@pytest.fixture
def neighbour(duty_holders):
    """源汇区, the next county of the city, with a hospital of the county-wide health bureau."""
    county = region_create(
        code="411102000000", name="源汇区", level=Level.COUNTY, parent=duty_holders["city"]
    )
    town = region_create(code="411102001000", name="马路街街道", level=Level.TOWN, parent=county)
    return {"county": county, "town": town}


def _pending(region, name: str = "pending"):
    """An account the system administrator of ``region`` made, waiting for a role."""
    user = get_user_model().objects.create_user(username=name, password="pw-secret-123")
    Profile.objects.create(user=user, role="", region=region)
    return user


# No account holds two duties, and none of the three changes business data.


@pytest.mark.parametrize("role", Role.values)
def test_no_role_holds_two_of_the_three_duties(role):
    scope = Scope(role=role, region=None, department=None)
    assert [scope.can_manage_accounts, scope.can_manage_security, scope.can_read_audit].count(True) <= 1


@pytest.mark.parametrize("role", ["system_admin", "security_admin", "auditor"])
def test_none_of_the_three_duties_changes_business_data(role):
    scope = Scope(role=role, region=None, department=None)
    assert not scope.can_change_business_data and not scope.can_administer


@pytest.mark.parametrize("role", ["system_admin", "security_admin", "auditor", "county_admin"])
def test_the_three_duties_and_the_county_admin_are_privileged(role):
    assert Scope(role=role, region=None, department=None).is_privileged


# Every account page opens for its one duty and answers 403 to everyone else, on GET as on POST.

ACCOUNT_PAGES = {
    "accounts:users": {"sysadmin", "secadmin"},
    "accounts:user_create": {"sysadmin"},
    "accounts:user_edit": {"sysadmin"},
    "accounts:user_password_reset": {"sysadmin"},
    "accounts:user_grant": {"secadmin"},
    "accounts:region_search": {"secadmin"},
}
EVERY_PERSONA = ["admin_user", "town_a", "grid_a", "dept", "viewer", "auditor", "sysadmin", "secadmin"]


@pytest.mark.parametrize("name", ACCOUNT_PAGES)
def test_each_account_page_opens_for_its_duty_only(client, duty_holders, name):
    needs_account = name in {"accounts:user_edit", "accounts:user_password_reset", "accounts:user_grant"}
    url = reverse(name, args=[duty_holders["viewer"].pk] if needs_account else [])
    answers = {}
    for persona in EVERY_PERSONA:
        client.force_login(duty_holders[persona])
        answers[persona] = client.get(url).status_code
    assert answers == {persona: 200 if persona in ACCOUNT_PAGES[name] else 403 for persona in EVERY_PERSONA}


# The county administrator keeps the business data and loses the accounts.


def test_a_county_admin_can_no_longer_open_the_accounts_list(client, duty_holders):
    client.force_login(duty_holders["admin_user"])
    assert client.get(reverse("accounts:users")).status_code == 403


def test_a_county_admin_can_no_longer_create_an_account(client, duty_holders):
    client.force_login(duty_holders["admin_user"])
    assert client.post(reverse("accounts:user_create"), NEW_ACCOUNT).status_code == 403
    assert not get_user_model().objects.filter(username="new_op").exists()


def test_a_county_admin_still_opens_the_import(client, duty_holders):
    client.force_login(duty_holders["admin_user"])
    assert client.get(reverse("exchange:upload")).status_code == 200


@pytest.mark.parametrize("persona", ["admin_user", "secadmin", "auditor", "town_a", "viewer", "dept"])
def test_the_account_form_is_refused_on_get_to_anyone_who_may_not_manage_accounts(
    client, duty_holders, persona
):
    client.force_login(duty_holders[persona])
    assert client.get(reverse("accounts:user_create")).status_code == 403


# The system administrator: accounts, one-time passwords, configuration; no grants, no business data.


def test_a_system_admin_creates_an_account_with_no_role_and_a_one_time_password(client, duty_holders):
    client.force_login(duty_holders["sysadmin"])
    response = client.post(reverse("accounts:user_create"), NEW_ACCOUNT)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    created = get_user_model().objects.get(username="new_op")
    assert created.check_password(response.context["password"])
    assert created.profile.role == ""


def test_the_account_form_offers_no_password_to_choose(client, duty_holders):
    client.force_login(duty_holders["sysadmin"])
    page = client.get(reverse("accounts:user_create")).content.decode()
    assert 'name="password"' not in page and 'name="role"' not in page


def test_an_account_with_no_role_yet_sees_nothing(duty_holders):
    pending = _pending(duty_holders["county"])
    assert not scope_for(pending).subjects().exists()


def test_a_system_admin_disables_an_account(client, duty_holders):
    client.force_login(duty_holders["sysadmin"])
    town_a = duty_holders["town_a"]
    response = client.post(
        reverse("accounts:user_edit", args=[town_a.pk]), {"username": "town_a", "full_name": "沙北"}
    )
    assert response.status_code == 302
    town_a.refresh_from_db()
    assert not town_a.is_active
    assert AuditEntry.objects.filter(verb="account.disabled", object_key="town_a").exists()


def test_a_password_reset_yields_a_one_time_password(client, duty_holders):
    client.force_login(duty_holders["sysadmin"])
    auditor = duty_holders["auditor"]
    response = client.post(reverse("accounts:user_password_reset", args=[auditor.pk]))
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    password = response.context["password"]
    auditor.refresh_from_db()
    assert auditor.check_password(password) and not auditor.check_password("pw-secret-123")
    assert len(password) >= 16


def test_a_password_reset_is_audited_without_the_password(client, duty_holders):
    client.force_login(duty_holders["sysadmin"])
    response = client.post(reverse("accounts:user_password_reset", args=[duty_holders["auditor"].pk]))
    entry = AuditEntry.objects.get(verb="account.password_reset")
    assert entry.object_key == "auditor"
    assert response.context["password"] not in str(entry.changes)


def test_two_resets_give_two_different_passwords(client, duty_holders):
    client.force_login(duty_holders["sysadmin"])
    url = reverse("accounts:user_password_reset", args=[duty_holders["town_a"].pk])
    assert client.post(url).context["password"] != client.post(url).context["password"]


def test_a_system_admin_cannot_grant_a_role(client, duty_holders):
    client.force_login(duty_holders["sysadmin"])
    assert client.get(reverse("accounts:user_grant", args=[duty_holders["town_a"].pk])).status_code == 403


def test_a_system_admin_cannot_edit_a_subject(client, duty_holders):
    client.force_login(duty_holders["sysadmin"])
    assert client.get(reverse("subjects:create")).status_code == 403


def test_a_system_admin_cannot_import(client, duty_holders):
    client.force_login(duty_holders["sysadmin"])
    assert client.get(reverse("exchange:upload")).status_code == 403


def test_a_system_admin_cannot_write_a_subject_through_the_api(api_as, duty_holders):
    body = {"code": "X1", "name": "某村", "kind": "village", "region": duty_holders["shabei"].code}
    assert api_as(duty_holders["sysadmin"]).post("/api/v1/subjects/", body, format="json").status_code == 403


def test_a_system_admin_sees_no_subjects(client, duty_holders):
    client.force_login(duty_holders["sysadmin"])
    assert "实验小学" not in client.get(reverse("subjects:list")).content.decode()


def test_a_system_admin_cannot_read_the_audit_trail(client, duty_holders):
    client.force_login(duty_holders["sysadmin"])
    assert client.get(reverse("audit:entries")).status_code == 403


def test_a_system_admin_edits_the_dispute_categories(client, duty_holders):
    client.force_login(duty_holders["sysadmin"])
    assert client.get(reverse("dictionary:categories")).status_code == 200


def test_a_county_admin_can_no_longer_edit_the_dispute_categories(client, duty_holders):
    client.force_login(duty_holders["admin_user"])
    assert client.get(reverse("dictionary:categories")).status_code == 403


def test_a_system_admin_cannot_reset_their_own_password_here(client, duty_holders):
    client.force_login(duty_holders["sysadmin"])
    own = reverse("accounts:user_password_reset", args=[duty_holders["sysadmin"].pk])
    assert client.post(own).status_code == 404


# The security administrator: roles and scopes inside their own; no accounts, no passwords, no business data.


def test_a_security_admin_grants_a_role_inside_their_region(client, duty_holders):
    pending = _pending(duty_holders["county"])
    client.force_login(duty_holders["secadmin"])
    response = client.post(
        reverse("accounts:user_grant", args=[pending.pk]),
        {"role": "town_operator", "region": duty_holders["shabei"].code},
    )
    assert response.status_code == 302
    pending.profile.refresh_from_db()
    assert (pending.profile.role, pending.profile.region) == ("town_operator", duty_holders["shabei"])
    assert AuditEntry.objects.filter(verb="account.granted", object_key="pending").exists()


def test_a_security_admin_cannot_create_an_account(client, duty_holders):
    client.force_login(duty_holders["secadmin"])
    assert client.post(reverse("accounts:user_create"), NEW_ACCOUNT).status_code == 403


def test_a_security_admin_cannot_reset_a_password(client, duty_holders):
    client.force_login(duty_holders["secadmin"])
    url = reverse("accounts:user_password_reset", args=[duty_holders["auditor"].pk])
    assert client.post(url).status_code == 403


def test_a_security_admin_cannot_edit_business_data(client, duty_holders):
    client.force_login(duty_holders["secadmin"])
    assert client.get(reverse("events:create")).status_code == 403


def test_a_security_admin_cannot_read_the_audit_trail(client, duty_holders):
    client.force_login(duty_holders["secadmin"])
    assert client.get(reverse("audit:entries")).status_code == 403


def test_a_security_admin_cannot_open_their_own_grant(client, duty_holders):
    client.force_login(duty_holders["secadmin"])
    assert client.get(reverse("accounts:user_grant", args=[duty_holders["secadmin"].pk])).status_code == 404


def test_a_security_admin_cannot_raise_their_own_role(duty_holders):
    secadmin = duty_holders["secadmin"]
    with pytest.raises(AccountRefused):
        account_grant(
            actor_scope=scope_for(secadmin),
            user=secadmin,
            role="county_admin",
            region=duty_holders["county"],
            department=None,
        )
    secadmin.profile.refresh_from_db()
    assert secadmin.profile.role == "security_admin"


def test_a_region_outside_the_granters_own_is_refused(client, duty_holders):
    pending = _pending(duty_holders["shabei"])
    client.force_login(duty_holders["secadmin_a"])
    response = client.post(
        reverse("accounts:user_grant", args=[pending.pk]),
        {"role": "town_operator", "region": duty_holders["shangqiao"].code},
    )
    assert response.status_code == 200
    pending.profile.refresh_from_db()
    assert pending.profile.role == ""


def test_a_department_whose_units_lie_outside_the_granters_region_is_refused(duty_holders):
    # The emergency bureau's factory stands in 商桥镇, outside 沙北街道's security administrator's town.
    pending = _pending(duty_holders["shabei"])
    with pytest.raises(AccountRefused):
        account_grant(
            actor_scope=scope_for(duty_holders["secadmin_a"]),
            user=pending,
            role="department_user",
            region=duty_holders["shabei"],
            department=duty_holders["safety"],
        )


def test_a_department_user_granted_by_a_county_sees_no_region_beyond_it(duty_holders, neighbour):
    # Found in the probe: a county administrator made a department user (no region) who could open every
    # region of the deployment, the next county's included.
    pending = _pending(duty_holders["county"])
    account_grant(
        actor_scope=scope_for(duty_holders["secadmin"]),
        user=pending,
        role="department_user",
        region=None,
        department=duty_holders["education"],
    )
    assert not scope_for(pending).regions().filter(pk=neighbour["county"].pk).exists()


def test_the_region_picker_is_for_security_admins(client, duty_holders):
    client.force_login(duty_holders["sysadmin"])
    assert client.get(reverse("accounts:region_search"), {"q": "金牛"}).status_code == 403


# The auditor reads the trail and manages nothing.


def test_an_auditor_reads_the_trail(client, duty_holders):
    client.force_login(duty_holders["auditor"])
    assert client.get(reverse("audit:entries")).status_code == 200


def test_an_auditor_cannot_see_the_accounts(client, duty_holders):
    client.force_login(duty_holders["auditor"])
    assert client.get(reverse("accounts:users")).status_code == 403


def test_an_auditor_cannot_grant_a_role(client, duty_holders):
    client.force_login(duty_holders["auditor"])
    url = reverse("accounts:user_grant", args=[duty_holders["town_a"].pk])
    assert client.post(url, {"role": "county_admin"}).status_code == 403


def test_an_auditor_cannot_write_through_the_api(api_as, duty_holders):
    body = {"subject": duty_holders["jinniu_village"].code, "reported_on": "2025-03-04", "summary": "x"}
    assert api_as(duty_holders["auditor"]).post("/api/v1/disputes/", body, format="json").status_code == 403


# The superuser: a break-glass account, holding no role, every login audited.


def test_a_superuser_login_is_audited_as_break_glass(client, db):
    get_user_model().objects.create_superuser("root", password="pw-secret-123")
    client.post(reverse("accounts:login"), {"username": "root", "password": "pw-secret-123"})
    entry = AuditEntry.objects.get(verb="auth.break_glass_login")
    assert (entry.actor_name, entry.object_key) == ("root", "root")


def test_the_break_glass_entry_says_so_in_chinese(client, db):
    get_user_model().objects.create_superuser("root", password="pw-secret-123")
    client.post(reverse("accounts:login"), {"username": "root", "password": "pw-secret-123"})
    assert AuditEntry.objects.get(verb="auth.break_glass_login").note == "使用应急账号（超级管理员）"


def test_a_superuser_login_through_the_admin_is_audited_as_break_glass(client, db):
    get_user_model().objects.create_superuser("root", password="pw-secret-123")
    client.post("/admin/login/", {"username": "root", "password": "pw-secret-123", "next": "/admin/"})
    assert AuditEntry.objects.filter(verb="auth.break_glass_login").count() == 1


def test_a_superuser_trading_its_password_for_an_api_key_is_audited_as_break_glass(client, db):
    get_user_model().objects.create_superuser("root", password="pw-secret-123")
    client.post(
        "/api/v1/auth/token/",
        {"username": "root", "password": "pw-secret-123", "name": "x"},
        content_type="application/json",
    )
    assert AuditEntry.objects.filter(verb="auth.break_glass_login", actor_name="root").count() == 1


def test_an_ordinary_login_is_not_recorded_as_break_glass(client, duty_holders):
    client.post(reverse("accounts:login"), {"username": "town_a", "password": "pw-secret-123"})
    assert not AuditEntry.objects.filter(verb="auth.break_glass_login").exists()


def test_a_superuser_sees_the_break_glass_banner(admin_client):
    assert 'id="break-glass"' in admin_client.get(reverse("subjects:list")).content.decode()


def test_the_superuser_cannot_be_given_a_role(admin_user):
    with pytest.raises(AccountRefused):
        account_grant(actor_scope=EVERYTHING, user=admin_user, role="auditor", region=None, department=None)


def test_a_staff_flag_does_not_open_the_admin_to_a_role_account(client, duty_holders):
    secadmin = duty_holders["secadmin"]
    secadmin.is_staff = True
    secadmin.save()
    client.force_login(secadmin)
    assert client.get("/admin/").status_code == 403


def test_a_service_refuses_an_account_outside_the_managers_scope(duty_holders, neighbour):
    outsider = _pending(neighbour["town"], "outsider")
    with pytest.raises(PermissionDenied):
        account_grant(
            actor_scope=scope_for(duty_holders["secadmin"]),
            user=outsider,
            role="town_operator",
            region=duty_holders["shabei"],
            department=None,
        )


# The operator makes the first of the three at the shell.


def test_createadmin_makes_a_security_admin_with_a_one_time_password(duty_holders, capsys):
    call_command("createadmin", "anquan", role="security_admin", region=duty_holders["county"].code)
    printed = capsys.readouterr().out.splitlines()
    made = get_user_model().objects.get(username="anquan")
    assert made.profile.role == "security_admin" and made.profile.region == duty_holders["county"]
    assert made.check_password(printed[1])
    assert not made.is_superuser and not made.is_staff


def test_createadmin_refuses_a_business_role(duty_holders):
    with pytest.raises(CommandError):
        call_command("createadmin", "x", "--role", "county_admin", "--region", duty_holders["county"].code)


def test_a_department_with_units_inside_is_granted(duty_holders):
    pending = _pending(duty_holders["shabei"])
    profile = account_grant(
        actor_scope=scope_for(duty_holders["secadmin_a"]),
        user=pending,
        role="department_user",
        region=duty_holders["shabei"],
        department=duty_holders["education"],
    )
    assert profile.department == duty_holders["education"]


# Accounts made before the duties were kept apart.


def _take_duties_apart() -> None:
    from importlib import import_module

    from django.apps import apps

    import_module("sanling.accounts.migrations.0006_break_glass_superusers_hold_no_role").take_duties_apart(
        apps, None
    )


def test_the_migration_takes_the_superuser_flag_off_an_account_with_a_role(duty_holders):
    county_admin = duty_holders["admin_user"]
    county_admin.is_superuser = county_admin.is_staff = True
    county_admin.save()
    _take_duties_apart()
    county_admin.refresh_from_db()
    assert not county_admin.is_superuser and not county_admin.is_staff
    assert county_admin.profile.role == "county_admin"  # it keeps its business rights


def test_the_migration_leaves_the_break_glass_superuser_alone(admin_user):
    _take_duties_apart()
    admin_user.refresh_from_db()
    assert admin_user.is_superuser and admin_user.is_staff


def test_the_migration_clears_a_staff_flag_without_superuser(duty_holders):
    town_a = duty_holders["town_a"]
    town_a.is_staff = True
    town_a.save()
    _take_duties_apart()
    town_a.refresh_from_db()
    assert not town_a.is_staff


def test_a_system_admins_dashboard_opens(client, duty_holders):
    client.force_login(duty_holders["sysadmin"])
    assert client.get("/", follow=True).status_code == 200


@pytest.mark.parametrize("role", ["", *Role.values])
def test_exactly_the_privileged_accounts_must_use_a_second_factor(role, db, settings):
    settings.REQUIRE_SECOND_FACTOR = True
    user = get_user_model().objects.create_user(f"u_{role or 'none'}", password="x")
    Profile.objects.create(user=user, role=role)
    assert requires_second_factor(user) == scope_for(user).is_privileged


def test_an_account_phone_that_is_no_phone_number_is_refused_in_chinese(client, duty_holders):
    client.force_login(duty_holders["sysadmin"])
    response = client.post(reverse("accounts:user_create"), NEW_ACCOUNT | {"phone": "call me"})
    assert not get_user_model().objects.filter(username="new_op").exists()
    assert "不是有效的电话号码" in response.content.decode()


def test_the_accounts_list_reads_no_phone(client, duty_holders):
    """The list shows no phone, so it decrypts none (as the subject list reads no contact data)."""
    client.force_login(duty_holders["sysadmin"])
    listed = client.get(reverse("accounts:users")).context["users"]
    profiles = [account.profile for account in listed if hasattr(account, "profile")]
    assert profiles and all("phone" in profile.get_deferred_fields() for profile in profiles)
