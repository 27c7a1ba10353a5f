"""A team's digest in its chat channel: Slack-compatible JSON posted to a local HTTP server
(run by tests/notify/test_on_demo.py on one demo)."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

from django.urls import reverse

from followthrough.notify import weekly
from followthrough.notify.models import Channel, ChatHook, Delivery, Status
from followthrough.people.models import Team


class Receiver(BaseHTTPRequestHandler):
    """Keeps each POSTed body; answers with the server's next status (200 by default)."""

    def do_POST(self):  # noqa: N802 - http.server's hook name
        body = self.rfile.read(int(self.headers["Content-Length"]))
        server = self.server
        server.received.append((self.path, self.headers["Content-Type"], json.loads(body)))
        self.send_response(server.statuses.pop(0) if server.statuses else 200)
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args):
        pass


class ChatChecks:
    def start_receiver(self) -> None:
        self.server = HTTPServer(("127.0.0.1", 0), Receiver)
        self.server.received, self.server.statuses = [], []
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.addCleanup(self.server.server_close)
        self.addCleanup(self.server.shutdown)
        self.team = Team.objects.get(organisation=self.org, name="Benelux")
        self.url = f"http://127.0.0.1:{self.server.server_port}/hooks/benelux"
        ChatHook.objects.create(organisation=self.org, team=self.team, url=self.url)

    def chat_row(self) -> Delivery:
        return Delivery.objects.get(team=self.team, channel=Channel.CHAT)

    def test_the_team_channel_gets_one_message_with_its_people_and_a_rerun_none(self):
        self.start_receiver()
        self.send()
        [(path, kind, payload)] = self.server.received
        self.assertEqual((path, kind), ("/hooks/benelux", "application/json"))
        self.assertIn("*Benelux*", payload["text"])
        self.assertIn("Ruben Rep", payload["text"])
        self.assertNotIn("Mia Schulz", payload["text"])  # DACH, another team
        self.assertNotIn("EUR", payload["text"])  # no one's figures in a shared channel
        self.send()
        self.assertEqual(len(self.server.received), 1)
        self.assertEqual(self.chat_row().status, Status.SENT)

    def test_a_server_error_is_retried_and_a_refusal_is_not(self):
        self.start_receiver()
        self.server.statuses = [503]
        self.send()
        row = self.chat_row()
        self.assertEqual(row.status, Status.PENDING)
        self.assertIn("503", row.error)
        Delivery.objects.filter(pk=row.pk).update(next_try_at=None)
        self.server.statuses = [404]
        weekly.send_digests(self.org, self.week)
        row.refresh_from_db()
        self.assertEqual((row.status, row.error), (Status.FAILED, "HTTP 404"))


class ChatPageChecks:
    def test_a_manager_sets_their_team_channel_with_field_errors_for_a_bad_address(self):
        maya = self.people["Maya Manager"]
        team = Team.objects.get(organisation=self.org, name="Benelux")
        self.client.force_login(maya.user)
        self.assertContains(self.client.get(reverse("notify_chat")), "Benelux")
        edit = reverse("notify_chat_edit", args=[team.pk])
        response = self.client.post(edit, {"url": "ftp://example.com/x", "active": "on"})
        self.assertEqual(response.status_code, 400)
        response = self.client.post(edit, {"url": "http://example.com/x", "active": "on"})
        self.assertContains(response, "https address", status_code=400)
        response = self.client.post(
            edit, {"url": "https://hooks.example.com/T1/B2", "active": "on"}
        )
        self.assertRedirects(response, reverse("notify_chat"))
        self.assertEqual(ChatHook.objects.get(team=team).url, "https://hooks.example.com/T1/B2")

    def test_a_rep_and_another_teams_manager_are_refused(self):
        team = Team.objects.get(organisation=self.org, name="Benelux")
        edit = reverse("notify_chat_edit", args=[team.pk])
        self.client.force_login(self.people["Ruben Rep"].user)
        self.assertEqual(self.client.get(reverse("notify_chat")).status_code, 403)
        self.assertEqual(self.client.get(edit).status_code, 403)
        self.client.force_login(self.people["Otto Keller"].user)
        self.assertEqual(self.client.post(edit, {"url": "https://x.test/h"}).status_code, 403)
        self.assertFalse(ChatHook.objects.filter(team=team).exists())
