"""No script in anyone's page: a region named like markup shows as text, and every page people use loads
under the Content-Security-Policy without a single violation — the app, the API docs and the admin."""

import pytest
from django.contrib.auth import get_user_model

from sanling.regions.services import region_rename

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PLANTED = '<img src=x onerror="window.__xss=1">沙北'

# Runs before any page script (Playwright injects it outside the page's policy): every violation the
# browser reports is kept on the window for the test to read.
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__violations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber} ${e.sample}`);
});
"""


@pytest.fixture
def watched_page(page_for):
    """``watched_page(username)``: a logged-in page that records policy violations and console errors."""

    def open_page(username: str):
        page = page_for(username)
        page.context.add_init_script(RECORD_VIOLATIONS)
        page.console_errors = []
        page.on(
            "console",
            lambda message: message.type == "error" and page.console_errors.append(message.text),
        )
        return page

    return open_page


def visit(page, url: str) -> list[str]:
    """Open ``url`` (waiting for its scripts and requests to settle) and return the violations seen."""
    response = page.goto(url, wait_until="networkidle")
    assert response.status == 200, url
    assert "content-security-policy" in response.headers, url
    page.wait_for_timeout(200)  # violations are reported asynchronously
    return page.evaluate("window.__violations") + [
        text for text in page.console_errors if "Content Security Policy" in text
    ]


def test_a_region_named_like_markup_shows_as_text_in_the_map_tooltip(watched_page, mapped):
    region_rename(region=mapped["shabei"], name=PLANTED)
    page = watched_page("admin_user")
    visit(page, page.url.split("?")[0] + "?period=2025")
    page.wait_for_selector("#map[data-ready=true] canvas")
    # The middle of 沙北's square (see conftest.mapped), in the chart's pixels, then on the page.
    x, y = page.evaluate("window.sanlingMap.convertToPixel({seriesIndex: 0}, [113.925, 33.525])")
    box = page.locator("#map").bounding_box()
    page.mouse.move(box["x"] + x, box["y"] + y)
    tip = page.locator("#map div", has_text="达标率").last
    tip.wait_for()
    assert PLANTED in tip.inner_text()
    assert tip.locator("img").count() == 0
    assert page.evaluate("typeof window.__xss") == "undefined"


def test_the_trend_tooltip_shows_without_a_policy_violation(watched_page, mapped):
    page = watched_page("admin_user")
    visit(page, page.url.split("?")[0] + "?period=2025")
    page.evaluate("window.sanlingTrend.dispatchAction({type: 'showTip', seriesIndex: 0, dataIndex: 2})")
    tip = page.locator("#trend > div", has_text="村社区").last
    tip.wait_for()
    page.wait_for_timeout(200)
    assert page.evaluate("window.__violations") == []


def test_the_year_menu_of_a_subject_page_opens_the_chosen_year(watched_page, mapped):
    page = watched_page("admin_user")
    visit(page, page.url.split("/dashboard")[0] + f"/subjects/{mapped['jinniu_village'].pk}/?year=2025")
    page.select_option("select[name=year]", "2026")
    page.wait_for_url("**year=2026")


def test_deleting_a_record_asks_first(watched_page, mapped):
    event = mapped["event_a"]
    page = watched_page("admin_user")
    visit(page, page.url.split("/dashboard")[0] + f"/events/{event.pk}/edit/")
    questions = []

    def answer(dialog, accept):
        questions.append(dialog.message)
        dialog.accept() if accept else dialog.dismiss()

    page.once("dialog", lambda dialog: answer(dialog, accept=False))
    page.click("form[data-confirm] button.danger")
    page.wait_for_timeout(300)
    assert type(event).objects.filter(pk=event.pk).exists()
    page.once("dialog", lambda dialog: answer(dialog, accept=True))
    page.click("form[data-confirm] button.danger")
    page.wait_for_url(f"**/subjects/{event.subject_id}/")
    assert not type(event).objects.filter(pk=event.pk).exists()
    assert questions == ["确定删除这条记录吗？"] * 2


def test_markup_that_slips_into_a_page_runs_no_handler(watched_page, personas):
    page = watched_page("admin_user")
    visit(page, page.url)
    from playwright.sync_api import expect

    page.evaluate("document.body.insertAdjacentHTML('beforeend', '<img src=x onerror=\"window.__xss=1\">')")
    expect(page.locator("img[src=x]")).to_have_count(1)  # the markup is there, its handler did not run
    page.wait_for_timeout(200)  # violations are reported asynchronously
    assert page.evaluate("typeof window.__xss") == "undefined"
    assert any(v.startswith("script-src") for v in page.evaluate("window.__violations"))


def test_the_pages_people_use_load_without_a_policy_violation(
    watched_page, mapped, duty_holders, live_server
):
    from sanling.petitions.services import agency_create, petition_create

    subject = mapped["jinniu_village"]
    day = mapped["event_a"].occurred_on
    petition = petition_create(
        subject=subject, received_on=day, level="town", channel="visit", summary="物业纠纷"
    )
    agency = agency_create(subject=subject, applied_on=day, summary="退役军人安置")
    pages = {
        "admin_user": [
            "/dashboard/?period=2025",
            "/subjects/",
            f"/subjects/{subject.pk}/?period=2025",
            "/subjects/new/",
            f"/events/{mapped['event_a'].pk}/edit/",
            f"/disputes/{mapped['dispute_a'].pk}/edit/",
            f"/disputes/{mapped['dispute_a'].ref}/",
            f"/disputes/{mapped['dispute_a'].ref}/sheet/",
            f"/petitions/{petition.ref}/",
            f"/petitions/{petition.ref}/sheet/",
            f"/petitions/agency/{agency.ref}/sheet/",
            "/import/",
            "/accounts/tokens/",
            "/accounts/password/",
            "/accounts/otp/enrol/",
        ],
        "sysadmin": ["/accounts/users/", "/accounts/users/new/", "/dictionary/dispute-categories/"],
        "secadmin": ["/accounts/lockouts/", f"/accounts/users/{mapped['town_a'].pk}/grant/"],
        "auditor": ["/audit/"],
        "root": [
            "/api/v1/docs/",
            "/admin/",
            "/admin/subjects/subject/",
            f"/admin/subjects/subject/{subject.pk}/change/",
            "/admin/regions/region/",
            "/admin/auth/user/",
            "/admin/regions/region/add/",
        ],
    }
    get_user_model().objects.create_superuser("root", password="pw-secret-123")
    violations = {}
    for username, urls in pages.items():
        page = watched_page(username)
        for url in urls:
            violations[url] = visit(page, live_server.url + url)
    assert {url: seen for url, seen in violations.items() if seen} == {}
    page = watched_page("root")
    visit(page, live_server.url + "/api/v1/docs/")
    page.wait_for_selector(".swagger-ui .opblock")  # the docs rendered, the schema loaded


@pytest.mark.parametrize("url", ["/accounts/login/", "/admin/login/"])
def test_the_login_pages_load_without_a_policy_violation(browser, live_server, db, url):
    context = browser.new_context()
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    response = page.goto(f"{live_server.url}{url}", wait_until="networkidle")
    assert "content-security-policy" in response.headers
    page.wait_for_timeout(200)
    assert page.evaluate("window.__violations") == []
    context.close()


def test_an_htmx_fragment_swaps_in_without_a_policy_violation(watched_page, duty_holders):
    personas = duty_holders
    page = watched_page("secadmin")
    visit(page, page.url.split("/dashboard")[0] + f"/accounts/users/{personas['town_a'].pk}/grant/")
    page.fill("[data-region-search]", "第一网格")
    page.press("[data-region-search]", "Enter")
    page.locator(f"[data-region-choice][data-code='{personas['grid'].code}']").wait_for()
    page.wait_for_timeout(200)
    assert page.evaluate("window.__violations") == []
