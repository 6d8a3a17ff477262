"""The bot token never reaches the logs."""

from __future__ import annotations

import io
import logging

from bot.telegram.logsafe import RedactingFilter, protect_logs

TOKEN = "123456:ABC-secret-token"


def _capture(filter_: RedactingFilter) -> tuple[logging.Logger, io.StringIO]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(filter_)
    logger = logging.getLogger("test.logsafe")
    logger.handlers = [handler]
    logger.propagate = False
    logger.setLevel(logging.DEBUG)
    return logger, stream


def test_token_is_redacted_in_messages_arguments_and_tracebacks() -> None:
    logger, stream = _capture(RedactingFilter([TOKEN]))
    logger.info("POST https://api.telegram.org/bot%s/getUpdates", TOKEN)
    try:
        raise ConnectionError(f"cannot reach https://api.telegram.org/bot{TOKEN}/getMe")
    except ConnectionError:
        logger.exception("network down")
    out = stream.getvalue()
    assert TOKEN not in out
    assert "bot***/getUpdates" in out and "bot***/getMe" in out and "network down" in out


def test_protect_logs_silences_httpx_request_lines() -> None:
    root = logging.getLogger()
    before = list(root.handlers)
    try:
        protect_logs(TOKEN, None)
        assert not logging.getLogger("httpx").isEnabledFor(logging.INFO)
        assert all(any(isinstance(f, RedactingFilter) for f in h.filters) for h in root.handlers)
    finally:
        for handler in root.handlers:
            handler.filters = [f for f in handler.filters if not isinstance(f, RedactingFilter)]
        root.handlers = before
