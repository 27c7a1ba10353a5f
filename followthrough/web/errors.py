"""Error pages in the product's layout, in the visitor's language.

The 500 page keeps the layout and, when the request already knows who is asking,
the navigation: it is built from what the request holds in memory (the person a
view looked up, the user the session loaded), never from a new query, since the
database may be what failed. Should even that fail, a bare page is served.
"""

from __future__ import annotations

import logging

from django.http import HttpResponseServerError
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template import loader
from django.utils.functional import empty

from followthrough.web.context import navigation_for

logger = logging.getLogger(__name__)


def forbidden(request, exception=None):
    return render(request, "web/403.html", status=403)


def not_found(request, exception=None):
    return render(request, "web/404.html", status=404)


def _loaded_user(request):
    """The request's user if the session already loaded it, else None (no query)."""
    user = getattr(request, "user", None)
    wrapped = getattr(user, "_wrapped", user)
    return None if wrapped is empty else wrapped


def server_error(request):
    try:
        person = getattr(request, "person", None)
        context = {
            "request": request,
            "user": _loaded_user(request),
            "me": person,
            "nav": navigation_for(person, request.path),
            "csrf_token": get_token(request),
        }
        # No context processors: they would query the database again.
        body = loader.get_template("web/500.html").render(context)
    except Exception:
        logger.exception("The 500 page in the layout failed; serving the bare one")
        body = loader.get_template("web/500_bare.html").render()
    return HttpResponseServerError(body)
