"""schemathesis against the generated schema, as a town operator, with every check it has (the pytest face
of ``st run --checks all``): whatever it sends, no endpoint answers 5xx, every answer is documented and
matches the schema, invalid input is refused, and nothing of the other town leaks."""

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from django.test import override_settings
from hypothesis import HealthCheck, settings
from schemathesis.checks import CHECKS, load_all_checks
from schemathesis.config import SchemathesisConfig

pytestmark = pytest.mark.django_db

OTHER_TOWN = ("东湾", "商桥", "411103100")

load_all_checks()
ALL_CHECKS = list(CHECKS.get_all())

CONFIG = SchemathesisConfig.from_dict(
    {
        "checks": {
            # A request the schema allows can still break a rule no OpenAPI schema states: a date before the
            # earliest year on record, a period that has not begun, a subject code that does not exist, two
            # fields that contradict each other. Those are 400s in our error format (checked by
            # response_schema_conformance), never 5xx.
            "positive_data_acceptance": {
                "expected-statuses": ["2xx", "400", "401", "403", "404", "409", "412", "429"]
            },
            # A required If-Match left out is exactly what 428 Precondition Required is for.
            "missing_required_header": {"expected-statuses": ["400", "401", "403", "428"]},
        }
    }
)

# Loaded when the module is collected (Django is set up by then; the schema needs no database, and no login
# while it is public).
with override_settings(API_SCHEMA_PUBLIC=True):
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", get_wsgi_application(), config=CONFIG)


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    # The WSGI handler closes the connection after each request; inside a test that would close the
    # test's own transaction. Django's test client unhooks the same signal for the same reason.
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def town_key(personas):
    from sanling.accounts.services import api_token_create

    _token, key = api_token_create(user=personas["town_a"], name="fuzz", expires_at=None)
    return key


@schema.parametrize()
@settings(
    max_examples=10,  # x 70 operations, on both databases in CI: enough to find what the coverage phase misses
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
def test_the_api_survives_anything_a_scoped_user_sends(case, town_key):
    response = case.call_and_validate(headers={"Authorization": f"Bearer {town_key}"}, checks=ALL_CHECKS)
    if response.status_code < 300 and case.path != "/api/v1/schema/":
        text = response.text
        for marker in OTHER_TOWN:
            assert marker not in text, f"{case.method} {case.path} shows {marker} to the 沙北 operator"


def test_every_operation_is_fuzzed():
    # A schema that lost an operation (or a parametrize that skipped one) would pass the test above.
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 70
