"""Webhook mode: the bot's own ASGI server (Starlette + uvicorn), as in PTB's custom
webhook example.

Routes:
- ``POST /telegram``: one update from Telegram, checked in this order: the
  ``X-Telegram-Bot-Api-Secret-Token`` header must equal ``WEBHOOK_SECRET`` (constant-time
  compare) else 403; a body over 1 MB is 413; a body that is not an update object (not
  JSON, wrong shape, too deep) is 400. A valid update is appended to the durable intake
  stream (``bot.intake``) before the answer 200; a resent ``update_id`` is answered 200
  and dropped. If Redis cannot take it within 3 s the answer is 503 and Telegram
  delivers it again later. No malformed body gets a 5xx.
- ``GET /healthz``: readiness. 200 with JSON when Redis answers a ping and the models are
  loaded, 503 with the failing checks otherwise.
- ``GET /livez``: liveness. 200 while the process serves HTTP, whatever Redis does (a
  Redis outage must not restart every replica).
- ``GET /metrics``: Prometheus text format (``bot.ops.prometheus``).

Updates are processed by ``bot.intake.IntakeConsumer`` on every replica: each entry goes
through the application's handlers (``process_update``) and is acknowledged after the
handlers returned, i.e. after the reply was sent and the state written. A transient
Bot API failure (timeout, network, flood control) leaves it to be retried.
Several replicas can run behind a load balancer: they share no state but Redis.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import hmac
import json
import logging
import re
import socket
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

import uvicorn
from redis.exceptions import RedisError
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from telegram import Update
from telegram.error import BadRequest, NetworkError, RetryAfter
from telegram.ext import Application

from bot.errors import RecbotError
from bot.intake import Intake, IntakeConsumer, Processor
from bot.ops.prometheus import exposition
from bot.redis_budget import redis_failures
from bot.telegram.menu import ALLOWED_UPDATES

log = logging.getLogger(__name__)

WEBHOOK_PATH = "/telegram"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
_SECRET_SHAPE = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
MAX_BODY_BYTES = 1 << 20  # Telegram's updates are far smaller; anything bigger is refused
MAX_UPDATE_ID = 2**63 - 1
INTAKE_BUDGET_S = 3.0  # then 503: Telegram delivers again; generous, a 503 costs a redelivery
# Update fields whose value, when present, must be an object for PTB to parse it.
_OBJECT_FIELDS = ("message", "edited_message", "channel_post", "edited_channel_post",
                  "callback_query", "inline_query", "my_chat_member", "chat_member")

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


def _refusal(status: int, error: str) -> Response:
    return JSONResponse({"ok": False, "error": error}, status_code=status)


async def read_body(request: Request, limit: int = MAX_BODY_BYTES) -> bytes | None:
    """The request body, or ``None`` as soon as it is known to exceed ``limit`` bytes."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        return None
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


def parse_update(body: bytes, bot: Any) -> tuple[Update, int] | str:
    """``(update, routing user id)`` of a webhook body, or why it is not an update.

    Never raises: malformed JSON, huge integers, nesting too deep for the parser, a
    non-object, a missing or odd ``update_id``, a known field that is not an object, or
    anything PTB cannot turn into an ``Update`` is an error string (HTTP 400).
    """
    try:
        payload = json.loads(body)
    except (ValueError, RecursionError, UnicodeDecodeError):
        return "body is not JSON"
    if not isinstance(payload, dict):
        return "body is not an update object"
    update_id = payload.get("update_id")
    if not isinstance(update_id, int) or isinstance(update_id, bool) or not 0 <= update_id <= MAX_UPDATE_ID:
        return "update_id must be a non-negative integer"
    if any(name in payload and not isinstance(payload[name], dict) for name in _OBJECT_FIELDS):
        return "an update field that must be an object is not"
    try:
        update = Update.de_json(payload, bot)
    except (Exception, RecursionError):  # PTB raises KeyError/TypeError/ValueError/... on odd shapes
        return "body is not an update PTB can read"
    if update is None:
        return "body is not an update object"
    user = update.effective_user or update.effective_chat
    return update, int(user.id) if user is not None else 0


def build_asgi_app(
    application: Application, *, secret: str, health: HealthCheck, intake: Intake
) -> Starlette:
    """The ASGI app that queues updates posted by Telegram on ``intake`` (module docstring)."""
    expected = secret.encode()

    async def telegram(request: Request) -> Response:
        given = request.headers.get(SECRET_HEADER, "").encode()
        if not hmac.compare_digest(given, expected):
            return _refusal(403, "forbidden")
        body = await read_body(request)
        if body is None:
            return _refusal(413, f"body over {MAX_BODY_BYTES} bytes")
        parsed = parse_update(body, application.bot)
        if isinstance(parsed, str):
            return _refusal(400, parsed)
        update, user_id = parsed
        try:
            async with asyncio.timeout(INTAKE_BUDGET_S):
                await intake.submit(update.update_id, user_id, body)
        except (RedisError, OSError, TimeoutError) as exc:
            # Not acknowledged: Telegram keeps the update and delivers it again.
            log.warning("could not queue update %s: %s", update.update_id, exc)
            return _refusal(503, "try again later")
        return JSONResponse({"ok": True})

    async def healthz(_request: Request) -> Response:
        report = await health()
        return JSONResponse(report, status_code=200 if report.get("ok") else 503)

    async def livez(_request: Request) -> Response:
        return JSONResponse({"ok": True})

    async def metrics(_request: Request) -> Response:
        body, content_type = exposition()
        return Response(body, headers={"Content-Type": content_type})

    return Starlette(
        routes=[
            Route(WEBHOOK_PATH, telegram, methods=["POST"]),
            Route("/healthz", healthz, methods=["GET"]),
            Route("/livez", livez, methods=["GET"]),
            Route("/metrics", metrics, methods=["GET"]),
        ]
    )


_attempt: contextvars.ContextVar[dict[str, bool] | None] = contextvars.ContextVar(
    "recbot_update_attempt", default=None
)


def is_transient(error: BaseException | None) -> bool:
    """A Bot API failure worth retrying: timeouts, network trouble, flood control."""
    if isinstance(error, RetryAfter):
        return True
    return isinstance(error, NetworkError) and not isinstance(error, BadRequest)


def update_processor(application: Application) -> Processor:
    """``process(raw) -> done?`` for ``IntakeConsumer``: run the update through the
    application's handlers; False (retry) when a handler failed transiently or a store
    call lost Redis (the user got the polite "try again", the state was not written)."""

    async def note_failure(_update: object, context: Any) -> None:
        holder = _attempt.get()
        if holder is not None and is_transient(context.error):
            holder["retry"] = True

    application.add_error_handler(note_failure)

    async def process(raw: bytes) -> bool:
        try:
            update = Update.de_json(json.loads(raw), application.bot)
        except Exception:  # checked at intake; a foreign entry must not block the stream
            log.error("intake: dropping an entry that is not an update")
            return True
        holder = {"retry": False}
        token = _attempt.set(holder)
        try:
            with redis_failures() as failures:
                await application.process_update(update)
        finally:
            _attempt.reset(token)
        return not holder["retry"] and not failures

    return process


def uvicorn_config(asgi: Starlette, listen: str, port: int) -> uvicorn.Config:
    """uvicorn without logging handlers of its own: its records propagate to the root
    handlers, where ``bot.telegram.logsafe`` redacts the token and the secret."""
    return uvicorn.Config(
        asgi, host=listen, port=port, log_level="warning", log_config=None,
        use_colors=False, access_log=False,
    )  # fmt: skip


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
    intake: Intake,
    lease_s: float = 10.0,
) -> None:
    """Serve the ASGI app and consume the intake until ``stop`` is set; registers the
    webhook when ``public_url``.

    On stop the server stops accepting requests, the updates in flight finish and are
    acknowledged, the partitions are handed back (another replica goes on at once), then
    the application shuts down. The webhook stays registered so Telegram queues updates
    for the next start.
    """
    asgi = build_asgi_app(application, secret=secret, health=health, intake=intake)
    server = _Server(uvicorn_config(asgi, listen, port))
    sock = _listen_socket(listen, port)
    consumer = IntakeConsumer(intake, update_processor(application), lease_s=lease_s)
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
        consumer_stop = asyncio.Event()
        consuming = asyncio.create_task(consumer.run(consumer_stop))
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
            consumer_stop.set()
            await consuming
            await application.stop()
    log.info("webhook server stopped")
