"""Headless Chromium (Debian's package, driven by Playwright) against the live test server."""

import os
import shutil

import pytest

from sanling.regions.services import region_boundaries_load

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM):
        if os.environ.get("CI") == "true":
            pytest.fail("Chromium is missing: the test command installs Debian's chromium package")
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    # Playwright's sync API runs an event loop; Django must allow database access from the test thread.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


def square(code: str, x: float, y: float, size: float = 0.05) -> dict:
    ring = [[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]
    return {
        "type": "Feature",
        "properties": {"code": code},
        "geometry": {"type": "Polygon", "coordinates": [ring]},
    }


@pytest.fixture
def mapped(personas):
    """The personas' county with outlines for both towns and both villages."""
    region_boundaries_load(
        feature_collection={
            "type": "FeatureCollection",
            "features": [
                square(personas["shabei"].code, 113.90, 33.50),
                square(personas["shangqiao"].code, 113.95, 33.50),
                square(personas["jinniu"].code, 113.90, 33.50),
                square(personas["dongwan"].code, 113.95, 33.50),
            ],
        }
    )
    return personas


@pytest.fixture
def page_for(browser, live_server):
    """A logged-in page for a persona, through the real login form; ``width`` 375 is a phone."""
    contexts = []

    def open_page(username: str, *, width: int = 1280, height: int = 900, landing: str = "dashboard"):
        """``landing``: "dashboard" opens the user's dashboard after login (a grid worker lands on "today"
        and is taken on to it, as the page's link does); "home" stays where the login landed."""
        context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
        contexts.append(context)
        page = context.new_page()
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", "pw-secret-123")
        page.click("#login-form button[type=submit]")
        page.wait_for_url(lambda url: "/dashboard/" in url or "/fieldwork/" in url)
        if landing == "dashboard" and "/fieldwork/" in page.url:
            page.goto(f"{live_server.url}/dashboard/?board")
            page.wait_for_url("**/dashboard/**")
        return page

    yield open_page
    for context in contexts:
        context.close()
