"""Every answer carries a Content-Security-Policy that lets no inline script run: scripts come from our own
static files or carry the request's fresh nonce, and no page holds an inline event handler or style."""

import json
from html.parser import HTMLParser

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

pytestmark = pytest.mark.django_db


def directives(response) -> dict[str, list[str]]:
    header = response.headers["Content-Security-Policy"]
    parsed = {}
    for directive in header.split(";"):
        name, *values = directive.split()
        parsed[name] = values
    return parsed


def nonce_of(response) -> str:
    (source,) = [value for value in directives(response)["script-src"] if value.startswith("'nonce-")]
    return source.removeprefix("'nonce-").removesuffix("'")


class InlineCode(HTMLParser):
    """Collects what a policy without 'unsafe-inline' would refuse: handlers, style attributes, and
    <script>/<style> elements that carry no nonce."""

    def __init__(self):
        super().__init__()
        self.handlers, self.style_attributes, self.elements, self.nonces = [], [], [], []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.handlers += [f"<{tag} {name}>" for name in attributes if name.startswith("on")]
        if "style" in attributes:
            self.style_attributes.append(f"<{tag} style={attributes['style']!r}>")
        if tag in ("script", "style") and "src" not in attributes:
            if "nonce" in attributes:
                self.nonces.append(attributes["nonce"])
            elif attributes.get("type") != "application/json":  # json_script data is never run
                self.elements.append(f"<{tag}>")


def inline_code(response) -> InlineCode:
    parser = InlineCode()
    parser.feed(response.content.decode())
    return parser


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser("root", password="pw-secret-123")


def main_pages(personas) -> list[tuple[str, str]]:
    """(username, URL) of every kind of page people use, each for a user allowed to see it."""
    event = personas["event_a"]
    return [
        ("admin_user", f"/dashboard/{personas['county'].code}/?period=2025"),
        ("admin_user", "/subjects/"),
        ("admin_user", f"/subjects/{personas['jinniu_village'].pk}/"),
        ("admin_user", "/subjects/new/"),
        ("admin_user", "/events/"),
        ("admin_user", "/events/new/"),
        ("admin_user", f"/events/{event.pk}/edit/"),
        ("admin_user", f"/disputes/{personas['dispute_a'].pk}/edit/"),
        ("admin_user", "/import/"),
        ("sysadmin", "/accounts/users/"),
        ("sysadmin", "/accounts/users/new/"),
        ("secadmin", f"/accounts/users/{personas['town_a'].pk}/grant/"),
        ("secadmin", "/accounts/lockouts/"),
        ("admin_user", "/accounts/otp/enrol/"),
        ("admin_user", "/accounts/tokens/"),
        ("admin_user", "/accounts/password/"),
        ("sysadmin", "/dictionary/dispute-categories/"),
        ("auditor", "/audit/"),
        ("root", "/admin/"),
        ("root", "/admin/subjects/subject/"),
        ("root", f"/admin/subjects/subject/{personas['jinniu_village'].pk}/change/"),
        ("root", "/api/v1/docs/"),
        (None, "/accounts/login/"),
        (None, "/no-such-page/"),
    ]


def fetch(personas, superuser, username, url):
    client = Client()
    if username:
        client.force_login(superuser if username == "root" else personas[username])
    response = client.get(url)
    assert response.status_code in (200, 404), (url, response.status_code)
    return response


def test_every_html_page_carries_a_policy_with_a_nonce_for_scripts(duty_holders, superuser):
    for username, url in main_pages(duty_holders):
        response = fetch(duty_holders, superuser, username, url)
        assert response["Content-Type"].startswith("text/html"), url
        assert len(nonce_of(response)) >= 22, url  # 128 bits, base64


def test_the_policy_runs_no_inline_script_no_eval_and_only_our_own_files(client):
    policy = directives(client.get("/accounts/login/"))
    assert policy["default-src"] == ["'self'"]
    assert [value for value in policy["script-src"] if not value.startswith("'nonce-")] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    for values in policy.values():
        assert "'unsafe-inline'" not in values
        assert "'unsafe-eval'" not in values
        assert "*" not in values


def test_the_nonce_is_fresh_on_every_response(client):
    nonces = {nonce_of(client.get("/accounts/login/")) for _ in range(3)}
    assert len(nonces) == 3


def test_the_api_answers_carry_the_policy_too(client):
    response = client.get("/api/v1/regions/")
    assert "Content-Security-Policy" in response.headers


def test_no_page_holds_an_inline_handler_an_inline_style_or_a_script_without_the_nonce(
    duty_holders, superuser
):
    for username, url in main_pages(duty_holders):
        response = fetch(duty_holders, superuser, username, url)
        found = inline_code(response)
        assert found.handlers == [], url
        assert found.elements == [], url
        assert set(found.nonces) <= {nonce_of(response)}, url
        if not url.startswith("/admin/"):  # Django's own admin templates are checked in Chromium
            assert found.style_attributes == [], url


def test_the_api_docs_page_runs_its_setup_under_the_nonce(client, superuser):
    client.force_login(superuser)
    response = client.get("/api/v1/docs/")
    page = response.content.decode()
    assert f'<script nonce="{nonce_of(response)}">' in page
    assert "SwaggerUIBundle(" in page


def test_the_page_language_follows_the_active_language(client, personas):
    client.force_login(personas["town_a"])
    assert '<html lang="zh-hans">' in client.get("/subjects/").content.decode()
    client.cookies["django_language"] = "en"
    assert '<html lang="en">' in client.get("/subjects/").content.decode()


def test_a_report_only_policy_is_sent_beside_the_enforced_one(client, settings):
    settings.SECURE_CSP_REPORT_ONLY = {"default-src": ["'none'"], "report-uri": ["/csp-reports/"]}
    response = client.get("/accounts/login/")
    assert (
        response.headers["Content-Security-Policy-Report-Only"]
        == "default-src 'none'; report-uri /csp-reports/"
    )
    assert "script-src 'self' 'nonce-" in response.headers["Content-Security-Policy"]


def test_htmx_is_told_to_evaluate_nothing_and_inject_no_style(client):
    page = client.get("/accounts/login/").content.decode()
    start = page.index('<meta name="htmx-config" content=\'') + len('<meta name="htmx-config" content=\'')
    config = json.loads(page[start : page.index("'>", start)])
    assert config == {"allowEval": False, "allowScriptTags": False, "includeIndicatorStyles": False}


def test_no_template_holds_an_inline_handler_a_style_attribute_or_an_unnonced_script():
    """Every template of the project, including pages no test above visits (the policy would refuse these)."""
    import re
    from pathlib import Path

    import sanling

    inline = re.compile(
        r"""\son[a-z]+\s*=|\sstyle\s*=|<script(?![^>]*\b(?:src|nonce)=)[^>]*>|<style(?![^>]*\bnonce=)[^>]*>"""
    )
    comment = re.compile(r"{% comment %}.*?{% endcomment %}|{#.*?#}", re.DOTALL)
    found = {
        str(path): inline.findall(comment.sub("", path.read_text()))
        for path in Path(sanling.__file__).parent.glob("**/templates/**/*.html")
    }
    assert {path: hits for path, hits in found.items() if hits} == {}
