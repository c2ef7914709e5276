from django.core.exceptions import SuspiciousFileOperation
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.views.static import serve


def favicon(request):
    """Browsers ask for /favicon.ico on pages that name no icon, such as the admin's.

    Resolved per request (the hashed name exists only after collectstatic), and temporary:
    a browser keeps a 301 to a hashed name after a release has replaced the file.
    """
    return HttpResponseRedirect(static("img/favicon.svg"))


def csrf_failure(request, reason=""):
    """Django's CSRF refusal in the site's own words (CSRF_FAILURE_VIEW); a comment's text comes
    back in a fresh form rather than being lost behind a bare 403."""
    if request.path == reverse("comments-post-comment"):
        from comments.views import refused_for_csrf

        response = refused_for_csrf(request)
        if response is not None:
            return response
    return render(request, "403_csrf.html", status=403)


def media(request, path, document_root):
    """Uploads from local disk (QUIRE_SERVE_MEDIA): nothing at a name the disk cannot hold (too
    long) or outside the folder (..), a 404 like any other missing file, not a 500 or a
    logged security error."""
    try:
        return serve(request, path, document_root=document_root)
    except (OSError, SuspiciousFileOperation) as error:
        raise Http404("No such file.") from error
