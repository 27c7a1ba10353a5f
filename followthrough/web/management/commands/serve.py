"""Serve the web interface with gunicorn: the embedded default and production alike."""

from __future__ import annotations

from django.core.management import call_command
from django.core.management.base import BaseCommand

from followthrough.lib.env import envint, envstr

# Gunicorn waits this long (seconds) for requests in flight after Ctrl-C or SIGTERM.
GRACEFUL_TIMEOUT = 5


class Command(BaseCommand):
    help = "Serve Followthrough over HTTP (gunicorn), collecting static files first."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=None, help="default: $HOST or 127.0.0.1")
        parser.add_argument("--port", type=int, default=None, help="default: $PORT or 8000")
        parser.add_argument("--workers", type=int, default=None, help="default: $WEB_WORKERS or 2")

    def handle(self, *args, host, port, workers, **options):
        from gunicorn.app.base import BaseApplication

        host = host or envstr("HOST", "127.0.0.1")
        port = port or envint("PORT", 8000, minimum=1, maximum=65535)
        workers = workers or envint("WEB_WORKERS", 2, minimum=1)
        call_command("collectstatic", interactive=False, verbosity=0)

        from followthrough.wsgi import application

        class Server(BaseApplication):
            def load_config(self):
                self.cfg.set("bind", f"{host}:{port}")
                self.cfg.set("workers", workers)
                self.cfg.set("accesslog", "-")
                self.cfg.set("graceful_timeout", GRACEFUL_TIMEOUT)

            def load(self):
                return application

        self.stdout.write(f"Followthrough is serving on http://{host}:{port}/ (Ctrl-C stops it)")
        self.stdout.flush()
        Server().run()
