"""Wallboard pages: managing links (logged in) and the TV view itself (the token is the key)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseNotModified
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from followthrough.lib.ids import parse_id
from followthrough.wallboard import board, rights, sharing
from followthrough.wallboard.forms import LinkForm
from followthrough.wallboard.models import WallboardLink
from followthrough.web.decorators import person_required

# Seconds between a TV's polls; with board.FRESH_SECONDS a new win shows within 2 s.
POLL_SECONDS = 1


@person_required(roles=rights.RUNNERS)
@require_http_methods(["GET", "POST"])
def link_list(request):
    me = request.person
    initial = {}
    contest_id = parse_id(request.GET.get("contest") or "")
    if contest_id:
        initial = {"shows": "contest", "contest": contest_id}
    form = LinkForm(request.POST or None, viewer=me, initial=initial)
    if request.method == "POST" and form.is_valid():
        sharing.create_link(me, **form.link_fields())
        messages.success(request, _("Wallboard link created. Copy it to the TV's browser."))
        return redirect("wallboard_links")
    links = rights.links_for(me)
    for link in links:
        link.url = request.build_absolute_uri(reverse("wall", args=[link.token]))
    context = {
        "form": form,
        "links": links,
        "section": "contests",
    }
    return render(request, "wallboard/links.html", context, status=400 if form.errors else 200)


@person_required(roles=rights.RUNNERS)
@require_POST
def link_revoke(request, pk: int):
    me = request.person
    link = WallboardLink.objects.filter(organisation_id=me.organisation_id, pk=pk).first()
    if link is None:
        raise Http404
    if not rights.may_change(me, link):
        raise PermissionDenied
    sharing.revoke(link, me)
    board.forget(link)
    messages.success(request, _("Link revoked: the TV shows nothing from now on."))
    return redirect("wallboard_links")


def _gone(request) -> HttpResponse:
    response = render(request, "wallboard/gone.html", status=404)
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def wall(request, token: str):
    link = sharing.live_link(token)
    if link is None:
        return _gone(request)
    context = {
        "link": link,
        "live_url": reverse("wall_live", args=[token]),
        "poll_ms": POLL_SECONDS * 1000,
        "board": board.board_of(link),
        "words": {
            "scored": _("%(name)s just scored!"),
            "gone": _("This wallboard link was revoked or no longer exists."),
            "place": _("Place"),
        },
    }
    response = render(request, "wallboard/wall.html", context)
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "no-referrer"
    return response


@require_GET
def wall_live(request, token: str):
    """The board as JSON; ETag so an unchanged board costs a 304 and no body."""
    link = sharing.live_link(token)
    if link is None:
        response = HttpResponse(b'{"gone": true}', status=404, content_type="application/json")
        response["Cache-Control"] = "no-store"
        return response
    body, etag = board.live_body(link, get_language() or "")
    if etag in request.headers.get("If-None-Match", ""):
        response = HttpResponseNotModified()
    else:
        response = HttpResponse(body, content_type="application/json")
    response["ETag"] = etag
    # Always revalidate: the ETag makes that cheap; never kept by a shared cache.
    response["Cache-Control"] = "private, no-cache"
    response["X-Robots-Tag"] = "noindex"
    return response
