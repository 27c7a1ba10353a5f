"""The API against its own OpenAPI schema: schemathesis generates requests for every
operation and checks that none gets a server error and every answer matches the schema.

Bounded (a few examples per operation) so it stays a CI check, not a soak test. It
runs in-process (WSGI) as the cast's admin, who may see and try the most, inside the
test's transaction: nothing it writes outlives the test.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

EXAMPLES = 3
CSRF = "schemathesiscsrfsecret0123456789"  # 32 characters: an unmasked CSRF secret


@pytest.fixture
def api_schema(db):
    from django.contrib.auth import get_user_model
    from django.core import signals
    from django.db import close_old_connections
    from django.test import Client

    from followthrough.wsgi import application
    from tests.cast import PASSWORD, CastMixin

    holder = type("Cast", (CastMixin,), {})
    holder.build_cast()
    client = Client()
    assert client.login(username=holder.admin.user.get_username(), password=PASSWORD)
    session = client.cookies["sessionid"].value
    # As Django's test client does: a request must not close the test's database
    # connection (on PostgreSQL that would end the test's transaction).
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        schema = schemathesis.openapi.from_wsgi("/api/schema/", application)
        assert get_user_model().objects.filter(pk=holder.admin.user.pk).exists()
        yield schema, {"sessionid": session, "csrftoken": CSRF}
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def _summary(error: BaseException) -> str:
    """The failure's first lines: what was violated, without the response body."""
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    return " | ".join(lines[:6])


def test_no_server_error_and_every_answer_matches_the_schema(api_schema):
    api_schema, cookies = api_schema
    # Driven by hand, one Hypothesis run per operation: schemathesis' pytest plugin does
    # not support this pytest. Every operation is tried; the failures are listed together.
    failures, answered = [], []
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) > 100
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
            database=None,
        )
        def run(case):
            # Werkzeug's test client replaces a Cookie header: cookies go on the case.
            case.cookies = {**(case.cookies or {}), **cookies}
            response = case.call(headers={"X-CSRFToken": CSRF})
            answered.append((case.operation.path, response.status_code))
            case.validate_response(
                response, checks=[not_a_server_error, response_schema_conformance]
            )

        try:
            run()
        except (Exception, BaseExceptionGroup) as error:  # noqa: BLE001 (report every operation)
            failures.append(f"{operation.method.upper()} {operation.path}: {_summary(error)}")
    assert failures == [], "\n\n".join(failures)
    # Logged in for real: many answers are successes, not only refusals of a stranger.
    assert sum(200 <= status < 300 for _, status in answered) > 60
    # Only the ingest endpoint (a CRM's token, not a person's login) refuses the admin;
    # webhooks are signed instead, and an unknown integration is a 404.
    strangers = {path for path, status in answered if status == 401}
    assert strangers == {"/api/v1/ingest/{kind}/"}, strangers
