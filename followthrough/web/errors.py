"""Error pages in the product's layout, in the visitor's language."""

from __future__ import annotations

from django.shortcuts import render


def forbidden(request, exception=None):
    return render(request, "web/403.html", status=403)


def not_found(request, exception=None):
    return render(request, "web/404.html", status=404)


def server_error(request):
    # No context processors that could fail again: a plain template.
    from django.http import HttpResponseServerError
    from django.template import loader

    return HttpResponseServerError(loader.get_template("web/500.html").render())
