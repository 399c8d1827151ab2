"""Slack ids as the core stores them: namespaced text, so they never collide with Discord's.

A team is `slack:T…`, a channel `slack:C…`, a person `slack:T…:U…` (quiz scores and
schedules only; asks and debriefs carry no person). One human on Slack and on Discord is two
agents, never linked. The reverse functions give back the Slack id for posting.
"""

from __future__ import annotations

PREFIX = "slack:"


def team_key(team_id: str) -> str:
    return f"{PREFIX}{team_id}"


def channel_key(channel_id: str) -> str:
    return f"{PREFIX}{channel_id}"


def agent_key(team_id: str, user_id: str) -> str:
    return f"{PREFIX}{team_id}:{user_id}"


def is_slack(key: str | None) -> bool:
    """True for a key made here (a Discord id is plain digits)."""
    return bool(key) and str(key).startswith(PREFIX)


def _strip(key: str) -> str:
    if not is_slack(key):
        raise ValueError(f"not a Slack key: {key!r}")
    return key[len(PREFIX) :]


def team_id(key: str) -> str:
    """`slack:T1` (or an agent key `slack:T1:U1`) → `T1`."""
    return _strip(key).split(":", 1)[0]


def channel_id(key: str) -> str:
    """`slack:C1` → `C1`."""
    return _strip(key)


def user_id(key: str) -> str:
    """`slack:T1:U1` → `U1`."""
    rest = _strip(key)
    if ":" not in rest:
        raise ValueError(f"not a Slack agent key: {key!r}")
    return rest.split(":", 1)[1]


class Keys:
    """The core's keys for whoever asked, where: mixed into a request or a click that has
    `team_id`, `user_id` and `channel_id` (Slack's own ids)."""

    team_id: str
    user_id: str
    channel_id: str

    @property
    def agent(self) -> str:
        return agent_key(self.team_id, self.user_id)

    @property
    def team(self) -> str:
        return team_key(self.team_id)

    @property
    def channel(self) -> str:
        return channel_key(self.channel_id)

    @property
    def in_dm(self) -> bool:
        """In the app's DM (channel ids starting with D) rather than a channel."""
        return self.channel_id.startswith("D")
