"""Pages: rights."""

from django.http import Http404


def team_view(request):
    raise Http404  # built by its part


def rep_page(request, person_id):
    raise Http404  # built by its part


def settings_page(request):
    raise Http404  # built by its part
