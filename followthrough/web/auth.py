"""Login with a rate limit; the rest of the account pages are Django's own.

Every way in goes through LoginView: the admin site's own login page only
sends people here (see docs/decisions/), so one limit counts every attempt.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import REDIRECT_FIELD_NAME, get_user_model
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

from followthrough.web.forms import LoginForm
from followthrough.web.models import login_allowed, login_failed


def client_address(request) -> str:
    """The address a request came from, seen through TRUSTED_PROXIES proxies.

    Each trusted proxy appends the address it received the request from to
    X-Forwarded-For, so the client is the n-th entry from the right; anything
    further left was written by the client and proves nothing. With no trusted
    proxy (the default), the header is ignored: anyone can send it.
    """
    proxies = settings.TRUSTED_PROXIES
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        entries = [entry.strip() for entry in forwarded.split(",") if entry.strip()]
        if entries:
            return entries[-min(proxies, len(entries))]
    return request.META.get("REMOTE_ADDR", "")


class ResetForm(PasswordResetForm):
    """Django's reset form, which also answers logins still waiting for a first password.

    Django sends nothing to a login without a usable password, but here that is
    a person invited who has not chosen one yet (people/invitations.py): the reset
    link serves them as well as the invitation would. Closed logins get nothing.
    """

    def get_users(self, email):
        users = get_user_model()._default_manager.filter(email__iexact=email, is_active=True)
        return (user for user in users if user.email.lower() == email.lower())


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    redirect_authenticated_user = True
    too_many = _("Too many login attempts. Wait a few minutes and try again.")

    def post(self, request, *args, **kwargs):
        # Checked before the password is: once failures have used up the allowance,
        # even the right password waits, so guessing gains nothing.
        username = request.POST.get("username", "")
        if not login_allowed(username, client_address(request)):
            # An unbound form: the refusal is not about what was typed.
            form = self.get_form_class()(request, initial={"username": username})
            context = self.get_context_data(form=form, refusal=self.too_many)
            return self.render_to_response(context, status=429)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        login_failed(self.request.POST.get("username", ""), client_address(self.request))
        return super().form_invalid(form)


def admin_login(request, extra_context=None):
    """The admin site's login page: sends people to the one rate-limited login.

    Someone logged in without access to the admin site is refused rather than sent
    back to the login, which would send them on to the admin site again.
    """
    target = request.GET.get(REDIRECT_FIELD_NAME, "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = ""
    target = target or reverse("admin:index")
    if request.user.is_authenticated:
        if not (request.user.is_active and request.user.is_staff):
            raise PermissionDenied("This login may not use the admin site.")
        return HttpResponseRedirect(target)
    return HttpResponseRedirect(f"{reverse('login')}?{urlencode({REDIRECT_FIELD_NAME: target})}")
