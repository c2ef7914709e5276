from django.conf import settings


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
                request.META["REMOTE_ADDR"] = hops[-self.proxy_count]
        return self.get_response(request)
