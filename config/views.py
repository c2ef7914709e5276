from django.http import HttpResponseRedirect
from django.templatetags.static import static


def favicon(request):
    """Browsers ask for /favicon.ico on pages that name no icon, such as the admin's.

    Resolved per request (the hashed name exists only after collectstatic), and temporary:
    a browser keeps a 301 to a hashed name after a release has replaced the file.
    """
    return HttpResponseRedirect(static("img/favicon.svg"))
