"""Configuration from the environment (docs/design.md, "Environment"), validated once at start-up.

This is the only module that reads environment variables. Everything else receives a
``Settings`` instance (or the plain values it needs) as an argument.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from recommender.errors import RecbotError

DEFAULT_API_BASE_URL = "https://api.telegram.org/bot"


def _default_home() -> Path:
    return Path.home() / ".local" / "share" / "recbot"


class Settings(BaseSettings):
    """Every knob recbot reads from the environment, with its default.

    Unprefixed names are the public ones of docs/design.md; the ``RECBOT_`` ones are
    tuning knobs.
    """

    model_config = SettingsConfigDict(env_prefix="", extra="ignore", populate_by_name=True)

    telegram_bot_token: SecretStr | None = Field(default=None, alias="TELEGRAM_BOT_TOKEN")
    redis_url: str | None = Field(default=None, alias="REDIS_URL")
    # Kept apart from REDIS_URL so the URL can live in a ConfigMap, the password in a Secret.
    redis_password: SecretStr | None = Field(default=None, alias="REDIS_PASSWORD")
    home: Path = Field(default_factory=_default_home, alias="RECBOT_HOME")
    data: Path | None = Field(default=None, alias="RECBOT_DATA")
    tagger_data: Path | None = Field(default=None, alias="RECBOT_TAGGER_DATA")
    backbone: Path | None = Field(default=None, alias="RECBOT_BACKBONE")
    telegram_api_base_url: str = Field(default=DEFAULT_API_BASE_URL, alias="TELEGRAM_API_BASE_URL")
    webhook_url: str | None = Field(default=None, alias="WEBHOOK_URL")
    webhook_secret: SecretStr | None = Field(default=None, alias="WEBHOOK_SECRET")
    webhook_listen: str = Field(default="0.0.0.0", alias="RECBOT_WEBHOOK_LISTEN")
    webhook_port: int = Field(default=8080, ge=1, le=65535, alias="RECBOT_WEBHOOK_PORT")

    alpha: float | None = Field(default=None, ge=0.0, le=1.0, alias="RECBOT_ALPHA")
    top_k: int = Field(default=5, ge=1, le=10, alias="RECBOT_TOP_K")
    session_ttl_s: int = Field(default=24 * 3600, ge=60, alias="RECBOT_SESSION_TTL")
    quantize: bool = Field(default=True, alias="RECBOT_QUANTIZE")
    jit: bool = Field(default=True, alias="RECBOT_JIT")
    rate_limit_per_min: int = Field(default=30, ge=1, alias="RECBOT_RATE_LIMIT")
    # Outgoing messages through PTB's AIORateLimiter (Telegram's ~30 messages/s per bot).
    # Off only to measure the bot's own capacity (bench/telegram_bench.py --no-send-limit)
    # against a server without that limit: api.telegram.org answers 429 beyond it.
    send_rate_limit: bool = Field(default=True, alias="RECBOT_SEND_RATE_LIMIT")
    debug: bool = Field(default=False, alias="RECBOT_DEBUG")

    # Redis Cluster: REDIS_URL names any node; redis-py's asyncio cluster client is used.
    redis_cluster: bool = Field(default=False, alias="RECBOT_REDIS_CLUSTER")
    # Every Redis call (one command or one MULTI/EXEC) must finish within this budget, so
    # a hung Redis gets the polite "try again" reply instead of a stalled chat.
    redis_budget_s: float = Field(default=1.0, gt=0.0, le=30.0, alias="RECBOT_REDIS_BUDGET_S")
    # Webhook intake (bot.intake): the stream is split into this many partitions, each
    # processed by one replica at a time; a dead replica's partitions (and the updates
    # pending there) are taken over once its lease of this many seconds runs out.
    intake_partitions: int = Field(default=8, ge=1, le=256, alias="RECBOT_INTAKE_PARTITIONS")
    intake_lease_s: float = Field(default=10.0, ge=0.5, le=600.0, alias="RECBOT_INTAKE_LEASE_S")
    # Optional global feedback stream (recbot:events) for offline analysis: enabled when
    # a key is set. Users appear in it only as HMAC-SHA256(key, user id); the key is never
    # written to Redis, and /forget deletes the user's entries.
    event_stream_key: SecretStr | None = Field(default=None, alias="RECBOT_EVENT_STREAM_KEY")

    @field_validator(
        "telegram_bot_token", "webhook_secret", "redis_url", "webhook_url",
        "data", "tagger_data", "backbone", "event_stream_key", "redis_password", mode="before",
    )
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        # `FOO=` in a compose file means "not set", not "the empty string".
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("telegram_bot_token")
    @classmethod
    def _token_shape(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and ":" not in value.get_secret_value():
            raise ValueError("does not look like a bot token (expected '<digits>:<secret>' from @BotFather)")
        return value

    @cached_property
    def artifacts_dir(self) -> Path:
        return self.home / "artifacts"

    @cached_property
    def redis_dir(self) -> Path:
        return self.home / "redis"


def load_settings(**overrides: object) -> Settings:
    """Read the environment; raise ``RecbotError`` naming every bad variable."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors()
        )
        raise RecbotError(f"invalid configuration ({problems}); fix the environment variable(s) and retry") from None
