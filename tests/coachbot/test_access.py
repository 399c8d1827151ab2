"""The trainer rule on plain facts: admins, and members of the configured role or group."""

from __future__ import annotations

import pytest

from coachbot.access import is_trainer


@pytest.mark.parametrize(
    ("is_admin", "groups", "trainer_group", "expected"),
    [
        (True, [], "Trainer", True),  # Manage Server on Discord, admin or owner on Slack
        (False, ["agents", "TRAINER"], "Trainer", True),  # names match without regard to case
        (False, ["agents"], "Trainer", False),
        (False, ["Trainers"], "Trainer", False),  # a similar name is not the role
        (False, [""], "", False),  # no trainer group configured: only admins
    ],
)
def test_who_is_a_trainer(is_admin, groups, trainer_group, expected):
    assert is_trainer(is_admin=is_admin, groups=groups, trainer_group=trainer_group) is expected
