"""Log filters: refusals are routine, server errors are not.

Django logs a PermissionDenied on `django.request` at warning level with the
whole traceback; every 403 filled the log with stack frames that say nothing
(the refusal is the access rules working). This filter keeps the one-line
message of any response below 500 and drops its traceback; 500s keep theirs.
"""

from __future__ import annotations

import logging


class RefusalsWithoutTraceback(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if status is not None and status < 500:
            record.exc_info = None
            record.exc_text = None
        return True
