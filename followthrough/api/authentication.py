"""Integration tokens: `Authorization: Bearer ft_...`, scoped to one organisation."""

from __future__ import annotations

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from followthrough.ingest.integrations import integration_for_token


class IntegrationAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1").split()
        if not header or header[0] != self.keyword:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("Invalid Authorization header.")
        integration = integration_for_token(header[1])
        if integration is None:
            raise exceptions.AuthenticationFailed("Invalid or revoked token.")
        return integration, integration

    def authenticate_header(self, request):
        return self.keyword


class IntegrationAuthenticationScheme(OpenApiAuthenticationExtension):
    """Describes integration tokens in the OpenAPI schema."""

    target_class = IntegrationAuthentication
    name = "integrationToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "An integration's token (ft_...), created with "
            "`followthrough integration`; it acts for one organisation only.",
        }
