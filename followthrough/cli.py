"""The `followthrough` command: Django's management commands under one name."""

from __future__ import annotations

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "followthrough.settings")
    from followthrough.lib.env import ConfigError

    try:
        from django.conf import settings

        settings.INSTALLED_APPS  # noqa: B018 - loads the settings, raising on bad config
    except ConfigError as error:
        sys.stderr.write(f"followthrough: configuration error: {error}\n")
        sys.exit(2)
    from django.core.management import execute_from_command_line

    execute_from_command_line(["followthrough", *sys.argv[1:]])


if __name__ == "__main__":
    main()
