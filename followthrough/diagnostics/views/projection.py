"""Pages: projection."""

from django.http import Http404


def projection_page(request):
    raise Http404  # built by its part
