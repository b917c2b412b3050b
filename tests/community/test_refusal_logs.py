"""A refusal (403) is one INFO line — method, path, the member's id, the reason — without a traceback;
a server error (500) still logs an ERROR with its traceback."""

import logging

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import include, path


def refused(request):
    raise PermissionDenied("Only the gardener may water the plants.")


def broken(request):
    raise RuntimeError("the watering can leaks")


urlpatterns = [
    path("test/refused/", refused),
    path("test/broken/", broken),
    path("", include("community.urls")),
]

pytestmark = pytest.mark.urls(__name__)


def request_records(caplog):
    return [record for record in caplog.records if record.name == "django.request"]


def test_a_refusal_is_one_info_line_with_the_member_and_the_reason(member_client, member, caplog):
    with caplog.at_level(logging.INFO):
        response = member_client.get("/test/refused/")

    assert response.status_code == 403
    [record] = request_records(caplog)
    assert record.levelno == logging.INFO
    assert record.getMessage() == (f"Refused GET /test/refused/ (user {member.pk}): "
                                   "Only the gardener may water the plants.")
    assert record.exc_info is None
    assert "Traceback" not in caplog.text


def test_a_refused_visitor_is_named_as_such(client, db, caplog):
    with caplog.at_level(logging.INFO):
        client.post("/test/refused/")

    [record] = request_records(caplog)
    assert record.levelno == logging.INFO
    assert record.getMessage().startswith("Refused POST /test/refused/ (user -): Only the gardener")


def test_a_member_without_the_role_on_the_moderation_queue_is_logged_at_info(member_client, member, caplog):
    with caplog.at_level(logging.INFO):
        response = member_client.get("/moderation/")

    assert response.status_code == 403
    [record] = request_records(caplog)
    assert record.levelno == logging.INFO and record.exc_info is None
    assert record.getMessage().startswith(f"Refused GET /moderation/ (user {member.pk}): ")
    assert len(record.getMessage()) > len(f"Refused GET /moderation/ (user {member.pk}): ")


def test_nothing_about_refusals_reaches_a_warning_handler(member_client, caplog):
    with caplog.at_level(logging.WARNING):
        member_client.get("/test/refused/")

    assert request_records(caplog) == []


def test_a_csrf_failure_stays_a_warning_of_its_own(member, caplog):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)

    with caplog.at_level(logging.INFO):
        response = client.post("/notifications/read-all/")

    assert response.status_code == 403
    [record] = [record for record in caplog.records if record.name.startswith("django.")]
    assert record.name == "django.security.csrf" and record.levelno == logging.WARNING


def test_a_server_error_still_logs_an_error_with_its_traceback(db, caplog):
    client = Client(raise_request_exception=False)

    with caplog.at_level(logging.INFO):
        response = client.get("/test/broken/")

    assert response.status_code == 500
    [record] = request_records(caplog)
    assert record.levelno == logging.ERROR
    assert record.exc_info and isinstance(record.exc_info[1], RuntimeError)
    assert "the watering can leaks" in caplog.text and "Traceback" in caplog.text
