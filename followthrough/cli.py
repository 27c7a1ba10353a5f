"""The `followthrough` command: Django's management commands under one name."""

from __future__ import annotations

import os
import sys

# The exit status for a malformed setting, apart from 1 (a command that failed).
CONFIG_ERROR_EXIT = 2
# The shell's status for a command stopped by Ctrl-C (128 + SIGINT).
INTERRUPTED_EXIT = 130


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "followthrough.settings")
    from followthrough.lib.env import ConfigError

    try:
        from django.conf import settings

        settings.INSTALLED_APPS  # noqa: B018 - loads the settings, raising on bad config
        from django.core.management import execute_from_command_line

        execute_from_command_line(["followthrough", *sys.argv[1:]])
    except ConfigError as error:
        sys.stderr.write(f"followthrough: configuration error: {error}\n")
        sys.exit(CONFIG_ERROR_EXIT)
    except KeyboardInterrupt:
        # Ctrl-C while a command is still starting (the job worker `serve` runs, say)
        # stops it without a traceback; commands that handle Ctrl-C never get here.
        sys.exit(INTERRUPTED_EXIT)


if __name__ == "__main__":
    main()
