"""The webhook ASGI app: secret, size and shape checks on every update (never a 5xx for a
malformed body), the durable intake stream behind it, health, liveness, metrics, uvicorn
logging; serve's config errors. Redis: the real local server (the "telegram" database)."""

from __future__ import annotations

import json
import time

import httpx
import pytest

from bot.config import load_settings
from bot.errors import RecbotError
from bot.intake import Intake, stream_key
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
async def intake(redis_url):
    import redis.asyncio as aioredis

    client = aioredis.Redis.from_url(redis_url)
    yield Intake(client, partitions=4)
    await client.flushdb()
    await client.aclose()


async def _queued(intake: Intake) -> list[dict]:
    entries = []
    for p in range(intake.partitions):
        entries += [json.loads(fields[b"d"]) for _, fields in await intake.redis.xrange(stream_key(p))]
    return entries


@pytest.fixture
def app_and_queue(intake):
    settings = load_settings(TELEGRAM_BOT_TOKEN="1:abc")
    application = build_application(settings, _NoDialogue(), webhook=True)
    healthy = {"ok": True}

    async def health():
        return {"ok": healthy["ok"], "checks": {"redis": "ok" if healthy["ok"] else "down"}}

    asgi = build_asgi_app(application, secret=SECRET, health=health, intake=intake)
    return asgi, intake, healthy


def _client(asgi) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=asgi), base_url="http://t")


async def test_updates_need_the_right_secret(app_and_queue) -> None:
    asgi, intake, _ = app_and_queue
    async with _client(asgi) as c:
        ok = await c.post("/telegram", json=_update(1), headers={SECRET_HEADER: SECRET})
        wrong = await c.post("/telegram", json=_update(2), headers={SECRET_HEADER: SECRET + "x"})
        missing = await c.post("/telegram", json=_update(3))
        garbage = await c.post("/telegram", content=b"{not json", headers={SECRET_HEADER: SECRET})
    assert (ok.status_code, wrong.status_code, missing.status_code) == (200, 403, 403)
    assert garbage.status_code == 400
    assert [u["update_id"] for u in await _queued(intake)] == [1]


MALFORMED = {
    "number": b"42",
    "string": b'"x"',
    "array": b"[1,2]",
    "null": b"null",
    "true": b"true",
    "message is a string": b'{"update_id":5,"message":"hello"}',
    "empty message": b'{"update_id":6,"message":{}}',
    "no update_id": b'{"message":{"message_id":1}}',
    "update_id a string": b'{"update_id":"7"}',
    "update_id huge": b'{"update_id":' + b"9" * 5000 + b"}",
    "100,000-deep array": b"[" * 100_000 + b"]" * 100_000,
    "not utf-8": b"\xff\xfe{",
    "empty": b"",
}


async def test_malformed_bodies_get_400_or_413_never_5xx(app_and_queue) -> None:
    asgi, intake, _ = app_and_queue
    statuses = {}
    async with _client(asgi) as c:
        for name, body in MALFORMED.items():
            statuses[name] = (await c.post("/telegram", content=body, headers={SECRET_HEADER: SECRET})).status_code
        huge = b"[" + b"1," * (5 * 1024 * 1024) + b"1]"  # a 10 MB array
        statuses["10 MB array"] = (await c.post("/telegram", content=huge, headers={SECRET_HEADER: SECRET})).status_code
        big = _update(8)
        big["message"]["text"] = "x" * (2 * 1024 * 1024)  # a 2 MB update
        statuses["2 MB update"] = (await c.post("/telegram", json=big, headers={SECRET_HEADER: SECRET})).status_code
        forbidden = (await c.post("/telegram", content=b"42", headers={SECRET_HEADER: "nope"})).status_code
    assert {k: v for k, v in statuses.items() if v != 400} == {"10 MB array": 413, "2 MB update": 413}
    assert forbidden == 403  # the secret is checked first
    assert await _queued(intake) == []


async def test_a_resent_update_is_queued_once(app_and_queue) -> None:
    asgi, intake, _ = app_and_queue
    async with _client(asgi) as c:
        answers = [(await c.post("/telegram", json=_update(11), headers={SECRET_HEADER: SECRET})).status_code
                   for _ in range(3)]
    assert answers == [200, 200, 200]
    assert [u["update_id"] for u in await _queued(intake)] == [11]


async def test_redis_down_is_503_so_telegram_delivers_again(tmp_path) -> None:
    import redis.asyncio as aioredis

    from tests.redis_server import free_port

    settings = load_settings(TELEGRAM_BOT_TOKEN="1:abc")
    application = build_application(settings, _NoDialogue(), webhook=True)
    dead = aioredis.Redis(host="127.0.0.1", port=free_port(), socket_connect_timeout=0.5)

    async def health():
        return {"ok": False}

    asgi = build_asgi_app(application, secret=SECRET, health=health, intake=Intake(dead, 2))
    async with _client(asgi) as c:
        down = await c.post("/telegram", json=_update(1), headers={SECRET_HEADER: SECRET})
        live = await c.get("/livez")
        ready = await c.get("/healthz")
    await dead.aclose()
    assert (down.status_code, live.status_code, ready.status_code) == (503, 200, 503)


def test_uvicorn_logs_go_through_the_redacting_root_handlers(app_and_queue) -> None:
    import io
    import logging

    from bot.telegram.logsafe import protect_logs
    from bot.telegram.webhook import uvicorn_config

    asgi, _, _ = app_and_queue
    root = logging.getLogger()
    sink = io.StringIO()
    handler = logging.StreamHandler(sink)
    root.addHandler(handler)
    redactor = protect_logs("1:abc", SECRET)
    try:
        uvicorn_config(asgi, "127.0.0.1", 0).load()
        for name in ("uvicorn", "uvicorn.error"):
            assert logging.getLogger(name).handlers == [] and logging.getLogger(name).propagate
        assert logging.getLogger("uvicorn.access").handlers == []  # access lines are off
        logging.getLogger("uvicorn.error").error("bad request to /bot1:abc/x with %s", SECRET)
    finally:
        for h in root.handlers:
            h.removeFilter(redactor)
        root.removeHandler(handler)
    assert "1:abc" not in sink.getvalue() and SECRET not in sink.getvalue()
    assert "***" in sink.getvalue()


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


async def test_a_taken_port_is_a_clear_error(intake) -> None:
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
                              health=health, listen="127.0.0.1", port=port, intake=intake)
