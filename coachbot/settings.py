"""Settings come from the environment once, in main(), and are passed down."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

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

    @property
    def database_path(self) -> Path:
        return self.data_dir / "coachbot.sqlite3"

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
        )

    def __repr__(self) -> str:  # never print the token
        token = "set" if self.discord_token else "unset"
        return (
            f"Settings(data_dir={self.data_dir!s}, knowledge_dir={self.knowledge_dir!s}, "
            f"discord_token=<{token}>, dev_guild_id={self.dev_guild_id})"
        )
