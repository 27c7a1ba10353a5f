"""Serve the web interface with gunicorn: the embedded default and production alike."""

from __future__ import annotations

import os

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Serve Followthrough over HTTP (gunicorn), collecting static files first."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=None, help="default: $PORT or 8000")
        parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_WORKERS", 2)))

    def handle(self, *args, host, port, workers, **options):
        from gunicorn.app.base import BaseApplication

        if port is None:
            raw = os.environ.get("PORT", "8000")
            if not raw.isdigit() or not 0 < int(raw) < 65536:
                raise CommandError(f"PORT={raw!r} is not a port number")
            port = int(raw)
        call_command("collectstatic", interactive=False, verbosity=0)

        from followthrough.wsgi import application

        class Server(BaseApplication):
            def load_config(self):
                self.cfg.set("bind", f"{host}:{port}")
                self.cfg.set("workers", workers)
                self.cfg.set("accesslog", "-")
                self.cfg.set("graceful_timeout", 5)

            def load(self):
                return application

        self.stdout.write(f"Followthrough is serving on http://{host}:{port}/ (Ctrl-C stops it)")
        Server().run()
