"""One versioned tree: every endpoint under /api/v1/, old paths redirected, docs served here."""

from __future__ import annotations

from drf_spectacular.generators import SchemaGenerator

from tests.cast import BaseTestCase


class ApiTreeTests(BaseTestCase):
    def test_every_endpoint_in_the_schema_is_under_v1(self):
        paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]
        self.assertIn("/api/v1/metrics/", paths)
        self.assertEqual([p for p in paths if not p.startswith("/api/v1/")], [])
        # The docs' sections are the capabilities: the first segment after /api/v1/.
        tags = {tag for ops in paths.values() for op in ops.values() for tag in op["tags"]}
        self.assertLessEqual({"people", "goals", "metrics", "contests", "kudos"}, tags)
        self.assertNotIn("v1", tags)

    def test_the_old_metrics_path_redirects_with_method_and_query_kept(self):
        self.login(self.rep)
        response = self.client.get("/api/metrics/win_rate/?format=json")
        self.assertEqual(response.status_code, 308)
        self.assertEqual(response["Location"], "/api/v1/metrics/win_rate/?format=json")
        posted = self.client.post("/api/metrics/", {}, content_type="application/json")
        self.assertEqual((posted.status_code, posted["Location"]), (308, "/api/v1/metrics/"))
        followed = self.client.get("/api/metrics/win_rate/", follow=True)
        self.assertEqual(followed.json()["key"], "win_rate")

    def test_the_interactive_docs_are_served_from_here_with_no_inline_script(self):
        page = self.client.get("/api/docs/")
        self.assertEqual(page.status_code, 200)
        html = page.content.decode()
        self.assertIn("/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js", html)
        self.assertNotIn("<script>", html)
        self.assertNotIn("<style>", html)
        self.assertNotIn("https://", html)
        script = self.client.get("/api/docs/?script=")
        self.assertEqual(script.status_code, 200)
        self.assertIn("/api/schema/", script.content.decode())
        self.assertEqual(self.client.get("/api/schema/").status_code, 200)


class BodyLimitTests(BaseTestCase):
    def test_an_oversized_body_gets_413_unread_and_nothing_is_written(self):
        from django.conf import settings

        from followthrough.motivation.models import Contest

        self.login(self.manager)
        body = '{"name": "' + "x" * settings.DATA_UPLOAD_MAX_MEMORY_SIZE + '"}'
        for url in ("/api/v1/contests/", "/api/v1/kudos/", "/api/v1/webhooks/1/"):
            response = self.client.post(url, body, content_type="application/json")
            self.assertEqual(response.status_code, 413, url)
            self.assertIn("larger than 5,242,880 bytes", response.json()["detail"])
        self.assertFalse(Contest.objects.exists())
        # Within the limit, the same endpoint answers as usual (a field error here).
        small = self.client.post(
            "/api/v1/contests/", '{"name": "x"}', content_type="application/json"
        )
        self.assertEqual(small.status_code, 400)


class UnknownFieldTests(BaseTestCase):
    def test_an_unknown_field_is_refused_by_name_and_nothing_is_written(self):
        from followthrough.motivation.models import Contest

        self.login(self.manager)
        body = {
            "name": "Wins",
            "metric": "deals_won",
            "start": "2026-03-09",
            "end": "2026-03-15",
            "format": "ranking",
            "top_n": 1,
            "eligible_team": self.team.pk,
            "prize": "A dinner",  # the field is "prizes"
        }
        response = self.client.post("/api/v1/contests/", body, content_type="application/json")
        self.assertEqual(response.status_code, 400)
        self.assertEqual(response.json(), {"prize": ["Unknown field."]})
        self.assertFalse(Contest.objects.exists())
        del body["prize"]
        made = self.client.post("/api/v1/contests/", body, content_type="application/json")
        self.assertEqual(made.status_code, 201, made.content)

    def test_every_api_serializer_refuses_unknown_fields(self):
        import importlib
        import pkgutil

        from rest_framework import serializers

        import followthrough
        from followthrough.api.strict import StrictFields

        for module in pkgutil.walk_packages(followthrough.__path__, "followthrough."):
            if ".api" in module.name or module.name.endswith("api"):
                importlib.import_module(module.name)
        found, lax = [], []
        stack = [serializers.Serializer]
        while stack:
            cls = stack.pop()
            stack.extend(cls.__subclasses__())
            if cls.__module__.startswith("followthrough.") and "api" in cls.__module__:
                found.append(cls)
                if not issubclass(cls, StrictFields) and cls.__name__ != "PeriodQuerySerializer":
                    lax.append(f"{cls.__module__}.{cls.__name__}")
        self.assertGreater(len(found), 50)
        self.assertEqual(lax, [])


def test_the_schema_is_valid_and_generates_without_a_warning(tmp_path):
    from django.core.management import call_command

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "s.yaml"))
    assert (tmp_path / "s.yaml").read_text().startswith("openapi: 3")
