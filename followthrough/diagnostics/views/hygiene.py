"""Pages: hygiene."""

from django.http import Http404


def hygiene_page(request):
    raise Http404  # built by its part


def integrity_page(request):
    raise Http404  # built by its part
