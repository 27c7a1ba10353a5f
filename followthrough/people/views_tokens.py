"""The API tokens page: a person makes, sees and revokes their own personal access tokens."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from followthrough.people.forms_tokens import TokenForm
from followthrough.people.models import AccessToken, RevokeReason
from followthrough.people.tokens import create_token, revoke_token, tokens_of
from followthrough.web.decorators import person_required


@person_required
@require_http_methods(["GET", "POST"])
def access_tokens(request):
    me = request.person
    form = TokenForm(request.POST or None)
    new = None
    if request.method == "POST" and form.is_valid():
        new = create_token(me, form.cleaned_data["name"], form.cleaned_data["days"])
        # Rendered, not redirected: the token is shown in this one response and kept nowhere.
        form = TokenForm()
    now = timezone.now()
    rows = [(token, token.status(now)) for token in tokens_of(me).select_related("revoked_by")]
    context = {"form": form, "rows": rows, "new": new}
    return render(request, "people/access_tokens.html", context)


@person_required
@require_POST
def access_token_revoke(request, pk: int):
    # Someone else's token is as absent as one that never existed.
    token = AccessToken.objects.filter(pk=pk, person=request.person).first()
    if token is None:
        raise Http404
    if revoke_token(token, RevokeReason.BY_OWNER, by=request.person):
        messages.success(
            request, _("Token “%(name)s” revoked: it no longer works.") % {"name": token.name}
        )
    return redirect("access_tokens")
