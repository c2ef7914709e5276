from django.http import HttpResponsePermanentRedirect

from .models import PostAddress


class PostAddressRedirectMiddleware:
    """Answer a 404 at an address a post used to have with a 301 to where it is now.

    Only 404s reach the database here, so ordinary pages pay nothing for old addresses.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 404:
            return response
        target = PostAddress.redirect_target(request)
        return HttpResponsePermanentRedirect(target) if target else response
