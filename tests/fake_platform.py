"""What every loopback platform fake in tests/ shares: start it, stop it, and fail the test
on anything the real platform would have refused or the bot logged as an error."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Protocol, TypeVar

import pytest


class Fake(Protocol):
    async def start(self) -> None: ...
    async def stop(self) -> None: ...
    def problems(self) -> list[str]: ...


F = TypeVar("F", bound=Fake)


@asynccontextmanager
async def running(env: F, platform: str) -> AsyncIterator[F]:
    """`env` started for the test's body; its problems fail the test once it is stopped."""
    await env.start()
    try:
        yield env
    finally:
        await env.stop()
    problems = env.problems()
    if problems:
        pytest.fail(f"The fake {platform} saw problems:\n- " + "\n- ".join(problems), pytrace=False)
