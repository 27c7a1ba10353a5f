"""Pages: the team's recognition feed with kudos to give, a person's badges, and the
win and loss stories. Thin: the rules are in kudos.py, badges.py, stories.py, rights.py."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from followthrough.crm.choices import Outcome
from followthrough.crm.models import Deal, Product
from followthrough.lib.ids import parse_id
from followthrough.people.lines import today_for
from followthrough.people.models import Person, Role, Team
from followthrough.recognition import feed, rights
from followthrough.recognition.badges import AwardRefused, grant
from followthrough.recognition.forms import (
    GrantForm,
    KudosForm,
    SettingsForm,
    StoryForm,
    StorySearchForm,
)
from followthrough.recognition.kudos import KudosRefused, budget_of, give_kudos, settings_for
from followthrough.recognition.models import Story, StoryOutcome
from followthrough.recognition.stories import StoryRefused, search_stories, write_story
from followthrough.web.decorators import person_required

# Closed deals this recent are offered for a story.
STORY_DAYS = 60


def _chosen_team(request) -> Team | None:
    viewer = request.person
    teams = rights.feed_teams(viewer)
    raw = request.GET.get("team")
    if raw:
        team_id = parse_id(raw)
        team = Team.objects.filter(pk=team_id, organisation_id=viewer.organisation_id).first()
        if team is None:
            raise Http404
        if not rights.can_view_feed(viewer, team):
            raise PermissionDenied
        return team
    own = rights.own_team_id(viewer)
    return teams.filter(pk=own).first() or teams.first()


def _feed_page(request, form: KudosForm, status: int = 200):
    team = _chosen_team(request)
    context = {
        "team": team,
        "teams": rights.feed_teams(request.person),
        "items": feed.team_feed(team) if team else [],
        "form": form,
        "budget": budget_of(request.person),
    }
    return render(request, "recognition/feed.html", context, status=status)


@person_required
def recognition(request):
    initial = {}
    to = parse_id(request.GET.get("to"))
    if to:
        initial["recipient"] = to
    return _feed_page(request, KudosForm(sender=request.person, initial=initial))


@require_POST
@person_required
def kudos_give(request):
    form = KudosForm(request.POST, sender=request.person)
    if form.is_valid():
        try:
            give_kudos(
                request.person,
                form.cleaned_data["recipient"],
                form.cleaned_data["message"],
                competency=form.cleaned_data["competency"],
            )
        except KudosRefused as refused:
            form.add_error(refused.field, refused.message)
        else:
            recipient = form.cleaned_data["recipient"].name
            messages.success(request, _("Kudos sent to %(name)s.") % {"name": recipient})
            return redirect(reverse("recognition"))
    return _feed_page(request, form, status=400)


def _person(request, pk: int) -> Person:
    person = get_object_or_404(Person, pk=pk, organisation_id=request.person.organisation_id)
    if not rights.can_see_recognition_of(request.person, person):
        raise PermissionDenied
    return person


@person_required
def person_badges(request, pk: int):
    person = _person(request, pk)
    return _badges_page(request, person, GrantForm(org_id=person.organisation_id))


def _badges_page(request, person: Person, form: GrantForm, status: int = 200):
    context = {
        "person": person,
        "awards": feed.badges_of(person),
        "kudos": feed.kudos_received(person),
        "can_grant": rights.can_grant_badge(request.person, person),
        "can_thank": rights.can_give_kudos(request.person, person),
        "form": form,
    }
    return render(request, "recognition/person.html", context, status=status)


@require_POST
@person_required
def badge_grant(request, pk: int):
    person = _person(request, pk)
    if not rights.can_grant_badge(request.person, person):
        raise PermissionDenied
    form = GrantForm(request.POST, org_id=person.organisation_id)
    if form.is_valid():
        try:
            grant(request.person, person, form.cleaned_data["badge"], form.cleaned_data["reason"])
        except AwardRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, _("Badge granted to %(name)s.") % {"name": person.name})
            return redirect("recognition_person", pk=person.pk)
    return _badges_page(request, person, form, status=400)


def _closed_without_story(viewer: Person, limit: int = 10):
    """Recently closed deals of the viewer and of the people they manage, without a story
    of the viewer's yet: a manager shares their own view of a report's deal too."""
    from followthrough.people import access

    since = today_for(viewer.organisation) - dt.timedelta(days=STORY_DAYS)
    written = Story.objects.filter(deal=OuterRef("pk"), author=viewer)
    deals = Deal.objects.filter(
        organisation_id=viewer.organisation_id,
        outcome__in=(Outcome.WON, Outcome.LOST),
        close_on__gte=since,
        owner__isnull=False,
    )
    ids = access.visible_person_ids(viewer)
    if ids is not None:
        deals = deals.filter(owner_id__in=ids)
    return (
        deals.annotate(has_story=Exists(written))
        .filter(has_story=False)
        .select_related("product", "owner")
        .order_by("-close_on", "-pk")[:limit]
    )


@person_required
def stories(request):
    viewer = request.person
    search = StorySearchForm(request.GET or None)
    visible = search_stories(viewer)
    products = Product.objects.filter(
        pk__in=visible.exclude(product=None).values("product_id")
    ).order_by("name")
    stages = sorted(set(visible.exclude(stage="").values_list("stage", flat=True)))
    search.fields["product"].choices = [("", _("Any"))] + [(p.pk, p.name) for p in products]
    search.fields["stage"].choices = [("", _("Any"))] + [(s, s) for s in stages]
    search.fields["outcome"].choices = [("", _("Any")), *StoryOutcome.choices]
    found = visible
    if search.is_valid():
        data = search.cleaned_data
        found = search_stories(
            viewer,
            product=parse_id(data["product"]),
            stage=data["stage"],
            outcome=data["outcome"],
            text=data["q"].strip(),
        )
    context = {
        "search": search,
        "stories": found[:100],
        "to_write": _closed_without_story(viewer),
    }
    return render(request, "recognition/stories.html", context)


@require_http_methods(["GET", "POST"])
@person_required
def story_write(request, deal_id: int):
    viewer = request.person
    deal = get_object_or_404(
        Deal.objects.select_related("owner", "product"),
        pk=deal_id,
        organisation_id=viewer.organisation_id,
    )
    if not rights.can_write_story(viewer, deal):
        raise PermissionDenied
    mine = Story.objects.filter(deal=deal, author=viewer).first()
    initial = (
        {"worked": mine.worked, "did_not_work": mine.did_not_work, "shared": mine.shared}
        if mine
        else None
    )
    form = StoryForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            write_story(viewer, deal, **form.cleaned_data)
        except StoryRefused as refused:
            form.add_error(refused.field, refused.message)
        else:
            messages.success(request, _("Your story is saved."))
            return redirect("recognition_stories")
    status = 400 if request.method == "POST" else 200
    return render(
        request, "recognition/story_form.html", {"deal": deal, "form": form}, status=status
    )


@require_http_methods(["GET", "POST"])
@person_required(roles=(Role.ADMIN,))
def recognition_settings(request):
    """The organisation's kudos budget, flood cap and streak length (admins; audited)."""
    current = settings_for(request.person.organisation)
    form = SettingsForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Recognition settings saved."))
        return redirect("recognition_settings")
    status = 400 if request.method == "POST" else 200
    return render(request, "recognition/settings.html", {"form": form}, status=status)
