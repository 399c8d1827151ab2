"""Settings come from the environment once, in main(), and are passed down."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from coachbot.sharding import Sharding

CHECKOUT_KNOWLEDGE = Path(__file__).resolve().parent.parent / "knowledge"


def bundled_knowledge(package: Traversable | None = None) -> Path:
    """The knowledge base that ships with CoachBot. A wheel carries the repository's knowledge/
    folder inside the package as coachbot/_knowledge (pyproject.toml maps it there), so an
    install works from any folder; an editable install or a source checkout has no such copy
    and reads knowledge/ beside the package."""
    inside = (package or resources.files(__package__)) / "_knowledge"
    if isinstance(inside, Path) and (inside / "topics").is_dir():
        return inside
    return CHECKOUT_KNOWLEDGE


BUNDLED_KNOWLEDGE = bundled_knowledge()


def _default_knowledge_dir() -> Path:
    local = Path.cwd() / "knowledge"
    return local if (local / "topics").is_dir() else BUNDLED_KNOWLEDGE


def _switched_on(value: str) -> bool:
    """An opt-in switch: 1, true, yes or on (any case); anything else leaves it off."""
    return value.strip().lower() in ("1", "true", "yes", "on")


def _port(value: str, default: int = 3000) -> int:
    """A TCP port number; anything else keeps the default (`coachbot doctor` names the typo)."""
    value = value.strip()
    return int(value) if value.isdigit() and 0 < int(value) < 65536 else default


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    knowledge_dir: Path
    discord_token: str | None = None
    dev_guild_id: int | None = None
    log_level: str = "WARNING"
    trainer_role: str = "Trainer"
    log_format: str = "text"  # text (logfmt) or json: one event per line either way
    watch_knowledge: bool = True  # reload when knowledge files change (COACHBOT_WATCH=0: off)
    members_intent: bool = False  # Discord's Server Members intent (COACHBOT_MEMBERS_INTENT=1)
    multi_process: bool = False  # several bots on one data folder (COACHBOT_MULTI_PROCESS=1)
    slack_bot_token: str | None = None  # xoxb-…: Slack runs when this is set
    slack_app_token: str | None = None  # xapp-…: Socket Mode (the default)
    slack_signing_secret: str | None = None  # HTTP mode when set instead of the app token
    slack_port: int = 3000  # COACHBOT_SLACK_PORT: HTTP mode listens here
    slack_trainer_group: str = ""  # handle of the Slack user group whose members are trainers
    slack_port_typed: str = ""  # COACHBOT_SLACK_PORT as typed, so `coachbot doctor` names a typo
    shard_count: str = ""  # COACHBOT_SHARD_COUNT: Discord shards of all processes, or auto
    shard_ids: str = ""  # COACHBOT_SHARD_IDS: the shards this process runs, e.g. 0,1
    # COACHBOT_DATABASE_URL: unset is the embedded SQLite file in data_dir; postgresql://...
    # is PostgreSQL, the multi-process mode (several processes, on several machines)
    database_url: str | None = None

    @property
    def database_path(self) -> Path:
        return self.data_dir / "coachbot.sqlite3"

    @property
    def database_target(self) -> Path | str:
        """What the store opens: the PostgreSQL URL when set, else the SQLite file."""
        return self.database_url or self.database_path

    @property
    def cache_dir(self) -> Path:
        """The compiled knowledge cache (safe to delete; rebuilt on the next start)."""
        return self.data_dir / "cache"

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        guild = env.get("COACHBOT_DEV_GUILD", "").strip()
        knowledge = env.get("COACHBOT_KNOWLEDGE_DIR", "").strip()
        return cls(
            data_dir=Path(env.get("COACHBOT_DATA_DIR", "").strip() or "data"),
            knowledge_dir=Path(knowledge) if knowledge else _default_knowledge_dir(),
            discord_token=env.get("DISCORD_TOKEN", "").strip() or None,
            dev_guild_id=int(guild) if guild.isdigit() else None,
            log_level=env.get("COACHBOT_LOG_LEVEL", "").strip().upper() or "WARNING",
            trainer_role=env.get("COACHBOT_TRAINER_ROLE", "").strip() or "Trainer",
            log_format=env.get("COACHBOT_LOG_FORMAT", "").strip().lower() or "text",
            watch_knowledge=env.get("COACHBOT_WATCH", "").strip().lower()
            not in ("0", "false", "no", "off"),
            members_intent=_switched_on(env.get("COACHBOT_MEMBERS_INTENT", "")),
            multi_process=_switched_on(env.get("COACHBOT_MULTI_PROCESS", "")),
            slack_bot_token=env.get("SLACK_BOT_TOKEN", "").strip() or None,
            slack_app_token=env.get("SLACK_APP_TOKEN", "").strip() or None,
            slack_signing_secret=env.get("SLACK_SIGNING_SECRET", "").strip() or None,
            slack_port=_port(env.get("COACHBOT_SLACK_PORT", "")),
            slack_port_typed=env.get("COACHBOT_SLACK_PORT", "").strip(),
            slack_trainer_group=env.get("COACHBOT_SLACK_TRAINER_GROUP", "").strip().lstrip("@"),
            shard_count=env.get("COACHBOT_SHARD_COUNT", "").strip(),
            shard_ids=env.get("COACHBOT_SHARD_IDS", "").strip(),
            database_url=env.get("COACHBOT_DATABASE_URL", "").strip() or None,
        )

    @property
    def sharding(self) -> Sharding | None:
        """The Discord shards this process runs (None: not sharded); CoachError if mistyped,
        so `run` stops with one line and `doctor` shows it."""
        return Sharding.parse(self.shard_count, self.shard_ids)

    @property
    def slack_socket_mode(self) -> bool:
        """Socket Mode unless only a signing secret is given (then HTTP mode)."""
        return bool(self.slack_app_token) or not self.slack_signing_secret

    def __repr__(self) -> str:  # never print a token or secret
        def shown(value: str | None) -> str:
            return "<set>" if value else "<unset>"

        return (
            f"Settings(data_dir={self.data_dir!s}, knowledge_dir={self.knowledge_dir!s}, "
            f"discord_token={shown(self.discord_token)}, dev_guild_id={self.dev_guild_id}, "
            f"slack_bot_token={shown(self.slack_bot_token)}, "
            f"slack_app_token={shown(self.slack_app_token)}, "
            f"slack_signing_secret={shown(self.slack_signing_secret)}, "
            f"slack_port={self.slack_port}, database_url={shown(self.database_url)})"
        )
