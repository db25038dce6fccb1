"""Error pages (400, 403, 404, 500) are Chinese pages in the site's layout with a way back; the API keeps
answering errors in JSON. pytest-django runs these with DEBUG=False, as production does."""

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.urls import path

from sanling import urls as site_urls


def boom(request):
    raise RuntimeError("a bug")


# The site's URLs plus two that fail, for the tests of the 500 page (see the `urls` marks below).
urlpatterns = [path("boom/", boom), path("api/v1/boom/", boom), *site_urls.urlpatterns]
handler500 = site_urls.handler500


@pytest.fixture
def settings_without_debug(settings):
    settings.DEBUG = False
    return settings


@pytest.mark.django_db
def test_a_missing_page_is_chinese_with_the_menu_and_a_way_back(client, personas, settings_without_debug):
    client.force_login(personas["town_a"])
    response = client.get("/no-such-page/")
    page = response.content.decode()
    assert response.status_code == 404
    assert "页面不存在" in page
    assert 'href="/subjects/"' in page  # the menu
    assert 'href="/"' in page  # the way back
    assert "Not Found" not in page


@pytest.mark.django_db
def test_a_missing_page_for_a_visitor_offers_the_login(client, db, settings_without_debug):
    page = client.get("/no-such-page/").content.decode()
    assert "页面不存在" in page
    assert "/accounts/login/" in page


@pytest.mark.django_db
def test_a_forbidden_page_is_chinese_with_the_menu(client, personas, settings_without_debug):
    client.force_login(personas["town_a"])
    response = client.get("/accounts/users/")
    page = response.content.decode()
    assert response.status_code == 403
    assert "没有权限" in page
    assert 'href="/subjects/"' in page
    assert "Forbidden" not in page


@pytest.mark.django_db
def test_a_bad_request_is_a_chinese_page(client, settings_without_debug):
    response = client.get("/", HTTP_HOST="attacker.example")  # not in ALLOWED_HOSTS
    page = response.content.decode()
    assert response.status_code == 400
    assert "请求无效" in page
    assert "Bad Request" not in page


@pytest.mark.django_db
def test_an_expired_form_is_explained_in_chinese(db, settings_without_debug):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "x", "password": "y"})
    page = response.content.decode()
    assert response.status_code == 403
    assert "页面已过期" in page
    assert "CSRF verification failed" not in page


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_a_server_error_is_a_chinese_page_with_a_way_back(personas, settings_without_debug):
    client = Client(raise_request_exception=False)
    client.force_login(personas["town_a"])
    response = client.get("/boom/")
    page = response.content.decode()
    assert response.status_code == 500
    assert "服务器出错" in page
    assert 'href="/"' in page
    assert "Server Error" not in page


def test_the_server_error_page_needs_no_database_and_no_request():
    # No django_db mark: any query here fails the test.
    page = render_to_string("500.html")
    assert "服务器出错" in page
    assert "/static/css/sanling.css" in page


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_an_api_server_error_stays_json(settings_without_debug):
    response = Client(raise_request_exception=False).get("/api/v1/boom/")
    assert response.status_code == 500
    assert response.json()["code"] == "server_error"


@pytest.mark.django_db
def test_api_errors_stay_json(client, personas, api_as, settings_without_debug):
    assert client.get("/api/v1/no-such-thing/").json()["code"] == "not_found"
    missing = api_as(personas["town_a"]).get(f"/api/v1/subjects/{personas['dongwan_village'].pk}/")
    assert missing.status_code == 404
    assert missing.json()["code"] == "not_found"
    assert client.get("/api/v1/subjects/").json()["code"] in {"not_authenticated", "authentication_failed"}
