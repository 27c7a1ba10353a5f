"""Personal access tokens on the API: `Authorization: Bearer ftp_...` acts as its person."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from followthrough.people.tokens import TOKEN_PREFIX, Refusal, check_token

KEYWORD = "Bearer"
REFUSALS = {
    Refusal.UNKNOWN: _("Unknown access token."),
    Refusal.EXPIRED: _("This access token has expired."),
    Refusal.REVOKED: _("This access token has been revoked."),
    Refusal.INACTIVE: _("This access token's person cannot log in any more."),
}


class AccessTokenAuthentication(authentication.BaseAuthentication):
    """A person's own token; the permission classes then check their rights as for a session."""

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1").split()
        if len(header) != 2 or header[0] != KEYWORD or not header[1].startswith(TOKEN_PREFIX):
            # Another scheme, or another kind of Bearer token (an integration's ft_...).
            return None
        check = check_token(header[1])
        if check.person is None:
            raise exceptions.AuthenticationFailed(REFUSALS[check.refusal])
        return check.person.user, check.person

    def authenticate_header(self, request) -> str:
        # Makes DRF answer 401 (not 403) with WWW-Authenticate to a caller without credentials.
        return KEYWORD


class AccessTokenScheme(OpenApiAuthenticationExtension):
    """Describes personal access tokens in the OpenAPI schema."""

    target_class = AccessTokenAuthentication
    name = "personalAccessToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A personal access token (ftp_...), made on the API tokens page "
            "or with `followthrough token create`; it acts as its person, with their rights, "
            "until it expires or is revoked.",
        }
