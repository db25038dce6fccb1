"""Parts of every page: the favicon, and the language (Chinese unless the user chose otherwise)."""

import pytest
from django.contrib.staticfiles import finders
from django.utils import translation

pytestmark = pytest.mark.django_db


def test_every_page_links_a_favicon_that_exists(client):
    page = client.get("/accounts/login/").content.decode()
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in page
    assert finders.find("favicon.svg").endswith("favicon.svg")


def test_favicon_ico_is_answered_with_an_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"] == "/static/favicon.ico"
    with open(finders.find("favicon.ico"), "rb") as icon:
        assert icon.read(4) == b"\x00\x00\x01\x00"  # the ICO header


def test_an_english_browser_still_gets_chinese(client):
    page = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "登录" in page
    assert "Log in" not in page


def test_an_english_browser_gets_chinese_api_messages(client):
    body = client.get("/api/v1/no-such-thing/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert body["message"] != "There is no such address in the API."


def test_a_user_who_chose_english_gets_english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    # The test client runs the request in this thread: put the language back for the tests that follow.
    with translation.override(settings.LANGUAGE_CODE):
        page = client.get("/accounts/login/").content.decode()
    assert "Log in" in page
