"""Webhook mode (the ASGI server fed by the emulator and by hand) and `recbot serve`."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time

import httpx
import pytest

from bot.config import load_settings
from bot.intake import Intake
from bot.telegram.app import build_application
from bot.telegram.service import make_health
from bot.telegram.webhook import SECRET_HEADER, run_webhook
from tests.e2e.harness import ChatUser, Emulator

pytestmark = pytest.mark.e2e

SECRET = "e2e-webhook-secret_1"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _update(update_id: int, user_id: int, text: str) -> dict:
    user = {"id": user_id, "is_bot": False, "first_name": "Hook"}
    return {"update_id": update_id, "message": {
        "message_id": update_id, "date": int(time.time()), "from": user,
        "chat": {"id": user_id, "type": "private"}, "text": text,
        "entities": [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
        if text.startswith("/") else []}}


async def test_webhook_mode_checks_the_secret_and_reports_health(
    emulator: Emulator, bot_token: str, client: httpx.AsyncClient, real_dialogue, engine
) -> None:
    dialogue, redis = real_dialogue
    port = _free_port()
    settings = load_settings(TELEGRAM_BOT_TOKEN=bot_token, TELEGRAM_API_BASE_URL=emulator.base_url)
    application = build_application(settings, dialogue, webhook=True)
    stop = asyncio.Event()
    server = asyncio.create_task(run_webhook(
        application, stop, public_url=f"http://127.0.0.1:{port}", secret=SECRET,
        health=make_health(redis, engine), listen="127.0.0.1", port=port,
        intake=Intake(redis, 4, bot=bot_token.split(":")[0]), lease_s=2.0))
    base = f"http://127.0.0.1:{port}"
    try:
        async with httpx.AsyncClient(base_url=base, timeout=10) as hook:
            for _ in range(200):
                try:
                    health = await hook.get("/healthz")
                    break
                except httpx.ConnectError:
                    assert not server.done(), server.exception()
                    await asyncio.sleep(0.05)
            assert health.status_code == 200
            assert health.json() == {"ok": True, "checks": {"redis": "ok", "models": "ok"}}

            # Through the emulator: it delivers to the registered webhook with the secret.
            user = ChatUser(client, bot_token, user_id=31337)
            await user.command("/help")
            assert (await user.reply()).text

            # By hand: right secret, wrong secret, no secret.
            right = await hook.post("/telegram", json=_update(90001, 31338, "/start"),
                                    headers={SECRET_HEADER: SECRET})
            wrong = await hook.post("/telegram", json=_update(90002, 31339, "/start"),
                                    headers={SECRET_HEADER: "not-the-secret"})
            none = await hook.post("/telegram", json=_update(90003, 31339, "/start"))
            assert (right.status_code, wrong.status_code, none.status_code) == (200, 403, 403)
            assert (await ChatUser(client, bot_token, user_id=31338).reply()).text
            await ChatUser(client, bot_token, user_id=31339).no_reply(0.5)

            metrics = await hook.get("/metrics")
            assert metrics.status_code == 200
            assert 'recbot_updates_total{kind="command"}' in metrics.text
    finally:
        stop.set()
        await asyncio.wait_for(server, 30)


def test_recbot_serve_polls_hides_the_token_and_stops_on_sigterm(
    emulator: Emulator, bot_token: str, prepared_home, redis_url
) -> None:
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": bot_token,
        "TELEGRAM_API_BASE_URL": emulator.base_url,
        "RECBOT_HOME": str(prepared_home.home),
        "REDIS_URL": redis_url,
        "WEBHOOK_URL": "",
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "serve", "--poll-interval", "0.1", "--poll-timeout", "0"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        async def converse() -> str:
            async with httpx.AsyncClient(base_url=emulator.url, timeout=10) as http:
                user = ChatUser(http, bot_token, user_id=777)
                await user.command("/start")
                return (await user.reply(timeout=90)).text

        assert asyncio.run(converse())
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 0, err[-2000:]
    assert "stopped polling" in err
    secret_part = bot_token.split(":", 1)[1]
    assert secret_part not in err and secret_part not in out
