"""Every model in the Django admin is written through its services there, or is read-only."""

import pytest
from django.contrib import admin
from django.test import RequestFactory

from sanling.core.admin_site import ServiceModelAdmin

pytestmark = pytest.mark.django_db


def superuser_request(admin_user):
    request = RequestFactory().get("/admin/")
    request.user = admin_user
    return request


@pytest.mark.parametrize("model", list(admin.site._registry), ids=lambda model: model._meta.label)
def test_every_model_in_the_admin_goes_through_services_or_is_read_only(model, admin_user):
    model_admin = admin.site._registry[model]
    if isinstance(model_admin, ServiceModelAdmin):
        return
    request = superuser_request(admin_user)
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)


@pytest.mark.parametrize("model", list(admin.site._registry), ids=lambda model: model._meta.label)
def test_an_admin_that_may_delete_deletes_through_its_service(model, admin_user):
    # Django's own delete_model and delete_queryset (the bulk action) delete around every service.
    model_admin = admin.site._registry[model]
    if model_admin.has_delete_permission(superuser_request(admin_user)):
        assert type(model_admin).delete_model is not admin.ModelAdmin.delete_model
        assert type(model_admin).delete_queryset is not admin.ModelAdmin.delete_queryset


def test_a_superuser_can_still_read_the_accounts_in_the_admin(admin_client, admin_user):
    assert admin_client.get("/admin/auth/user/").status_code == 200
    assert admin_client.get(f"/admin/auth/user/{admin_user.pk}/change/").status_code == 200


def test_a_superuser_cannot_change_an_account_around_the_account_services(admin_client, admin_user):
    response = admin_client.post(
        f"/admin/auth/user/{admin_user.pk}/change/", {"username": "renamed", "is_superuser": "on"}
    )
    assert response.status_code == 403
    admin_user.refresh_from_db()
    assert admin_user.username == "admin"


@pytest.mark.parametrize("model", list(admin.site._registry), ids=lambda model: model._meta.label)
def test_every_admin_list_opens_for_a_superuser(model, admin_client):
    opts = model._meta
    assert admin_client.get(f"/admin/{opts.app_label}/{opts.model_name}/").status_code == 200


def test_a_superuser_cannot_set_an_accounts_password_in_the_admin(admin_client, admin_user):
    response = admin_client.post(
        f"/admin/auth/user/{admin_user.pk}/password/",
        {"password1": "Known-To-Root-2026", "password2": "Known-To-Root-2026"},
    )
    assert response.status_code == 403
    admin_user.refresh_from_db()
    assert not admin_user.check_password("Known-To-Root-2026")
