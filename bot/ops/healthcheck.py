"""``python -m bot.ops.healthcheck``: exit 0 when this container's bot is healthy, 1 if not.

The container HEALTHCHECK (deploy/Dockerfile, deploy/compose.yaml). In webhook mode
(``WEBHOOK_URL`` set) it asks the bot's own ``GET /healthz`` (Redis answers and the
models are loaded). In polling mode the bot serves no HTTP, so it checks the same two
things from outside: Redis answers a ping and the artifacts manifest is readable.
"""

from __future__ import annotations

import logging
import sys
import urllib.request

from bot.config import Settings, load_settings

TIMEOUT_S = 4.0

log = logging.getLogger(__name__)


def webhook_healthy(settings: Settings) -> bool:
    url = f"http://127.0.0.1:{settings.webhook_port}/healthz"
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT_S) as response:
            return response.status == 200
    except OSError as exc:
        log.warning("%s: %s", url, exc)
        return False


def polling_healthy(settings: Settings) -> bool:
    import redis

    from bot.ops.artifacts import ArtifactStore

    try:
        if ArtifactStore(settings).current_manifest() is None:
            log.warning("no manifest under %s", settings.artifacts_dir)
            return False
    except Exception as exc:  # unreadable manifest
        log.warning("%s", exc)
        return False
    if not settings.redis_url:
        return True  # embedded Redis lives inside the bot process
    password = settings.redis_password.get_secret_value() if settings.redis_password else None
    client = redis.Redis.from_url(settings.redis_url, socket_timeout=TIMEOUT_S,
                                  socket_connect_timeout=TIMEOUT_S, password=password)
    try:
        return bool(client.ping())
    except redis.RedisError as exc:
        log.warning("Redis: %s", exc)
        return False
    finally:
        client.close()


def main() -> int:
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    settings = load_settings()
    ok = webhook_healthy(settings) if settings.webhook_url else polling_healthy(settings)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
