from django.http import HttpResponsePermanentRedirect

from .models import LegacyAddress

# WordPress' plain permalinks: the home page with a query that names the post or page.
QUERY_KEYS = ("p", "page_id", "attachment_id", "cat", "tag")


class LegacyAddressRedirectMiddleware:
    """Old pages, labels, feeds and /?p=123 of an imported blog answer with a 301.

    Only 404s and home-page requests carrying a WordPress query reach the database.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path == "/" and request.method in ("GET", "HEAD"):
            for key in QUERY_KEYS:
                if key in request.GET:
                    target = self._target(LegacyAddress.normalise("/", f"{key}={request.GET[key]}"))
                    if target:
                        return HttpResponsePermanentRedirect(target)
        response = self.get_response(request)
        if response.status_code != 404:
            return response
        path = LegacyAddress.normalise(request.path)
        target = self._target(path)
        return HttpResponsePermanentRedirect(target) if target and target != path else response

    @staticmethod
    def _target(path):
        address = LegacyAddress.objects.filter(path=path).select_related("post", "page", "tag")
        address = address.first()
        return address.target() if address else None
