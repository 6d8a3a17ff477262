"""The webhook ASGI app: secret check on every update, health, metrics; serve's config errors."""

from __future__ import annotations

import time

import httpx
import pytest

from bot.config import load_settings
from bot.errors import RecbotError
from bot.ops.prometheus import STAGE_SECONDS, stage
from bot.telegram.app import build_application
from bot.telegram.webhook import (
    SECRET_HEADER,
    build_asgi_app,
    check_secret,
    webhook_endpoint,
)

SECRET = "s3cret_value-1"


class _NoDialogue:
    async def handle_text(self, user_id, text, language_code=None):  # pragma: no cover - never reached
        raise AssertionError

    handle_action = handle_command = handle_text


def _update(update_id: int = 1) -> dict:
    user = {"id": 7, "is_bot": False, "first_name": "A"}
    return {"update_id": update_id, "message": {
        "message_id": 1, "date": int(time.time()), "chat": {"id": 7, "type": "private"},
        "from": user, "text": "hello"}}


@pytest.fixture
def app_and_queue():
    settings = load_settings(TELEGRAM_BOT_TOKEN="1:abc")
    application = build_application(settings, _NoDialogue(), webhook=True)
    healthy = {"ok": True}

    async def health():
        return {"ok": healthy["ok"], "checks": {"redis": "ok" if healthy["ok"] else "down"}}

    asgi = build_asgi_app(application, secret=SECRET, health=health)
    return asgi, application.update_queue, healthy


async def test_updates_need_the_right_secret(app_and_queue) -> None:
    asgi, queue, _ = app_and_queue
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=asgi), base_url="http://t") as c:
        ok = await c.post("/telegram", json=_update(1), headers={SECRET_HEADER: SECRET})
        wrong = await c.post("/telegram", json=_update(2), headers={SECRET_HEADER: SECRET + "x"})
        missing = await c.post("/telegram", json=_update(3))
        garbage = await c.post("/telegram", content=b"{not json", headers={SECRET_HEADER: SECRET})
    assert (ok.status_code, wrong.status_code, missing.status_code) == (200, 403, 403)
    assert garbage.status_code == 400
    assert queue.qsize() == 1
    assert (await queue.get()).update_id == 1


async def test_healthz_and_metrics(app_and_queue) -> None:
    asgi, _, healthy = app_and_queue
    with stage("tagger"):
        pass
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=asgi), base_url="http://t") as c:
        up = await c.get("/healthz")
        healthy["ok"] = False
        down = await c.get("/healthz")
        metrics = await c.get("/metrics")
    assert up.status_code == 200 and up.json()["ok"] is True
    assert down.status_code == 503 and down.json()["checks"]["redis"] == "down"
    assert metrics.status_code == 200
    assert metrics.headers["content-type"].startswith("text/plain")
    assert 'recbot_stage_seconds_count{stage="tagger"}' in metrics.text
    assert "recbot_updates_total" in metrics.text and "recbot_errors_total" in metrics.text


def test_stage_records_even_when_the_block_raises() -> None:
    before = STAGE_SECONDS.labels(stage="redis")._sum.get()
    with pytest.raises(ValueError), stage("redis"):
        time.sleep(0.01)
        raise ValueError
    assert STAGE_SECONDS.labels(stage="redis")._sum.get() > before


def test_webhook_configuration_errors_say_what_to_do() -> None:
    with pytest.raises(RecbotError, match="WEBHOOK_SECRET"):
        check_secret(None)
    with pytest.raises(RecbotError, match="letters, digits"):
        check_secret("has spaces!")
    assert check_secret(SECRET) == SECRET
    assert webhook_endpoint("https://bot.example.com/") == "https://bot.example.com/telegram"
    assert webhook_endpoint("https://x.org/telegram") == "https://x.org/telegram"


def test_serve_without_token_points_to_recbot_chat(monkeypatch) -> None:
    import argparse

    from bot.cli import CommandTree
    from bot.subcommands import serve

    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    parser = argparse.ArgumentParser(prog="recbot")
    serve.register(CommandTree(parser))
    args = parser.parse_args(["serve"])
    with pytest.raises(RecbotError) as err:
        args.func(args)
    assert "TELEGRAM_BOT_TOKEN" in str(err.value) and "recbot chat" in str(err.value)


async def test_a_taken_port_is_a_clear_error(app_and_queue) -> None:
    import asyncio
    import socket

    from bot.telegram.webhook import run_webhook

    settings = load_settings(TELEGRAM_BOT_TOKEN="1:abc")
    application = build_application(settings, _NoDialogue(), webhook=True)

    async def health():
        return {"ok": True}

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(RecbotError, match="RECBOT_WEBHOOK_PORT"):
            await run_webhook(application, asyncio.Event(), public_url=None, secret=SECRET,
                              health=health, listen="127.0.0.1", port=port)
