"""Pages: hiring."""

from django.http import Http404


def hiring_page(request):
    raise Http404  # built by its part
