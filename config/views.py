from django.http import HttpResponsePermanentRedirect
from django.templatetags.static import static


def favicon(request):
    """Browsers ask for /favicon.ico on pages that name no icon, such as the admin's.

    Resolved per request: the hashed static name exists only after collectstatic.
    """
    return HttpResponsePermanentRedirect(static("img/favicon.svg"))
