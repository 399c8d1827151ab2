"""Who is a trainer on Slack: the core rule (coachbot.access) on Slack's facts.

The facts are `users.info` (workspace admins and owners) and the members of the user group
whose handle is COACHBOT_SLACK_TRAINER_GROUP (`usergroups.list`, then
`usergroups.users.list`). Answers are kept for a short while per client, so a burst of
trainer clicks costs one lookup; a change in Slack counts within `CACHE_SECONDS`.
"""

from __future__ import annotations

import logging
import time
from weakref import WeakKeyDictionary

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from coachbot import access
from coachbot.settings import Settings

log = logging.getLogger(__name__)

CACHE_SECONDS = 30.0
_answers: WeakKeyDictionary[AsyncWebClient, dict[tuple[str, str], tuple[float, bool]]]
_answers = WeakKeyDictionary()


async def _groups_of(client: AsyncWebClient, user_id: str, handle: str) -> list[str]:
    """The trainer group's handle if `user_id` is a member of it, else nothing."""
    if not handle:
        return []
    listed = await client.usergroups_list()
    for group in listed.get("usergroups") or []:
        if str(group.get("handle", "")).casefold() == handle.casefold():
            members = await client.usergroups_users_list(usergroup=group["id"])
            if user_id in (members.get("users") or []):
                return [str(group["handle"])]
    return []


async def is_trainer(
    client: AsyncWebClient, team_id: str, user_id: str, settings: Settings
) -> bool:
    """True for workspace admins/owners and members of the trainer group. A lookup that
    fails counts as "not a trainer" (logged): a refusal, never a wrong yes."""
    cache = _answers.setdefault(client, {})
    now = time.monotonic()
    kept = cache.get((team_id, user_id))
    if kept is not None and kept[0] > now:
        return kept[1]
    try:
        info = await client.users_info(user=user_id)
        user = info.get("user") or {}
        admin = bool(user.get("is_admin") or user.get("is_owner"))
        groups = [] if admin else await _groups_of(client, user_id, settings.slack_trainer_group)
    except SlackApiError as error:
        log.warning("trainer check failed: %s", error.response.get("error"))
        return False
    answer = access.is_trainer(
        is_admin=admin, groups=groups, trainer_group=settings.slack_trainer_group
    )
    cache[(team_id, user_id)] = (now + CACHE_SECONDS, answer)
    return answer


def forget_cache() -> None:
    """Drop every kept answer (tests that change who is a trainer mid-conversation)."""
    _answers.clear()
