"""The shared start/stop of the platform fakes fails a test on what the fake saw."""

from __future__ import annotations

import pytest

from tests.fake_platform import running


class Fake:
    def __init__(self, problems: list[str]) -> None:
        self.events: list[str] = []
        self._problems = problems

    async def start(self) -> None:
        self.events.append("start")

    async def stop(self) -> None:
        self.events.append("stop")

    def problems(self) -> list[str]:
        return self._problems


async def test_a_fake_with_problems_fails_the_test_after_it_is_stopped():
    fake = Fake(["unknown endpoint GET /x"])
    with pytest.raises(pytest.fail.Exception, match="The fake Slack saw problems:\n- unknown"):
        async with running(fake, "Slack"):
            assert fake.events == ["start"]
    assert fake.events == ["start", "stop"]


async def test_a_quiet_fake_is_started_and_stopped():
    fake = Fake([])
    async with running(fake, "Discord") as env:
        assert env is fake
    assert fake.events == ["start", "stop"]
