"""Webhook mode: the bot's own ASGI server (Starlette + uvicorn), as in PTB's custom
webhook example.

Routes:
- ``POST /telegram``: one update from Telegram. The ``X-Telegram-Bot-Api-Secret-Token``
  header must equal ``WEBHOOK_SECRET`` (compared in constant time) on every request,
  else 403. The update goes on the application's queue and is processed concurrently.
- ``GET /healthz``: 200 with JSON when Redis answers a ping and the models are loaded,
  503 with the failing checks otherwise.
- ``GET /metrics``: Prometheus text format (``bot.ops.prometheus``).

Several replicas can run behind a load balancer: they share no state but Redis.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import logging
import re
import socket
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from telegram import Update
from telegram.ext import Application

from bot.errors import RecbotError
from bot.ops.prometheus import exposition
from bot.telegram.menu import ALLOWED_UPDATES

log = logging.getLogger(__name__)

WEBHOOK_PATH = "/telegram"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
_SECRET_SHAPE = re.compile(r"^[A-Za-z0-9_-]{1,256}$")

HealthCheck = Callable[[], Awaitable[dict[str, Any]]]


def check_secret(secret: str | None) -> str:
    """The webhook secret, or ``RecbotError`` when it is missing or has a shape Telegram refuses."""
    if not secret:
        raise RecbotError(
            "WEBHOOK_URL is set but WEBHOOK_SECRET is not: set WEBHOOK_SECRET to a random string "
            "of 1-256 letters, digits, '_' or '-' (e.g. `openssl rand -hex 32`)"
        )
    if not _SECRET_SHAPE.match(secret):
        raise RecbotError(
            "WEBHOOK_SECRET may only contain letters, digits, '_' and '-' (1-256 characters); "
            "generate one with `openssl rand -hex 32`"
        )
    return secret


def webhook_endpoint(public_url: str) -> str:
    """The URL to register with Telegram: ``WEBHOOK_URL`` itself if it already ends in
    ``/telegram``, else ``WEBHOOK_URL`` + ``/telegram``."""
    url = public_url.rstrip("/")
    return url if url.endswith(WEBHOOK_PATH) else url + WEBHOOK_PATH


def build_asgi_app(application: Application, *, secret: str, health: HealthCheck) -> Starlette:
    """The ASGI app that feeds ``application`` with updates posted by Telegram."""
    expected = secret.encode()

    async def telegram(request: Request) -> Response:
        given = request.headers.get(SECRET_HEADER, "").encode()
        if not hmac.compare_digest(given, expected):
            return JSONResponse({"ok": False, "error": "forbidden"}, status_code=403)
        try:
            payload = await request.json()
            update = Update.de_json(payload, application.bot)
        except (json.JSONDecodeError, UnicodeDecodeError, TypeError, ValueError, KeyError):
            return JSONResponse({"ok": False, "error": "not an update"}, status_code=400)
        if update is None:
            return JSONResponse({"ok": False, "error": "not an update"}, status_code=400)
        await application.update_queue.put(update)
        return JSONResponse({"ok": True})

    async def healthz(_request: Request) -> Response:
        report = await health()
        return JSONResponse(report, status_code=200 if report.get("ok") else 503)

    async def metrics(_request: Request) -> Response:
        body, content_type = exposition()
        return Response(body, headers={"Content-Type": content_type})

    return Starlette(
        routes=[
            Route(WEBHOOK_PATH, telegram, methods=["POST"]),
            Route("/healthz", healthz, methods=["GET"]),
            Route("/metrics", metrics, methods=["GET"]),
        ]
    )


def _listen_socket(host: str, port: int) -> socket.socket:
    """A bound socket for uvicorn, so a taken port is a clear error and not an exit."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise RecbotError(
            f"cannot listen on {host}:{port} ({exc.strerror}); free the port or set "
            "RECBOT_WEBHOOK_PORT / RECBOT_WEBHOOK_LISTEN"
        ) from None
    return sock


class _Server(uvicorn.Server):
    """uvicorn without its own signal handling: the caller owns SIGTERM/SIGINT."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


async def run_webhook(
    application: Application,
    stop: asyncio.Event,
    *,
    public_url: str | None,
    secret: str,
    health: HealthCheck,
    listen: str,
    port: int,
) -> None:
    """Serve the ASGI app until ``stop`` is set; registers the webhook when ``public_url``.

    On stop the server stops accepting requests, in-flight updates finish, then the
    application shuts down. The webhook stays registered so Telegram queues updates
    for the next start.
    """
    asgi = build_asgi_app(application, secret=secret, health=health)
    config = uvicorn.Config(asgi, host=listen, port=port, log_level="warning", use_colors=False)
    server = _Server(config)
    sock = _listen_socket(listen, port)
    async with application:
        if application.post_init is not None:
            await application.post_init(application)
        if public_url:
            await application.bot.set_webhook(
                url=webhook_endpoint(public_url),
                secret_token=secret,
                allowed_updates=ALLOWED_UPDATES,
            )
        await application.start()
        serving = asyncio.create_task(server.serve(sockets=[sock]))
        stopping = asyncio.create_task(stop.wait())
        log.info("webhook server listening on %s:%s", listen, port)
        try:
            done, _ = await asyncio.wait({serving, stopping}, return_when=asyncio.FIRST_COMPLETED)
            if serving in done:
                serving.result()  # a server that could not start (port taken) raises here
        finally:
            stopping.cancel()
            server.should_exit = True
            with contextlib.suppress(asyncio.CancelledError):
                await serving
            await application.stop()
    log.info("webhook server stopped")
