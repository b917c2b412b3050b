"""Logging pieces named in settings.LOGGING."""

import logging


class RefusalsAtInfo(logging.Filter):
    """On `django.request`: Django logs every 403 as a WARNING, with the full traceback of the
    PermissionDenied behind it. A refusal is the permission rules doing their job, not a fault:
    it becomes one INFO line — method, path, the member's id (or "-" for a visitor) and the
    reason — without a traceback. Every other record (a 500 and its traceback) passes untouched."""

    def filter(self, record):
        if getattr(record, "status_code", None) != 403:
            return True
        request = getattr(record, "request", None)
        user = getattr(request, "user", None)
        user_id = user.pk if user is not None and user.is_authenticated else None
        exception = record.exc_info[1] if record.exc_info else None
        record.levelno, record.levelname = logging.INFO, logging.getLevelName(logging.INFO)
        record.msg = "Refused %s %s (user %s): %s"
        record.args = (getattr(request, "method", "?"), getattr(request, "path", "?"),
                       user_id if user_id is not None else "-", str(exception or "") or "no reason given")
        record.exc_info = record.exc_text = None
        return True
