"""Request size limits for the API: a body larger than allowed gets 413, unread.

DRF parses JSON straight from the request stream, without Django's
DATA_UPLOAD_MAX_MEMORY_SIZE check, so without this a client could make the server
read any amount. Every API request is held to that setting, except record batches
pushed to the ingest API, which have their own, larger cap. A body sent without a
Content-Length that turns out too large (Django's RequestDataTooBig) gets the same 413.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import JsonResponse

# A batch of records pushed to /api/v1/ingest/{kind}/: up to MAX_RECORDS rows.
MAX_BATCH_BYTES = 32 * 1024 * 1024
BATCH_PREFIX = "/api/v1/ingest/"


def limit_for(path: str) -> int:
    return (
        MAX_BATCH_BYTES if path.startswith(BATCH_PREFIX) else settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    )


def too_large(limit: int) -> JsonResponse:
    detail = f"The request body is larger than {limit:,} bytes."
    return JsonResponse({"detail": detail}, status=413)


class BodyLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith("/api/"):
            limit = limit_for(request.path)
            length = request.META.get("CONTENT_LENGTH") or "0"
            if not length.isdigit() or int(length) > limit:
                return too_large(limit)
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, RequestDataTooBig) and request.path.startswith("/api/"):
            return too_large(limit_for(request.path))
        return None
