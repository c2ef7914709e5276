import pytest
from django.http import HttpResponse
from django.test import RequestFactory, override_settings

from config.middleware import ForwardedClientIPMiddleware


def client_ip_seen(proxy_count, forwarded_for=None, remote_addr="10.0.0.5"):
    seen = {}

    def view(request):
        seen["ip"] = request.META["REMOTE_ADDR"]
        return HttpResponse()

    headers = {"HTTP_X_FORWARDED_FOR": forwarded_for} if forwarded_for is not None else {}
    request = RequestFactory().get("/", REMOTE_ADDR=remote_addr, **headers)
    with override_settings(QUIRE_PROXY_COUNT=proxy_count):
        ForwardedClientIPMiddleware(view)(request)
    return seen["ip"]


def test_without_a_proxy_the_header_is_ignored_so_a_client_cannot_forge_its_address():
    assert client_ip_seen(0, forwarded_for="1.2.3.4") == "10.0.0.5"


def test_behind_one_proxy_the_reader_is_the_address_that_proxy_saw():
    assert client_ip_seen(1, forwarded_for="203.0.113.9") == "203.0.113.9"


def test_a_forged_entry_written_by_the_client_is_not_trusted():
    assert client_ip_seen(1, forwarded_for="6.6.6.6, 203.0.113.9") == "203.0.113.9"


@pytest.mark.parametrize(
    ("forwarded_for", "expected"),
    [("6.6.6.6, 203.0.113.9, 10.1.1.1", "203.0.113.9"), ("203.0.113.9, 10.1.1.1", "203.0.113.9")],
)
def test_behind_two_proxies_the_second_entry_from_the_right_is_the_reader(forwarded_for, expected):
    assert client_ip_seen(2, forwarded_for=forwarded_for) == expected


def test_a_request_that_bypassed_the_proxy_keeps_its_own_address():
    assert client_ip_seen(1, forwarded_for="") == "10.0.0.5"
    assert client_ip_seen(2, forwarded_for="203.0.113.9") == "10.0.0.5"


@pytest.mark.parametrize(
    ("forwarded_for", "expected"),
    [
        ("203.0.113.7:5555", "203.0.113.7"),
        ("[2001:db8::1]:443", "2001:db8::1"),
        ("2001:db8::1", "2001:db8::1"),
        ("unknown", "10.0.0.5"),
        ("203.0.113.7; drop table", "10.0.0.5"),
    ],
)
def test_entries_with_ports_are_read_and_garbage_is_ignored(forwarded_for, expected):
    assert client_ip_seen(1, forwarded_for=forwarded_for) == expected
