from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from followthrough.web.auth import admin_login

urlpatterns = [
    path("", include("followthrough.web.urls")),
    path("", include("followthrough.people.urls")),
    path("audit/", include("followthrough.audit.urls")),
    path("metrics/", include("followthrough.metrics.urls")),
    path("", include("followthrough.goals.urls")),
    path("", include("followthrough.scorecards.urls")),
    path("", include("followthrough.coaching.urls")),
    path("", include("followthrough.assessments.urls")),
    path("", include("followthrough.programs.urls")),
    path("", include("followthrough.diagnostics.urls")),
    path("", include("followthrough.motivation.urls")),
    path("", include("followthrough.recognition.urls")),
    path("", include("followthrough.wallboard.urls")),
    path("", include("followthrough.notify.urls")),
    path("imports/", include("followthrough.ingest.urls")),
    path("api/", include("followthrough.api.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    # One login, one rate limit: the admin site's own login page only redirects to it.
    path("admin/login/", admin_login),
    path("admin/", admin.site.urls),
]

handler403 = "followthrough.web.errors.forbidden"
handler404 = "followthrough.web.errors.not_found"
handler500 = "followthrough.web.errors.server_error"
