import io
import json
import logging
import logging.config

import pytest
from django.conf import settings
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import path

from config.logging import RequestIdMiddleware

pytestmark = pytest.mark.django_db


@pytest.fixture
def log_lines():
    """Quire's own LOGGING, writing to a buffer: what a log collector would read from stdout."""
    buffer = io.StringIO()
    config = {**settings.LOGGING, "handlers": {**settings.LOGGING["handlers"]}}
    config["handlers"]["console"] = {**config["handlers"]["console"], "stream": buffer}
    logging.config.dictConfig(config)
    yield lambda: [json.loads(line) for line in buffer.getvalue().splitlines()]
    logging.config.dictConfig(settings.LOGGING)


def broken_view(request):
    raise ZeroDivisionError("the view divided by zero")


def logging_view(request):
    logging.getLogger("blog.views").warning("reader asked for %s", request.path)
    return HttpResponse("fine")


urlpatterns = [path("broken/", broken_view), path("logs/", logging_view)]


def test_each_event_is_one_json_line_with_time_level_logger_and_message(log_lines):
    logging.getLogger("comments.spam").warning("held %d comments", 3)
    [line] = log_lines()
    assert line["level"] == "WARNING"
    assert line["logger"] == "comments.spam"
    assert line["message"] == "held 3 comments"
    assert line["request_id"] == "-", "outside a request there is no id"
    assert line["time"].endswith("+00:00") and "T" in line["time"]


@pytest.mark.urls("tests.config.test_logging")
def test_the_proxys_request_id_is_on_the_response_and_on_every_line_of_the_request(
    client, log_lines
):
    response = client.get("/logs/", HTTP_X_REQUEST_ID="edge-7f3a9c")
    assert response["X-Request-ID"] == "edge-7f3a9c"
    lines = log_lines()
    assert [(line["logger"], line["request_id"]) for line in lines] == [
        ("blog.views", "edge-7f3a9c"),
        ("quire.request", "edge-7f3a9c"),
    ]
    access = lines[-1]
    assert (access["method"], access["path"], access["status"]) == ("GET", "/logs/", 200)
    assert isinstance(access["duration_ms"], float)


@pytest.mark.urls("tests.config.test_logging")
def test_without_one_or_with_a_forged_one_a_fresh_id_is_made_per_request(client, log_lines):
    first = client.get("/logs/")["X-Request-ID"]
    second = client.get("/logs/", HTTP_X_REQUEST_ID='x"\n{"level": "forged"}')["X-Request-ID"]
    assert len(first) == len(second) == 32 and first != second
    assert {line["request_id"] for line in log_lines()} == {first, second}


@pytest.mark.urls("tests.config.test_logging")
def test_an_error_is_logged_with_method_path_status_and_traceback(client, log_lines):
    client.raise_request_exception = False
    response = client.post("/broken/?page=2", HTTP_X_REQUEST_ID="req-500")
    assert response.status_code == 500
    [error] = [line for line in log_lines() if line["level"] == "ERROR"]
    assert error["logger"] == "django.request"
    assert error["request_id"] == "req-500"
    assert (error["method"], error["path"], error["status_code"]) == (
        "POST",
        "/broken/?page=2",
        500,
    )
    assert "ZeroDivisionError: the view divided by zero" in error["exception"]


def test_the_id_does_not_outlive_its_request(log_lines):
    RequestIdMiddleware(lambda request: HttpResponse())(
        RequestFactory().get("/", HTTP_X_REQUEST_ID="gone-after")
    )
    logging.getLogger("blog").warning("between requests")
    assert log_lines()[-1]["request_id"] == "-"
