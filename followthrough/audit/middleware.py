"""Attribute every change made while serving a request to the user it is authenticated as."""

from __future__ import annotations

from followthrough.audit.context import serving


class AuditActorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Resolved when a change is made: API tokens authenticate inside the view.
        with serving(request):
            return self.get_response(request)
