"""Who may run trainer commands, decided once for every platform from plain facts.

Trainers are the team's admins (Discord: Manage Server; Slack: workspace admins and owners)
and the members of the configured trainer role or user group, matched without regard to case.
An adapter gathers the facts from its platform; the rule is here.
"""

from __future__ import annotations

from collections.abc import Iterable


def is_trainer(*, is_admin: bool, groups: Iterable[str], trainer_group: str) -> bool:
    """True for an admin, or for a member of `trainer_group` (a role or user-group name)."""
    if is_admin:
        return True
    wanted = trainer_group.strip().casefold()
    return bool(wanted) and any(group.casefold() == wanted for group in groups)
