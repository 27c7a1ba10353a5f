"""Pages: runs."""

from django.http import Http404


def runs_page(request):
    raise Http404  # built by its part
