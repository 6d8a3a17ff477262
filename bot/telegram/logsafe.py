"""Keep secrets out of the logs.

The bot token is part of every Bot API URL (``.../bot<token>/sendMessage``): httpx logs
those URLs at INFO and some exceptions carry them. ``protect_logs`` silences httpx's
request logging and installs a filter on the root handlers that replaces each secret
by ``***`` in every record, including formatted tracebacks.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

REDACTED = "***"


class RedactingFilter(logging.Filter):
    """Replace every occurrence of the given secrets in a record's message and traceback."""

    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        self.secrets = [s for s in secrets if s]

    def _redact(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, REDACTED)
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = self._redact(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self._redact(record.exc_text)
        return True


def protect_logs(*secrets: str | None) -> RedactingFilter:
    """Silence URL-logging libraries and redact ``secrets`` on every root handler."""
    for name in ("httpx", "httpcore"):
        logging.getLogger(name).setLevel(logging.WARNING)
    redactor = RedactingFilter(s for s in secrets if s)
    root = logging.getLogger()
    if not root.handlers:
        logging.basicConfig(level=logging.INFO)
    for handler in root.handlers:
        handler.addFilter(redactor)
    return redactor
