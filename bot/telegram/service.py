"""Run the Telegram bot: load the models, connect Redis, then poll or serve the webhook.

Polling is the default (updates are processed in-process as they are fetched); webhook
mode starts when ``WEBHOOK_URL`` is set and goes through the durable intake
(``bot.intake``). SIGTERM and
SIGINT stop either mode gracefully: no new updates are taken, the ones in flight finish,
connections close.
"""

from __future__ import annotations

import asyncio
import logging
import signal
from typing import Any

from bot.config import Settings
from bot.telegram.app import build_application, require_token, run_polling
from bot.telegram.instrument import TimedEngine, TimedStore
from bot.telegram.webhook import HealthCheck, check_secret, run_webhook

log = logging.getLogger(__name__)

WEBHOOK_REDIS_BUDGET_S = 5.0


def make_health(redis: Any, engine: Any, timeout_s: float = 2.0) -> HealthCheck:
    """A health check: Redis answers a ping and the engine's models are loaded."""

    async def health() -> dict[str, Any]:
        checks: dict[str, str] = {}
        try:
            await asyncio.wait_for(redis.ping(), timeout_s)
            checks["redis"] = "ok"
        except Exception as exc:  # any failure means "not healthy", reported, not raised
            checks["redis"] = f"unavailable: {type(exc).__name__}"
        missing = [
            name for name in ("tagger", "cf_model", "encoder") if getattr(engine, name, None) is None
        ]
        checks["models"] = "ok" if engine is not None and not missing else f"missing: {missing}"
        return {"ok": all(v == "ok" for v in checks.values()), "checks": checks}

    return health


def build_dialogue(engine: Any, redis: Any, settings: Settings) -> Any:
    """The dialogue layer over ``engine`` and ``redis``, with stage timings recorded."""
    from bot.dialogue.core import Dialogue
    from bot.store import RedisStore

    store = TimedStore(RedisStore.from_settings(redis, settings))
    return Dialogue(TimedEngine(engine), store, settings)


def install_stop_signals(stop: asyncio.Event) -> None:
    """Set ``stop`` on SIGTERM or SIGINT (a second SIGINT is left to the default handler)."""
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, _on_signal, loop, sig, stop)


def _on_signal(loop: asyncio.AbstractEventLoop, sig: signal.Signals, stop: asyncio.Event) -> None:
    log.info("received %s, shutting down", sig.name)
    stop.set()
    loop.remove_signal_handler(sig)


async def serve(
    settings: Settings,
    *,
    poll_interval: float = 0.0,
    poll_timeout: int = 10,
    stop: asyncio.Event | None = None,
) -> None:
    """Run the bot until ``stop`` is set (or SIGTERM/SIGINT when ``stop`` is not given)."""
    from bot.intake import Intake
    from bot.ops.artifacts import load_engine
    from bot.ops.reload import watch_artifacts
    from bot.redis_conn import connect

    require_token(settings)
    secret = None
    if settings.webhook_url:
        secret = check_secret(
            settings.webhook_secret.get_secret_value() if settings.webhook_secret else None
        )
    if secret is not None:
        # Webhook mode: a turn that loses Redis is retried from the intake stream, so a
        # budget overrun under CPU pressure would only cost a second reply; and a hung
        # Redis stalls the intake itself (Telegram gets 503s), so a short budget buys
        # nothing here. Hence at least WEBHOOK_REDIS_BUDGET_S per call.
        budget = max(settings.redis_budget_s, WEBHOOK_REDIS_BUDGET_S)
        settings = settings.model_copy(update={"redis_budget_s": budget})
    if stop is None:
        stop = asyncio.Event()
        install_stop_signals(stop)

    log.info("loading models from %s", settings.artifacts_dir)
    engine = await asyncio.to_thread(load_engine, settings)
    redis = connect(settings)
    # Hot reload: a `recbot retrain` swaps in a new CF model without restart (bot.ops.reload).
    reloader = watch_artifacts(engine, settings)
    try:
        dialogue = build_dialogue(engine, redis, settings)
        application = build_application(settings, dialogue, webhook=secret is not None,
                                        rate_limit=settings.send_rate_limit)
        if secret is not None:
            await run_webhook(
                application,
                stop,
                public_url=settings.webhook_url,
                secret=secret,
                health=make_health(redis, engine),
                listen=settings.webhook_listen,
                port=settings.webhook_port,
                intake=Intake(redis, settings.intake_partitions, bot=require_token(settings).split(":")[0]),
                lease_s=settings.intake_lease_s,
            )
        else:
            await run_polling(application, stop, poll_interval=poll_interval, timeout=poll_timeout)
    finally:
        reloader.stop()
        await redis.aclose()
