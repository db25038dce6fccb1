"""What a load balancer and an operator need (issue 14, item 15): /healthz and /readyz, one JSON log line per
request with its id, the id on the 500 page, and a plain 503 — not a traceback — when the database is gone."""

import json
import logging
import os
import subprocess
import sys

import pytest
from django.test import Client
from django.urls import path

from sanling import urls as site_urls
from sanling.core.requestlog import JsonFormatter, RequestIdFilter


def boom(request):
    raise RuntimeError("a bug")


urlpatterns = [path("boom/", boom), *site_urls.urlpatterns]
handler500 = site_urls.handler500

# A port nothing listens on: connecting is refused at once.
UNREACHABLE = "postgres://postgres@127.0.0.1:1/sanling_nowhere"


def test_healthz_answers_without_the_database():
    # No django_db mark: any query here fails the test.
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "sessionid" not in response.cookies


def test_healthz_answers_a_load_balancer_probing_by_address():
    assert Client().get("/healthz", HTTP_HOST="10.0.0.7").status_code == 200


@pytest.mark.django_db
def test_readyz_is_ready_when_the_database_answers_and_is_migrated(settings):
    settings.READY_CACHE_SECONDS = 0
    response = Client().get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ready"}


@pytest.mark.django_db
def test_readyz_is_not_ready_while_a_migration_is_pending(settings):
    from django.db.migrations.recorder import MigrationRecorder

    settings.READY_CACHE_SECONDS = 0
    MigrationRecorder.Migration.objects.filter(app="api").order_by("-id").first().delete()
    response = Client().get("/readyz")
    assert response.status_code == 503
    assert response.json()["status"] == "not ready"
    assert "迁移" in response.json()["reason"]


def test_a_valid_incoming_request_id_is_echoed():
    response = Client().get("/healthz", HTTP_X_REQUEST_ID="lb-1234abcd")
    assert response["X-Request-ID"] == "lb-1234abcd"


def test_an_unsafe_incoming_request_id_is_replaced_by_a_new_one():
    response = Client().get("/healthz", HTTP_X_REQUEST_ID="bad id\nforged: line")
    assert response["X-Request-ID"] != "bad id\nforged: line"
    assert len(response["X-Request-ID"]) == 32


def test_each_request_gets_its_own_id():
    client = Client()
    assert client.get("/healthz")["X-Request-ID"] != client.get("/healthz")["X-Request-ID"]


@pytest.mark.django_db
def test_each_request_is_one_json_log_line(personas, client, caplog):
    client.force_login(personas["town_a"])
    with caplog.at_level(logging.INFO, logger="sanling.request"):
        response = client.get("/subjects/", HTTP_X_REQUEST_ID="req-0001abcd", REMOTE_ADDR="10.1.2.3")
    (record,) = [record for record in caplog.records if record.name == "sanling.request"]
    RequestIdFilter().filter(record)
    line = JsonFormatter().format(record)
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["request_id"] == response["X-Request-ID"] == "req-0001abcd"
    assert (entry["method"], entry["path"], entry["status"]) == ("GET", "/subjects/", 200)
    assert entry["user_id"] == personas["town_a"].pk
    assert entry["client_ip"] == "10.1.2.3"
    assert entry["level"] == "INFO" and entry["time"] and isinstance(entry["duration_ms"], float)


def test_an_error_log_line_carries_the_traceback():
    try:
        raise RuntimeError("a bug")
    except RuntimeError:
        record = logging.getLogger("x").makeRecord("x", logging.ERROR, "f", 1, "boom", (), sys.exc_info())
    entry = json.loads(JsonFormatter().format(record))
    assert "RuntimeError: a bug" in entry["traceback"]


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_the_500_page_shows_the_request_id(settings):
    settings.DEBUG = False
    response = Client(raise_request_exception=False).get("/boom/", HTTP_X_REQUEST_ID="req-500abcdef")
    assert response.status_code == 500
    assert "req-500abcdef" in response.content.decode()
    assert response["X-Request-ID"] == "req-500abcdef"


def run_without_database(code: str, tmp_path) -> subprocess.CompletedProcess:
    """Run ``code`` in a fresh interpreter whose DATABASE_URL points at a closed port (this process's
    test database is never touched)."""
    env = os.environ | {
        "DATABASE_URL": UNREACHABLE,
        "SANLING_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "sanling.settings",
    }
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)


ASK = """
import json, django
django.setup()
from django.test import Client
client = Client(raise_request_exception=False, HTTP_AUTHORIZATION="Bearer sl_x")
client.cookies["sessionid"] = "a-session-that-must-be-looked-up"
response = client.get({url!r})
print(json.dumps({{"status": response.status_code, "retry": response.get("Retry-After"),
    "type": response["Content-Type"], "body": response.content.decode()}}))
"""


def test_the_web_answers_503_in_chinese_when_the_database_is_unreachable(tmp_path):
    answer = json.loads(run_without_database(ASK.format(url="/dashboard/"), tmp_path).stdout)
    assert answer["status"] == 503
    assert int(answer["retry"]) > 0
    assert "数据库" in answer["body"]


def test_the_api_answers_503_in_its_format_when_the_database_is_unreachable(tmp_path):
    answer = json.loads(run_without_database(ASK.format(url="/api/v1/events/"), tmp_path).stdout)
    assert answer["status"] == 503
    assert int(answer["retry"]) > 0
    body = json.loads(answer["body"])
    assert body["code"] == "service_unavailable"
    assert "数据库" in body["message"]


def test_readyz_is_not_ready_when_the_database_is_unreachable(tmp_path):
    answer = json.loads(run_without_database(ASK.format(url="/readyz"), tmp_path).stdout)
    assert answer["status"] == 503
    assert "数据库" in json.loads(answer["body"])["reason"]


def test_the_cli_says_in_one_chinese_line_that_the_database_is_unreachable(tmp_path):
    result = run_without_database("from sanling.cli import main; main(['showmigrations'])", tmp_path)
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "数据库" in lines[0]
