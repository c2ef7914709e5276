import ipaddress

from django.conf import settings
from django.http import HttpResponseBadRequest


class ForwardedClientIPMiddleware:
    """Behind trusted proxies, make REMOTE_ADDR the reader's address instead of the proxy's.

    Comment IPs and the per-IP rate limit read REMOTE_ADDR. Each trusted proxy appends the
    address it saw to X-Forwarded-For, so the reader is the entry DJANGO_PROXY_COUNT from the
    right; anything further left was written by the client and cannot be trusted.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.proxy_count = settings.QUIRE_PROXY_COUNT

    def __call__(self, request):
        if self.proxy_count:
            hops = [
                hop.strip()
                for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
                if hop.strip()
            ]
            if len(hops) >= self.proxy_count:
                address = ip_address_or_none(hops[-self.proxy_count])
                if address:
                    request.META["REMOTE_ADDR"] = address
        return self.get_response(request)


class RejectNulMiddleware:
    """No address or query string carries a NUL character for a reason, and PostgreSQL cannot
    even compare one: refuse the request here rather than teach every lookup about it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = request.GET
        if "\x00" in request.path or any(
            "\x00" in key or any("\x00" in value for value in query.getlist(key)) for key in query
        ):
            return HttpResponseBadRequest("Bad request: a NUL character in the address.")
        return self.get_response(request)


class RejectFormCharsetMiddleware:
    """A form sent in another character set than UTF-8 (no browser sends one): a 400 here.
    Django refuses to read such a form with BadRequest, and again on every look, the error
    page's CSRF check included, which turned the 400 into a bare 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.content_type == "application/x-www-form-urlencoded"
            and request.encoding is not None
            and request.encoding.lower() != "utf-8"
        ):
            return HttpResponseBadRequest("Bad request: a form must be sent in UTF-8.")
        return self.get_response(request)


class PermissionsPolicyMiddleware:
    """A blog asks for no camera, microphone, location or payment: say so, so no embed can."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = settings.QUIRE_PERMISSIONS_POLICY

    def __call__(self, request):
        response = self.get_response(request)
        if self.policy:
            response.headers.setdefault("Permissions-Policy", self.policy)
        return response


def client_ip(request):
    """The reader's address, as ForwardedClientIPMiddleware left it (for django-axes)."""
    return request.META.get("REMOTE_ADDR")


# django-axes' column for the username tried; no account's name is longer than 150.
AXES_USERNAME_LENGTH = 255


def username_tried(request, credentials=None):
    """The username a login tried, as django-axes records it: cut to fit its column, where a
    longer one failed the whole login with a 500 on PostgreSQL."""
    given = (credentials or {}).get("username")
    if given is None:
        given = getattr(request, "POST", {}).get("username")
    return given[:AXES_USERNAME_LENGTH] if isinstance(given, str) else given


def ip_address_or_none(hop):
    """The address in an X-Forwarded-For entry, which some proxies write with a port."""
    if hop.startswith("["):  # [2001:db8::1]:443
        hop = hop[1:].split("]", 1)[0]
    elif hop.count(":") == 1:  # 203.0.113.7:5555
        hop = hop.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(hop))
    except ValueError:
        return None
