"""The landing redirect and the health check.

The pages people land on belong to their apps (the scorecard's "me", people's
"settings"...); web only knows their URL names (web/context.py), so it imports none.
"""

from __future__ import annotations

from django.shortcuts import redirect, render

from followthrough.people.access import person_of
from followthrough.web.context import landing_url


def home(request):
    """Send each person to the page their role starts on."""
    if not request.user.is_authenticated:
        return redirect("login")
    person = person_of(request.user)
    if person is None:
        if request.user.is_staff:
            return redirect("admin:index")
        return render(request, "web/no_person.html", status=403)
    return redirect(landing_url(person.role))


def health(request):
    """For load balancers: the process answers and the database is reachable."""
    from django.db import connection
    from django.http import JsonResponse

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
