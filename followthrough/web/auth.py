"""Login with a rate limit; the rest of the account pages are Django's own."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.utils.translation import gettext_lazy as _

from followthrough.web.forms import LoginForm
from followthrough.web.models import login_allowed, login_failed


def client_address(request) -> str:
    # Behind a proxy, REMOTE_ADDR is the proxy: trust X-Forwarded-For only when told to.
    if getattr(settings, "HTTPS", False) and "HTTP_X_FORWARDED_FOR" in request.META:
        return request.META["HTTP_X_FORWARDED_FOR"].split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")


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
