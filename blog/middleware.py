from django.http import HttpResponsePermanentRedirect

from . import publishing
from .models import PostAddress


class PublicationMiddleware:
    """The first request after a post's scheduled time announces it: publication with no cron.

    Costs one cache round trip per request; the database is asked only once a post is due.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if publishing.is_due():
            publishing.publish_due_posts()
        return self.get_response(request)


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
