"""Who is acting is entered with ``acting()``, never by changing the actor someone else entered."""

import pytest
from rest_framework.test import APIRequestFactory, force_authenticate

from sanling.accounts.api import PasswordTokenView
from sanling.audit.context import Actor, acting, current_actor
from sanling.audit.models import AuditEntry, Source
from sanling.events.api import EventViewSet

pytestmark = pytest.mark.django_db


def test_an_api_request_leaves_the_actor_it_found_unchanged(personas):
    outer = Actor(name="cron", source=Source.CLI, ip="127.0.0.1")
    request = APIRequestFactory().post(
        "/api/v1/events/",
        {"subject": "V1", "type": "criminal_case", "occurred_on": "2025-03-10", "title": "打架"},
        format="json",
    )
    force_authenticate(request, user=personas["grid_a"])
    with acting(outer):
        response = EventViewSet.as_view({"post": "create"})(request)
        assert current_actor() is outer
    assert response.status_code == 201
    assert (outer.user, outer.name, outer.source) == (None, "cron", Source.CLI)
    entry = AuditEntry.objects.get(object_key=response.data["ref"])
    assert (entry.actor_name, entry.source, entry.ip) == ("grid_a", "api", "127.0.0.1")


def test_trading_a_password_for_a_token_leaves_the_actor_it_found_unchanged(personas):
    personas["grid_a"].set_password("s3cret-Passw0rd")
    personas["grid_a"].save()
    outer = Actor(name="", source=Source.WEB, ip="10.0.0.9")
    request = APIRequestFactory().post(
        "/api/v1/auth/token/",
        {"username": "grid_a", "password": "s3cret-Passw0rd", "name": "手机"},
        format="json",
        REMOTE_ADDR="10.0.0.9",
    )
    with acting(outer):
        response = PasswordTokenView.as_view()(request)
    assert response.status_code == 201
    assert (outer.user, outer.name, outer.source) == (None, "", Source.WEB)
    entry = AuditEntry.objects.filter(object_type="apitoken").latest("id")
    assert (entry.actor_name, entry.source) == ("grid_a", "api")
